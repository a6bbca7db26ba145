import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Result of one openssl run. */
export interface OpensslResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `openssl` binary (OpenSSL 3 on the CI machines) with a time bound, never through
 * a shell. Tests use it as an independent implementation of what core writes and reads.
 */
export function openssl(
  args: readonly string[],
  options: { cwd?: string; input?: string | Uint8Array } = {},
): Promise<OpensslResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "openssl",
      args as string[],
      { cwd: options.cwd, timeout: 30_000, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof (error as { code?: unknown }).code !== "number") return reject(error);
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr });
      },
    );
    // openssl may exit (e.g. on a usage error) before reading stdin; the EPIPE that the write then
    // gets is not the test's concern, the exit code and stderr are.
    child.stdin?.on("error", () => {});
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** Like {@link openssl} but throws with stderr when the command fails. */
export async function opensslOk(
  args: readonly string[],
  options: { cwd?: string; input?: string | Uint8Array } = {},
): Promise<string> {
  const result = await openssl(args, options);
  if (result.code !== 0) throw new Error(`openssl ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

/** A fresh temporary directory and a function that removes it. */
export async function tempDir(prefix = "kubepki-test-"): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}
