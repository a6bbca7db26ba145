// HA control plane: three control-plane nodes behind a load balancer, each with its own stacked etcd
// member. Every node gets its own apiserver and etcd leaves; the CAs and sa.key are shared.
import { planCluster } from "@kubepki/k8s-profiles";
import { etcdFlags } from "@kubepki/renderers";

const nodes = [
  { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] },
  { name: "cp-2", role: "control-plane", addresses: ["192.168.10.12"] },
  { name: "cp-3", role: "control-plane", addresses: ["192.168.10.13"] },
];
const plan = planCluster({ controlPlaneEndpoint: "k8s-api.example.com:6443", nodes });

for (const spec of plan.certificates.filter((c) => c.role === "etcd-server" || c.role === "etcd-peer")) {
  const sans = spec.sans.map((san) => san.value).join(" ");
  console.log(`${spec.id.padEnd(16)} CN=${spec.subject.commonName}  ${sans}  -> nodes/${spec.node}/`);
}
console.log("apiserver certificates:", plan.certificates.filter((c) => c.role === "apiserver").length);
console.log("warnings:", plan.warnings);

// cp-2 joins the etcd cluster cp-1 started: all members, --initial-cluster-state=existing.
const pki = "/etc/kubernetes/pki/etcd";
const flags = etcdFlags({
  nodeName: "cp-2",
  advertiseAddress: "192.168.10.12",
  initialCluster: nodes.map((node) => ({ name: node.name, address: node.addresses[0] })),
  paths: {
    certFile: `${pki}/server.crt`,
    keyFile: `${pki}/server.key`,
    trustedCaFile: `${pki}/ca.crt`,
    peerCertFile: `${pki}/peer.crt`,
    peerKeyFile: `${pki}/peer.key`,
    peerTrustedCaFile: `${pki}/ca.crt`,
    dataDir: "/var/lib/etcd",
  },
});
console.log(flags.filter((flag) => flag.startsWith("--initial-cluster")).join("\n"));
