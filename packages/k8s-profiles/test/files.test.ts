import { join } from "node:path";
import { isKubepkiError } from "@kubepki/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ClusterConfig,
  type ClusterPki,
  clusterRecord,
  generateCluster,
  type KubeadmFile,
  readClusterRecord,
  resolveClusterConfig,
  toKubeadmFiles,
} from "../src/index.js";
import { outputPathOnNode } from "../src/plan/plan.js";
import { openssl, tempDir, writeTree } from "./helpers/tree.js";

const config: ClusterConfig = {
  keyAlgorithm: "ECDSA-P256",
  controlPlaneEndpoint: "k8s-api.example.com",
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["10.0.0.11"] },
    { name: "cp-2", role: "control-plane", addresses: ["10.0.0.12"] },
    { name: "w-1", role: "worker", addresses: ["10.0.0.21", "fd00::21"] },
  ],
};

/** The flag names the seed tutorial invented (reference §7 item 17, §5). */
const TUTORIAL_FLAGS = ["--etcd-ca-file", "--kubelet-ca-file", "--kubelet-certfile", "--kubelet-keyfile"];
const FLAG_FILES = ["kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler"].map(
  (name) => `flags/${name}.txt`,
);

describe("toKubeadmFiles", () => {
  let pki: ClusterPki;
  let files: KubeadmFile[];
  let byPath: Map<string, KubeadmFile>;
  const text = (path: string) => byPath.get(path)?.contents ?? "";
  const tree = tempDir("files");

  beforeAll(async () => {
    pki = await generateCluster(config);
    files = toKubeadmFiles(pki);
    byPath = new Map(files.map((file) => [file.path, file]));
    writeTree(tree.dir, files);
  });
  afterAll(() => tree.remove());

  it("paths are unique, relative, and the same in the same order on every call", () => {
    expect(byPath.size).toBe(files.length);
    for (const file of files) expect(file.path).toMatch(/^[a-z0-9][a-z0-9._/-]*$/);
    expect(toKubeadmFiles(pki)).toEqual(files);
  });

  it("modes: every .key and .conf 0600; certificates, sa.pub, kubelet configs and flags 0644", () => {
    for (const file of files) {
      const secret = file.path.endsWith(".key") || file.path.endsWith(".conf");
      expect(file.mode, file.path).toBe(secret ? 0o600 : 0o644);
    }
    expect(files.filter((file) => file.mode === 0o600).every((file) => !file.path.endsWith(".crt"))).toBe(true);
  });

  it("writes every path the plan names: certificates and keys, sa pair, kubeconfigs, kubelet configs, copies, each node's install list", () => {
    const { plan } = pki;
    const expected = [
      ...plan.certificates.flatMap((spec) => [spec.certPath, spec.keyPath]),
      plan.serviceAccountKey.privateKeyPath,
      plan.serviceAccountKey.publicKeyPath,
      ...plan.kubeconfigs.map((kubeconfig) => kubeconfig.path),
      ...plan.kubeletConfigs.map((kubelet) => kubelet.path),
      ...plan.paths.copies.map((copy) => copy.to),
      ...plan.paths.nodes.flatMap((node) => node.files.map((file) => file.output)),
      ...FLAG_FILES,
      "kubepki.yaml",
    ];
    expect([...new Set(expected)].sort()).toEqual([...byPath.keys()].sort());
    for (const copy of plan.paths.copies) expect(byPath.get(copy.to)?.contents).toBe(byPath.get(copy.from)?.contents);
  });

  it("kubepki.yaml records the resolved cluster (no secrets) and reads back to the same config", () => {
    const record = byPath.get("kubepki.yaml");
    expect(record?.mode).toBe(0o644);
    expect(record?.contents).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
    const read = readClusterRecord({ "kubepki.yaml": record?.contents as string });
    expect(resolveClusterConfig(read)).toEqual(pki.plan.config);
    expect(clusterRecord(resolveClusterConfig(read))).toEqual(read);
  });

  it("keys are PKCS#1/SEC1 as kubeadm writes them; sa.pub is SPKI that openssl reads and that belongs to sa.key", () => {
    for (const file of files.filter((candidate) => candidate.path.endsWith(".key"))) {
      expect(file.contents, file.path).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    }
    const saPub = text("pki/sa.pub");
    expect(saPub).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const parsed = openssl(["pkey", "-pubin", "-in", "pki/sa.pub", "-noout", "-text"], tree.dir);
    expect(parsed.status, parsed.stderr).toBe(0);
    expect(parsed.stdout).toContain("prime256v1");
    const derived = openssl(["pkey", "-in", "pki/sa.key", "-pubout"], tree.dir);
    expect(derived.stdout).toBe(saPub);
  });

  it("flags: one --flag=value per line, real flag names only, --etcd-cafile and --kubelet-certificate-authority set", () => {
    for (const path of FLAG_FILES) {
      const contents = text(path);
      expect(contents.endsWith("\n"), path).toBe(true);
      for (const line of contents.trimEnd().split("\n")) expect(line, path).toMatch(/^--[a-z0-9-]+=\S*$/);
      for (const wrong of TUTORIAL_FLAGS) expect(contents, path).not.toContain(`${wrong}=`);
    }
    const apiserver = text("flags/kube-apiserver.txt").split("\n");
    expect(apiserver).toContain("--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt");
    // kubepki's kubelet serving certificates are signed by ca, so the API server can verify them.
    expect(apiserver).toContain("--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt");
    expect(apiserver).toContain("--advertise-address=10.0.0.11");
    const etcd = text("flags/etcd.txt").split("\n");
    expect(etcd).toContain("--name=cp-1");
    expect(etcd).toContain("--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt");
    const kcm = text("flags/kube-controller-manager.txt").split("\n");
    expect(kcm).toContain("--cluster-signing-key-file=/etc/kubernetes/pki/ca.key");
    expect(kcm).toContain("--kubeconfig=/etc/kubernetes/controller-manager.conf");
  });

  it("every /etc/kubernetes file a flag names is in the first control-plane node's output", () => {
    const rootFiles = new Set(
      files.filter((file) => !file.path.startsWith("nodes/")).map((file) => outputPathOnNode(file.path)),
    );
    for (const path of FLAG_FILES) {
      for (const match of text(path).matchAll(/(\/etc\/kubernetes\/[^\s,]+)/g)) {
        expect(rootFiles.has(match[1] as string), `${path}: ${match[1]}`).toBe(true);
      }
    }
  });

  it("each node's kubelet config points at its CA-signed serving pair and the cluster CA copy", () => {
    for (const kubelet of pki.plan.kubeletConfigs) {
      const yaml = text(kubelet.path);
      expect(yaml).toContain("kind: KubeletConfiguration");
      expect(yaml).toContain("clientCAFile: /etc/kubernetes/pki/ca.crt");
      expect(yaml).toContain("tlsCertFile: /etc/kubernetes/pki/kubelet.crt");
      expect(yaml).toContain("tlsPrivateKeyFile: /etc/kubernetes/pki/kubelet.key");
      expect(yaml).toContain("rotateCertificates: true");
      expect(yaml).toContain("- 10.96.0.10");
      expect(byPath.has(`nodes/${kubelet.node}/pki/kubelet.crt`)).toBe(true);
      expect(byPath.has(`nodes/${kubelet.node}/pki/ca.crt`)).toBe(true);
    }
  });

  it("external etcd: no etcd files or flags; the API server dials the given endpoints", async () => {
    const external = await generateCluster({
      ...config,
      etcd: { type: "external", endpoints: ["https://etcd-0.example.com:2379", "https://etcd-1.example.com:2379"] },
    });
    const externalFiles = toKubeadmFiles(external);
    const paths = externalFiles.map((file) => file.path);
    expect(paths.filter((path) => path.includes("etcd"))).toEqual([]);
    const apiserver = externalFiles.find((file) => file.path === "flags/kube-apiserver.txt")?.contents.split("\n");
    expect(apiserver).toContain("--etcd-servers=https://etcd-0.example.com:2379,https://etcd-1.example.com:2379");
    expect(apiserver).toContain("--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt");
  });

  it("refuses what is not a complete ClusterPki, and an unknown existingCaKeys", () => {
    const missing = { ...pki, certificates: pki.certificates.slice(1) };
    for (const bad of [undefined, {}, missing, { ...pki, serviceAccountKey: undefined }]) {
      let error: unknown;
      try {
        toKubeadmFiles(bad as never);
      } catch (caught) {
        error = caught;
      }
      expect(isKubepkiError(error, "INVALID_ARGUMENT")).toBe(true);
    }
    expect(() => toKubeadmFiles(pki, { existingCaKeys: "maybe" as never })).toThrow(/existingCaKeys/);
  });

  it("the output tree is what the CLI would write (files exist with their modes)", async () => {
    const { statSync } = await import("node:fs");
    for (const file of files) expect(statSync(join(tree.dir, file.path)).mode & 0o777, file.path).toBe(file.mode);
  });
});
