// The repository stands alone: `git clone` it into a fresh temporary directory with nothing beside
// it, install from the local pnpm store (offline, frozen lockfile), build the CLI, and run there
// every test file that uses the openssl-tutorial fixture. They must all pass, none skipped. (CI
// checks out the repository beside other directories, so this is the check that nothing reaches
// outside it.)
//
// The clone is of HEAD, plus the working tree's changes (tracked edits and new files git would
// add) applied as a patch, so it checks what is about to be committed, not only the last commit.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./examples.js";

/** The test files that build the tutorial tree (they import its helper). */
function tutorialTests(): string[] {
  const found: string[] = [];
  for (const pkg of readdirSync(join(ROOT, "packages"))) {
    const dir = join(ROOT, "packages", pkg, "test");
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.filter((file) => file.endsWith(".test.ts")).sort()) {
      if (readFileSync(join(dir, name), "utf8").includes("helpers/tutorial-tree")) {
        found.push(relative(ROOT, join(dir, name)));
      }
    }
  }
  return found;
}

/** The environment of a child process that is not part of this vitest run. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("VITEST") && key !== "NODE_OPTIONS") env[key] = value;
  }
  return { ...env, CI: "true", NO_COLOR: "1", ...extra };
}

function sh(command: string, args: string[], cwd: string, timeout: number, input?: string): string {
  return execFileSync(command, args, {
    cwd,
    env: childEnv(),
    encoding: "utf8",
    input,
    timeout,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** HEAD's tree plus the working tree's changes, as a binary patch against HEAD (empty if clean). */
function workingTreePatch(scratch: string): string {
  const index = join(scratch, "index");
  const git = (args: string[]) =>
    execFileSync("git", args, { cwd: ROOT, env: childEnv({ GIT_INDEX_FILE: index }), encoding: "utf8" });
  git(["read-tree", "HEAD"]);
  git(["add", "-A"]);
  const tree = git(["write-tree"]).trim();
  return git(["diff", "--binary", "HEAD", tree]);
}

describe("a fresh clone with nothing beside it", () => {
  const tests = tutorialTests();

  it("finds the tests that use the tutorial fixture", () => {
    expect(tests).toEqual(
      expect.arrayContaining([
        "packages/k8s-profiles/test/audit.test.ts",
        "packages/k8s-profiles/test/expiration.test.ts",
        "packages/cli/test/tutorial-and-tty.test.ts",
      ]),
    );
  });

  it("runs them and they pass, none skipped", () => {
    const scratch = mkdtempSync(join(tmpdir(), "kubepki-clone-scratch-"));
    // The clone's parent holds the clone and nothing else.
    const parent = mkdtempSync(join(tmpdir(), "kubepki-fresh-clone-"));
    const clone = join(parent, "kubepki");
    try {
      const patch = workingTreePatch(scratch);
      sh("git", ["clone", "--quiet", "--no-local", ROOT, clone], parent, 120_000);
      if (patch) sh("git", ["apply", "--binary", "--whitespace=nowarn", "-"], clone, 60_000, patch);
      expect(readdirSync(parent)).toEqual(["kubepki"]);

      // The store this checkout was installed from: by default pnpm would pick a store on the
      // clone's file system, which may be another (and empty) one.
      const store = sh("pnpm", ["store", "path"], ROOT, 60_000).trim();
      sh(
        "pnpm",
        ["install", "--offline", "--frozen-lockfile", `--store-dir=${store}`, "--reporter=silent"],
        clone,
        300_000,
      );
      sh("pnpm", ["--filter", "@kubepki/cli...", "run", "build"], clone, 300_000);

      const report = join(scratch, "report.json");
      const projects = [...new Set(tests.map((file) => file.split("/")[1] as string))];
      try {
        sh(
          "pnpm",
          [
            "exec",
            "vitest",
            "run",
            ...projects.flatMap((name) => ["--project", name]),
            "--reporter=json",
            `--outputFile=${report}`,
            ...tests,
          ],
          clone,
          400_000,
        );
      } catch (error) {
        const failed = error as { stdout?: string; stderr?: string };
        throw new Error(
          `the tests failed in the clone:\n${failed.stderr ?? ""}\n${(failed.stdout ?? "").slice(-4000)}`,
        );
      }
      const result = JSON.parse(readFileSync(report, "utf8")) as {
        numTotalTests: number;
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        numTodoTests: number;
        testResults: { name: string; status: string }[];
      };
      expect(result.testResults.map((file) => relative(clone, file.name)).sort()).toEqual([...tests].sort());
      expect(result.numFailedTests).toBe(0);
      expect(result.numPendingTests + result.numTodoTests).toBe(0);
      expect(result.numPassedTests).toBe(result.numTotalTests);
      expect(result.numPassedTests).toBeGreaterThan(30);
    } finally {
      rmSync(parent, { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 900_000);
});
