// The difference between a wanted cluster and a tree: each planned CA and leaf decided once, then
// every file kubepki manages compared, then what follows (removals, restarts, copies, notes).
import { KubepkiError } from "@kubepki/core/names";
import type { ClusterConfig, ResolvedClusterConfig } from "../../config/resolve.js";
import { initNode, resolveClusterConfig } from "../../config/resolve.js";
import { type ClusterFiles, readTree, splitNodePath, type Tree } from "../../files/read-files.js";
import { CLUSTER_RECORD_PATH, readClusterRecord } from "../../files/record.js";
import { type ClusterPlan, planCluster } from "../../plan/plan.js";
import { certificateName } from "../../roles/cert-names.js";
import type { CertSpec } from "../../roles/profiles.js";
import { statesOf } from "../rotate/status.js";
import { type CaStates, decideCas, requireClusterCa } from "./cas.js";
import { nodeCopies, restartsOf } from "./consequences.js";
import { certificateFiles, fileDiffs, kubeconfigFiles, renderedFiles, serviceAccountFiles } from "./file-diffs.js";
import { managedExtras, plannedPaths, removals } from "./layout.js";
import { decideLeaves, type LeafState, missingCaKeys } from "./leaves.js";
import { certificatesByFile, locate } from "./locate.js";
import { planNotes } from "./notes.js";
import { type DiffRun, diffRun } from "./options.js";
import type { CertificateDiff, ClusterDiff, DiffOptions, FileDiff } from "./types.js";

/** Everything the diff learnt, for applyCluster to act on without reading the tree again. */
export interface Reconciliation {
  readonly diff: ClusterDiff;
  readonly plan: ClusterPlan;
  readonly tree: Tree;
  readonly cas: CaStates;
  readonly leaves: ReadonlyMap<string, LeafState>;
  /** Certificates to issue whose CA key is not in the tree (kubeadm's external CA mode). */
  readonly caKeyMissing: readonly { readonly name: string; readonly keyFile: string }[];
}

/**
 * The difference between the cluster `config` describes and the tree `files` holds, file by file,
 * with the reasons — what `kubepki plan --against` prints and `applyCluster` carries out. Pure and
 * synchronous (no WebCrypto: it runs in a browser on a dropped folder).
 *
 * The wanted files are those `toKubeadmFiles(generateCluster(planCluster(config)))` would write,
 * with kubeadm's "using existing certificate" made exact:
 *
 * - a planned leaf is **kept** while it still fits: same subject attributes, same SANs (as a set,
 *   IPs canonical), same key usages and extended key usages, issued by its signer's CA file in the
 *   tree (issuer DN, and AKI = SKI when both are present), its key present and its own, not
 *   expiring within the renew window ({@link DiffOptions.renewBeforeDays}). Otherwise it is
 *   reissued, with each reason (`SAN DNS:api.example.com added`), or added (`new node`,
 *   `missing`). A different key algorithm alone reissues nothing (a note says so). A kubeconfig
 *   identity is the certificate embedded in its kubeconfig; kubepki's `users/` copies follow it.
 * - **CAs are never replaced**: a CA in the tree is kept byte for byte, key included, whatever its
 *   subject or validity; one is added only when nothing in the tree is signed by that CA role yet
 *   (the service-account pair likewise).
 * - kubeconfigs are kept while their inputs are unchanged (cluster, server, CA, user, context,
 *   client pair, compared parsed); kubelet configs, flags, the nodes' `ca.crt` copies and
 *   `kubepki.yaml` are compared with the text toKubeadmFiles would write.
 * - a tree without `kubepki.yaml` (made by kubeadm or openssl) gets kubepki's extras (`flags/`,
 *   `users/`, `nodes/* /kubelet-config.yaml`, `nodes/* /pki/ca.crt`) only where it already has
 *   files of that kind (a note names the others); `kubepki.yaml` is added.
 * - files of a node no longer in the config, and files the tree's recorded plan had that the
 *   wanted one does not (`kube-proxy.conf` after `kubeProxy: service-account`), are `remove`;
 *   files kubepki's layout does not produce are not in the diff.
 *
 * A certificate to issue whose CA key is not in the tree (kubeadm's external CA) is a note here;
 * `applyCluster` refuses it with `CA_KEY_MISSING`.
 *
 * @throws KubepkiError from `resolveClusterConfig` for an invalid config; `INVALID_ARGUMENT` (with
 * `details.field`) for bad options or a `files` value that is not a file map; `NOT_A_TREE` for a
 * tree without a cluster CA; `CA_REPLACEMENT_REFUSED` when the wanted tree would need another CA
 * than the tree's (its CA file is not a CA, has expired, did not sign the tree's leaves, or is
 * missing while leaves signed by it are there); `ROTATION_IN_PROGRESS` while a CA rotation of the
 * tree has begun and not finished (see `rotationStatus`).
 *
 * @example
 * ```ts
 * import { diffCluster, generateCluster, toKubeadmFiles } from "@kubepki/k8s-profiles";
 *
 * const config = { keyAlgorithm: "ECDSA-P256" } as const;
 * generateCluster(config).then((pki) => {
 *   const tree = Object.fromEntries(toKubeadmFiles(pki).map((file) => [file.path, file.contents]));
 *   const diff = diffCluster({ ...config, certSANs: ["api.example.com"] }, tree);
 *   return diff.files.filter((file) => file.change !== "keep");
 *   // [{ path: "kubepki.yaml", change: "change", … }, { path: "pki/apiserver.crt", reasons: ["SAN DNS:api.example.com added"], … }, …]
 * });
 * try {
 *   diffCluster({}, {});
 * } catch (error) {
 *   console.log((error as { code: string }).code); // "NOT_A_TREE"
 * }
 * ```
 */
export function diffCluster(
  config: ClusterConfig | ResolvedClusterConfig,
  files: ClusterFiles,
  options?: DiffOptions,
): ClusterDiff {
  return reconcile(config, files, diffRun(options)).diff;
}

/** The diff, with the state applyCluster needs. */
export function reconcile(
  config: ClusterConfig | ResolvedClusterConfig,
  files: ClusterFiles,
  run: DiffRun,
): Reconciliation {
  const resolved = resolveClusterConfig(config);
  const plan = planCluster(resolved);
  const tree = readTree(files);
  refuseDuringRotation(tree.texts);
  const caSpec = plan.certificates.find((spec) => spec.role === "ca") as CertSpec;
  requireClusterCa(tree, caSpec.certPath);
  const byFile = certificatesByFile(tree);
  const kubeconfigsOf = (spec: CertSpec) =>
    plan.kubeconfigs
      .filter((item) => item.certificateId === spec.id && item.path !== spec.kubeconfig)
      .map((item) => item.path);
  const located = new Map(plan.certificates.map((spec) => [spec.id, locate(spec, tree, byFile, kubeconfigsOf(spec))]));
  const cas = decideCas(plan, tree, located, (spec) => located.get(spec.id), run);
  const notes: string[] = [];
  const record = treeRecord(tree, resolved, notes);
  const treeNodes = nodesOfTree(tree, resolved);
  const leaves = decideLeaves(plan, tree, cas, located, treeNodes, run);
  const caKeyMissing = missingCaKeys(cas, leaves);

  const managed = managedExtras(tree.texts.keys(), record !== undefined);
  const builder = fileDiffs(tree, managed, treeNodes);
  const inputs = { plan, tree, cas, leaves, out: builder };
  certificateFiles(inputs);
  serviceAccountFiles(plan, tree, builder);
  kubeconfigFiles(inputs);
  renderedFiles(plan, tree, cas, builder);
  const wanted = plannedPaths(plan);
  const before = record?.plan === undefined ? undefined : plannedPaths(record.plan);
  builder.files.push(...removals(tree.texts.keys(), resolved, wanted, before));
  const recordState = record !== undefined ? "recorded" : deferRecord(builder.files) ? "deferred" : "added";
  notes.push(...planNotes(plan, cas, leaves, caKeyMissing, builder.unmanaged, recordState));
  const sorted = builder.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const counts = { add: 0, change: 0, keep: 0, remove: 0 };
  for (const file of sorted) counts[file.change]++;
  const diff: ClusterDiff = {
    config: resolved,
    files: sorted,
    certificates: certificateDiffs(plan, cas, leaves),
    restarts: restartsOf(plan, leaves, sorted, treeNodes),
    copies: nodeCopies(plan, sorted),
    notes,
    counts,
  };
  return { diff, plan, tree, cas, leaves, caKeyMissing };
}

/**
 * A tree kubepki did not make that already fits is left exactly as it is ("nothing changes"): its
 * record comes with the first real change. Takes the record's entry out of `files` then.
 */
function deferRecord(files: FileDiff[]): boolean {
  if (!files.every((file) => file.path === CLUSTER_RECORD_PATH || file.change === "keep")) return false;
  const at = files.findIndex((file) => file.path === CLUSTER_RECORD_PATH);
  if (at >= 0) files.splice(at, 1);
  return true;
}

/** One entry per planned certificate: added, reissued (with the reasons) or kept. */
function certificateDiffs(
  plan: ClusterPlan,
  cas: Reconciliation["cas"],
  leaves: Reconciliation["leaves"],
): CertificateDiff[] {
  return plan.certificates.map((spec) => {
    const state = spec.isCa ? cas.get(spec.role) : leaves.get(spec.id);
    const change = state?.change ?? "keep";
    return {
      name: certificateName(spec.role, spec.kubeconfig ?? spec.certPath),
      id: spec.id,
      role: spec.role,
      ...(spec.node === undefined ? {} : { node: spec.node }),
      change,
      reasons: spec.isCa ? (change === "add" ? ["new CA"] : []) : [...(leaves.get(spec.id)?.reasons ?? [])],
    };
  });
}

/**
 * The tree's cluster record and the plan it describes (undefined without a record; a broken one
 * is a note, and so is a change of the first control-plane node, whose files are the tree root).
 */
function treeRecord(
  tree: Tree,
  wanted: ResolvedClusterConfig,
  notes: string[],
): { plan: ClusterPlan | undefined } | undefined {
  if (!tree.texts.has(CLUSTER_RECORD_PATH)) return undefined;
  try {
    const recorded = readClusterRecord(tree.texts);
    const plan = recorded === undefined ? undefined : planCluster(recorded);
    const recordedFirst = plan === undefined ? undefined : initNode(plan.config).name;
    if (recordedFirst !== undefined && recordedFirst !== initNode(wanted).name) {
      notes.push(
        `the first control-plane node changes from ${recordedFirst} to ${initNode(wanted).name}: the tree root becomes ${initNode(wanted).name}'s /etc/kubernetes`,
      );
    }
    return { plan };
  } catch (error) {
    notes.push(
      `${CLUSTER_RECORD_PATH} does not describe a valid cluster (${error instanceof Error ? error.message : String(error)}): files only its plan had are not detected for removal`,
    );
    return { plan: undefined };
  }
}

/** The nodes the tree has files of: its `nodes/<name>/` directories, and the tree root's node. */
function nodesOfTree(tree: Tree, config: ResolvedClusterConfig): ReadonlySet<string> {
  const nodes = new Set<string>([initNode(config).name]);
  for (const path of tree.texts.keys()) {
    const { node } = splitNodePath(path);
    if (node !== undefined) nodes.add(node);
  }
  return nodes;
}

/**
 * A tree in the middle of a rotation holds two CAs per bundle and a signing file of its own; the
 * plan knows neither, so a diff would undo half a rotation. Finish it first.
 *
 * @throws KubepkiError `ROTATION_IN_PROGRESS`.
 */
function refuseDuringRotation(texts: ReadonlyMap<string, string>): void {
  const rotating = statesOf(texts).filter((state) => state.phase !== "none");
  if (rotating.length === 0) return;
  throw new KubepkiError(
    "ROTATION_IN_PROGRESS",
    `a rotation is in progress (${rotating.map((state) => `${state.target}: ${state.phase}`).join(", ")}): finish the rotation first: kubepki rotate DIR status`,
    { details: { states: rotating } },
  );
}
