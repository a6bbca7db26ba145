// Runs external programs for the tests (openssl, kubectl, etcd…), the independent implementations
// kubepki is checked against. Shared by the packages' tests (core's openssl helper, the renderers').
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Result of one external command. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a binary with argv (never through a shell), bounded in time; resolves with the exit code
 * instead of throwing so tests can assert failures.
 */
export function run(
  file: string,
  args: readonly string[],
  options: { cwd?: string; input?: string | Uint8Array; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args as string[],
      {
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 30_000,
        encoding: "utf8",
        maxBuffer: 16 * 1024 * 1024,
        env: options.env ?? process.env,
      },
      (error, stdout, stderr) => {
        if (error && typeof (error as { code?: unknown }).code !== "number") return reject(error);
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr });
      },
    );
    // A child that exits before reading stdin (openssl on a usage error) makes the write fail
    // with EPIPE; that is not the test's concern, the exit code and stderr are.
    child.stdin?.on("error", () => {});
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** Like {@link run} but throws with stderr on a non-zero exit. */
export async function runOk(
  file: string,
  args: readonly string[],
  options: { cwd?: string; input?: string | Uint8Array } = {},
): Promise<string> {
  const result = await run(file, args, options);
  if (result.code !== 0) throw new Error(`${file} ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/** A fresh temporary directory and a function that removes it. */
export async function tempDir(prefix = "kubepki-test-"): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}
