// Which paths kubepki's layout produces, which of kubepki's own extras a tree made by kubeadm or
// openssl gets, and which files of the tree the wanted cluster no longer has.
import type { ResolvedClusterConfig } from "../../config/resolve.js";
import { FLAGS_DIR, planOnlyFiles } from "../../files/kubeadm-files.js";
import { splitNodePath } from "../../files/read-files.js";
import type { ClusterPlan } from "../../plan/plan.js";
import { CERT_BASE_NAMES, FILE_EXTENSIONS, KUBELET_CONFIG_FILE, PKI_DIR, USERS_DIR } from "../../roles/constants.js";
import type { FileDiff } from "./types.js";

/** Files kubepki writes that kubeadm does not: managed in a foreign tree only where it has some already. */
export type ExtraKind = "flags" | "users" | "kubelet-config" | "ca-copy";

/** How the notes name each kind. */
export const EXTRA_LABELS: Readonly<Record<ExtraKind, string>> = {
  flags: `${FLAGS_DIR}/`,
  users: `${USERS_DIR}/`,
  "kubelet-config": `nodes/*/${KUBELET_CONFIG_FILE}`,
  "ca-copy": `nodes/*/${PKI_DIR}/${CERT_BASE_NAMES.ca}${FILE_EXTENSIONS.certificate}`,
};

/** The kind of kubepki extra a path is, if it is one. */
export function extraKind(path: string): ExtraKind | undefined {
  if (path.startsWith(`${FLAGS_DIR}/`)) return "flags";
  const { node, rest } = splitNodePath(path);
  if (rest.startsWith(`${USERS_DIR}/`)) return "users";
  if (node === undefined) return undefined;
  if (rest === KUBELET_CONFIG_FILE) return "kubelet-config";
  if (rest === `${PKI_DIR}/${CERT_BASE_NAMES.ca}${FILE_EXTENSIONS.certificate}`) return "ca-copy";
  return undefined;
}

/** Every kind when kubepki made the tree (it has a record); else the kinds it already holds. */
export function managedExtras(paths: Iterable<string>, madeByKubepki: boolean): ReadonlySet<ExtraKind> {
  if (madeByKubepki) return new Set(Object.keys(EXTRA_LABELS) as ExtraKind[]);
  const kinds = new Set<ExtraKind>();
  for (const path of paths) {
    const kind = extraKind(path);
    if (kind) kinds.add(kind);
  }
  return kinds;
}

/** Every path `toKubeadmFiles` writes for a plan (the cluster CA's key included). */
export function plannedPaths(plan: ClusterPlan): Set<string> {
  const paths = new Set<string>();
  for (const spec of plan.certificates) {
    paths.add(spec.certPath);
    paths.add(spec.keyPath);
  }
  paths.add(plan.serviceAccountKey.privateKeyPath);
  paths.add(plan.serviceAccountKey.publicKeyPath);
  for (const kubeconfig of plan.kubeconfigs) paths.add(kubeconfig.path);
  for (const copy of plan.paths.copies) paths.add(copy.to);
  for (const file of planOnlyFiles(plan, true)) paths.add(file.path);
  return paths;
}

/**
 * The tree's files the wanted cluster does not have: everything under `nodes/<name>/` of a node
 * no longer in the config, and what the tree's own plan (`before`, from its record) had and the
 * wanted one does not. Other files are not kubepki's to remove.
 */
export function removals(
  treePaths: Iterable<string>,
  config: ResolvedClusterConfig,
  wanted: ReadonlySet<string>,
  before: ReadonlySet<string> | undefined,
): FileDiff[] {
  const nodes = new Set(config.nodes.map((node) => node.name));
  const out: FileDiff[] = [];
  for (const path of treePaths) {
    const { node } = splitNodePath(path);
    if (node !== undefined && !nodes.has(node)) {
      out.push({ path, change: "remove", reasons: ["node removed"], node });
    } else if (before?.has(path) && !wanted.has(path)) {
      out.push({ path, change: "remove", reasons: ["no longer planned"], ...(node === undefined ? {} : { node }) });
    }
  }
  return out;
}
