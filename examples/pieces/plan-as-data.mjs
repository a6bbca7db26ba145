// Presets as data: kubeadm's certificate table (like certlist.go) and a whole plan, printed without
// generating a single key. planCluster is pure and synchronous.
import { formatName } from "@kubepki/core";
import { planCluster, ROLE_PROFILES } from "@kubepki/k8s-profiles";

console.log("role                      scope          signer          EKU");
for (const profile of ROLE_PROFILES) {
  console.log(
    profile.role.padEnd(25),
    profile.scope.padEnd(14),
    profile.signer.padEnd(15),
    profile.extKeyUsages.join(","),
  );
}

const plan = planCluster({
  controlPlaneEndpoint: "k8s-api.example.com:6443",
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] },
    { name: "worker-1", role: "worker", addresses: ["192.168.10.21"] },
  ],
  certSANs: ["k8s.internal", "bad_name"],
});

console.log(`\n${plan.certificates.length} certificates, ${plan.kubeconfigs.length} kubeconfigs`);
for (const spec of plan.certificates) {
  console.log(spec.id.padEnd(32), spec.certPath.padEnd(38), formatName(spec.subject));
}
console.log(
  "\nkubeconfigs:",
  plan.kubeconfigs.map((kubeconfig) => `${kubeconfig.path} -> ${kubeconfig.server}`),
);
console.log("warnings:", plan.warnings);
// What to copy where on worker-1: output path -> path on the node.
for (const file of plan.paths.nodes.find((node) => node.node === "worker-1")?.files ?? []) {
  console.log(`${file.output} -> ${file.onNode}`);
}
