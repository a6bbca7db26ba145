/**
 * Issue 15 point 8: a failed file operation is one line `kubepki <cmd>: cannot write PATH: <cause>
 * (CODE)`, code IO_ERROR, exit 1, no "internal error", no stack, nothing half-written. Tests run as
 * root, so ENOSPC, EACCES and EIO are injected (KUBEPKI_TEST_FAULT); the dangling --out symlink and
 * ENOTDIR are real.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeErrnoError } from "../src/io/fs-error.js";
import { hashTree, kubepki, tempDir } from "./helpers/run.js";
import { kubepkiLeftovers, spawnWithEnv } from "./helpers/tree-tools.js";

let dir: { path: string; cleanup: () => Promise<void> };
let tree: string;
beforeAll(async () => {
  dir = await tempDir();
  tree = join(dir.path, "tree");
  expect((await kubepki(["init", "--out", tree, "--key-algorithm", "ECDSA-P256"])).code).toBe(0);
}, 60_000);
afterAll(() => dir.cleanup());

const INIT = ["--key-algorithm", "ECDSA-P256"];

/** One line, the expected shape, no stack trace. */
function expectOneLine(stderr: string, command: string, code: string, words: string) {
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
  const lines = stderr.split("\n").filter((line) => line !== "" && !/^\[\d+\/\d+\]/.test(line));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^kubepki ${command}: cannot write /\\S+: ${words} \\(${code}\\)$`));
}

async function runWithFault(args: string[], fault: string) {
  const child = spawnWithEnv(args, { KUBEPKI_TEST_FAULT: fault });
  const code = await child.exited;
  return { code, stderr: child.stderr() };
}

describe("init into a new directory", () => {
  for (const [fault, code, words] of [
    ["write:3:ENOSPC", "ENOSPC", "no space left on device"],
    ["write:1:EACCES", "EACCES", "permission denied"],
    ["mkdir:1:EACCES", "EACCES", "permission denied"],
    ["rename:1:ENOTEMPTY", "ENOTEMPTY", "directory not empty"],
  ] as const) {
    it(`${fault}: one line, exit 1, no directory and no staging left`, async () => {
      const out = join(dir.path, `new-${fault.replaceAll(":", "-")}`);
      const result = await runWithFault(["init", "--out", out, ...INIT], fault);
      expect(result.code).toBe(1);
      expectOneLine(result.stderr, "init", code, words);
      expect(existsSync(out)).toBe(false);
      expect(await kubepkiLeftovers(dir.path)).toEqual([]);
    }, 60_000);
  }

  it("--json: the error object has code IO_ERROR", async () => {
    const out = join(dir.path, "json");
    const child = spawnWithEnv(["init", "--out", out, ...INIT, "--json"], { KUBEPKI_TEST_FAULT: "write:1:ENOSPC" });
    let stdout = "";
    child.child.stdout?.removeAllListeners("data");
    child.child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    expect(await child.exited).toBe(1);
    expect(JSON.parse(stdout).error.code).toBe("IO_ERROR");
  }, 60_000);
});

describe("renew and init --force into an existing tree", () => {
  for (const [fault, code, words] of [
    ["write:5:ENOSPC", "ENOSPC", "no space left on device"],
    ["write:1:EACCES", "EACCES", "permission denied"],
    ["rename:7:EIO", "EIO", "i/o error"],
    ["mkdir:1:ENOSPC", "ENOSPC", "no space left on device"],
  ] as const) {
    it(`${fault}: one line, exit 1, the tree byte for byte`, async () => {
      const before = await hashTree(tree);
      for (const args of [
        ["renew", tree],
        ["init", "--out", tree, ...INIT, "--force"],
      ]) {
        const result = await runWithFault(args, fault);
        expect(result.code).toBe(1);
        expectOneLine(result.stderr, args[0] as string, code, words);
        expect(await hashTree(tree)).toEqual(before);
        expect(await kubepkiLeftovers(tree)).toEqual([]);
      }
    }, 60_000);
  }
});

describe("provoked for real", () => {
  it("a dangling --out symlink: ENOENT, before any key is generated, nothing created", async () => {
    const link = join(dir.path, "dangling");
    await symlink(join(dir.path, "nowhere", "pki"), link);
    const result = await kubepki(["init", "--out", link, ...INIT]);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, "init", "ENOENT", "no such file or directory");
    expect(existsSync(join(dir.path, "nowhere"))).toBe(false);
  });

  it("--out is a file: ENOTDIR", async () => {
    const file = join(dir.path, "a-file");
    await writeFile(file, "x");
    const result = await kubepki(["init", "--out", file, ...INIT]);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, "init", "ENOTDIR", "not a directory");
  });

  it("a file where the tree needs a directory (pki): ENOTDIR naming it, nothing written", async () => {
    const out = join(dir.path, "pki-is-a-file");
    await mkdir(out);
    await writeFile(join(out, "pki"), "not a directory");
    const before = await hashTree(out);
    const result = await kubepki(["init", "--out", out, ...INIT, "--force"]);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, "init", "ENOTDIR", "not a directory");
    expect(result.stderr).toContain(`cannot write ${join(out, "pki")}:`);
    expect(await hashTree(out)).toEqual(before);
    expect((await readdir(out)).sort()).toEqual(["pki"]);
  }, 60_000);

  it("any other file error a command lets through is still one line with its path (main's fallback)", () => {
    const error = Object.assign(new Error("EROFS: read-only file system, open '/x/y'"), {
      code: "EROFS",
      syscall: "mkdir",
      path: "/x/y",
    });
    expect(describeErrnoError(error)).toEqual({
      code: "IO_ERROR",
      message: "cannot write /x/y: read-only file system (EROFS)",
    });
  });
});
