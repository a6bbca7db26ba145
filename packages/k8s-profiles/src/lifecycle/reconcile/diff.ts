import {
  type ClusterConfig,
  initNode,
  type ResolvedClusterConfig,
  resolveClusterConfig,
} from "../../config/resolve.js";
import { planOnlyFiles } from "../../files/kubeadm-files.js";
import type { ClusterFiles } from "../../files/read-files.js";
import { readTree, splitNodePath, type Tree } from "../../files/read-files.js";
import { CLUSTER_RECORD_PATH, readClusterRecord } from "../../files/record.js";
import { type ClusterPlan, planCluster } from "../../plan/plan.js";
import { certificateName } from "../../roles/cert-names.js";
import { type CertSpec, type Component, roleProfile } from "../../roles/profiles.js";
import type { Restart } from "../renew.js";
import { type CaStates, decideCas, requireClusterCa } from "./cas.js";
import { leafMisfits } from "./certificate-fit.js";
import { kubeconfigMisfits } from "./kubeconfigs.js";
import { EXTRA_LABELS, type ExtraKind, extraKind, managedExtras, plannedPaths, removals } from "./layout.js";
import { certificatesByFile, type Located, locate, referenceOutsideTree } from "./locate.js";
import { type DiffRun, diffRun } from "./options.js";
import type { CertificateDiff, ClusterDiff, DiffOptions, FileDiff, NodeCopies } from "./types.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** A planned leaf: its fate, and the tree's certificate when there is one. */
export interface LeafState {
  readonly spec: CertSpec;
  readonly change: CertificateDiff["change"];
  readonly reasons: readonly string[];
  readonly located: Located | undefined;
}

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
 * missing while leaves signed by it are there).
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
  const record = treeRecord(tree, notes);
  const treeNodes = nodesOfTree(tree, resolved);
  const leaves = decideLeaves(plan, tree, cas, located, treeNodes, run);
  const caKeyMissing = missingCaKeys(cas, leaves);

  const managed = managedExtras(tree.texts.keys(), record !== undefined);
  const builder = fileDiffs(tree, managed, treeNodes);
  certificateFiles(plan, tree, cas, leaves, builder);
  serviceAccountFiles(plan, tree, builder);
  kubeconfigFiles(plan, tree, cas, leaves, builder);
  renderedFiles(plan, tree, cas, builder);
  const wanted = plannedPaths(plan);
  const before = record?.plan === undefined ? undefined : plannedPaths(record.plan);
  builder.files.push(...removals(tree.texts.keys(), resolved, wanted, before));

  notes.push(...planNotes(plan, cas, leaves, caKeyMissing, builder.unmanaged, record !== undefined));
  const sorted = builder.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const counts = { add: 0, change: 0, keep: 0, remove: 0 };
  for (const file of sorted) counts[file.change]++;
  const certificates: CertificateDiff[] = plan.certificates.map((spec) => {
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
  const diff: ClusterDiff = {
    config: resolved,
    files: sorted,
    certificates,
    restarts: restartsOf(plan, leaves, sorted, treeNodes),
    copies: nodeCopies(plan, sorted),
    notes,
    counts,
  };
  return { diff, plan, tree, cas, leaves, caKeyMissing };
}

/** The tree's cluster record and the plan it describes (undefined without a record; a broken one is a note). */
function treeRecord(tree: Tree, notes: string[]): { plan: ClusterPlan | undefined } | undefined {
  if (!tree.texts.has(CLUSTER_RECORD_PATH)) return undefined;
  try {
    const recorded = readClusterRecord(tree.texts);
    return { plan: recorded === undefined ? undefined : planCluster(recorded) };
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

function decideLeaves(
  plan: ClusterPlan,
  tree: Tree,
  cas: CaStates,
  located: ReadonlyMap<string, Located | undefined>,
  treeNodes: ReadonlySet<string>,
  run: DiffRun,
): Map<string, LeafState> {
  const leaves = new Map<string, LeafState>();
  for (const spec of plan.certificates) {
    if (spec.isCa) continue;
    const found = located.get(spec.id);
    const where = spec.kubeconfig ?? spec.certPath;
    if (!found) {
      const unreadable = tree.texts.has(where);
      const outside = referenceOutsideTree(tree, where);
      const reasons = outside
        ? [`client certificate ${outside} is not in the tree: issued anew, embedded`]
        : unreadable
          ? [`no readable certificate in ${where}`]
          : [spec.node !== undefined && !treeNodes.has(spec.node) ? "new node" : "missing"];
      leaves.set(spec.id, { spec, change: unreadable ? "reissue" : "add", reasons, located: undefined });
      continue;
    }
    const ca = cas.get(spec.signer)?.located;
    const issuer = ca
      ? { certificate: ca.entry.certificate, path: ca.entry.file }
      : { certificate: found.entry.certificate, path: spec.certPath };
    const reasons = leafMisfits(spec, found.entry, issuer, found.keyPem, found.keyPath, run);
    leaves.set(spec.id, { spec, change: reasons.length > 0 ? "reissue" : "keep", reasons, located: found });
  }
  return leaves;
}

/** The certificates to issue whose kept CA has no key in the tree (external CA mode). */
function missingCaKeys(cas: CaStates, leaves: ReadonlyMap<string, LeafState>): { name: string; keyFile: string }[] {
  const missing: { name: string; keyFile: string }[] = [];
  for (const state of leaves.values()) {
    if (state.change === "keep" || state.spec.isCa) continue;
    const ca = cas.get(state.spec.signer);
    if (ca?.change !== "keep" || ca.located?.keyPem !== undefined) continue;
    missing.push({
      name: certificateName(state.spec.role, state.spec.kubeconfig ?? state.spec.certPath),
      keyFile: ca.spec.keyPath,
    });
  }
  return missing;
}

/** Collects the file diffs; a kubepki extra of a kind the tree does not manage is left out and remembered. */
function fileDiffs(tree: Tree, managed: ReadonlySet<ExtraKind>, treeNodes: ReadonlySet<string>) {
  const files: FileDiff[] = [];
  const unmanaged = new Set<ExtraKind>();
  const seen = new Set<string>();
  /** `keep` when `reasons` is empty, else `change` (in the tree) or `add`. */
  const add = (path: string, reasons: readonly string[], name?: string) => {
    if (seen.has(path)) return;
    const kind = extraKind(path);
    if (kind && !managed.has(kind)) {
      if (!tree.texts.has(path)) unmanaged.add(kind);
      return;
    }
    seen.add(path);
    const { node } = splitNodePath(path);
    const change = reasons.length === 0 ? "keep" : tree.texts.has(path) ? "change" : "add";
    files.push({
      path,
      change,
      reasons: [...reasons],
      ...(name === undefined ? {} : { name }),
      ...(node === undefined ? {} : { node }),
    });
  };
  /** The reason a file of `node` (undefined: the root) is missing. */
  const missing = (node: string | undefined) => (node !== undefined && !treeNodes.has(node) ? "new node" : "missing");
  return { files, unmanaged, add, missing, has: (path: string) => tree.texts.has(path) };
}

type FileDiffs = ReturnType<typeof fileDiffs>;

/** Each certificate's files: CAs, leaves, and the `users/` copies of kubeconfig identities. */
function certificateFiles(
  plan: ClusterPlan,
  tree: Tree,
  cas: CaStates,
  leaves: ReadonlyMap<string, LeafState>,
  out: FileDiffs,
): void {
  for (const spec of plan.certificates) {
    const name = certificateName(spec.role, spec.kubeconfig ?? spec.certPath);
    if (spec.isCa) {
      const state = cas.get(spec.role);
      const reasons = state?.change === "add" ? ["new CA"] : [];
      out.add(spec.certPath, reasons, name);
      // An external CA's key stays with its owner: not in the tree, not wanted (toKubeadmFiles "omit").
      if (state?.change === "add" || state?.located?.keyPem !== undefined) out.add(spec.keyPath, reasons, name);
      continue;
    }
    const state = leaves.get(spec.id) as LeafState;
    if (spec.kubeconfig === undefined || state.change !== "keep") {
      out.add(spec.certPath, state.reasons, name);
      out.add(spec.keyPath, state.reasons, name);
      continue;
    }
    // A kept kubeconfig identity: its users/ copies must hold the embedded pair.
    const kept = state.located as Located;
    const { node } = splitNodePath(spec.certPath);
    const copyReasons = (path: string, same: (text: string) => boolean) => {
      const text = tree.texts.get(path);
      if (text === undefined) return [out.missing(node)];
      return same(text) ? [] : [`differs from ${spec.kubeconfig}`];
    };
    out.add(
      spec.certPath,
      copyReasons(spec.certPath, (text) => {
        try {
          return tree.parseCertificates(text)[0]?.fingerprintSha256 === kept.entry.certificate.fingerprintSha256;
        } catch {
          return false;
        }
      }),
      name,
    );
    out.add(
      spec.keyPath,
      copyReasons(spec.keyPath, (text) => text.trim() === kept.keyPem?.trim()),
      name,
    );
  }
}

/** `sa.key`/`sa.pub`: kept when there, added when not (a missing `sa.key` means a new pair). */
function serviceAccountFiles(plan: ClusterPlan, tree: Tree, out: FileDiffs): void {
  const { privateKeyPath, publicKeyPath } = plan.serviceAccountKey;
  const hasKey = tree.texts.has(privateKeyPath);
  out.add(privateKeyPath, hasKey ? [] : ["missing"]);
  if (!hasKey) out.add(publicKeyPath, ["new service-account key pair"]);
  else out.add(publicKeyPath, tree.texts.has(publicKeyPath) ? [] : ["missing"]);
}

function kubeconfigFiles(
  plan: ClusterPlan,
  tree: Tree,
  cas: CaStates,
  leaves: ReadonlyMap<string, LeafState>,
  out: FileDiffs,
): void {
  const ca = cas.get("ca");
  for (const kubeconfig of plan.kubeconfigs) {
    const leaf = leaves.get(kubeconfig.certificateId) as LeafState;
    const name = certificateName(leaf.spec.role, kubeconfig.path);
    if (!out.has(kubeconfig.path)) {
      out.add(
        kubeconfig.path,
        leaf.change === "add" ? leaf.reasons : [out.missing(splitNodePath(kubeconfig.path).node)],
        name,
      );
      continue;
    }
    const reasons = kubeconfigMisfits(kubeconfig, tree, {
      ca: ca?.located?.entry.certificate,
      caPath: ca?.spec.certPath ?? "pki/ca.crt",
      kept: leaf.change === "keep" ? leaf.located : undefined,
      certificateChange: leaf.change,
      certificateFile: leaf.located?.holder ?? leaf.located?.entry.file,
    });
    out.add(kubeconfig.path, reasons, name);
  }
}

/** Kubelet configs, the nodes' copies of `ca.crt`, flags and `kubepki.yaml`: compared as text. */
function renderedFiles(plan: ClusterPlan, tree: Tree, cas: CaStates, out: FileDiffs): void {
  const ca = cas.get("ca");
  const caKeyWritten = ca?.change === "add" || ca?.located?.keyPem !== undefined;
  const rendered = planOnlyFiles(plan, caKeyWritten);
  const caText = ca?.change === "keep" ? tree.texts.get(ca.spec.certPath) : undefined;
  for (const copy of plan.paths.copies) {
    const text = tree.texts.get(copy.to);
    const { node } = splitNodePath(copy.to);
    out.add(
      copy.to,
      text === undefined
        ? [out.missing(node)]
        : caText === undefined
          ? ["new CA"]
          : text === caText
            ? []
            : [`differs from ${copy.from}`],
    );
  }
  for (const file of rendered) {
    const text = tree.texts.get(file.path);
    const reasons =
      text === undefined
        ? [file.path === CLUSTER_RECORD_PATH ? "the tree's cluster record" : out.missing(splitNodePath(file.path).node)]
        : text === file.contents
          ? []
          : ["rendered from the new config"];
    out.add(file.path, reasons);
  }
}

function planNotes(
  plan: ClusterPlan,
  cas: CaStates,
  leaves: ReadonlyMap<string, LeafState>,
  caKeyMissing: readonly { name: string; keyFile: string }[],
  unmanaged: ReadonlySet<ExtraKind>,
  madeByKubepki: boolean,
): string[] {
  const notes: string[] = [];
  const { keyAlgorithm, validity } = plan.config;
  const otherAlgorithms = new Map<string, number>();
  for (const state of leaves.values()) {
    const old = state.located?.entry.certificate.keyAlgorithm;
    if (state.change !== "keep" || old === undefined || old === keyAlgorithm) continue;
    otherAlgorithms.set(old, (otherAlgorithms.get(old) ?? 0) + 1);
  }
  if (otherAlgorithms.size > 0) {
    const kept = [...otherAlgorithms].map(([algorithm, count]) => `${count} kept ${algorithm}`).join(", ");
    notes.push(`keyAlgorithm ${keyAlgorithm} applies to reissued certificates only; ${kept}`);
  }
  const otherCaDays: string[] = [];
  for (const state of cas.values()) {
    const cert = state.located?.entry.certificate;
    if (!cert) continue;
    const days = Math.round((cert.notAfter.getTime() - cert.notBefore.getTime()) / DAY_MS);
    if (days !== validity.caDays) otherCaDays.push(`${state.spec.certPath} keeps its ${days} days`);
  }
  if (otherCaDays.length > 0) {
    notes.push(`validity.caDays ${validity.caDays} applies to new CAs only; ${otherCaDays.join(", ")}`);
  }
  const byKey = new Map<string, string[]>();
  for (const { name, keyFile } of caKeyMissing) byKey.set(keyFile, [...(byKey.get(keyFile) ?? []), name]);
  for (const [keyFile, names] of byKey) {
    notes.push(
      `${names.join(", ")}: must be issued with ${keyFile}, which is not in the tree (kubeadm's external CA mode): apply refuses (CA_KEY_MISSING); sign them where the CA key is`,
    );
  }
  if (!madeByKubepki) {
    const labels = [...unmanaged].map((kind) => EXTRA_LABELS[kind]);
    notes.push(
      `${labels.length > 0 ? `${labels.join(", ")}: not in this tree (not made by kubepki): not added; ` : ""}${CLUSTER_RECORD_PATH} is added so that the tree remembers its cluster`,
    );
  }
  return notes;
}

/** Who restarts, where: the `restarts` column for each certificate to reissue (or missing on a running node), and the readers of re-rendered files. */
function restartsOf(
  plan: ClusterPlan,
  leaves: ReadonlyMap<string, LeafState>,
  files: readonly FileDiff[],
  treeNodes: ReadonlySet<string>,
): Restart[] {
  const restarts: Restart[] = [];
  const restart = (component: Component, node: string | undefined) => {
    if (restarts.some((item) => item.component === component && item.node === node)) return;
    restarts.push(node === undefined ? { component } : { component, node });
  };
  const changed = new Set(files.filter((file) => file.change === "change").map((file) => file.path));
  for (const state of leaves.values()) {
    const { spec } = state;
    const running = spec.node === undefined || treeNodes.has(spec.node);
    const where = spec.kubeconfig ?? spec.certPath;
    if (state.change === "keep" && !changed.has(where)) continue;
    if (state.change === "add" && !running) continue;
    for (const component of roleProfile(spec.role).restarts) restart(component, splitNodePath(where).node);
  }
  for (const kubeconfig of plan.kubeconfigs) {
    if (!changed.has(kubeconfig.path)) continue;
    const spec = plan.certificates.find((candidate) => candidate.id === kubeconfig.certificateId) as CertSpec;
    for (const component of roleProfile(spec.role).restarts) restart(component, splitNodePath(kubeconfig.path).node);
  }
  for (const path of changed) {
    const { node, rest } = splitNodePath(path);
    if (rest.endsWith("kubelet-config.yaml")) restart("kubelet", node);
    const flags = /^flags\/(.+)\.txt$/.exec(path)?.[1];
    if (
      flags === "kube-apiserver" ||
      flags === "kube-controller-manager" ||
      flags === "kube-scheduler" ||
      flags === "etcd"
    ) {
      restart(flags, undefined);
    }
  }
  return restarts;
}

/** Per node, the added and changed files of its install list. */
function nodeCopies(plan: ClusterPlan, files: readonly FileDiff[]): NodeCopies[] {
  const touched = new Set(
    files.filter((file) => file.change === "add" || file.change === "change").map((file) => file.path),
  );
  return plan.paths.nodes.flatMap((node) => {
    const list = node.files
      .filter((file) => touched.has(file.output))
      .map((file) => ({ path: file.output, onNode: file.onNode }));
    return list.length > 0 ? [{ node: node.node, files: list }] : [];
  });
}
