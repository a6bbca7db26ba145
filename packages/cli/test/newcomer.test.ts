/**
 * Issue 16, CLI points 1 and 10, as a newcomer meets the checkout: the commands kubepki prints
 * (`Next: …`) run as printed where it ran; examples/quick-start/cli.sh runs without kubepki on
 * PATH; sign-csr's refusal speaks of its --out file; the Deno examples leave no untracked file;
 * bun runs the README's example inside the checkout.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubepki, opensslCsr, run, tempDir } from "./helpers/run.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const EXAMPLES = join(ROOT, "examples");
/** A user's shell: node, pnpm, bash, openssl; no kubepki. */
const PLAIN_PATH = `${dirname(process.execPath)}:/usr/bin:/bin`;
/** What pnpm sets for a root script; blanked so a test run under `pnpm test` looks like a plain shell. */
const NO_SCRIPT = { npm_package_name: "", npm_lifecycle_event: "", INIT_CWD: "", PATH: PLAIN_PATH };

let dir: { path: string; cleanup: () => Promise<void> };
/** A scratch directory inside the checkout but ignored by git (node_modules/), for relative paths. */
let inside = "";
beforeAll(async () => {
  dir = await tempDir();
  await mkdir(join(ROOT, "node_modules/.cache"), { recursive: true });
  inside = await mkdtemp(join(ROOT, "node_modules/.cache/kubepki-newcomer-"));
});
afterAll(async () => {
  await dir.cleanup();
  await rm(inside, { recursive: true, force: true });
});

/** The commands of the `Next: a   ·   b` line(s) of init's summary. */
function nextCommands(stdout: string): string[] {
  const at = stdout.indexOf("Next: ");
  expect(at, stdout).toBeGreaterThanOrEqual(0);
  return stdout
    .slice(at + "Next: ".length)
    .trim()
    .split(/\s+·\s+|\n\s+/)
    .map((command) => command.trim());
}

async function runHints(stdout: string, cwd: string, spelling: string): Promise<void> {
  const commands = nextCommands(stdout);
  expect(commands).toHaveLength(2);
  for (const command of commands) {
    expect(command.startsWith(`${spelling} `), command).toBe(true);
    const result = await run("bash", ["-c", command], { cwd, env: NO_SCRIPT });
    expect(result.code, `${command}\n${result.stdout}${result.stderr}`).toBe(0);
  }
}

describe("the CLI in the checkout: `pnpm kubepki`, and hints spelled the way that works", () => {
  it("pnpm kubepki runs the built CLI from the root and from a subdirectory", async () => {
    for (const cwd of [ROOT, join(ROOT, "packages")]) {
      const help = await run("pnpm", ["kubepki", "--help"], { cwd, env: NO_SCRIPT });
      expect(help.code, help.stderr).toBe(0);
      expect(help.stdout).toContain("Usage: kubepki <command> [flags]");
      expect(help.stdout).toContain('Run "pnpm kubepki <command> --help"');
    }
  });

  it("the demo script's init prints `Next: pnpm kubepki audit demo-cluster`, which runs as printed", async () => {
    const scripts = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    expect(scripts.kubepki).toBe("node packages/cli/dist/bin.js");
    const [build, cli] = (scripts.demo as string).split(" && ");
    expect(build).toBe("pnpm -r build");
    expect(cli).toMatch(/^node packages\/cli\/dist\/bin\.js init --out demo-cluster /);
    // The demo's command as pnpm runs it (in the root, INIT_CWD where the user typed `pnpm demo`);
    // the build is the test suite's own.
    const demo = await run("bash", ["-c", cli as string], {
      cwd: ROOT,
      env: { ...NO_SCRIPT, npm_package_name: "kubepki-monorepo", npm_lifecycle_event: "demo", INIT_CWD: inside },
    });
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain("Next: pnpm kubepki audit demo-cluster");
    await runHints(demo.stdout, inside, "pnpm kubepki");
  });

  it("`pnpm kubepki init` with a relative --out writes where the user is, and its hints run there", async () => {
    const result = await run(
      "pnpm",
      ["kubepki", "init", "--out", "pki", "--key-algorithm", "ECDSA-P256", "--control-plane", "cp-1=10.0.0.11"],
      { cwd: inside, env: NO_SCRIPT },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Next: pnpm kubepki audit pki");
    expect(await readFile(join(inside, "pki/pki/ca.crt"), "utf8")).toContain("BEGIN CERTIFICATE");
    await runHints(result.stdout, inside, "pnpm kubepki");
  });

  it("run as an installed bin (not through the checkout's scripts), the hints say `kubepki`", async () => {
    const out = join(dir.path, "installed");
    const result = await kubepki(["init", "--out", out, "--key-algorithm", "ECDSA-P256"], { env: NO_SCRIPT });
    expect(result.code, result.stderr).toBe(0);
    expect(nextCommands(result.stdout)).toEqual([`kubepki audit ${out}`, `kubepki check-expiration ${out}`]);
    // Another project's npm script is not the checkout: no `pnpm kubepki` there.
    const other = await kubepki(["audit", "--bogus"], {
      env: { ...NO_SCRIPT, npm_package_name: "my-cluster", npm_lifecycle_event: "kubepki" },
    });
    expect(other.stderr).toContain('Run "kubepki audit --help"');
  });

  it("examples/quick-start/cli.sh runs as written with no kubepki on PATH", async () => {
    expect((await run("bash", ["-c", "command -v kubepki"], { env: NO_SCRIPT })).code).not.toBe(0);
    const cwd = join(dir.path, "cli-sh");
    await mkdir(cwd);
    const result = await run("bash", [join(EXAMPLES, "quick-start/cli.sh")], { cwd, env: NO_SCRIPT });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("kubepki: wrote 54 files to ./pki");
    expect(result.stdout).toContain(`kubepki audit: no findings in ${join(cwd, "pki")}`);
    expect(result.stdout).toMatch(/^CERTIFICATE AUTHORITY\s+EXPIRES/m);
  });
});

describe("sign-csr's refusal to overwrite names its --out file", () => {
  it("says --out file, not --out directory", async () => {
    const tree = join(dir.path, "sign-tree");
    expect((await kubepki(["init", "--out", tree, "--key-algorithm", "ECDSA-P256"])).code).toBe(0);
    const csr = await opensslCsr(join(dir.path, "worker-1"), "/O=system:nodes/CN=system:node:worker-1");
    const args = ["sign-csr", "--csr", csr, "--role", "kubelet-client", "--node", "worker-1", "--dir", tree];
    const out = join(dir.path, "worker-1.crt");
    expect((await kubepki([...args, "--out", out])).code).toBe(0);
    const again = await kubepki([...args, "--out", out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Refusing to overwrite the --out file ${out}`);
    expect(again.stderr).toContain("choose another --out file");
    expect(again.stderr).not.toContain("directory");
  });
});

describe("the runtime examples inside the checkout", () => {
  const porcelain = async () => (await run("git", ["status", "--porcelain"], { cwd: ROOT })).stdout;

  it("the Deno examples, run as their `Run with` lines say, leave no untracked file", async () => {
    const deno = join(ROOT, "node_modules/.bin/deno");
    const before = await porcelain();
    try {
      for (const [example, permissions] of [
        ["quick-start/generate-cluster.deno.ts", ["--allow-read", "--allow-env", "--allow-write=./pki"]],
        ["recipes/ecdsa.deno.ts", ["--allow-read", "--allow-env"]],
      ] as const) {
        const source = await readFile(join(EXAMPLES, example), "utf8");
        expect(source).toContain(`// Run with: deno run ${permissions.join(" ")} ${example}`);
        const result = await run(deno, ["run", ...permissions, example], { cwd: EXAMPLES, timeoutMs: 60_000 });
        expect(result.code, result.stderr).toBe(0);
      }
      expect(await porcelain()).toBe(before);
    } finally {
      await rm(join(EXAMPLES, "pki"), { recursive: true, force: true });
    }
  });

  it("bun runs the README's example from examples/ and from a directory of its own", async () => {
    const readme = await readFile(join(ROOT, "README.md"), "utf8");
    const example = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
      .map((match) => match[1] as string)
      .find((code) => code.includes("generateCluster"));
    expect(example).toBeDefined();
    // A file beside the examples' own dependencies, as a reader who tries the README would put it.
    const scratch = await mkdtemp(join(EXAMPLES, "node_modules/.cache-kubepki-bun-"));
    try {
      const file = join(scratch, "readme.ts");
      await writeFile(file, example as string);
      for (const cwd of [EXAMPLES, scratch]) {
        const result = await run(join(ROOT, "node_modules/.bin/bun"), [file], { cwd, timeoutMs: 60_000 });
        expect(result.code, `${cwd}: ${result.stderr}`).toBe(0);
        expect(result.stdout.trim()).toBe("[]");
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
