import { describe, expect, it } from "vitest";
import {
  type CertSpec,
  certSpec,
  type ResolvedClusterConfig,
  resolveClusterConfig,
  serviceAccountKeySpec,
} from "../src/index.js";

// Expected values are copied from docs/reference/kubeadm-pki.md (kubeadm's own tables), not imported from
// src/roles/constants.ts.
const config = resolveClusterConfig({
  kubeProxy: "certificate",
  controlPlaneEndpoint: "k8s-api.example.com:6443",
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] },
    { name: "cp-2", role: "control-plane", addresses: ["192.168.10.12"] },
    { name: "worker-1", role: "worker", addresses: ["192.168.10.21", "fd00::21"] },
  ],
});

const CA_KU = ["digitalSignature", "keyEncipherment", "keyCertSign"];
const LEAF_KU = ["digitalSignature", "keyEncipherment"];

interface Row {
  name: string;
  build: (config: ResolvedClusterConfig) => CertSpec;
  cn: string;
  o?: string[];
  ku: string[];
  eku: string[];
  sans?: CertSpec["sans"];
  signer: CertSpec["signer"];
  isCa: boolean;
  days: number;
  certPath: string;
  keyPath: string;
  kubeconfig?: string;
}

const rows: Row[] = [
  {
    name: "ca (kubeadm-pki.md §1.1 row ca)",
    build: (c) => certSpec(c, "ca"),
    cn: "kubernetes",
    ku: CA_KU,
    eku: [],
    sans: [{ type: "dns", value: "kubernetes" }],
    signer: "self",
    isCa: true,
    days: 3650,
    certPath: "pki/ca.crt",
    keyPath: "pki/ca.key",
  },
  {
    name: "apiserver (kubeadm-pki.md §1.1 row apiserver; SANs §2.1)",
    build: (c) => certSpec(c, "apiserver", "cp-1"),
    cn: "kube-apiserver",
    ku: LEAF_KU,
    eku: ["serverAuth"],
    signer: "ca",
    isCa: false,
    days: 365,
    certPath: "pki/apiserver.crt",
    keyPath: "pki/apiserver.key",
  },
  {
    name: "apiserver-kubelet-client (kubeadm-pki.md §1.1 row apiserver-kubelet-client)",
    build: (c) => certSpec(c, "apiserver-kubelet-client", "cp-1"),
    cn: "kube-apiserver-kubelet-client",
    o: ["kubeadm:cluster-admins"],
    ku: LEAF_KU,
    eku: ["clientAuth"],
    sans: [],
    signer: "ca",
    isCa: false,
    days: 365,
    certPath: "pki/apiserver-kubelet-client.crt",
    keyPath: "pki/apiserver-kubelet-client.key",
  },
  {
    name: "front-proxy-ca (kubeadm-pki.md §1.1 row front-proxy-ca)",
    build: (c) => certSpec(c, "front-proxy-ca"),
    cn: "front-proxy-ca",
    ku: CA_KU,
    eku: [],
    sans: [{ type: "dns", value: "front-proxy-ca" }],
    signer: "self",
    isCa: true,
    days: 3650,
    certPath: "pki/front-proxy-ca.crt",
    keyPath: "pki/front-proxy-ca.key",
  },
  {
    name: "front-proxy-client (kubeadm-pki.md §1.1 row front-proxy-client)",
    build: (c) => certSpec(c, "front-proxy-client", "cp-1"),
    cn: "front-proxy-client",
    ku: LEAF_KU,
    eku: ["clientAuth"],
    sans: [],
    signer: "front-proxy-ca",
    isCa: false,
    days: 365,
    certPath: "pki/front-proxy-client.crt",
    keyPath: "pki/front-proxy-client.key",
  },
  {
    name: "etcd/ca (kubeadm-pki.md §1.1 row etcd/ca)",
    build: (c) => certSpec(c, "etcd-ca"),
    cn: "etcd-ca",
    ku: CA_KU,
    eku: [],
    sans: [{ type: "dns", value: "etcd-ca" }],
    signer: "self",
    isCa: true,
    days: 3650,
    certPath: "pki/etcd/ca.crt",
    keyPath: "pki/etcd/ca.key",
  },
  {
    name: "etcd/server (kubeadm-pki.md §1.1 row etcd/server; SANs §2.2)",
    build: (c) => certSpec(c, "etcd-server", "cp-1"),
    cn: "cp-1",
    ku: LEAF_KU,
    eku: ["serverAuth", "clientAuth"],
    sans: [
      { type: "dns", value: "cp-1" },
      { type: "dns", value: "localhost" },
      { type: "ip", value: "192.168.10.11" },
      { type: "ip", value: "127.0.0.1" },
      { type: "ip", value: "::1" },
    ],
    signer: "etcd-ca",
    isCa: false,
    days: 365,
    certPath: "pki/etcd/server.crt",
    keyPath: "pki/etcd/server.key",
  },
  {
    name: "etcd/peer (kubeadm-pki.md §1.1 row etcd/peer; SANs §2.2)",
    build: (c) => certSpec(c, "etcd-peer", "cp-2"),
    cn: "cp-2",
    ku: LEAF_KU,
    eku: ["serverAuth", "clientAuth"],
    sans: [
      { type: "dns", value: "cp-2" },
      { type: "dns", value: "localhost" },
      { type: "ip", value: "192.168.10.12" },
      { type: "ip", value: "127.0.0.1" },
      { type: "ip", value: "::1" },
    ],
    signer: "etcd-ca",
    isCa: false,
    days: 365,
    certPath: "nodes/cp-2/pki/etcd/peer.crt",
    keyPath: "nodes/cp-2/pki/etcd/peer.key",
  },
  {
    name: "etcd/healthcheck-client (kubeadm-pki.md §1.1 row etcd/healthcheck-client)",
    build: (c) => certSpec(c, "etcd-healthcheck-client", "cp-1"),
    cn: "kube-etcd-healthcheck-client",
    ku: LEAF_KU,
    eku: ["clientAuth"],
    sans: [],
    signer: "etcd-ca",
    isCa: false,
    days: 365,
    certPath: "pki/etcd/healthcheck-client.crt",
    keyPath: "pki/etcd/healthcheck-client.key",
  },
  {
    name: "apiserver-etcd-client (kubeadm-pki.md §1.1 row apiserver-etcd-client)",
    build: (c) => certSpec(c, "apiserver-etcd-client", "cp-1"),
    cn: "kube-apiserver-etcd-client",
    ku: LEAF_KU,
    eku: ["clientAuth"],
    sans: [],
    signer: "etcd-ca",
    isCa: false,
    days: 365,
    certPath: "pki/apiserver-etcd-client.crt",
    keyPath: "pki/apiserver-etcd-client.key",
  },
  {
    name: "admin.conf (kubeadm-pki.md §3 row admin.conf)",
    build: (c) => certSpec(c, "admin", "cp-1"),
    cn: "kubernetes-admin",
    o: ["kubeadm:cluster-admins"],
    ku: LEAF_KU,
    eku: ["clientAuth"],
    sans: [],
    signer: "ca",
    isCa: false,
    days: 365,
    certPath: "users/admin.crt",
    keyPath: "users/admin.key",
    kubeconfig: "admin.conf",
  },
  {
    name: "super-admin.conf (kubeadm-pki.md §3 row super-admin.conf)",
    build: (c) => certSpec(c, "super-admin"),
    cn: "kubernetes-super-admin",
    o: ["system:masters"],
    ku: LEAF_KU,
    eku: ["clientAuth"],
    sans: [],
    signer: "ca",
    isCa: false,
    days: 365,
    certPath: "users/super-admin.crt",
    keyPath: "users/super-admin.key",
    kubeconfig: "super-admin.conf",
  },
  {
    name: "controller-manager.conf (kubeadm-pki.md §3 row controller-manager.conf, §6 CN system:kube-controller-manager)",
    build: (c) => certSpec(c, "controller-manager", "cp-2"),
    cn: "system:kube-controller-manager",
    ku: LEAF_KU,
    eku: ["clientAuth"],
    sans: [],
    signer: "ca",
    isCa: false,
    days: 365,
    certPath: "nodes/cp-2/users/controller-manager.crt",
    keyPath: "nodes/cp-2/users/controller-manager.key",
    kubeconfig: "nodes/cp-2/controller-manager.conf",
  },
  {
    name: "scheduler.conf (kubeadm-pki.md §3 row scheduler.conf, §6 CN system:kube-scheduler)",
    build: (c) => certSpec(c, "scheduler", "cp-1"),
    cn: "system:kube-scheduler",
    ku: LEAF_KU,
    eku: ["clientAuth"],
    sans: [],
    signer: "ca",
    isCa: false,
    days: 365,
    certPath: "users/scheduler.crt",
    keyPath: "users/scheduler.key",
    kubeconfig: "scheduler.conf",
  },
  {
    name: "kubelet.conf client (kubeadm-pki.md §3 row kubelet.conf, §4.1 signer rules: no SANs)",
    build: (c) => certSpec(c, "kubelet-client", "worker-1"),
    cn: "system:node:worker-1",
    o: ["system:nodes"],
    ku: LEAF_KU,
    eku: ["clientAuth"],
    sans: [],
    signer: "ca",
    isCa: false,
    days: 365,
    certPath: "nodes/worker-1/users/kubelet.crt",
    keyPath: "nodes/worker-1/users/kubelet.key",
    kubeconfig: "nodes/worker-1/kubelet.conf",
  },
  {
    name: "kubelet serving (kubeadm-pki.md §4.2 kubelet-serving signer rules)",
    build: (c) => certSpec(c, "kubelet-serving", "worker-1"),
    cn: "system:node:worker-1",
    o: ["system:nodes"],
    ku: LEAF_KU,
    eku: ["serverAuth"],
    sans: [
      { type: "dns", value: "worker-1" },
      { type: "ip", value: "192.168.10.21" },
      { type: "ip", value: "fd00::21" },
    ],
    signer: "ca",
    isCa: false,
    days: 365,
    certPath: "nodes/worker-1/pki/kubelet.crt",
    keyPath: "nodes/worker-1/pki/kubelet.key",
  },
  {
    name: "kube-proxy (kubeadm-pki.md §6 row CN system:kube-proxy)",
    build: (c) => certSpec(c, "kube-proxy"),
    cn: "system:kube-proxy",
    ku: LEAF_KU,
    eku: ["clientAuth"],
    sans: [],
    signer: "ca",
    isCa: false,
    days: 365,
    certPath: "users/kube-proxy.crt",
    keyPath: "users/kube-proxy.key",
    kubeconfig: "kube-proxy.conf",
  },
];

describe("presets equal the reference table", () => {
  for (const row of rows) {
    it(row.name, () => {
      const spec = row.build(config);
      expect(spec.subject.commonName).toBe(row.cn);
      expect(spec.subject.organizations).toEqual(row.o);
      expect(spec.keyUsages).toEqual(row.ku);
      expect(spec.extKeyUsages).toEqual(row.eku);
      if (row.sans) expect(spec.sans).toEqual(row.sans);
      expect(spec.signer).toBe(row.signer);
      expect(spec.isCa).toBe(row.isCa);
      // Reference §1.1 notes: CAs carry no pathLen.
      expect(spec.pathLength).toBeUndefined();
      expect(spec.validityDays).toBe(row.days);
      expect(spec.keyAlgorithm).toBe("RSA-2048");
      expect(spec.certPath).toBe(row.certPath);
      expect(spec.keyPath).toBe(row.keyPath);
      expect(spec.kubeconfig).toBe(row.kubeconfig);
    });
  }

  it("sa.key / sa.pub (kubeadm-pki.md §1.1 row sa.key / sa.pub): a key in the cluster algorithm", () => {
    expect(serviceAccountKeySpec(resolveClusterConfig({ keyAlgorithm: "ECDSA-P384" }))).toEqual({
      id: "sa",
      keyAlgorithm: "ECDSA-P384",
      privateKeyPath: "pki/sa.key",
      publicKeyPath: "pki/sa.pub",
    });
  });
});

describe("preset options and ids", () => {
  it("ids: role for cluster-wide, role:node per node (the first node included)", () => {
    expect(certSpec(config, "ca").id).toBe("ca");
    expect(certSpec(config, "super-admin").id).toBe("super-admin");
    expect(certSpec(config, "apiserver", "cp-1").id).toBe("apiserver:cp-1");
    expect(certSpec(config, "apiserver", "cp-1").node).toBe("cp-1");
    expect(certSpec(config, "ca").node).toBeUndefined();
    expect(certSpec(config, "kubelet-serving", "worker-1").id).toBe("kubelet-serving:worker-1");
  });

  it("keyEncipherment can be turned off for ECDSA (kubeadm-pki.md §1.2, RFC 8813)", () => {
    const ecdsa = resolveClusterConfig({ keyAlgorithm: "ECDSA-P256", keyEncipherment: false });
    expect(certSpec(ecdsa, "ca").keyUsages).toEqual(["digitalSignature", "keyCertSign"]);
    expect(certSpec(ecdsa, "apiserver", "control-plane-1").keyUsages).toEqual(["digitalSignature"]);
    expect(certSpec(ecdsa, "apiserver", "control-plane-1").keyAlgorithm).toBe("ECDSA-P256");
  });

  it("validity comes from the config", () => {
    const short = resolveClusterConfig({ validity: { caDays: 100, leafDays: 10 } });
    expect(certSpec(short, "ca").validityDays).toBe(100);
    expect(certSpec(short, "admin", "control-plane-1").validityDays).toBe(10);
  });

  it("control-plane roles refuse workers; etcd roles refuse external etcd; kube-proxy needs the option", () => {
    expect(() => certSpec(config, "apiserver", "worker-1")).toThrowError(
      expect.objectContaining({ code: "INVALID_ARGUMENT", details: expect.objectContaining({ field: "node" }) }),
    );
    expect(() => certSpec(config, "apiserver", "nope")).toThrowError(
      expect.objectContaining({ details: expect.objectContaining({ field: "node" }) }),
    );
    const external = resolveClusterConfig({ etcd: { type: "external", endpoints: ["https://10.0.0.50:2379"] } });
    for (const build of [
      (c: ResolvedClusterConfig) => certSpec(c, "etcd-ca"),
      (c: ResolvedClusterConfig) => certSpec(c, "etcd-server", "control-plane-1"),
      (c: ResolvedClusterConfig) => certSpec(c, "apiserver-etcd-client", "control-plane-1"),
    ]) {
      expect(() => build(external)).toThrowError(
        expect.objectContaining({ details: expect.objectContaining({ field: "etcd.type" }) }),
      );
    }
    expect(() => certSpec(resolveClusterConfig({}), "kube-proxy")).toThrowError(
      expect.objectContaining({ details: expect.objectContaining({ field: "kubeProxy" }) }),
    );
  });
});
