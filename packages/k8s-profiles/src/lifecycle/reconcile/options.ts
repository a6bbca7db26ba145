// The options of diffCluster and applyCluster, checked once, before the tree is read.
import { KubepkiError } from "@kubepki/core/names";
import type { ApplyOptions, DiffOptions } from "./types.js";

/** The diff's options, checked. */
export interface DiffRun {
  readonly now: Date;
  readonly renewBeforeDays: number | undefined;
}

/** The apply's options, checked. */
export interface ApplyRun extends DiffRun {
  readonly reuseKey: boolean;
  readonly validityDays: number | undefined;
  readonly prune: boolean;
  readonly onProgress: ApplyOptions["onProgress"];
  readonly signal: AbortSignal | undefined;
  readonly crypto: { readonly crypto?: Crypto };
}

function invalid(field: string, message: string): KubepkiError {
  return new KubepkiError("INVALID_ARGUMENT", `${field}: ${message}`, { details: { field } });
}

function objectOrNothing(options: unknown): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw invalid("options", "expected an object");
  }
  return options as Record<string, unknown>;
}

/** @throws KubepkiError `INVALID_ARGUMENT` with `details.field`. */
export function diffRun(input: DiffOptions | undefined): DiffRun {
  const options = objectOrNothing(input);
  const now = options.now ?? new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw invalid("now", "expected a valid Date");
  const renewBeforeDays = options.renewBeforeDays;
  if (
    renewBeforeDays !== undefined &&
    (typeof renewBeforeDays !== "number" || !Number.isFinite(renewBeforeDays) || renewBeforeDays < 0)
  ) {
    throw invalid("renewBeforeDays", `expected a number of days ≥ 0, got ${String(renewBeforeDays)}`);
  }
  return { now, renewBeforeDays };
}

/** @throws KubepkiError `INVALID_ARGUMENT` with `details.field`. */
export function applyRun(input: ApplyOptions | undefined): ApplyRun {
  const options = objectOrNothing(input);
  const base = diffRun(input);
  for (const field of ["reuseKey", "prune"] as const) {
    if (options[field] !== undefined && typeof options[field] !== "boolean") {
      throw invalid(field, `expected true or false, got ${JSON.stringify(options[field])}`);
    }
  }
  const validityDays = options.validityDays;
  if (
    validityDays !== undefined &&
    (typeof validityDays !== "number" || !Number.isInteger(validityDays) || validityDays <= 0)
  ) {
    throw invalid("validityDays", `expected a whole number of days > 0, got ${String(validityDays)}`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== "function") {
    throw invalid("onProgress", "expected a function");
  }
  const signal = options.signal;
  if (
    signal !== undefined &&
    (typeof signal !== "object" || signal === null || typeof (signal as AbortSignal).aborted !== "boolean")
  ) {
    throw invalid("signal", "expected an AbortSignal");
  }
  const crypto = options.crypto;
  if (crypto !== undefined && (typeof crypto !== "object" || crypto === null)) {
    throw invalid("crypto", "expected a WebCrypto implementation");
  }
  return {
    ...base,
    reuseKey: options.reuseKey === true,
    validityDays: validityDays as number | undefined,
    prune: options.prune === true,
    onProgress: options.onProgress as ApplyOptions["onProgress"],
    signal: signal as AbortSignal | undefined,
    crypto: crypto ? { crypto: crypto as Crypto } : {},
  };
}
