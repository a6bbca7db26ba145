// toNodeFiles: external and two-tier CAs, and the per-node folders against the default layout.
import { describe, expect, it } from "vitest";
import { caught } from "../../core/test/helpers/caught.js";
import { type ClusterPki, generateCluster, toKubeadmFiles, toNodeFiles } from "../src/index.js";
import { makeRoot } from "./helpers/chain-cas.js";

const nodes = [
  { name: "cp-1", role: "control-plane" as const, addresses: ["10.0.0.11"] },
  { name: "cp-2", role: "control-plane" as const, addresses: ["10.0.0.12"] },
  { name: "w-1", role: "worker" as const, addresses: ["10.0.0.21"] },
];
const config = { keyAlgorithm: "ECDSA-P256" as const, nodes, controlPlaneEndpoint: "10.0.0.10:6443" };
const byPath = (pki: ClusterPki, options = {}) => new Map(toNodeFiles(pki, options).map((file) => [file.path, file]));
const pemCount = (text: string | undefined) => (text ?? "").split("-----BEGIN CERTIFICATE-----").length - 1;

describe("toNodeFiles", () => {
  it("places toKubeadmFiles' files byte for byte: cp-1's folder holds the default tree's pki", async () => {
    const pki = await generateCluster(config);
    const tree = new Map(toKubeadmFiles(pki).map((file) => [file.path, file]));
    const files = byPath(pki);
    for (const [path, file] of tree) {
      if (!path.startsWith("pki/")) continue;
      expect(files.get(`cp-1/etc/kubernetes/${path}`), path).toEqual({ ...file, path: `cp-1/etc/kubernetes/${path}` });
    }
    expect(files.get("cp-2/etc/kubernetes/pki/apiserver.crt")?.contents).toBe(
      tree.get("nodes/cp-2/pki/apiserver.crt")?.contents,
    );
    // etcd flags: every member, a new cluster; etcd 3.6 spelling for v1.34 (the default).
    const etcd = files.get("cp-2/etc/kubernetes/flags/etcd.txt")?.contents ?? "";
    expect(etcd).toContain("--initial-cluster=cp-1=https://10.0.0.11:2380,cp-2=https://10.0.0.12:2380\n");
    expect(etcd).toContain("--initial-cluster-state=new\n");
    expect(etcd).toContain("--feature-gates=InitialCorruptCheck=true\n");
    expect(byPath(pki, { kubernetesVersion: "1.33" }).get("cp-2/etc/kubernetes/flags/etcd.txt")?.contents).toContain(
      "--experimental-initial-corrupt-check=true\n",
    );
  });

  it("an external CA: no cluster CA key anywhere, the controller-manager signs nothing", async () => {
    const first = await generateCluster(config);
    const ca = first.certificates.find((entry) => entry.spec.role === "ca");
    const pki = await generateCluster(config, {
      existingCa: { ca: { certificatePem: ca?.certificate.pem as string, privateKeyPem: ca?.privateKeyPem as string } },
    });
    const files = byPath(pki);
    expect([...files.keys()].filter((path) => path.endsWith("pki/ca.key"))).toEqual([]);
    expect(files.has("cp-2/etc/kubernetes/pki/etcd/ca.key")).toBe(true);
    expect(files.get("cp-1/etc/kubernetes/flags/kube-controller-manager.txt")?.contents).toContain(
      "--cluster-signing-key-file=\n",
    );
    // The caller may hand the key over: then every control-plane node gets it.
    expect(byPath(pki, { existingCaKeys: "write" }).has("cp-2/etc/kubernetes/pki/ca.key")).toBe(true);
  });

  it("two-tier: leaf files carry the intermediate, CA files the CA alone; the root's key is in no folder", async () => {
    const root = await makeRoot("/CN=offline root", 1);
    const pki = await generateCluster(config, { rootCa: root.pem });
    const files = byPath(pki);
    expect(pemCount(files.get("cp-2/etc/kubernetes/pki/apiserver.crt")?.contents)).toBe(2);
    expect(pemCount(files.get("cp-2/etc/kubernetes/pki/etcd/peer.crt")?.contents)).toBe(2);
    expect(pemCount(files.get("w-1/etc/kubernetes/pki/kubelet.crt")?.contents)).toBe(2);
    expect(pemCount(files.get("w-1/etc/kubernetes/pki/ca.crt")?.contents)).toBe(1);
    for (const file of files.values())
      expect(file.contents.includes(root.pem.privateKeyPem.trim()), file.path).toBe(false);
  });

  it("refuses a node named admin and a version outside v1.30-v1.34", async () => {
    const pki = await generateCluster({
      ...config,
      nodes: [{ name: "admin", role: "control-plane" as const, addresses: ["10.0.0.11"] }],
    });
    expect(await caught(() => toNodeFiles(pki))).toMatchObject({
      code: "INVALID_ARGUMENT",
      details: { field: "nodes" },
    });
    const ok = await generateCluster(config);
    expect(await caught(() => toNodeFiles(ok, { kubernetesVersion: "1.28" }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      details: { field: "kubernetesVersion" },
    });
  });
});
