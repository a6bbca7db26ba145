import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The built bin, run as a user runs it (tests need `pnpm -r build` first; `pnpm test` does it). */
export const BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));
export const KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `kubepki ARGS` (bounded in time) and collects its output and exit code. */
export function kubepki(
  args: readonly string[],
  options: { timeoutMs?: number; cwd?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return run(process.execPath, [BIN, ...args], options);
}

/** Runs any program without a shell, bounded in time. */
export function run(
  command: string,
  args: readonly string[],
  options: { timeoutMs?: number; cwd?: string; input?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args as string[],
      {
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: "1", ...options.env },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    // A child that exits before reading stdin makes this write fail with EPIPE, asynchronously and
    // outside any test; the exit code and output above are what the test checks.
    child.stdin?.on("error", () => {});
    child.stdin?.end(options.input ?? "");
  });
}

/**
 * A P-256 CSR made by openssl, as a node would make its own (`openssl req -new -newkey ec …`):
 * writes `<base>.csr` and `<base>.key`, returns the CSR's path.
 */
export async function opensslCsr(base: string, subject: string): Promise<string> {
  const args = ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  const result = await run("openssl", [...args, "-keyout", `${base}.key`, "-out", `${base}.csr`, "-subj", subject]);
  if (result.code !== 0) throw new Error(`openssl req failed: ${result.stderr}`);
  return `${base}.csr`;
}

/** Spawns the bin and returns the child, for tests that interrupt it. */
export function spawnKubepki(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

/** A fresh temporary directory and its cleanup. */
export async function tempDir(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "kubepki-cli-"));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** relative path → sha256 of every file under `root` (to prove nothing changed). */
export async function hashTree(root: string, options: { skipLinks?: boolean } = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (options.skipLinks && entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) await walk(path);
      else
        out[relative(root, path)] = createHash("sha256")
          .update(await readFile(path))
          .digest("hex");
    }
  };
  await walk(root);
  return out;
}

/** The permission bits of a file. */
export async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

/**
 * kubectl 1.33 `get --raw /healthz` with `kubeconfig` against an HTTPS server on 127.0.0.1:`port`
 * whose certificate names `kubernetes` (the apiserver-like servers of the interop tests).
 */
export function kubectlHealthz(kubeconfig: string, port: number, extra: readonly string[] = []): Promise<RunResult> {
  return run(KUBECTL, [
    ...extra,
    "--kubeconfig",
    kubeconfig,
    "--server",
    `https://127.0.0.1:${port}`,
    "--tls-server-name",
    "kubernetes",
    "--request-timeout=5s",
    "get",
    "--raw",
    "/healthz",
  ]);
}
