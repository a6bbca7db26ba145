/**
 * What part of a cluster a tree is: a whole cluster (kubepki's output, or the init node's
 * /etc/kubernetes with every CA key), one control-plane node, or one node's own /etc/kubernetes
 * (a worker: kubelet.conf and pki/ca.crt, nothing else — kubeadm join writes just that). The audit
 * expects only the files of that scope, so a worker's directory is not 13 "missing" warnings.
 *
 * @internal Only the {@link AuditScope} type is re-exported from the index.
 */

import type { RoleMatch, Tree, TreeCertificate } from "../files/read-files.js";
import { basename } from "../files/read-files.js";
import { KUBECONFIG_FILES } from "../roles/constants.js";
import type { Role } from "../roles/profiles.js";

/**
 * The scope of an audit: `cluster` (everything kubeadm makes), `control-plane` (one control-plane
 * node's /etc/kubernetes) or `node` (one node's own /etc/kubernetes, as a worker has it: its
 * kubelet.conf and the cluster CA certificate, no CA key).
 *
 * @example
 * ```ts
 * import type { AuditScope } from "@kubepki/k8s-profiles";
 *
 * const scope: AuditScope = "node";
 * ```
 */
export type AuditScope = "node" | "control-plane" | "cluster";

/** Every scope, for validating input. */
export const AUDIT_SCOPES: readonly AuditScope[] = ["node", "control-plane", "cluster"];

// kubeadm's certificate set, as the roles that must exist in a control-plane node's or a whole
// cluster's tree (§1.1, §3).
const CONTROL_PLANE_ROLES: readonly Role[] = [
  "ca",
  "apiserver",
  "apiserver-kubelet-client",
  "front-proxy-ca",
  "front-proxy-client",
  "etcd-ca",
  "etcd-server",
  "etcd-peer",
  "etcd-healthcheck-client",
  "apiserver-etcd-client",
  "admin",
  "controller-manager",
  "scheduler",
];
// What kubeadm join leaves on a worker: /etc/kubernetes/kubelet.conf and pki/ca.crt.
const NODE_ROLES: readonly Role[] = ["ca", "kubelet-client"];

/** The roles a tree of this scope must hold. */
export function rolesInScope(scope: AuditScope): readonly Role[] {
  return scope === "node" ? NODE_ROLES : CONTROL_PLANE_ROLES;
}

/**
 * The scope a tree looks like: `node` when it has a kubelet.conf but no CA key and no API server
 * certificate (a worker's /etc/kubernetes, or kubepki's `nodes/<worker>`); `cluster` otherwise.
 */
export function inferScope(tree: Tree, matches: ReadonlyMap<TreeCertificate, RoleMatch | undefined>): AuditScope {
  const paths = [...tree.texts.keys()];
  const caKey = paths.some((path) => basename(path) === "ca.key");
  const apiserver = [...matches.values()].some((match) => match?.role === "apiserver");
  const kubeletConf = paths.some((path) => basename(path) === KUBECONFIG_FILES.kubelet);
  return kubeletConf && !caKey && !apiserver ? "node" : "cluster";
}
