// Files a kubeadm node or a planned cluster must have.
import { initNode, type ResolvedClusterConfig } from "../../config/resolve.js";
import type { RoleMatch, Tree, TreeCertificate } from "../../files/read-files.js";
import { planCluster } from "../../plan/plan.js";
import { KUBECONFIG_FILES } from "../../roles/constants.js";
import { kubeadmLocation } from "../../roles/profiles.js";
import type { Finding } from "../findings.js";
import { type AuditScope, rolesInScope } from "../scope.js";
import type { TreeRule } from "./context.js";

/**
 * What the tree should hold and does not: with a config, every file of the plan for this cluster;
 * without, the roles the table requires on a node of the tree's scope.
 */
export const missingFiles: TreeRule = ({ tree, matches, config, scope }) =>
  config && scope === "cluster" ? missingPlannedFiles(tree, config) : missingKubeadmRoles(tree, matches, scope);

function missingKubeadmRoles(
  tree: Tree,
  matches: ReadonlyMap<TreeCertificate, RoleMatch | undefined>,
  scope: AuditScope,
): Finding[] {
  const present = new Set([...matches.values()].map((match) => match?.role));
  // Only a tree that looks like a cluster PKI is expected to hold all of it.
  if (!present.has("ca") && !present.has("apiserver")) return [];
  const findings: Finding[] = [];
  for (const role of rolesInScope(scope)) {
    if (present.has(role)) continue;
    findings.push({
      severity: "warning",
      code: "MISSING_FILE",
      file: kubeadmLocation(role),
      role,
      message: `no certificate in the tree plays ${role} (kubeadm: ${kubeadmLocation(role)}); audited as ${scope === "node" ? "a node's directory" : `a ${scope}`}${scope === "node" ? "" : " without a config, so this may be intended (external etcd…)"}`,
      fix: `issue it as kubeadm does (kubeadm init phase certs/kubeconfig, or kubepki generateCluster); pass a config to check the exact layout`,
      reference:
        role.includes("etcd") || role.includes("front-proxy") ? "§1.1, §7 items 20, 38" : "§1.1, §3, §7 item 20",
    });
  }
  // Only control-plane nodes hold the service-account key pair.
  if (scope !== "node" && ![...tree.texts.keys()].some((path) => /(^|\/)sa\.(key|pub)$/.test(path))) {
    findings.push({
      severity: "warning",
      code: "MISSING_FILE",
      file: "pki/sa.key",
      message:
        "no service-account key pair (sa.key / sa.pub): the API server needs --service-account-key-file and --service-account-signing-key-file",
      fix: "openssl genrsa -out sa.key 2048 && openssl pkey -in sa.key -pubout -out sa.pub (or kubeadm init phase certs sa)",
      reference: "§1.1, §7 items 22, 38",
    });
  }
  return findings;
}

function missingPlannedFiles(tree: Tree, config: ResolvedClusterConfig): Finding[] {
  const plan = planCluster(config);
  const has = (path: string) => tree.texts.has(path);
  const findings: Finding[] = [];
  const first = initNode(config).name;
  for (const spec of plan.certificates) {
    const wanted = spec.kubeconfig ?? spec.certPath;
    // A real kubeadm node keeps kubelet.conf at /etc/kubernetes/kubelet.conf (the tree root).
    const alternatives =
      spec.role === "kubelet-client" && spec.node === first ? [wanted, KUBECONFIG_FILES.kubelet] : [wanted];
    if (alternatives.some(has)) continue;
    // Not made by kubeadm (kubelet serving), made by TLS bootstrap (kubelet.conf), init node only (super-admin).
    const optional = spec.role === "kubelet-serving" || spec.role === "kubelet-client" || spec.role === "super-admin";
    findings.push({
      severity: optional ? "warning" : "error",
      code: "MISSING_FILE",
      file: wanted,
      role: spec.role,
      ...(spec.node !== undefined ? { node: spec.node } : {}),
      message: `${wanted} is missing (${spec.id})`,
      fix: `issue it: subject ${JSON.stringify(spec.subject)}, signed by ${spec.signer} (kubepki generateCluster, or kubeadm init phase ${spec.kubeconfig ? "kubeconfig" : "certs"})`,
      reference: spec.kubeconfig ? "§3" : "§1.1",
    });
  }
  for (const path of [plan.serviceAccountKey.privateKeyPath, plan.serviceAccountKey.publicKeyPath]) {
    if (has(path)) continue;
    findings.push({
      severity: "error",
      code: "MISSING_FILE",
      file: path,
      message: `${path} is missing: the API server and controller-manager need the service-account key pair`,
      fix: "openssl genrsa -out pki/sa.key 2048 && openssl pkey -in pki/sa.key -pubout -out pki/sa.pub (or kubeadm init phase certs sa)",
      reference: "§1.1",
    });
  }
  return findings;
}
