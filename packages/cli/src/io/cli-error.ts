/**
 * Exit codes, documented in the CLI help and README: 0 ok, 1 findings or an operation that
 * failed (refused overwrite, bad certificate, I/O), 2 usage (unknown flag, missing value).
 */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;

/** An error the CLI reports in one line (no stack) with the exit code it maps to. */
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

/** A usage mistake: exit code 2, and the message says which flag and how to fix it. */
export class UsageError extends CliError {
  constructor(message: string) {
    super("USAGE", message, ExitCode.usage);
    this.name = "UsageError";
  }
}
