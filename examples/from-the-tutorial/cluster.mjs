// The cluster the tutorial describes, as kubepki config: one control-plane node at 172.17.0.87
// (its apiserver "IP.2"), services in 10.96.0.0/12 (its "IP.1 = 10.96.0.1"), a worker node01.
import { formatName } from "@kubepki/core";
import { certSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
import { renderOpensslCommands } from "@kubepki/renderers";

export const config = resolveClusterConfig({
  nodes: [
    { name: "controlplane", role: "control-plane", addresses: ["172.17.0.87"] },
    { name: "node01", role: "worker", addresses: ["172.17.0.101"] },
  ],
  serviceSubnets: ["10.96.0.0/12"],
  kubeProxy: "certificate", // the tutorial gives kube-proxy a certificate (kubeadm: a service account)
  keyAlgorithm: "RSA-2048", // the tutorial's `genrsa 2048`
});

/** Prints what kubepki issues for `spec`, then the openssl commands that make the same certificate. */
export function show(spec) {
  console.log(`# ${spec.id}: ${spec.certPath}, signed by ${spec.signer}, ${spec.validityDays} days`);
  console.log(`#   subject      ${formatName(spec.subject)}`);
  console.log(`#   SANs         ${spec.sans.map((san) => `${san.type.toUpperCase()}:${san.value}`).join(", ") || "-"}`);
  console.log(`#   keyUsage     ${spec.keyUsages.join(", ")}${spec.isCa ? " (CA:TRUE)" : ""}`);
  console.log(`#   extKeyUsage  ${spec.extKeyUsages.join(", ") || "-"}`);
  const signer = spec.signer === "self" ? undefined : certSpec(config, spec.signer);
  const issuer = signer && { certPath: signer.certPath, keyPath: signer.keyPath, keyAlgorithm: signer.keyAlgorithm };
  console.log(renderOpensslCommands(spec, { issuer, workDir: "openssl" }).toShell());
}
