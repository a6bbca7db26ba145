// Finding, running and masking the guide examples for examples.test.ts.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const EXAMPLES = join(ROOT, "examples");
const BIN = join(ROOT, "node_modules/.bin");

/** How an example runs, by its name. */
export type Runtime = "node" | "deno" | "bash";

export interface Example {
  /** Relative to examples/, e.g. `quick-start/generate-cluster.mjs`. */
  readonly name: string;
  readonly path: string;
  /** The checked-in expected output, beside the example: `<file>.out` (`cli.sh.out`). */
  readonly outPath: string;
  readonly runtime: Runtime;
}

function runtimeOf(file: string): Runtime | undefined {
  if (file.endsWith(".deno.ts")) return "deno";
  if (file.endsWith(".mjs")) return "node";
  if (file.endsWith(".sh")) return "bash";
  return undefined;
}

/**
 * Every runnable example: scripts under examples/<guide>/ (not the packaging smoke suite, not
 * node_modules), except helper modules that another example imports (`./cluster.mjs`).
 */
export function findExamples(): Example[] {
  const found: Example[] = [];
  for (const guide of readdirSync(EXAMPLES, { withFileTypes: true })) {
    if (!guide.isDirectory() || guide.name === "smoke" || guide.name === "node_modules" || guide.name.startsWith(".")) {
      continue;
    }
    const dir = join(EXAMPLES, guide.name);
    const files = readdirSync(dir).sort();
    const sources = files.filter((file) => runtimeOf(file) !== undefined);
    const imported = new Set(
      sources.flatMap((file) =>
        [...readFileSync(join(dir, file), "utf8").matchAll(/from "\.\/([^"]+)"/g)].map((match) => match[1]),
      ),
    );
    for (const file of sources) {
      if (imported.has(file)) continue;
      const runtime = runtimeOf(file) as Runtime;
      found.push({ name: `${guide.name}/${file}`, path: join(dir, file), outPath: join(dir, `${file}.out`), runtime });
    }
  }
  return found;
}

/**
 * Replaces what changes from run to run — temporary paths, PEM bodies, base64 blobs, serials and
 * fingerprints, dates and timings — with placeholders, so outputs can be compared and checked in.
 */
export function mask(text: string, tempDir?: string): string {
  let out = text.replace(/\r\n/g, "\n");
  if (tempDir) out = out.split(tempDir).join("<tmp>");
  return (
    out
      // PEM bodies (the BEGIN/END lines stay: they say what the block is).
      .replace(/(-----BEGIN [A-Z0-9 ]+-----)(?:\\n|\n)[\s\S]*?((?:\\n|\n)-----END [A-Z0-9 ]+-----)/g, "$1<pem>$2")
      // base64 blobs (kubeconfig *-data fields, DER in JSON).
      .replace(/[A-Za-z0-9+/]{40,}={0,2}/g, "<base64>")
      // serial numbers and fingerprints: long hex, with or without colons.
      .replace(/\b(?:[0-9a-fA-F]{2}:){7,}[0-9a-fA-F]{2}\b/g, "<hex>")
      .replace(/\b[0-9a-f]{16,}\b/g, "<hex>")
      // kubepki's backup folders are named by the time they were made.
      .replace(/\bkubepki-backup-\d{8}T\d{6}Z(?:-\d+)?/g, "kubepki-backup-<time>")
      // dates: ISO timestamps and days, kubeadm's "Jan 02, 2006 15:04 UTC".
      .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, "<date>")
      .replace(/\b\d{4}-\d{2}-\d{2}\b/g, "<date>")
      .replace(/\b[A-Z][a-z]{2} \d{2}, \d{4} \d{2}:\d{2} UTC\b/g, "<date>")
      // timings.
      .replace(/\b\d+(?:\.\d+)? ?ms\b/g, "<time>")
  );
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: {
        ...process.env,
        PATH: `${join(EXAMPLES, "node_modules/.bin")}:${BIN}:${process.env.PATH ?? ""}`,
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Runs one example in a fresh temporary directory (its cwd) and returns its masked stdout. */
export async function runExample(example: Example, timeoutMs = 30_000): Promise<RunResult & { masked: string }> {
  const cwd = mkdtempSync(join(tmpdir(), "kubepki-example-"));
  try {
    const args: Record<Runtime, [string, string[]]> = {
      node: [process.execPath, [example.path]],
      deno: [
        join(BIN, "deno"),
        ["run", "--quiet", "--no-lock", "--allow-read", "--allow-env", `--allow-write=${cwd}`, example.path],
      ],
      bash: ["bash", [example.path]],
    };
    const [command, argv] = args[example.runtime];
    const result = await run(command, argv, cwd, timeoutMs);
    return { ...result, masked: mask(result.stdout, cwd) };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** The expected output checked in beside `example`, or undefined when there is none yet. */
export function expectedOutput(example: Example): string | undefined {
  return existsSync(example.outPath) ? readFileSync(example.outPath, "utf8") : undefined;
}

/** `quick-start/generate-cluster.mjs.out`, for messages. */
export function outName(example: Example): string {
  return relative(EXAMPLES, join(dirname(example.path), basename(example.outPath)));
}
