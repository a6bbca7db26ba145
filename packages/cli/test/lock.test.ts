/**
 * Issue 15 point 2 and issue 16 point 6: one writer at a time per tree (an O_EXCL lock file naming
 * its holder), the "existing files" check under the lock, and init's refusal before any key.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CliError } from "../src/io/cli-error.js";
import { readTree } from "../src/io/read-tree.js";
import { lockTree } from "../src/io/tree-lock.js";
import { writeTree } from "../src/io/write-tree.js";
import { main } from "../src/main.js";
import { hashTree, kubepki, tempDir } from "./helpers/run.js";
import { kubepkiLeftovers, spawnWithEnv, verifyTreeWithOpenssl, waitForStderr } from "./helpers/tree-tools.js";

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

const INIT = ["--control-plane", "cp-1=10.0.0.1", "--worker", "w-1=10.0.0.11", "--key-algorithm", "ECDSA-P256"];

/** Runs main() in-process with stdout/stderr captured. */
/** Runs `work` with stdout and stderr captured (one capture: spies on a stream must not nest). */
async function captured<T>(work: () => Promise<T>): Promise<{ value: T; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const value = await work();
    return { value, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

async function mainCaptured(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { value: code, stdout, stderr } = await captured(() => main(argv));
  return { code, stdout, stderr };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two `main` runs at once, 5 ms apart, under ONE capture of stdout/stderr: a capture per run
 * would nest spies on the same stream, and whichever run finished first would restore the real
 * stream under the other (its output then lost: a flake under load). The JSON documents each run
 * writes in one piece are split back out of the shared stdout.
 */
async function mainTwice(argv: string[]): Promise<{ codes: number[]; documents: unknown[]; stderr: string }> {
  const {
    value: codes,
    stdout,
    stderr,
  } = await captured(() => Promise.all([main(argv), delay(5).then(() => main(argv))]));
  const documents = stdout
    .split(/(?<=^\})\n/m)
    .filter((text) => text.trim() !== "")
    .map((text) => JSON.parse(text));
  return { codes, documents, stderr };
}

describe("one process: two writers 5 ms apart", () => {
  it("writeTree: exactly one succeeds, the other gets TREE_LOCKED, and the tree is all of the winner", async () => {
    const root = join(dir.path, "two-writes");
    await mkdir(root);
    const tree = (tag: string) =>
      Array.from({ length: 400 }, (_, i) => ({ path: `d${i % 20}/f${i}.key`, contents: tag, mode: 0o600 }));
    const results = await Promise.allSettled([
      writeTree(root, tree("A"), { force: true }),
      delay(5).then(() => writeTree(root, tree("B"), { force: true })),
    ]);
    const won = results.filter((result) => result.status === "fulfilled");
    const lost = results.filter((result) => result.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(((lost[0] as PromiseRejectedResult).reason as CliError).code).toBe("TREE_LOCKED");
    const contents = new Set((await readTree(root)).values());
    expect(contents.size).toBe(1);
    expect(await kubepkiLeftovers(root)).toEqual([]);
  });

  it("init (main) into an existing empty directory: one exits 0, the other 1 with TREE_LOCKED; openssl verifies every leaf and kubeconfig", async () => {
    const out = join(dir.path, "two-inits");
    await mkdir(out);
    await mainCaptured(["init", "--help"]); // loads the command module once, so both reach the lock alike
    const { codes, documents, stderr } = await mainTwice(["init", "--out", out, ...INIT, "--json"]);
    expect([...codes].sort()).toEqual([0, 1]);
    expect(documents.map((document) => (document as { error?: { code: string } }).error?.code)).toContain(
      "TREE_LOCKED",
    );
    expect(stderr).toMatch(/is locked by another kubepki \(pid \d+ on /);
    expect(await verifyTreeWithOpenssl(out, await readTree(out))).toEqual([]);
  }, 60_000);

  it("renew (main) twice: one renews, the other is refused; the tree stays consistent", async () => {
    const out = join(dir.path, "two-renews");
    expect((await kubepki(["init", "--out", out, ...INIT])).code).toBe(0);
    const { codes, documents } = await mainTwice(["renew", out, "--json"]);
    expect([...codes].sort()).toEqual([0, 1]);
    expect(documents).toHaveLength(2);
    expect(documents.map((document) => (document as { error?: { code: string } }).error?.code)).toContain(
      "TREE_LOCKED",
    );
    expect(await verifyTreeWithOpenssl(out, await readTree(out))).toEqual([]);
  }, 60_000);
});

describe("two processes", () => {
  for (const command of ["init", "renew"] as const) {
    it(`${command}: the second, while the first holds the lock, gets TREE_LOCKED naming the holder; the first completes`, async () => {
      const out = join(dir.path, `procs-${command}`);
      if (command === "init") await mkdir(out);
      else expect((await kubepki(["init", "--out", out, ...INIT])).code).toBe(0);
      const resume = join(dir.path, `resume-${command}`);
      const args = command === "init" ? ["init", "--out", out, ...INIT] : ["renew", out];
      const first = spawnWithEnv(args, { KUBEPKI_TEST_PAUSE_AFTER_RENAME: "3", KUBEPKI_TEST_RESUME_FILE: resume });
      await waitForStderr(first, (stderr) => stderr.includes("paused after rename 3"));
      const before = await hashTree(out);
      const second = await kubepki(args);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`is locked by another kubepki (pid ${first.child.pid} on ${hostname()}`);
      expect(second.stderr.trim().split("\n")).toHaveLength(1);
      expect(await hashTree(out)).toEqual(before); // the loser touched nothing
      await writeFile(resume, "");
      expect(await first.exited).toBe(0);
      expect(await verifyTreeWithOpenssl(out, await readTree(out))).toEqual([]);
      expect(await kubepkiLeftovers(out)).toEqual([]);
    }, 120_000);
  }

  it("a lock of a dead process on this host is taken over; a live or foreign one is not", async () => {
    const out = join(dir.path, "stale");
    await mkdir(out);
    const dead = spawnWithEnv(["--version"], {});
    await dead.exited;
    const lockFile = join(out, ".kubepki-lock");
    const write = (pid: number | undefined, host: string) =>
      writeFile(lockFile, JSON.stringify({ pid, host, time: "2026-01-01T00:00:00.000Z" }));
    await write(process.pid, hostname()); // alive: this test runner
    const live = await kubepki(["init", "--out", out, ...INIT]);
    expect(live.code).toBe(1);
    expect(live.stderr).toContain(`pid ${process.pid} on ${hostname()}, since 2026-01-01T00:00:00.000Z`);
    await write(dead.child.pid, "another-host");
    expect((await kubepki(["init", "--out", out, ...INIT])).code).toBe(1);
    await write(dead.child.pid, hostname());
    const taken = await kubepki(["init", "--out", out, ...INIT]);
    expect(taken.code, taken.stderr).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
  }, 60_000);

  it("the library's lockTree holds one lock across read and write", async () => {
    const root = join(dir.path, "lib-lock");
    await mkdir(root);
    const lock = await lockTree(root);
    try {
      const error = await writeTree(root, [{ path: "x", contents: "", mode: 0o644 }]).catch((e: unknown) => e);
      expect((error as CliError).code).toBe("TREE_LOCKED");
      await writeTree(root, [{ path: "x", contents: "mine", mode: 0o644 }], { lock });
    } finally {
      await lock.release();
    }
    expect(await readFile(join(root, "x"), "utf8")).toBe("mine");
    expect(await kubepkiLeftovers(root)).toEqual([]);
  });
});

describe("init into a directory that has files (issue 16 point 6)", () => {
  it("refuses before generating any key: no generateKey call, nothing written", async () => {
    const out = join(dir.path, "has-files");
    await mkdir(join(out, "pki"), { recursive: true });
    await writeFile(join(out, "pki", "ca.key"), "the user's key");
    const before = await hashTree(out);
    const generateKey = vi.spyOn(globalThis.crypto.subtle, "generateKey");
    try {
      const result = await mainCaptured(["init", "--out", out, ...INIT]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Refusing to overwrite");
      expect(result.stderr).toContain("no key was generated");
      expect(result.stderr).toContain("pki/ca.key");
      expect(generateKey).not.toHaveBeenCalled();
    } finally {
      generateKey.mockRestore();
    }
    expect(await hashTree(out)).toEqual(before);
    expect(await kubepkiLeftovers(out)).toEqual([]);
  });

  it("a locked --out is refused before generating any key too", async () => {
    const out = join(dir.path, "locked-early");
    await mkdir(out);
    const lock = await lockTree(out);
    const generateKey = vi.spyOn(globalThis.crypto.subtle, "generateKey");
    try {
      const result = await mainCaptured(["init", "--out", out, ...INIT]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("is locked by another kubepki");
      expect(generateKey).not.toHaveBeenCalled();
    } finally {
      generateKey.mockRestore();
      await lock.release();
    }
  });
});
