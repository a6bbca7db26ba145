/**
 * Exit codes, documented in the CLI help and README: 0 ok, 1 findings or an operation that
 * failed (refused overwrite, bad certificate, I/O), 2 usage (unknown flag, missing value).
 *
 * @example
 * ```ts
 * import { ExitCode, main } from "@kubepki/cli";
 *
 * const code = await main(["audit", "/etc/kubernetes"]);
 * if (code === ExitCode.failure) console.error("the audit found errors");
 * ```
 */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * An error the CLI reports in one line (no stack) with the exit code it maps to.
 *
 * @example
 * ```ts
 * import { CliError, writeTree } from "@kubepki/cli";
 *
 * try {
 *   await writeTree("./pki", [{ path: "ca.crt", contents: "…", mode: 0o644 }]);
 * } catch (error) {
 *   // code "FILES_EXIST", exit code 1, when ca.crt is already there and force is not set: nothing was written
 *   if (error instanceof CliError) console.error(error.code, error.exitCode, error.message);
 * }
 * ```
 */
export class CliError extends Error {
  readonly exitCode: number;
  readonly code: string;
  constructor(code: string, message: string, exitCode: number = ExitCode.failure) {
    super(message);
    this.name = "CliError";
    this.code = code;
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
