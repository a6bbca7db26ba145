/**
 * "did you mean" for unknown config fields. Two sources, in order: the name the same setting has
 * in the Kubernetes configs people copy from (kubelet's `KubeletConfiguration.clusterDomain` is
 * kubeadm's `networking.dnsDomain`, kubeadm's `networking.serviceSubnet` is a comma list here),
 * then plain typos: the field within a small edit distance (case ignored), as Go's `flag` and
 * kubectl's "unknown command … Did you mean this?" do.
 */

/** Kubernetes' name for a setting → kubepki's ClusterConfig field. */
const KUBERNETES_NAMES: Readonly<Record<string, string>> = {
  // KubeletConfiguration.clusterDomain (kubelet/config/v1beta1) = ClusterConfiguration.networking.dnsDomain.
  clusterDomain: "dnsDomain",
  // ClusterConfiguration.networking.serviceSubnet (kubeadm v1beta4): "a,b" for dual-stack.
  serviceSubnet: "serviceSubnets",
  // kubepki's own --service-cidr flag, written as a field.
  serviceCidr: "serviceSubnets",
  serviceCIDR: "serviceSubnets",
  // ClusterConfiguration.encryptionAlgorithm (kubeadm v1beta4).
  encryptionAlgorithm: "keyAlgorithm",
  // ClusterConfiguration.apiServer.certSANs.
  apiServerCertSANs: "certSANs",
};

/** Levenshtein distance (insert, delete, substitute), case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitute = (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1);
      current[j] = Math.min(substitute, (previous[j] as number) + 1, (current[j - 1] as number) + 1);
    }
    previous = current;
  }
  return previous[y.length] as number;
}

/**
 * The message for an unknown field `key` among `fields`: `unknown field (did you mean dnsDomain?)`,
 * or `unknown field` when nothing is close.
 */
export function unknownFieldMessage(key: string, fields: Iterable<string>, prefix = "unknown field"): string {
  const known = [...fields];
  const alias = KUBERNETES_NAMES[key];
  if (alias !== undefined && known.includes(alias)) return `${prefix} (did you mean ${alias}?)`;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const field of known) {
    const d = distance(key, field);
    if (d < bestDistance) {
      best = field;
      bestDistance = d;
    }
  }
  return best === undefined ? prefix : `${prefix} (did you mean ${best}?)`;
}
