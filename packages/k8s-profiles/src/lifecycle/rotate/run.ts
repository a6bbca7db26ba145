// The options of one rotateCas call, checked once before any file is read, plus what the tree's
// record chooses (key algorithm, CA and leaf validity).
import { type KeyAlgorithm, KUBEADM_KEY_ALGORITHMS, KubepkiError } from "@kubepki/core";
import { readClusterRecord } from "../../files/record.js";
import { optionValidity, recordedValidity, type TreeValidity } from "../renew/validity.js";
import { ROTATION_TARGETS } from "./layout.js";
import type { RotateOptions, RotationPhase, RotationTarget } from "./types.js";

export interface RotateRun {
  readonly targets: readonly RotationTarget[];
  readonly phase: RotationPhase;
  readonly now: Date;
  readonly crypto: { readonly crypto?: Crypto };
  readonly newCa: RotateOptions["newCa"];
  /** Reissued leaves: the option, else the record's leafDays, else (undefined) each leaf's own lifetime. */
  readonly validity: TreeValidity;
  /** A new CA's validity: the record's caDays, else (undefined) the old CA's lifetime. */
  readonly caDays: number | undefined;
  /** New CA keys: the record's keyAlgorithm, else (undefined) the old CA key's. */
  readonly keyAlgorithm: KeyAlgorithm | undefined;
}

const PHASES: readonly RotationPhase[] = ["begin", "reissue", "finish"];

function invalid(field: string, why: string): KubepkiError {
  return new KubepkiError("INVALID_ARGUMENT", `${field}: ${why}`, { details: { field } });
}

function checkTargets(targets: unknown): RotationTarget[] {
  if (targets === "all") return [...ROTATION_TARGETS];
  if (!Array.isArray(targets) || targets.length === 0) {
    throw invalid("targets", `expected "all" or a non-empty list of ${ROTATION_TARGETS.join(", ")}`);
  }
  const unknown = targets.filter((target) => !ROTATION_TARGETS.includes(target));
  if (unknown.length > 0) {
    throw invalid(
      "targets",
      `unknown: ${unknown.map((target) => JSON.stringify(target)).join(", ")} (expected ${ROTATION_TARGETS.join(", ")})`,
    );
  }
  // In the table's order, whatever order the caller gave.
  return ROTATION_TARGETS.filter((target) => targets.includes(target));
}

/** The options of a call, checked; the record is read only for what the options leave open. */
export function rotateRun(files: ReadonlyMap<string, string>, options: RotateOptions): RotateRun {
  if (typeof options !== "object" || options === null) throw invalid("options", "expected an object");
  const targets = checkTargets(options.targets);
  if (!PHASES.includes(options.phase)) {
    throw invalid("phase", `expected one of ${PHASES.join(", ")}, got ${JSON.stringify(options.phase)}`);
  }
  const now = options.now ?? new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw invalid("now", "expected a valid Date");
  const { newCa } = options;
  if (newCa !== undefined) {
    if (options.phase !== "begin" || targets.length !== 1 || targets[0] === "sa") {
      throw invalid("newCa", "only with phase begin and exactly one CA target (ca, etcd-ca or front-proxy-ca)");
    }
    if (typeof newCa?.certificatePem !== "string" || typeof newCa.privateKeyPem !== "string") {
      throw invalid("newCa", "expected { certificatePem, privateKeyPem } (PEM strings)");
    }
  }
  const validity =
    optionValidity(options.validityDays) ?? (options.phase === "reissue" ? recordedValidity(files) : undefined);
  const record = readClusterRecord(files);
  const caDays = (record?.validity as { caDays?: unknown } | undefined)?.caDays;
  const keyAlgorithm = record?.keyAlgorithm;
  return {
    targets,
    phase: options.phase,
    now,
    crypto: options.crypto ? { crypto: options.crypto } : {},
    newCa,
    validity,
    caDays: typeof caDays === "number" && Number.isInteger(caDays) && caDays > 0 ? caDays : undefined,
    keyAlgorithm:
      typeof keyAlgorithm === "string" && (KUBEADM_KEY_ALGORITHMS as readonly string[]).includes(keyAlgorithm)
        ? (keyAlgorithm as KeyAlgorithm)
        : undefined,
  };
}
