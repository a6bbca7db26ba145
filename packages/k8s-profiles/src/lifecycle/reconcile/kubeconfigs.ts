// A kubeconfig is kept byte for byte while its inputs are unchanged: compared parsed (cluster
// name, server, CA, user, context, embedded client pair), so a hand-formatted or kubeadm-written
// file that says the same is left alone.
import type { Certificate } from "@kubepki/core";
import type { Tree } from "../../files/read-files.js";
import type { KubeconfigSpec } from "../../plan/plan.js";
import type { Located } from "./locate.js";

/** What the kubeconfig must embed: the cluster CA (undefined: a new one) and its client certificate's fate. */
export interface KubeconfigInputs {
  readonly ca: Certificate | undefined;
  readonly caPath: string;
  /** The client certificate when kept (its pair must be the embedded one), else undefined. */
  readonly kept: Located | undefined;
  /** The client certificate's change, when not kept. */
  readonly certificateChange: "add" | "reissue" | "keep";
  /** Where the kept certificate was found (this file, or the kubeconfig it is a copy of). */
  readonly certificateFile: string | undefined;
}

function fingerprint(tree: Tree, pem: string): string | undefined {
  try {
    return tree.parseCertificates(pem)[0]?.fingerprintSha256;
  } catch {
    return undefined;
  }
}

/** Why the tree's kubeconfig at `spec.path` must be rendered again (empty: keep it). */
export function kubeconfigMisfits(spec: KubeconfigSpec, tree: Tree, inputs: KubeconfigInputs): string[] {
  const config = tree.kubeconfigs.find((kubeconfig) => kubeconfig.file === spec.path)?.config;
  if (!config) return ["not a readable kubeconfig"];
  const reasons: string[] = [];
  const context = config.contexts.find((candidate) => candidate.name === config.currentContext) ?? config.contexts[0];
  const cluster = config.clusters.find((candidate) => candidate.name === context?.cluster) ?? config.clusters[0];
  const user = config.users.find((candidate) => candidate.name === context?.user) ?? config.users[0];
  if (context?.name !== spec.contextName) reasons.push(`context ${context?.name ?? "none"} → ${spec.contextName}`);
  if (cluster?.name !== spec.clusterName) reasons.push(`cluster ${cluster?.name ?? "none"} → ${spec.clusterName}`);
  if (cluster?.server !== spec.server) reasons.push(`server changed (${cluster?.server ?? "none"} → ${spec.server})`);
  const caData = cluster?.certificateAuthority;
  const caMatches =
    inputs.ca !== undefined &&
    caData !== undefined &&
    "pem" in caData &&
    fingerprint(tree, caData.pem) === inputs.ca.fingerprintSha256;
  if (!caMatches) reasons.push(`certificate-authority-data is not ${inputs.caPath}`);
  if (user?.name !== spec.userName) reasons.push(`user ${user?.name ?? "none"} → ${spec.userName}`);
  if (inputs.certificateChange === "reissue") reasons.push("client certificate reissued");
  else if (inputs.certificateChange === "add") reasons.push("client certificate added");
  else if (inputs.kept && inputs.certificateFile !== spec.path) {
    // The plan's second copy of a kubeconfig (the root kubelet.conf): it must embed the same pair.
    const cert = user?.clientCertificate;
    const key = user?.clientKey;
    const sameCert =
      cert !== undefined &&
      "pem" in cert &&
      fingerprint(tree, cert.pem) === inputs.kept.entry.certificate.fingerprintSha256;
    const sameKey = key !== undefined && "pem" in key && key.pem.trim() === inputs.kept.keyPem?.trim();
    if (!sameCert || !sameKey) reasons.push(`client certificate differs from ${inputs.certificateFile}`);
  }
  return reasons;
}
