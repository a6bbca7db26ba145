// Issue 15 point 3: each certificate is checked against the CA file its consumer uses (the
// `verifiedBy` column of ROLE_PROFILES), never against any CA-looking file in the tree. The
// reproduction: a kubeadm tree made with openssl, a copy of pki/ca.crt kept elsewhere, pki/ca.crt
// and ca.key replaced by another cluster's. openssl verify is the oracle.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditReport, auditCluster, type Finding, type FindingCode, ROLE_PROFILES } from "../src/index.js";
import { buildKubepkiTree } from "./helpers/kubepki-tree.js";
import { buildOpensslTree } from "./helpers/openssl-tree.js";
import { openssl, tempDir } from "./helpers/tree.js";

const CONFIG = {
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] },
    { name: "worker-1", role: "worker", addresses: ["192.168.10.21"] },
  ],
} as const;

const scratch = tempDir("audit-trust");
afterAll(() => scratch.remove());

/** Another cluster's CA with the same subject as kubeadm's (`/CN=<cn>`), made by openssl. */
function otherCa(name: string, commonName: string): { crt: string; key: string } {
  const key = join(scratch.dir, `${name}.key`);
  const crt = join(scratch.dir, `${name}.crt`);
  expect(openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key]).status).toBe(0);
  const made = openssl([
    "req",
    "-x509",
    "-new",
    "-key",
    key,
    "-subj",
    `/CN=${commonName}`,
    "-days",
    "3650",
    "-addext",
    "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
    "-out",
    crt,
  ]);
  expect(made.status, made.stderr).toBe(0);
  return { crt: readFileSync(crt, "utf8"), key: readFileSync(key, "utf8") };
}

/** `openssl verify -CAfile <ca> <leaf>` on tree files. */
function opensslVerify(files: Map<string, string>, caFile: string, leafFile: string): { ok: boolean; out: string } {
  const dir = tempDir("verify");
  try {
    const write = (name: string, text: string) => {
      const path = join(dir.dir, name.replace(/\//g, "_"));
      writeFileSync(path, text);
      return path;
    };
    const result = openssl([
      "verify",
      "-CAfile",
      write(caFile, files.get(caFile) as string),
      write(leafFile, files.get(leafFile) as string),
    ]);
    return { ok: result.status === 0, out: result.stdout + result.stderr };
  } finally {
    dir.remove();
  }
}

function codes(report: AuditReport, code: FindingCode): Finding[] {
  return report.findings.filter((finding) => finding.code === code);
}

describe("the role table says which CA file verifies each leaf", () => {
  it("pki/ca.crt for cluster-CA leaves, pki/etcd/ca.crt for etcd, pki/front-proxy-ca.crt for the front-proxy client", () => {
    const table = Object.fromEntries(ROLE_PROFILES.map((profile) => [profile.role, profile.verifiedBy?.caFile]));
    expect(table).toEqual({
      ca: undefined,
      "etcd-ca": undefined,
      "front-proxy-ca": undefined,
      apiserver: "pki/ca.crt",
      "apiserver-kubelet-client": "pki/ca.crt",
      "front-proxy-client": "pki/front-proxy-ca.crt",
      "etcd-server": "pki/etcd/ca.crt",
      "etcd-peer": "pki/etcd/ca.crt",
      "etcd-healthcheck-client": "pki/etcd/ca.crt",
      "apiserver-etcd-client": "pki/etcd/ca.crt",
      "super-admin": "pki/ca.crt",
      admin: "pki/ca.crt",
      "controller-manager": "pki/ca.crt",
      scheduler: "pki/ca.crt",
      "kube-proxy": "pki/ca.crt",
      "kubelet-client": "pki/ca.crt",
      "kubelet-serving": "pki/ca.crt",
    });
  });
});

describe("pki/ca.crt replaced by another cluster's CA, a copy of the real one kept in the tree", () => {
  let files: Map<string, string>;
  let foreign: { crt: string; key: string };
  beforeAll(async () => {
    files = await buildOpensslTree(CONFIG);
    foreign = otherCa("other-cluster-ca", "kubernetes");
  }, 120_000);

  const swapped = (copyTo: string): Map<string, string> =>
    new Map(files)
      .set(copyTo, files.get("pki/ca.crt") as string)
      .set(`${copyTo.replace(/\.crt(\.bak)?$/, "")}.key`, files.get("pki/ca.key") as string)
      .set("pki/ca.crt", foreign.crt)
      .set("pki/ca.key", foreign.key);

  for (const copyTo of ["pki/ca.crt.bak", "backup/ca.crt"]) {
    it(`copy at ${copyTo}: every cluster-CA leaf and kubeconfig is an error, as openssl verify says`, async () => {
      const tree = swapped(copyTo);
      expect(opensslVerify(files, "pki/ca.crt", "pki/apiserver.crt").ok).toBe(true);
      const oracle = opensslVerify(tree, "pki/ca.crt", "pki/apiserver.crt");
      expect(oracle.ok).toBe(false);
      expect(oracle.out).toMatch(/unable to get local issuer certificate|certificate signature failure/);

      const report = await auditCluster(tree, { config: CONFIG });
      const untrusted = codes(report, "NOT_TRUSTED");
      expect(untrusted.every((finding) => finding.severity === "error")).toBe(true);
      const apiserver = untrusted.find((finding) => finding.file === "pki/apiserver.crt") as Finding;
      expect(apiserver.message).toBe(
        `does not chain to pki/ca.crt, the CA every API server client (kubeconfig certificate-authority-data) uses: it is refused with "x509: certificate signed by unknown authority" (it was signed by ${copyTo}, which no component uses to verify it)`,
      );
      // Every certificate the cluster CA signed: pki/, users/, each node's kubelet pair, the kubeconfigs.
      const clusterCaLeaves = report.certificates
        .filter(
          (cert) => ROLE_PROFILES.find((profile) => profile.role === cert.role)?.verifiedBy?.caFile === "pki/ca.crt",
        )
        .map((cert) => cert.file);
      expect(clusterCaLeaves).toHaveLength(17);
      expect(clusterCaLeaves).toEqual(
        expect.arrayContaining(["pki/apiserver.crt", "admin.conf", "nodes/worker-1/kubelet.conf"]),
      );
      expect(untrusted.map((finding) => finding.file).sort()).toEqual(clusterCaLeaves.sort());
      const kubeconfigs = codes(report, "KUBECONFIG_CA_MISMATCH").map((finding) => finding.file);
      expect(kubeconfigs.sort()).toEqual([...tree.keys()].filter((path) => path.endsWith(".conf")).sort());
      expect(codes(report, "KUBECONFIG_CA_MISMATCH")[0]?.message).toMatch(
        /the certificate-authority is not pki\/ca\.crt, the CA that signs the API server's certificate/,
      );
      // etcd and front-proxy leaves chain to their own, untouched CAs.
      expect(untrusted.filter((finding) => /etcd|front-proxy/.test(finding.file))).toEqual([]);
      // Without a config too.
      expect(codes(await auditCluster(tree), "NOT_TRUSTED").length).toBe(untrusted.length);
    }, 60_000);
  }

  it("etcd and front-proxy leaves are checked against pki/etcd/ca.crt and pki/front-proxy-ca.crt", async () => {
    const etcd = otherCa("other-etcd-ca", "etcd-ca");
    const proxy = otherCa("other-front-proxy-ca", "front-proxy-ca");
    const tree = new Map(files)
      .set("backup/etcd-ca.crt", files.get("pki/etcd/ca.crt") as string)
      .set("backup/front-proxy-ca.crt", files.get("pki/front-proxy-ca.crt") as string)
      .set("pki/etcd/ca.crt", etcd.crt)
      .set("pki/etcd/ca.key", etcd.key)
      .set("pki/front-proxy-ca.crt", proxy.crt)
      .set("pki/front-proxy-ca.key", proxy.key);
    expect(opensslVerify(tree, "pki/etcd/ca.crt", "pki/etcd/server.crt").ok).toBe(false);
    const report = await auditCluster(tree);
    const untrusted = Object.fromEntries(
      codes(report, "NOT_TRUSTED").map((finding) => [finding.file, finding.message.split(":")[0]]),
    );
    expect(untrusted).toEqual({
      "pki/etcd/server.crt": "does not chain to pki/etcd/ca.crt, the CA kube-apiserver --etcd-cafile uses",
      "pki/etcd/peer.crt": "does not chain to pki/etcd/ca.crt, the CA etcd --peer-trusted-ca-file uses",
      "pki/etcd/healthcheck-client.crt": "does not chain to pki/etcd/ca.crt, the CA etcd --trusted-ca-file uses",
      "pki/apiserver-etcd-client.crt": "does not chain to pki/etcd/ca.crt, the CA etcd --trusted-ca-file uses",
      "pki/front-proxy-client.crt":
        "does not chain to pki/front-proxy-ca.crt, the CA kube-apiserver --requestheader-client-ca-file uses",
    });
  }, 60_000);

  it("a kubeconfig whose certificate-authority-data is not pki/ca.crt is an error, even when that CA is in the tree", async () => {
    const kubeconfig = files.get("admin.conf") as string;
    const tree = new Map(files)
      .set("backup/ca.crt", foreign.crt)
      .set(
        "admin.conf",
        kubeconfig.replace(
          /certificate-authority-data: \S+/,
          `certificate-authority-data: ${Buffer.from(foreign.crt).toString("base64")}`,
        ),
      );
    const report = await auditCluster(tree);
    expect(codes(report, "KUBECONFIG_CA_MISMATCH").map((finding) => [finding.severity, finding.file])).toEqual([
      ["error", "admin.conf"],
    ]);
  }, 60_000);
});

describe("kubepki's tree: pki/ca.crt replaced, the nodes' copies (nodes/*/pki/ca.crt) still the old CA", () => {
  it("the root's leaves and kubeconfigs are errors; each node's files are checked against its own copy", async () => {
    const files = await buildKubepkiTree();
    const foreign = otherCa("other-cluster-ca-2", "kubernetes");
    expect(files.has("nodes/cp-2/pki/ca.crt")).toBe(true);
    const tree = new Map(files).set("pki/ca.crt", foreign.crt).set("pki/ca.key", foreign.key);
    expect(opensslVerify(tree, "pki/ca.crt", "pki/apiserver.crt").ok).toBe(false);
    const report = await auditCluster(tree);
    const untrusted = codes(report, "NOT_TRUSTED").map((finding) => finding.file);
    expect(untrusted).toContain("pki/apiserver.crt");
    expect(untrusted).toContain("admin.conf");
    expect(untrusted).toContain("users/admin.crt");
    expect(untrusted.filter((file) => file.startsWith("nodes/"))).toEqual([]);
    expect(codes(report, "KUBECONFIG_CA_MISMATCH").map((finding) => finding.file)).toContain("admin.conf");
    expect(report.findings.filter((finding) => finding.severity === "error").length).toBeGreaterThan(5);
  }, 60_000);
});

describe("a kubeconfig alone (a worker's kubelet.conf, no pki/ca.crt beside it)", () => {
  it("its client certificate is checked against its own certificate-authority-data", async () => {
    const files = await buildKubepkiTree();
    const foreign = otherCa("other-cluster-ca-3", "kubernetes");
    const kubeletConf = files.get("nodes/worker-1/kubelet.conf") as string;
    const clean = new Map([["kubelet.conf", kubeletConf]]);
    expect((await auditCluster(clean)).findings).toEqual([]);
    const otherAuthority = kubeletConf.replace(
      /certificate-authority-data: \S+/,
      `certificate-authority-data: ${Buffer.from(foreign.crt).toString("base64")}`,
    );
    const report = await auditCluster(new Map([["kubelet.conf", otherAuthority]]));
    expect(codes(report, "NOT_TRUSTED").map((finding) => finding.message)).toEqual([
      'user system:node:worker-1: does not chain to kubelet.conf certificate-authority-data, the CA kube-apiserver --client-ca-file uses: it is refused with "x509: certificate signed by unknown authority"',
    ]);
  }, 60_000);
});
