import { describe, expect, it } from "vitest";
import { type ClusterConfig, type ClusterPlan, planCluster } from "../src/index.js";

const nodes: ClusterConfig["nodes"] = [
  { name: "cp-1", role: "control-plane", addresses: ["10.0.0.11"] },
  { name: "cp-2", role: "control-plane", addresses: ["10.0.0.12"] },
  { name: "cp-3", role: "control-plane", addresses: ["10.0.0.13"] },
  { name: "w-1", role: "worker", addresses: ["10.0.0.21"] },
  { name: "w-2", role: "worker", addresses: ["10.0.0.22", "fd00::22"] },
  { name: "w-3", role: "worker", addresses: ["10.0.0.23"] },
];
const ha: ClusterConfig = { nodes, controlPlaneEndpoint: "k8s-api.example.com:6443" };

function allOutputPaths(plan: ClusterPlan): string[] {
  return [
    ...plan.certificates.flatMap((spec) => [spec.certPath, spec.keyPath]),
    plan.serviceAccountKey.privateKeyPath,
    plan.serviceAccountKey.publicKeyPath,
    ...plan.kubeconfigs.map((kubeconfig) => kubeconfig.path),
    ...plan.kubeletConfigs.map((kubelet) => kubelet.path),
    ...plan.paths.copies.map((copy) => copy.to),
  ];
}

describe("planCluster: 3 control-plane + 3 worker nodes", () => {
  const plan = planCluster(ha);

  it("ids and output paths are unique", () => {
    const ids = plan.certificates.map((spec) => spec.id);
    expect(new Set(ids).size).toBe(ids.length);
    const kubeconfigIds = plan.kubeconfigs.map((kubeconfig) => kubeconfig.id);
    expect(new Set(kubeconfigIds).size).toBe(kubeconfigIds.length);
    const paths = allOutputPaths(plan);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("every signer exists and comes earlier in the list (CAs first)", () => {
    const seen = new Set<string>();
    for (const spec of plan.certificates) {
      if (spec.signer !== "self") expect(seen.has(spec.signer)).toBe(true);
      seen.add(spec.role);
    }
    expect(plan.certificates.slice(0, 3).map((spec) => spec.id)).toEqual(["ca", "etcd-ca", "front-proxy-ca"]);
    expect(plan.certificates.filter((spec) => spec.isCa)).toHaveLength(3);
  });

  it("per-node certificates: 7 control-plane leaves + admin/controller-manager/scheduler per CP node, 2 kubelet certs per node", () => {
    const count = (role: string) => plan.certificates.filter((spec) => spec.role === role).length;
    for (const role of [
      "apiserver",
      "apiserver-kubelet-client",
      "apiserver-etcd-client",
      "front-proxy-client",
      "etcd-server",
      "etcd-peer",
      "etcd-healthcheck-client",
      "admin",
      "controller-manager",
      "scheduler",
    ]) {
      expect(count(role), role).toBe(3);
    }
    expect(count("kubelet-client")).toBe(6);
    expect(count("kubelet-serving")).toBe(6);
    expect(count("super-admin")).toBe(1);
    expect(count("kube-proxy")).toBe(0);
    expect(plan.certificates).toHaveLength(3 + 1 + 3 * 10 + 6 * 2);
    for (const node of ["w-1", "w-2", "w-3"]) {
      expect(plan.certificates.filter((spec) => spec.node === node).map((spec) => spec.role)).toEqual([
        "kubelet-client",
        "kubelet-serving",
      ]);
    }
  });

  it("layout: root = cp-1's control plane, nodes/<name>/ for the rest", () => {
    const byId = new Map(plan.certificates.map((spec) => [spec.id, spec]));
    expect(byId.get("apiserver:cp-1")?.certPath).toBe("pki/apiserver.crt");
    expect(byId.get("apiserver:cp-2")?.certPath).toBe("nodes/cp-2/pki/apiserver.crt");
    expect(byId.get("etcd-server:cp-3")?.keyPath).toBe("nodes/cp-3/pki/etcd/server.key");
    expect(byId.get("kubelet-serving:cp-1")?.certPath).toBe("nodes/cp-1/pki/kubelet.crt");
    expect(byId.get("kubelet-client:cp-1")?.kubeconfig).toBe("nodes/cp-1/kubelet.conf");
    expect(byId.get("admin:cp-2")?.kubeconfig).toBe("nodes/cp-2/admin.conf");
    expect(byId.get("super-admin")?.kubeconfig).toBe("super-admin.conf");
    expect(plan.paths.copies).toContainEqual({ from: "pki/ca.crt", to: "nodes/w-1/pki/ca.crt" });
  });

  it("apiserver SANs of each control-plane node carry the shared endpoint", () => {
    for (const node of ["cp-1", "cp-2", "cp-3"]) {
      const spec = plan.certificates.find((candidate) => candidate.id === `apiserver:${node}`);
      expect(spec?.sans).toContainEqual({ type: "dns", value: "k8s-api.example.com" });
      expect(spec?.sans).toContainEqual({ type: "dns", value: node });
    }
  });

  it("kubeconfigs (kubeadm-pki.md §3): names, servers, certificate ids", () => {
    const byId = new Map(plan.kubeconfigs.map((kubeconfig) => [kubeconfig.id, kubeconfig]));
    expect(byId.get("admin.conf:cp-1")).toEqual({
      id: "admin.conf:cp-1",
      path: "admin.conf",
      clusterName: "kubernetes",
      server: "https://k8s-api.example.com:6443",
      userName: "kubernetes-admin",
      contextName: "kubernetes-admin@kubernetes",
      certificateId: "admin:cp-1",
      node: "cp-1",
    });
    expect(byId.get("super-admin.conf")?.server).toBe("https://k8s-api.example.com:6443");
    expect(byId.get("controller-manager.conf:cp-2")?.server).toBe("https://10.0.0.12:6443");
    expect(byId.get("scheduler.conf:cp-3")?.contextName).toBe("system:kube-scheduler@kubernetes");
    expect(byId.get("kubelet.conf:cp-2")?.server).toBe("https://10.0.0.12:6443");
    expect(byId.get("kubelet.conf:w-2")).toMatchObject({
      server: "https://k8s-api.example.com:6443",
      userName: "system:node:w-2",
      contextName: "system:node:w-2@kubernetes",
      path: "nodes/w-2/kubelet.conf",
    });
    const certificateIds = new Set(plan.certificates.map((spec) => spec.id));
    for (const kubeconfig of plan.kubeconfigs) expect(certificateIds.has(kubeconfig.certificateId)).toBe(true);
    // super-admin + 3 per control-plane node + a kubelet.conf per node + the init node's at the root
    expect(plan.kubeconfigs).toHaveLength(1 + 3 * 3 + 6 + 1);
    expect(byId.get("kubelet.conf")).toEqual({
      ...byId.get("kubelet.conf:cp-1"),
      id: "kubelet.conf",
      path: "kubelet.conf",
    });
  });

  it("kubelet configs (kubeadm-pki.md §4.3)", () => {
    expect(plan.kubeletConfigs).toHaveLength(6);
    expect(plan.kubeletConfigs.find((kubelet) => kubelet.node === "w-3")).toEqual({
      id: "kubelet-config:w-3",
      node: "w-3",
      path: "nodes/w-3/kubelet-config.yaml",
      clientCAFile: "/etc/kubernetes/pki/ca.crt",
      clusterDomain: "cluster.local",
      clusterDNS: ["10.96.0.10"],
      tlsCertFile: "/etc/kubernetes/pki/kubelet.crt",
      tlsPrivateKeyFile: "/etc/kubernetes/pki/kubelet.key",
      rotateCertificates: true,
      servingCertificateId: "kubelet-serving:w-3",
    });
  });

  it("paths: flag files on the node (kubeadm-pki.md §5) and in the output", () => {
    const { onNode, output } = plan.paths;
    expect(onNode.certificates.ca).toEqual({ cert: "/etc/kubernetes/pki/ca.crt", key: "/etc/kubernetes/pki/ca.key" });
    expect(onNode.certificates.apiserver?.cert).toBe("/etc/kubernetes/pki/apiserver.crt");
    expect(onNode.certificates["etcd-ca"]?.cert).toBe("/etc/kubernetes/pki/etcd/ca.crt");
    expect(onNode.certificates["apiserver-etcd-client"]?.key).toBe("/etc/kubernetes/pki/apiserver-etcd-client.key");
    expect(onNode.certificates["front-proxy-ca"]?.cert).toBe("/etc/kubernetes/pki/front-proxy-ca.crt");
    expect(onNode.certificates["controller-manager"]?.kubeconfig).toBe("/etc/kubernetes/controller-manager.conf");
    expect(onNode.certificates["kubelet-client"]?.kubeconfig).toBe("/etc/kubernetes/kubelet.conf");
    expect(onNode.certificates["kubelet-serving"]?.cert).toBe("/etc/kubernetes/pki/kubelet.crt");
    expect(onNode.serviceAccount).toEqual({
      privateKey: "/etc/kubernetes/pki/sa.key",
      publicKey: "/etc/kubernetes/pki/sa.pub",
    });
    expect(onNode.kubeletConfig).toBe("/var/lib/kubelet/config.yaml");
    expect(output.certificates["kubelet-client"]?.kubeconfig).toBe("nodes/cp-1/kubelet.conf");
    expect(output.certificates["etcd-peer"]?.cert).toBe("pki/etcd/peer.crt");
    expect(output.certificates["super-admin"]?.kubeconfig).toBe("super-admin.conf");
    expect(onNode.certificates["kube-proxy"]).toBeUndefined();
  });

  it("paths.nodes: install lists, one entry per node path; workers get no CA keys", () => {
    for (const node of plan.paths.nodes) {
      const targets = node.files.map((file) => file.onNode);
      expect(new Set(targets).size, node.node).toBe(targets.length);
      expect(targets).toContain("/etc/kubernetes/pki/ca.crt");
      expect(targets).toContain("/etc/kubernetes/kubelet.conf");
      expect(targets).toContain("/var/lib/kubelet/config.yaml");
    }
    const cp2 = plan.paths.nodes.find((node) => node.node === "cp-2");
    expect(cp2?.files).toContainEqual({ output: "pki/sa.key", onNode: "/etc/kubernetes/pki/sa.key", shared: true });
    expect(cp2?.files).toContainEqual({
      output: "nodes/cp-2/pki/apiserver.crt",
      onNode: "/etc/kubernetes/pki/apiserver.crt",
      shared: false,
    });
    expect(cp2?.files.map((file) => file.onNode)).not.toContain("/etc/kubernetes/super-admin.conf");
    const w1 = plan.paths.nodes.find((node) => node.node === "w-1");
    expect(w1?.files.map((file) => file.output).sort()).toEqual([
      "nodes/w-1/kubelet-config.yaml",
      "nodes/w-1/kubelet.conf",
      "nodes/w-1/pki/ca.crt",
      "nodes/w-1/pki/kubelet.crt",
      "nodes/w-1/pki/kubelet.key",
    ]);
  });

  it("no warnings for a clean config", () => {
    expect(plan.warnings).toEqual([]);
  });
});

describe("planCluster options", () => {
  it("external etcd: no etcd CA, no etcd certificates, no apiserver-etcd-client (kubeadm-pki.md §1.1 note)", () => {
    const plan = planCluster({ ...ha, etcd: { type: "external", endpoints: ["https://10.0.0.50:2379"] } });
    expect(
      plan.certificates.filter((spec) => spec.role.startsWith("etcd") || spec.role === "apiserver-etcd-client"),
    ).toEqual([]);
    expect(plan.certificates.some((spec) => spec.signer === "etcd-ca")).toBe(false);
    expect(plan.paths.onNode.certificates["etcd-ca"]).toBeUndefined();
  });

  it("kube-proxy certificate only with kubeProxy: certificate", () => {
    expect(planCluster(ha).certificates.some((spec) => spec.role === "kube-proxy")).toBe(false);
    const plan = planCluster({ ...ha, kubeProxy: "certificate" });
    expect(plan.certificates.filter((spec) => spec.role === "kube-proxy").map((spec) => spec.id)).toEqual([
      "kube-proxy",
    ]);
    expect(plan.kubeconfigs.find((kubeconfig) => kubeconfig.id === "kube-proxy.conf")).toMatchObject({
      path: "kube-proxy.conf",
      userName: "system:kube-proxy",
      server: "https://k8s-api.example.com:6443",
    });
    const w1 = plan.paths.nodes.find((node) => node.node === "w-1");
    expect(w1?.files).toContainEqual({
      output: "kube-proxy.conf",
      onNode: "/etc/kubernetes/kube-proxy.conf",
      shared: true,
    });
  });

  it("no endpoint: servers use the advertise address (IPv6 bracketed) and HA is warned about", () => {
    const plan = planCluster({
      nodes: [
        { name: "cp-1", role: "control-plane", addresses: ["fd00::11"] },
        { name: "cp-2", role: "control-plane", addresses: ["fd00::12"] },
        { name: "w-1", role: "worker", addresses: ["fd00::21"] },
      ],
      serviceSubnets: ["fd00:10:96::/112"],
    });
    const server = (id: string) => plan.kubeconfigs.find((kubeconfig) => kubeconfig.id === id)?.server;
    expect(server("admin.conf:cp-1")).toBe("https://[fd00::11]:6443");
    expect(server("admin.conf:cp-2")).toBe("https://[fd00::12]:6443");
    expect(server("kubelet.conf:w-1")).toBe("https://[fd00::11]:6443");
    expect(plan.kubeletConfigs[0]?.clusterDNS).toEqual(["fd00:10:96::a"]);
    expect(plan.warnings.map((warning) => warning.code)).toEqual(["NO_CONTROL_PLANE_ENDPOINT"]);
  });

  it("endpoint port wins over bindPort, with a warning (kubeadm-pki.md §3)", () => {
    const plan = planCluster({ controlPlaneEndpoint: "lb.example.com:443" });
    expect(plan.kubeconfigs.find((kubeconfig) => kubeconfig.path === "admin.conf")?.server).toBe(
      "https://lb.example.com:443",
    );
    expect(plan.kubeconfigs.find((kubeconfig) => kubeconfig.path === "scheduler.conf")?.server).toBe(
      "https://10.0.0.10:6443",
    );
    expect(plan.warnings.map((warning) => warning.code)).toEqual(["ENDPOINT_PORT_OVERRIDES_BIND_PORT"]);
  });

  it("skipped certSANs are reported once, not once per control-plane node", () => {
    const plan = planCluster({ ...ha, certSANs: ["bad_name"] });
    expect(plan.warnings).toEqual([expect.objectContaining({ code: "SAN_SKIPPED", field: "certSANs[0]" })]);
  });

  it("the init node is the first control-plane node even when a worker is listed first", () => {
    const plan = planCluster({
      nodes: [
        { name: "w-1", role: "worker", addresses: ["10.0.0.21"] },
        { name: "cp-1", role: "control-plane", addresses: ["10.0.0.11"] },
      ],
    });
    expect(plan.certificates.find((spec) => spec.role === "apiserver")?.certPath).toBe("pki/apiserver.crt");
    expect(plan.kubeconfigs.find((kubeconfig) => kubeconfig.id === "kubelet.conf:w-1")?.server).toBe(
      "https://10.0.0.11:6443",
    );
  });

  it("is pure: same input, equal plan", () => {
    expect(planCluster(ha)).toEqual(planCluster(ha));
  });
});
