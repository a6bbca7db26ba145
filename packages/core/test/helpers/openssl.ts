import { type RunResult, run, runOk } from "./run-command.js";

export { tempDir } from "./run-command.js";

/** Result of one openssl run. */
export type OpensslResult = RunResult;

/**
 * Runs the real `openssl` binary (OpenSSL 3 on the CI machines) with a time bound, never through
 * a shell. Tests use it as an independent implementation of what core writes and reads.
 */
export function openssl(
  args: readonly string[],
  options: { cwd?: string; input?: string | Uint8Array } = {},
): Promise<OpensslResult> {
  return run("openssl", args, options);
}

/** Like {@link openssl} but throws with stderr when the command fails. */
export function opensslOk(
  args: readonly string[],
  options: { cwd?: string; input?: string | Uint8Array } = {},
): Promise<string> {
  return runOk("openssl", args, options);
}
