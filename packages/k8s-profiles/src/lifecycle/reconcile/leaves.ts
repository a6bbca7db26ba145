// Each planned leaf: kept while it still fits, else reissued (or added) with the reasons.

import type { Tree } from "../../files/read-files.js";
import type { ClusterPlan } from "../../plan/plan.js";
import { certificateName } from "../../roles/cert-names.js";
import type { CertSpec } from "../../roles/profiles.js";
import type { CaStates } from "./cas.js";
import { leafMisfits } from "./certificate-fit.js";
import { type Located, referenceOutsideTree } from "./locate.js";
import type { DiffRun } from "./options.js";
import type { CertificateDiff } from "./types.js";

/** A planned leaf: its fate, and the tree's certificate when there is one. */
export interface LeafState {
  readonly spec: CertSpec;
  readonly change: CertificateDiff["change"];
  readonly reasons: readonly string[];
  readonly located: Located | undefined;
}

/** The fate of each planned leaf, by spec id. */
export function decideLeaves(
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
export function missingCaKeys(
  cas: CaStates,
  leaves: ReadonlyMap<string, LeafState>,
): { name: string; keyFile: string }[] {
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
