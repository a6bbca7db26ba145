/**
 * The benchmark workload, "cluster PKI for N workers": 1 control-plane node plus N workers, as
 * kubepki's own planCluster lays it out. Every contender gets the same list of certificates
 * (subject, SANs, usages, signer, validity), so they all make the same tree.
 */

/** The ClusterConfig of the workload. Workers get 10.x.y.z addresses, one /8 is room for 16M. */
export function clusterConfig(workers, keyAlgorithm) {
  const nodes = [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.10"] }];
  for (let i = 1; i <= workers; i++) {
    nodes.push({
      name: `worker-${i}`,
      role: "worker",
      addresses: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`],
    });
  }
  return { keyAlgorithm, nodes };
}

/** The init flags of the same cluster, for `kubepki init`. */
export function initFlags(workers, keyAlgorithm) {
  const { nodes } = clusterConfig(workers, keyAlgorithm);
  const flags = ["--key-algorithm", keyAlgorithm];
  for (const node of nodes) {
    flags.push(node.role === "control-plane" ? "--control-plane" : "--worker", `${node.name}=${node.addresses[0]}`);
  }
  return flags;
}

/** Subject attribute order as kubepki and Go write them (O before CN). */
function subjectRdns(subject) {
  const rdns = [];
  for (const o of subject.organizations ?? []) rdns.push(["O", o]);
  if (subject.commonName) rdns.push(["CN", subject.commonName]);
  return rdns;
}

/**
 * The plan as plain JSON for the other contenders: certificates in plan order (CAs first), each
 * with its file name, signer, subject RDNs, SANs, usages and validity, plus the sa key.
 */
export function workloadFromPlan(plan) {
  return {
    keyAlgorithm: plan.config.keyAlgorithm,
    certificates: plan.certificates.map((spec) => ({
      id: spec.id,
      file: spec.id.replaceAll(":", "-"),
      role: spec.role,
      signer: spec.signer,
      isCa: spec.isCa,
      subject: subjectRdns(spec.subject),
      dns: (spec.sans ?? []).filter((san) => san.type === "dns").map((san) => san.value),
      ip: (spec.sans ?? []).filter((san) => san.type === "ip").map((san) => san.value),
      keyUsages: spec.keyUsages,
      extKeyUsages: spec.extKeyUsages ?? [],
      validityDays: spec.validityDays,
    })),
  };
}
