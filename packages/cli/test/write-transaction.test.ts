/**
 * Issue 15 point 1: replacing files in a tree is a transaction. A renew interrupted after ANY
 * rename (SIGTERM, SIGINT, SIGKILL: the test hook KUBEPKI_TEST_PAUSE_AFTER_RENAME=k stops the
 * process there, no timing) or failing at any rename (EIO injected) leaves the old tree byte for
 * byte, after recovery by the next command where the process could not clean up itself.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renewCertificates } from "@kubepki/k8s-profiles";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError } from "../src/io/cli-error.js";
import { recoverTree, TXN_DIR } from "../src/io/journal.js";
import { readTree } from "../src/io/read-tree.js";
import { writeTreeWithHooks } from "../src/io/write-tree.js";
import { hashTree, kubepki, tempDir } from "./helpers/run.js";
import { copyTree, inBatches, kubepkiLeftovers, spawnWithEnv, waitForStderr } from "./helpers/tree-tools.js";

let dir: { path: string; cleanup: () => Promise<void> };
let pristine: string;
let oldHashes: Record<string, string>;
let renamesOfRenew = 0;

beforeAll(async () => {
  dir = await tempDir();
  pristine = join(dir.path, "pristine");
  const init = await kubepki([
    "init",
    "--out",
    pristine,
    "--control-plane",
    "cp-1=10.0.0.1",
    "--key-algorithm",
    "ECDSA-P256",
  ]);
  expect(init.code, init.stderr).toBe(0);
  oldHashes = await hashTree(pristine);
  // Every file renew writes exists already: two renames each (old file aside, new file in place).
  const renewed = await renewCertificates(await readTree(pristine), { names: "all" });
  renamesOfRenew = 2 * renewed.files.length;
}, 120_000);
afterAll(() => dir.cleanup());

describe("renew interrupted after the k-th rename, for every k", () => {
  it("the tree has a few dozen files and renew moves them all", () => {
    expect(renamesOfRenew).toBeGreaterThanOrEqual(40);
  });

  for (const signal of ["SIGTERM", "SIGINT", "SIGKILL"] as const) {
    it(`${signal}: the tree is the old one byte for byte (after recovery by the next command)`, async () => {
      // k = 0: staged and journaled, nothing moved yet.
      const ks = Array.from({ length: renamesOfRenew + 1 }, (_, i) => i);
      const failures: string[] = [];
      await inBatches(ks, 4, async (k) => {
        const tree = join(dir.path, `${signal}-${k}`);
        await copyTree(pristine, tree);
        const renew = spawnWithEnv(["renew", tree], { KUBEPKI_TEST_PAUSE_AFTER_RENAME: String(k) });
        await waitForStderr(renew, (stderr) => stderr.includes(`paused after rename ${k}\n`));
        renew.child.kill(signal);
        const code = await renew.exited;
        if (signal !== "SIGKILL" && code !== 130) failures.push(`k=${k}: exit ${code}, ${renew.stderr()}`);
        if (signal === "SIGKILL") {
          // The process could not clean up: the next command that reads the tree recovers it.
          const next = await kubepki(["check-expiration", tree]);
          if (next.code !== 0) failures.push(`k=${k}: check-expiration after kill -9: ${next.stderr}`);
        }
        const hashes = await hashTree(tree);
        if (JSON.stringify(hashes) !== JSON.stringify(oldHashes)) {
          const changed = Object.keys({ ...hashes, ...oldHashes }).filter((p) => hashes[p] !== oldHashes[p]);
          failures.push(`k=${k}: ${changed.join(", ")} differ from the old tree`);
        }
        const leftovers = await kubepkiLeftovers(tree);
        if (leftovers.length > 0) failures.push(`k=${k}: leftovers ${leftovers.join(", ")}`);
        await rm(tree, { recursive: true, force: true });
      });
      expect(failures).toEqual([]);
    }, 600_000);
  }
});

describe("a rename that fails (EIO) at any step", () => {
  it("leaves the old tree byte for byte, for every k (in-process, the renew's real files)", async () => {
    const tree = join(dir.path, "eio");
    await copyTree(pristine, tree);
    const { files } = await renewCertificates(await readTree(tree), { names: "all" });
    for (let k = 1; k <= renamesOfRenew; k++) {
      let seen = 0;
      const error = await writeTreeWithHooks(
        tree,
        files,
        { force: true },
        {
          fault: (operation, path) => {
            if (operation === "rename" && ++seen === k) {
              throw Object.assign(new Error("EIO"), { code: "EIO", syscall: "rename", path });
            }
          },
        },
      ).catch((e: unknown) => e);
      expect(error, `k=${k}`).toBeInstanceOf(CliError);
      expect((error as CliError).code).toBe("IO_ERROR");
      expect((error as CliError).message).toMatch(/^cannot write .+: i\/o error \(EIO\)$/);
      expect(await hashTree(tree), `k=${k}`).toEqual(oldHashes);
      expect(await kubepkiLeftovers(tree)).toEqual([]);
    }
    // And without a fault, the same files land: the test did exercise a write that works.
    await writeTreeWithHooks(tree, files, { force: true }, {});
    expect(await hashTree(tree)).not.toEqual(oldHashes);
  }, 120_000);

  it("through the CLI: one line naming the file and the cause, exit 1, old tree intact", async () => {
    const tree = join(dir.path, "eio-cli");
    await copyTree(pristine, tree);
    for (const k of [1, 2, Math.floor(renamesOfRenew / 2), renamesOfRenew]) {
      const renew = spawnWithEnv(["renew", tree], { KUBEPKI_TEST_FAULT: `rename:${k}:EIO` });
      expect(await renew.exited).toBe(1);
      expect(renew.stderr()).toMatch(/^kubepki renew: cannot write \/\S+: i\/o error \(EIO\)\n$/);
      expect(await hashTree(tree)).toEqual(oldHashes);
    }
  }, 120_000);
});

describe("recovery from the journal alone", () => {
  it("rolls FORWARD a transaction whose journal says committed (kill -9 between commit and cleanup)", async () => {
    const tree = join(dir.path, "forward");
    await mkdir(join(tree, TXN_DIR, "new"), { recursive: true });
    await mkdir(join(tree, TXN_DIR, "old"), { recursive: true });
    await writeFile(join(tree, "a.crt"), "new a"); // moved already
    await writeFile(join(tree, TXN_DIR, "old", "a.crt"), "old a");
    await writeFile(join(tree, "b.crt"), "old b"); // not yet moved
    await writeFile(join(tree, TXN_DIR, "new", "b.crt"), "new b");
    const journal = {
      version: 1,
      state: "committed",
      moves: [
        { path: "a.crt", hadOld: true },
        { path: "b.crt", hadOld: true },
      ],
      createdDirs: [],
    };
    await writeFile(join(tree, TXN_DIR, "journal.json"), JSON.stringify(journal));
    const files = await readTree(tree); // any read of the tree recovers it first
    expect(Object.fromEntries(files)).toEqual({ "a.crt": "new a", "b.crt": "new b" });
    expect(existsSync(join(tree, TXN_DIR))).toBe(false);
  });

  it("rolls BACK a moving transaction, restoring a file whose new version was moved in and removing created directories", async () => {
    const tree = join(dir.path, "back");
    await mkdir(join(tree, TXN_DIR, "old"), { recursive: true });
    await mkdir(join(tree, TXN_DIR, "new", "fresh"), { recursive: true });
    await mkdir(join(tree, "made"), { recursive: true });
    await writeFile(join(tree, "a.crt"), "new a");
    await writeFile(join(tree, TXN_DIR, "old", "a.crt"), "old a");
    await writeFile(join(tree, "made", "c.crt"), "new c"); // a new file in a directory the write created
    await writeFile(join(tree, TXN_DIR, "new", "fresh", "d.crt"), "new d"); // never moved
    const journal = {
      version: 1,
      state: "moving",
      moves: [
        { path: "a.crt", hadOld: true },
        { path: "made/c.crt", hadOld: false },
        { path: "fresh/d.crt", hadOld: false },
      ],
      createdDirs: ["made", "fresh"],
    };
    await writeFile(join(tree, TXN_DIR, "journal.json"), JSON.stringify(journal));
    expect(recoverTree(tree)).toBe("rolled-back");
    expect((await readdir(tree)).sort()).toEqual(["a.crt"]);
    expect(await readFile(join(tree, "a.crt"), "utf8")).toBe("old a");
    // Run again: nothing left to do.
    expect(recoverTree(tree)).toBe("none");
  });

  it("a staging area without a journal (killed while staging) is removed; a hand-edited journal is a typed error", async () => {
    const tree = join(dir.path, "staging-only");
    await mkdir(join(tree, TXN_DIR, "new", "pki"), { recursive: true });
    await writeFile(join(tree, TXN_DIR, "new", "pki", "x.key"), "half");
    await writeFile(join(tree, "keep.txt"), "mine");
    expect(recoverTree(tree)).toBe("cleaned");
    expect(await readdir(tree)).toEqual(["keep.txt"]);
    await mkdir(join(tree, TXN_DIR));
    await writeFile(join(tree, TXN_DIR, "journal.json"), "{ not json");
    const error = await readTree(tree).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe("TXN_CORRUPT");
  });
});

describe("a new output directory: staged beside it, one rename", () => {
  it("a failing final rename (ENOTEMPTY) leaves no directory and no staging beside it", async () => {
    const out = join(dir.path, "new-enotempty");
    const init = spawnWithEnv(["init", "--out", out, "--key-algorithm", "ECDSA-P256"], {
      KUBEPKI_TEST_FAULT: "rename:1:ENOTEMPTY",
    });
    expect(await init.exited).toBe(1);
    expect(init.stderr()).toMatch(/cannot write \S+new-enotempty: directory not empty \(ENOTEMPTY\)\n$/);
    expect(existsSync(out)).toBe(false);
    expect((await readdir(dir.path)).filter((name) => name.startsWith(".new-enotempty"))).toEqual([]);
  }, 60_000);

  for (const signal of ["SIGTERM", "SIGINT", "SIGKILL"] as const) {
    it(`${signal} once everything is staged, before the one rename: no tree, and no staging or lock once the next run is done`, async () => {
      const out = join(dir.path, `new-${signal}`);
      const init = spawnWithEnv(["init", "--out", out, "--key-algorithm", "ECDSA-P256"], {
        KUBEPKI_TEST_PAUSE_AFTER_RENAME: "0",
      });
      await waitForStderr(init, (stderr) => stderr.includes("paused after rename 0\n"));
      expect((await readdir(dir.path)).filter((name) => name.startsWith(`.new-${signal}`)).sort()).toEqual([
        `.new-${signal}.kubepki-lock`,
        `.new-${signal}.kubepki-staging`,
      ]);
      init.child.kill(signal);
      const code = await init.exited;
      expect(existsSync(out)).toBe(false);
      if (signal !== "SIGKILL") {
        expect(code).toBe(130);
        expect((await readdir(dir.path)).filter((name) => name.startsWith(`.new-${signal}`))).toEqual([]);
      }
      const again = await kubepki(["init", "--out", out, "--key-algorithm", "ECDSA-P256"]);
      expect(again.code, again.stderr).toBe(0);
      expect((await readdir(dir.path)).filter((name) => name.startsWith(`.new-${signal}`))).toEqual([]);
    }, 60_000);
  }

  it("the leftovers of a killed run (staging beside, a dead process's lock) are cleaned by the next run", async () => {
    const out = join(dir.path, "new-leftover");
    await mkdir(join(dir.path, ".new-leftover.kubepki-staging", "pki"), { recursive: true });
    await writeFile(join(dir.path, ".new-leftover.kubepki-staging", "pki", "ca.key"), "half");
    const dead = spawnWithEnv(["--version"], {});
    await dead.exited;
    await writeFile(
      join(dir.path, ".new-leftover.kubepki-lock"),
      JSON.stringify({
        pid: dead.child.pid,
        host: (await import("node:os")).hostname(),
        time: new Date().toISOString(),
      }),
    );
    const init = await kubepki(["init", "--out", out, "--key-algorithm", "ECDSA-P256"]);
    expect(init.code, init.stderr).toBe(0);
    expect((await readdir(dir.path)).filter((name) => name.startsWith(".new-leftover"))).toEqual([]);
    expect(existsSync(join(out, "pki", "ca.key"))).toBe(true);
  }, 60_000);
});
