// What the plan does only in part, said once each: a new key algorithm or CA validity for what is
// made from now on, a CA key that is not there, kubepki's extras a foreign tree does not get.
import { CLUSTER_RECORD_PATH } from "../../files/record.js";
import type { ClusterPlan } from "../../plan/plan.js";
import type { CaStates } from "./cas.js";
import { EXTRA_LABELS, type ExtraKind } from "./layout.js";
import type { LeafState } from "./leaves.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The diff's notes. */
export function planNotes(
  plan: ClusterPlan,
  cas: CaStates,
  leaves: ReadonlyMap<string, LeafState>,
  caKeyMissing: readonly { name: string; keyFile: string }[],
  unmanaged: ReadonlySet<ExtraKind>,
  /** The tree's record: there already, added by this change, or deferred (a foreign tree that fits). */
  record: "recorded" | "added" | "deferred",
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
  if (record !== "recorded") {
    const labels = [...unmanaged].map((kind) => EXTRA_LABELS[kind]);
    const recordNote =
      record === "added"
        ? `${CLUSTER_RECORD_PATH} is added so that the tree remembers its cluster`
        : `the tree fits the cluster; ${CLUSTER_RECORD_PATH} will be added with the first change`;
    notes.push(
      `${labels.length > 0 ? `${labels.join(", ")}: not in this tree (not made by kubepki): not added; ` : ""}${recordNote}`,
    );
  }
  return notes;
}
