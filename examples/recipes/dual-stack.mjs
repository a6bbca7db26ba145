// Dual-stack services: two service CIDRs. kubeadm puts only the FIRST CIDR's .1 into the apiserver
// certificate (the `kubernetes` Service has only a primary-family ClusterIP); kubepki does the same
// unless you opt in.
import { apiserverSans, resolveClusterConfig } from "@kubepki/k8s-profiles";

const cluster = {
  nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.11", "fd00:192:168:10::11"] }],
  serviceSubnets: ["10.96.0.0/12", "fd00:10:96::/112"],
};

const ips = (config) => apiserverSans(resolveClusterConfig(config), "cp-1").sans.filter((san) => san.type === "ip");
console.log(
  "kubeadm's rule:",
  ips(cluster).map((san) => san.value),
);
console.log(
  "opted in:      ",
  ips({ ...cluster, dualStackApiserverSan: true }).map((san) => san.value),
);

const config = resolveClusterConfig(cluster);
console.log("advertise address:", config.nodes[0].advertiseAddress, "| service CIDRs:", config.serviceSubnets);
