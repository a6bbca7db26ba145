// Issue 16 CLI point 8: a worker's own directory is audited for what a worker has (kubelet.conf,
// the cluster CA certificate, no CA key), not as a cluster missing 13 certificates. The scope is
// inferred, or given.
import { beforeAll, describe, expect, it } from "vitest";
import { type AuditReport, auditCluster } from "../src/index.js";
import { buildKubepkiTree } from "./helpers/kubepki-tree.js";
import { buildOpensslTree } from "./helpers/openssl-tree.js";

/** The files under `prefix`, with the prefix dropped (a node's directory as that node sees it). */
function subtree(files: ReadonlyMap<string, string>, prefix: string): Map<string, string> {
  return new Map(
    [...files].filter(([path]) => path.startsWith(prefix)).map(([path, text]) => [path.slice(prefix.length), text]),
  );
}

const notInfo = (report: AuditReport) => report.findings.filter((finding) => finding.severity !== "info");

describe("audit scope", () => {
  let kubepkiFiles: Map<string, string>;
  let opensslFiles: Map<string, string>;
  beforeAll(async () => {
    kubepkiFiles = await buildKubepkiTree();
    opensslFiles = await buildOpensslTree({
      nodes: [
        { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] },
        { name: "worker-1", role: "worker", addresses: ["192.168.10.21"] },
      ],
    });
  }, 120_000);

  it("kubepki's nodes/<worker> is inferred as a node's directory: no missing control-plane files, no EXTERNAL_CA", async () => {
    const worker = subtree(kubepkiFiles, "nodes/worker-1/");
    expect([...worker.keys()].sort()).toEqual(
      expect.arrayContaining(["kubelet.conf", "pki/ca.crt", "pki/kubelet.crt", "pki/kubelet.key"]),
    );
    const report = await auditCluster(worker);
    expect(report.scope).toBe("node");
    expect(report.findings).toEqual([]);
  }, 60_000);

  it("a worker's /etc/kubernetes as kubeadm join leaves it (kubelet.conf, pki/ca.crt) is inferred as a node", async () => {
    const worker = new Map([
      ["kubelet.conf", opensslFiles.get("nodes/worker-1/kubelet.conf") as string],
      ["pki/ca.crt", opensslFiles.get("pki/ca.crt") as string],
    ]);
    const report = await auditCluster(worker);
    expect(report.scope).toBe("node");
    expect(report.findings).toEqual([]);
  }, 60_000);

  it("--scope given: cluster on a worker's directory lists what a cluster lacks; node on a node without kubelet.conf says so", async () => {
    const worker = subtree(kubepkiFiles, "nodes/worker-1/");
    const asCluster = await auditCluster(worker, { scope: "cluster" });
    expect(asCluster.scope).toBe("cluster");
    expect(asCluster.findings.filter((finding) => finding.code === "MISSING_FILE")).toHaveLength(13);
    const caOnly = new Map([["pki/ca.crt", kubepkiFiles.get("pki/ca.crt") as string]]);
    expect((await auditCluster(caOnly)).scope).toBe("cluster");
    const asNode = await auditCluster(caOnly, { scope: "node" });
    expect(asNode.findings.map((finding) => [finding.severity, finding.code, finding.file])).toEqual([
      ["warning", "MISSING_FILE", "kubelet.conf"],
    ]);
    await expect(auditCluster(worker, { scope: "worker" as never })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  }, 60_000);

  it("a whole cluster stays a cluster (with a CA key or an API server certificate), and control-plane scope expects kubeadm's set", async () => {
    expect((await auditCluster(kubepkiFiles)).scope).toBe("cluster");
    const controlPlane = subtree(kubepkiFiles, "nodes/cp-2/");
    const report = await auditCluster(controlPlane);
    expect(report.scope).toBe("cluster");
    const asControlPlane = await auditCluster(controlPlane, { scope: "control-plane" });
    expect(asControlPlane.scope).toBe("control-plane");
    expect(notInfo(asControlPlane).map((finding) => finding.code)).not.toContain("EXTERNAL_CA");
  }, 60_000);
});
