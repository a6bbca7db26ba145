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
import { ROLE_PROFILES, type Role } from "../roles/profiles.js";

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

/**
 * The roles a tree of this scope must hold, from the table's `requiredOn` column: kubeadm's set on
 * a control-plane node (§1.1, §3) for `control-plane` and `cluster`, what `kubeadm join` leaves on
 * a worker (`kubelet.conf`, `pki/ca.crt`) for `node`.
 */
export function rolesInScope(scope: AuditScope): readonly Role[] {
  const kind = scope === "node" ? "worker" : "control-plane";
  return ROLE_PROFILES.filter((profile) => profile.requiredOn.includes(kind)).map((profile) => profile.role);
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
