/**
 * describeTree (issue 18): a tree without kubepki.yaml is described from its certificates, so that
 * planning the described config gives the tree's certificates back; what could not be known is a note.
 */
import { isKubepkiError, KubepkiError } from "@kubepki/core";
import { describe, expect, it } from "vitest";
import { caught } from "../../core/test/helpers/caught.js";
import {
  type ClusterConfig,
  type ClusterFiles,
  type ClusterPlan,
  clusterRecord,
  describeTree,
  generateCluster,
  planCluster,
  readClusterRecord,
  resolveClusterConfig,
  toKubeadmFiles,
} from "../src/index.js";
import { KUBEPKI_CONFIG } from "./helpers/kubepki-tree.js";
import { buildOpensslTree } from "./helpers/openssl-tree.js";
import { buildTutorialTree } from "./helpers/tutorial-tree.js";

async function treeOf(config: ClusterConfig): Promise<Map<string, string>> {
  const files = new Map(toKubeadmFiles(await generateCluster(config)).map((file) => [file.path, file.contents]));
  files.delete("kubepki.yaml");
  return files;
}

/** What a plan makes: every certificate (subject, SANs, usages, paths, validity, key) and kubeconfig server. */
function made(plan: ClusterPlan) {
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    certificates: [...plan.certificates].sort(byId).map((spec) => JSON.parse(JSON.stringify(spec))),
    kubeconfigs: [...plan.kubeconfigs]
      .sort(byId)
      .map(({ id, path, server, clusterName, userName }) => ({ id, path, server, clusterName, userName })),
    kubelet: plan.kubeletConfigs.map(({ node, clusterDNS, clusterDomain }) => ({ node, clusterDNS, clusterDomain })),
  };
}

const record = (config: ClusterConfig) => clusterRecord(resolveClusterConfig(config));

// `slow`: RSA keys, generated on a machine other tests share.
const CASES: { name: string; config: ClusterConfig; notes?: RegExp[]; slow?: boolean }[] = [
  { name: "a single node", config: { keyAlgorithm: "ECDSA-P256" } },
  {
    name: "3 control-plane nodes and 2 workers, a DNS endpoint, certSANs",
    config: {
      keyAlgorithm: "ECDSA-P256",
      controlPlaneEndpoint: "k8s-api.example.com:6443",
      certSANs: ["api.example.com", "10.0.0.100"],
      nodes: [
        { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11", "fd10::11"] },
        { name: "cp-2", role: "control-plane", addresses: ["192.168.10.12"] },
        { name: "cp-3", role: "control-plane", addresses: ["192.168.10.13"] },
        { name: "worker-1", role: "worker", addresses: ["192.168.10.21", "fd10::21"] },
        { name: "worker-2", role: "worker", addresses: ["192.168.10.22"] },
      ],
    },
    notes: [
      /^nodes: the first control-plane node first/,
      /^controlPlaneEndpoint: from admin\.conf/,
      /^certSANs: in the certificate's order/,
    ],
  },
  {
    name: "ECDSA-P384, 90-day leaves",
    config: { keyAlgorithm: "ECDSA-P384", validity: { caDays: 1000, leafDays: 90 } },
  },
  {
    name: "dual-stack services with dualStackApiserverSan",
    config: {
      keyAlgorithm: "ECDSA-P256",
      serviceSubnets: ["10.100.0.0/16", "fd00:10:96::/112"],
      dualStackApiserverSan: true,
      nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.11", "fd10::11"] }],
    },
  },
  { name: "kube-proxy with a certificate", config: { keyAlgorithm: "ECDSA-P256", kubeProxy: "certificate" } },
  {
    name: "custom dnsDomain, clusterName and bindPort",
    config: { keyAlgorithm: "ECDSA-P256", dnsDomain: "corp.internal", clusterName: "prod-eu", bindPort: 8443 },
  },
  {
    name: "etcd extra SANs, keyEncipherment off, an IP endpoint on another port",
    config: {
      keyAlgorithm: "ECDSA-P256",
      keyEncipherment: false,
      controlPlaneEndpoint: "192.168.10.100:443",
      etcd: { type: "local", serverCertSANs: ["etcd.internal", "10.0.0.50"], peerCertSANs: ["peer.internal"] },
    },
    notes: [/^controlPlaneEndpoint: from admin\.conf/],
  },
  { name: "RSA-2048 (kubeadm's default)", config: { validity: { leafDays: 30 } }, slow: true },
];

describe("describeTree: a kubepki tree without kubepki.yaml plans back to the same certificates", () => {
  for (const { name, config, notes = [], slow = false } of CASES) {
    it(
      name,
      async () => {
        const files = await treeOf(config);
        const described = describeTree(files);
        expect(described.record).toBe("certificates");
        expect(made(planCluster(described.config))).toEqual(made(planCluster(config)));
        // Equal configs, except what a note says could not be kept: the certSANs' order.
        const got = record(described.config);
        const want = record(config);
        expect({ ...got, certSANs: [...(got.certSANs ?? [])].sort() }).toEqual({
          ...want,
          certSANs: [...(want.certSANs ?? [])].sort(),
        });
        for (const note of notes)
          expect(
            described.notes.some((text) => note.test(text)),
            described.notes.join("\n"),
          ).toBe(true);
        expect(described.notes).toHaveLength(notes.length);
      },
      slow ? 120_000 : 30_000,
    );
  }

  it("without flags/kube-apiserver.txt, the service CIDRs are guessed from the service IPs, and say so", async () => {
    const config: ClusterConfig = {
      keyAlgorithm: "ECDSA-P256",
      serviceSubnets: ["10.100.0.0/16", "fd00:10:96::/112"],
      dualStackApiserverSan: true,
      nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.11", "fd10::11"] }],
    };
    const files = await treeOf(config);
    files.delete("flags/kube-apiserver.txt");
    const described = describeTree(files);
    expect(described.config.serviceSubnets).toEqual(["10.100.0.0/14", "fd00:10:96::/108"]);
    expect(described.notes.some((note) => note.startsWith("serviceSubnets: no flags/kube-apiserver.txt"))).toBe(true);
    expect(made(planCluster(described.config))).toEqual(made(planCluster(config)));
  });

  it("kubeadm's default 10.96.0.1 gives kubeadm's default 10.96.0.0/12", async () => {
    const files = await treeOf({ keyAlgorithm: "ECDSA-P256" });
    files.delete("flags/kube-apiserver.txt");
    expect(describeTree(files).config.serviceSubnets).toEqual(["10.96.0.0/12"]);
  });

  it("nodes come back first control plane first, then by name, with a note", async () => {
    const config: ClusterConfig = {
      keyAlgorithm: "ECDSA-P256",
      nodes: [
        { name: "zeta", role: "control-plane", addresses: ["10.1.0.9"] },
        { name: "worker-b", role: "worker", addresses: ["10.1.0.20"] },
        { name: "alpha", role: "control-plane", addresses: ["10.1.0.8"] },
        { name: "worker-a", role: "worker", addresses: ["10.1.0.21"] },
      ],
    };
    const described = describeTree(await treeOf(config));
    expect(described.config.nodes?.map((node) => node.name)).toEqual(["zeta", "alpha", "worker-a", "worker-b"]);
    expect(described.notes.some((note) => note.startsWith("nodes: the first control-plane node first"))).toBe(true);
    expect(made(planCluster(described.config)).certificates).toEqual(made(planCluster(config)).certificates);
  });

  it("without admin.conf the endpoint comes from a worker's kubelet.conf, not a control plane's", async () => {
    const files = await treeOf(KUBEPKI_CONFIG);
    for (const path of ["admin.conf", "super-admin.conf"]) files.delete(path);
    const described = describeTree(files);
    expect(described.config.controlPlaneEndpoint).toBe(KUBEPKI_CONFIG.controlPlaneEndpoint);
    expect(described.notes).toContainEqual(
      expect.stringMatching(/^controlPlaneEndpoint: from nodes\/worker-1\/kubelet\.conf/),
    );
    expect(made(planCluster(described.config))).toEqual(made(planCluster(KUBEPKI_CONFIG)));
  });

  it("with no kubeconfig that dials the endpoint, its name on the API server becomes a certSAN, with a note", async () => {
    const config: ClusterConfig = { keyAlgorithm: "ECDSA-P256", controlPlaneEndpoint: "api.example.com:6443" };
    const files = await treeOf(config);
    for (const path of ["admin.conf", "super-admin.conf"]) files.delete(path);
    const described = describeTree(files);
    expect(described.config.controlPlaneEndpoint).toBeUndefined();
    expect(described.config.certSANs).toEqual(["api.example.com"]);
    expect(described.notes).toContainEqual(expect.stringMatching(/^controlPlaneEndpoint: no admin\.conf/));
    const apiserver = (c: ClusterConfig) => planCluster(c).certificates.find((spec) => spec.role === "apiserver");
    expect(apiserver(described.config)).toEqual(apiserver(config));
  });

  it("with no kubelet.conf and no etcd, the node is named by the API server's own DNS SAN", async () => {
    const config: ClusterConfig = {
      keyAlgorithm: "ECDSA-P256",
      nodes: [{ name: "kubernetes-cp1", role: "control-plane", addresses: ["10.5.0.7"] }],
      etcd: { type: "external", endpoints: ["https://etcd.example.com:2379"] },
    };
    const files = await treeOf(config);
    for (const path of [...files.keys()]) if (path === "kubelet.conf" || path.startsWith("nodes/")) files.delete(path);
    const described = describeTree(files);
    expect(described.config.nodes).toEqual(config.nodes);
    expect(made(planCluster(described.config)).certificates).toEqual(made(planCluster(config)).certificates);
  });

  it("external etcd comes from --etcd-servers", async () => {
    const config: ClusterConfig = {
      keyAlgorithm: "ECDSA-P256",
      etcd: { type: "external", endpoints: ["https://etcd-0.example.com:2379", "https://etcd-1.example.com:2379"] },
    };
    const described = describeTree(await treeOf(config));
    expect(described.config.etcd).toEqual(config.etcd);
    expect(made(planCluster(described.config)).certificates).toEqual(made(planCluster(config)).certificates);
  });
});

describe("describeTree: other trees", () => {
  it("returns kubepki.yaml as it is when the tree has one", async () => {
    const files = new Map(
      toKubeadmFiles(
        await generateCluster({ keyAlgorithm: "ECDSA-P256", certSANs: ["b.example.com", "a.example.com"] }),
      ).map((file) => [file.path, file.contents]),
    );
    const described = describeTree(files);
    expect(described).toEqual({ config: readClusterRecord(files), notes: [], record: "kubepki.yaml" });
    // The record keeps the config's order, which the certificates cannot.
    expect(described.config.certSANs).toEqual(["b.example.com", "a.example.com"]);
  });

  it("describes the openssl reference tree (no flags, no record)", async () => {
    // The audit's reference cluster: two control-plane nodes, a worker, a DNS endpoint.
    const config: ClusterConfig = KUBEPKI_CONFIG;
    const described = describeTree(await buildOpensslTree(config));
    expect(made(planCluster(described.config))).toEqual(made(planCluster(config)));
    expect(described.notes.some((note) => note.startsWith("serviceSubnets: no flags/kube-apiserver.txt"))).toBe(true);
  }, 120_000);

  it("describes the tutorial's tree as far as it goes, with notes", async () => {
    const { files } = await buildTutorialTree();
    const described = describeTree(files);
    expect(described.record).toBe("certificates");
    expect(() => resolveClusterConfig(described.config)).not.toThrow();
    expect(described.config.keyAlgorithm).toBe("RSA-2048");
    expect(described.config.controlPlaneEndpoint).toBe("kube-apiserver:6443");
    // The tutorial signs without its SANs: the node's address is nowhere, and the notes say so.
    expect(described.notes.some((note) => /address/.test(note))).toBe(true);
    expect(described.notes.length).toBeGreaterThan(2);
  }, 120_000);

  it("an empty tree, or one without an API server certificate or kubeconfig, is NOT_A_TREE", async () => {
    const trees: ClusterFiles[] = [{}, new Map([["README", "hello"]]), { "pki/sa.pub": "x" }];
    for (const files of trees) {
      const error = await caught(() => describeTree(files));
      expect(isKubepkiError(error, "NOT_A_TREE"), String(error)).toBe(true);
    }
    expect(isKubepkiError(await caught(() => describeTree(null as never)), "INVALID_ARGUMENT")).toBe(true);
  });

  it("a tree with random files removed gives a valid config or a KubepkiError, nothing else", async () => {
    const full = await treeOf({ ...KUBEPKI_CONFIG, certSANs: ["api.example.com"] });
    const paths = [...full.keys()];
    // A small deterministic generator: the same cases on every run.
    let seed = 18;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let described = 0;
    for (let round = 0; round < 60; round++) {
      const keep = round % 3 === 0 ? 0.2 : round % 3 === 1 ? 0.6 : 0.9;
      const files = new Map(paths.filter(() => random() < keep).map((path) => [path, full.get(path) as string]));
      try {
        const result = describeTree(files);
        expect(() => resolveClusterConfig(result.config)).not.toThrow();
        described++;
      } catch (error) {
        expect(error, String(error)).toBeInstanceOf(KubepkiError);
      }
    }
    expect(described).toBeGreaterThan(20);
  });
});
