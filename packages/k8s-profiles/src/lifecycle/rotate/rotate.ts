import { KubepkiError } from "@kubepki/core";
import { auditCluster } from "../../audit/audit.js";
import type { ClusterFiles } from "../../files/read-files.js";
import { readTree } from "../../files/read-files.js";
import { rootNodeName } from "../../roles/cert-names.js";
import { beginCa, finishCa, reissueCa } from "./ca-phases.js";
import { CA_LAYOUTS } from "./layout.js";
import { restartSequence, treeNodes } from "./restarts.js";
import { type RotateRun, rotateRun } from "./run.js";
import { beginSa, finishSa, reissueSa, SA_NOTES } from "./sa.js";
import { statesOf, textFiles } from "./status.js";
import type { RotateOptions, RotationPhase, RotationResult, RotationState, RotationTarget } from "./types.js";
import { Work } from "./work.js";

/** The state each phase starts from, and the phase that follows each state. */
const FROM: Readonly<Record<RotationPhase, RotationState["phase"]>> = {
  begin: "none",
  reissue: "begun",
  finish: "reissued",
};
const NEXT: Readonly<Record<RotationState["phase"], RotationPhase>> = {
  none: "begin",
  begun: "reissue",
  reissued: "finish",
};

/**
 * Rotates CAs and the service-account key in three phases, each a complete tree that every
 * component accepts mixed with the previous phase's during a rolling restart (issue 19):
 * `begin` (a new CA beside the old one, every trust file and kubeconfig trusting both, signing
 * still with the old: the controller-manager signs from `pki/ca-signing.crt`), `reissue` (every
 * leaf the old CA signed issued again by the new one, new keys; signing moves to the new CA) and
 * `finish` (the old CA leaves every bundle). Pure: a file map in, the files to write, the files to
 * remove and the restart sequence out; nothing is returned when anything is refused.
 *
 * @throws KubepkiError `ROTATION_OUT_OF_ORDER` when a target does not stand where the phase starts
 * (the message says where it stands and the next phase; a second begin is one);
 * `ROTATION_REFUSED` when `auditCluster` finds errors in the tree a rotation would begin from;
 * `CA_KEY_MISSING` when a CA's key is not in the tree; `INVALID_ARGUMENT` for bad options (a
 * `newCa` that is not a CA of the same subject with its key).
 *
 * @example
 * ```ts
 * import { rotateCas } from "@kubepki/k8s-profiles";
 *
 * // With a real tree: write result.files, move result.remove away, then restart result.restarts in order.
 * rotateCas({}, { targets: ["ca"], phase: "reissue" }).catch((error) => error.code); // "ROTATION_OUT_OF_ORDER"
 * ```
 */
export function rotateCas(files: ClusterFiles, options: RotateOptions): Promise<RotationResult> {
  return rotate(files, options);
}

async function rotate(files: ClusterFiles, options: RotateOptions): Promise<RotationResult> {
  const texts = textFiles(files);
  const run = rotateRun(texts, options);
  const before = statesOf(texts);
  checkOrder(before, run);
  // Audit only the tree before begin (every state "none"): the audit learns the rotation layout in
  // its own change, and until then a begun or reissued tree must not be refused for being one.
  if (before.every((state) => state.phase === "none")) await refuseBroken(files);
  const work = new Work(texts);
  for (const target of run.targets) await moveTarget(work, target, run);
  const rootNode = rootNodeName(readTree(texts).certificates);
  const notes = phaseNotes(run);
  return {
    files: work.files(),
    remove: work.removed(),
    restarts: restartSequence(run.targets, run.phase, treeNodes(texts, rootNode)),
    notes,
    states: statesOf(work.texts),
  };
}

function checkOrder(states: readonly RotationState[], run: RotateRun): void {
  const wrong = states.filter((state) => run.targets.includes(state.target) && state.phase !== FROM[run.phase]);
  if (wrong.length === 0) return;
  const where = wrong
    .map(
      (state) =>
        `${state.target} stands at ${state.phase}${state.files.length > 0 ? ` (${state.files.join(", ")})` : ""}, next phase: ${NEXT[state.phase]}`,
    )
    .join("; ");
  throw new KubepkiError("ROTATION_OUT_OF_ORDER", `cannot ${run.phase}: ${where}`, {
    details: { phase: run.phase, states: wrong },
  });
}

async function refuseBroken(files: ClusterFiles): Promise<void> {
  const errors = (await auditCluster(files)).findings.filter((finding) => finding.severity === "error");
  if (errors.length === 0) return;
  throw new KubepkiError(
    "ROTATION_REFUSED",
    `the tree is broken, fix it before rotating (kubepki audit): ${errors
      .map((finding) => `${finding.file}: ${finding.code}`)
      .join("; ")}`,
    { details: { findings: errors.map(({ file, code, message }) => ({ file, code, message })) } },
  );
}

async function moveTarget(work: Work, target: RotationTarget, run: RotateRun): Promise<void> {
  if (target === "sa") {
    if (run.phase === "begin") await beginSa(work, run);
    else if (run.phase === "reissue") reissueSa(work);
    else finishSa(work);
    return;
  }
  const layout = CA_LAYOUTS[target];
  if (run.phase === "begin") await beginCa(work, layout, run);
  else if (run.phase === "reissue") await reissueCa(work, layout, run);
  else finishCa(work, layout);
}

function phaseNotes(run: RotateRun): string[] {
  const notes: string[] = [];
  const cas = run.targets.filter((target) => target !== "sa");
  if (cas.length > 0 && run.phase === "begin") {
    notes.push(
      `${cas.join(", ")}: copy every changed file to its node before the first restart; nothing signed by the new CA is in use until reissue`,
    );
  }
  if (run.targets.includes("ca")) {
    if (run.phase === "reissue") {
      notes.push("ca: admin.conf and super-admin.conf hold new client certificates: hand them to their users again");
    }
    if (run.phase !== "reissue") {
      notes.push(
        "ca: pods that read the cluster CA (kube-root-ca.crt ConfigMap: kube-proxy, coredns, webhooks) pick the new bundle up once the controller-manager has restarted; restart them after it",
      );
    }
  }
  if (run.targets.includes("sa") && run.phase !== "begin") notes.push(SA_NOTES[run.phase]);
  return notes;
}
