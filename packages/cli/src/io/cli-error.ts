import { KubepkiError, type KubepkiErrorCode } from "@kubepki/core/vocabulary";

/**
 * Exit codes, documented in the CLI help and README: 0 ok, 1 findings or an operation that
 * failed (refused overwrite, bad certificate, I/O), 2 usage (unknown flag, missing value), 3 a
 * certificate already expired or not yet valid (`check-expiration`, `audit`: it wins over 1).
 *
 * @example
 * ```ts
 * import { ExitCode, main } from "@kubepki/cli";
 *
 * // A usage mistake: init without --out prints one line on stderr and returns 2.
 * const code = await main(["init"]);
 * console.log(code === ExitCode.usage); // true
 * ```
 */
export const ExitCode = { ok: 0, failure: 1, usage: 2, expired: 3 } as const;

/**
 * An error the CLI reports in one line (no stack) with the exit code it maps to. A
 * `KubepkiError` (core's one error class, from its dependency-free vocabulary, so `kubepki --help`
 * still loads no crypto) whose code is one of `KubepkiErrorCode`; it adds the exit code.
 *
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { CliError, writeTree } from "@kubepki/cli";
 *
 * const out = await mkdtemp(join(tmpdir(), "pki-"));
 * await writeTree(out, [{ path: "ca.crt", contents: "…", mode: 0o644 }]);
 * try {
 *   // ca.crt is already there and force is not set: nothing is written.
 *   await writeTree(out, [{ path: "ca.crt", contents: "…", mode: 0o644 }]);
 * } catch (error) {
 *   if (error instanceof CliError) console.log(error.code, error.exitCode); // "FILES_EXIST" 1
 * }
 * ```
 */
export class CliError extends KubepkiError {
  /** The process exit code this error maps to ({@link ExitCode}). */
  readonly exitCode: number;
  constructor(code: KubepkiErrorCode, message: string, exitCode: number = ExitCode.failure) {
    super(code, message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/**
 * A usage mistake: exit code 2, and the message says which flag and how to fix it.
 *
 * @example
 * ```ts
 * import { ExitCode, UsageError } from "@kubepki/cli";
 *
 * const error = new UsageError("--out needs a directory");
 * console.log(error.exitCode === ExitCode.usage, error.code); // true "USAGE"
 * ```
 */
export class UsageError extends CliError {
  constructor(message: string) {
    super("USAGE", message, ExitCode.usage);
    this.name = "UsageError";
  }
}
