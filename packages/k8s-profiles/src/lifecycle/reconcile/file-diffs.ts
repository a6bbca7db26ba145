// The diff of each file kubepki manages: certificates and keys, the service-account pair,
// kubeconfigs, and the files rendered from the plan alone.
import { planOnlyFiles } from "../../files/kubeadm-files.js";
import { splitNodePath, type Tree } from "../../files/read-files.js";
import { CLUSTER_RECORD_PATH } from "../../files/record.js";
import type { ClusterPlan } from "../../plan/plan.js";
import { certificateName } from "../../roles/cert-names.js";
import type { CaStates } from "./cas.js";
import { kubeconfigMisfits } from "./kubeconfigs.js";
import { type ExtraKind, extraKind } from "./layout.js";
import type { LeafState } from "./leaves.js";
import type { Located } from "./locate.js";
import { recordChanges } from "./record-changes.js";
import type { FileDiff } from "./types.js";

/** Collects the file diffs; a kubepki extra of a kind the tree does not manage is left out and remembered. */
export function fileDiffs(tree: Tree, managed: ReadonlySet<ExtraKind>, treeNodes: ReadonlySet<string>) {
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

export type FileDiffs = ReturnType<typeof fileDiffs>;

/** What the file diffs are made from: the plan, the tree, each certificate's fate, and the collector. */
export interface FileDiffInputs {
  readonly plan: ClusterPlan;
  readonly tree: Tree;
  readonly cas: CaStates;
  readonly leaves: ReadonlyMap<string, LeafState>;
  readonly out: FileDiffs;
}

/** Each certificate's files: CAs, leaves, and the `users/` copies of kubeconfig identities. */
export function certificateFiles({ plan, tree, cas, leaves, out }: FileDiffInputs): void {
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
export function serviceAccountFiles(plan: ClusterPlan, tree: Tree, out: FileDiffs): void {
  const { privateKeyPath, publicKeyPath } = plan.serviceAccountKey;
  const hasKey = tree.texts.has(privateKeyPath);
  out.add(privateKeyPath, hasKey ? [] : ["missing"]);
  if (!hasKey) out.add(publicKeyPath, ["new service-account key pair"]);
  else out.add(publicKeyPath, tree.texts.has(publicKeyPath) ? [] : ["missing"]);
}

/** Each kubeconfig of the plan: added, kept while its inputs are unchanged, else rendered again. */
export function kubeconfigFiles({ plan, tree, cas, leaves, out }: FileDiffInputs): void {
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
export function renderedFiles(plan: ClusterPlan, tree: Tree, cas: CaStates, out: FileDiffs): void {
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
          : file.path === CLUSTER_RECORD_PATH
            ? recordChanges(text, plan.config)
            : ["rendered from the new config"];
    out.add(file.path, reasons);
  }
}
