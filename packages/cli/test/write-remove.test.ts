/**
 * Issue 18: the write transaction learns removals. Files written, replaced and removed in one
 * call land together or not at all: a failure at any rename (EIO injected), a pause after any
 * rename ended by SIGKILL or SIGTERM, leaves after recovery the tree as it was (every file's
 * bytes and mode, every directory) or, once committed, the whole new tree; never a mix.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { lstat, mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught } from "../../core/test/helpers/caught.js";
import { backupFiles, backupFolder } from "../src/io/backup.js";
import { CliError } from "../src/io/cli-error.js";
import { type Journal, recoverTree, TXN_DIR, txnPaths } from "../src/io/journal.js";
import { readTree } from "../src/io/read-tree.js";
import { type TreeFile, writeTree, writeTreeWithHooks } from "../src/io/write-tree.js";
import { tempDir } from "./helpers/run.js";
import { copyTree, inBatches, waitForStderr } from "./helpers/tree-tools.js";

/** Every entry under `root`: files by sha256 and mode, directories and links by kind and mode. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const mode = ((await lstat(path)).mode & 0o777).toString(8);
      const key = relative(root, path);
      if (entry.isDirectory()) {
        out[`${key}/`] = `dir ${mode}`;
        await walk(path);
      } else if (entry.isSymbolicLink()) out[key] = `link ${mode}`;
      else
        out[key] = `${createHash("sha256")
          .update(await readFile(path))
          .digest("hex")} ${mode}`;
    }
  };
  await walk(root);
  return out;
}

const text = (contents: string, mode = 0o644): Omit<TreeFile, "path"> => ({ contents, mode });
const BINARY = Uint8Array.from({ length: 256 }, (_, i) => 255 - i); // not UTF-8: bytes must stay exact

/** The tree before: a CA, a node with its key, a file deep in directories that the removal empties. */
const BEFORE: TreeFile[] = [
  { path: "pki/ca.crt", ...text("ca v1\n") },
  { path: "pki/ca.key", ...text("ca key\n", 0o600) },
  { path: "pki/apiserver.crt", ...text("apiserver v1\n") },
  { path: "pki/blob.bin", contents: BINARY, mode: 0o644 },
  { path: "nodes/n1/kubelet.crt", ...text("n1 cert\n") },
  { path: "nodes/n1/kubelet.key", ...text("n1 key\n", 0o600) },
  { path: "nodes/n3/kubelet.crt", ...text("n3 cert\n") },
  { path: "gone/deeper/only.txt", ...text("only\n") },
  { path: "admin.conf", ...text("admin\n", 0o600) },
];
/** The change: one file replaced, a node added, node n1 and the deep file removed. */
const WRITTEN: TreeFile[] = [
  { path: "pki/apiserver.crt", ...text("apiserver v2\n") },
  { path: "nodes/n2/kubelet.crt", ...text("n2 cert\n") },
  { path: "nodes/n2/kubelet.key", ...text("n2 key\n", 0o600) },
];
const REMOVED = ["nodes/n1/kubelet.crt", "nodes/n1/kubelet.key", "gone/deeper/only.txt", "pki/blob.bin"];

let dir: { path: string; cleanup: () => Promise<void> };
let pristine: string;
let before: Record<string, string>;
let after: Record<string, string>;
/** The whole change as apply makes it: new and replaced files, backups of the old ones, removals. */
let change: TreeFile[];
/** Renames of the change: two per replaced file, one per new file, one per removal. */
let renames: number;

beforeAll(async () => {
  dir = await tempDir();
  pristine = join(dir.path, "pristine");
  await writeTree(pristine, BEFORE);
  before = await snapshot(pristine);
  const folder = backupFolder(pristine, new Date("2026-12-07T18:41:23Z"));
  const backups = await backupFiles(pristine, ["pki/apiserver.crt", ...REMOVED], folder);
  change = [...WRITTEN, ...backups];
  renames = 2 * 1 + (WRITTEN.length - 1) + backups.length + REMOVED.length;
  const done = join(dir.path, "done");
  await copyTree(pristine, done);
  let counted = 0;
  const afterRename = (count: number) => {
    counted = Math.max(counted, count);
    return undefined;
  };
  const result = await writeTreeWithHooks(done, change, { force: true, remove: REMOVED }, { afterRename });
  expect(counted).toBe(renames); // the loops below cover every rename
  expect(result.removed).toEqual(REMOVED);
  expect(result.replaced).toEqual(["pki/apiserver.crt"]);
  after = await snapshot(done);
}, 60_000);
afterAll(() => dir.cleanup());

describe("remove and write in one transaction", () => {
  it("removes the files, writes the new ones, keeps the old ones in the backup, drops emptied directories", async () => {
    expect(
      Object.keys(after)
        .filter((path) => !path.startsWith("tmp/"))
        .sort(),
    ).toEqual([
      "admin.conf",
      "nodes/",
      "nodes/n2/",
      "nodes/n2/kubelet.crt",
      "nodes/n2/kubelet.key",
      "nodes/n3/",
      "nodes/n3/kubelet.crt",
      "pki/",
      "pki/apiserver.crt",
      "pki/ca.crt",
      "pki/ca.key",
    ]);
    const backup = "tmp/kubepki-backup-20261207T184123Z";
    expect(after[`${backup}/nodes/n1/kubelet.key`]).toBe(before["nodes/n1/kubelet.key"]); // bytes and 0600
    expect(after[`${backup}/pki/blob.bin`]).toBe(before["pki/blob.bin"]);
    expect(after[`${backup}/pki/apiserver.crt`]).toBe(before["pki/apiserver.crt"]);
    expect(after[`${backup}/gone/deeper/only.txt`]).toBe(before["gone/deeper/only.txt"]);
    expect(after["pki/apiserver.crt"]).not.toBe(before["pki/apiserver.crt"]);
    expect(after[`${backup}/`]).toBe("dir 700"); // it holds keys
    expect(Object.keys(after).some((path) => path.includes(".kubepki-"))).toBe(false);
  });

  it("an EIO at rename k, for every k: the old tree, every byte and mode; past the last rename: the new tree", async () => {
    const failures: string[] = [];
    for (let k = 1; k <= renames + 1; k++) {
      const tree = join(dir.path, `eio-${k}`);
      await copyTree(pristine, tree);
      let seen = 0;
      const fault = (operation: string, path: string) => {
        if (operation === "rename" && ++seen === k)
          throw Object.assign(new Error(`EIO ${path}`), { code: "EIO", syscall: "rename" });
      };
      const outcome = await writeTreeWithHooks(tree, change, { force: true, remove: REMOVED }, { fault }).then(
        () => "written",
        (error: unknown) => (error instanceof CliError ? error.code : String(error)),
      );
      const expected = k <= renames ? "IO_ERROR" : "written";
      if (outcome !== expected) failures.push(`k=${k}: ${outcome}, expected ${expected}`);
      const state = JSON.stringify(await snapshot(tree));
      if (state !== JSON.stringify(k <= renames ? before : after)) failures.push(`k=${k}: a mixed tree`);
      await rm(tree, { recursive: true, force: true });
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it("a throw while paused after rename k (in process) rolls back, for every k", async () => {
    const failures: string[] = [];
    for (let k = 0; k <= renames; k++) {
      const tree = join(dir.path, `pause-${k}`);
      await copyTree(pristine, tree);
      const afterRename = (count: number) => (count === k ? Promise.reject(new Error("stop")) : undefined);
      const error = await caught(() =>
        writeTreeWithHooks(tree, change, { force: true, remove: REMOVED }, { afterRename }),
      );
      if (!(error instanceof Error && error.message === "stop")) failures.push(`k=${k}: ${String(error)}`);
      if (JSON.stringify(await snapshot(tree)) !== JSON.stringify(before)) failures.push(`k=${k}: not the old tree`);
      await rm(tree, { recursive: true, force: true });
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe("a process killed after rename k, for every k", () => {
  let child: string;
  let spec: string;
  beforeAll(async () => {
    // writeTreeWithHooks is not in the package's API: a small script bundled from the sources
    // runs it with the CLI's own test hooks (KUBEPKI_TEST_PAUSE_AFTER_RENAME).
    child = join(dir.path, "child.mjs");
    buildSync({
      stdin: {
        contents: `
          import { readFileSync } from "node:fs";
          import { testHooksFromEnv } from "../src/io/test-hooks.js";
          import { writeTreeWithHooks } from "../src/io/write-tree.js";
          const [root, specFile] = process.argv.slice(2);
          const { files, remove } = JSON.parse(readFileSync(specFile, "utf8"));
          const decoded = files.map((file) => ({ ...file, contents: Buffer.from(file.contents, "base64") }));
          await writeTreeWithHooks(root, decoded, { force: true, remove }, testHooksFromEnv());
          process.stderr.write("written\\n");
        `,
        resolveDir: fileURLToPath(new URL(".", import.meta.url)),
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: child,
      logLevel: "silent",
    });
    spec = join(dir.path, "spec.json");
    const files = change.map((file) => ({ ...file, contents: Buffer.from(file.contents).toString("base64") }));
    await writeFile(spec, JSON.stringify({ files, remove: REMOVED }));
  }, 60_000);

  for (const signal of ["SIGKILL", "SIGTERM"] as const) {
    it(`${signal}: the old tree after recovery by the next reader, for every k; unpaused: the new tree`, async () => {
      const runChild = (tree: string, env: Record<string, string>) => {
        const running = spawn(process.execPath, [child, tree, spec], {
          stdio: ["ignore", "ignore", "pipe"],
          env: { ...process.env, ...env },
        });
        let stderr = "";
        running.stderr?.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        const exited = new Promise<number | null>((resolve) => running.on("exit", (code) => resolve(code)));
        return { child: running, stderr: () => stderr, exited };
      };
      const failures: string[] = [];
      const ks = Array.from({ length: renames + 1 }, (_, k) => k);
      await inBatches(ks, 2, async (k) => {
        const tree = join(dir.path, `${signal}-${k}`);
        await copyTree(pristine, tree);
        const running = runChild(tree, { KUBEPKI_TEST_PAUSE_AFTER_RENAME: String(k) });
        try {
          await waitForStderr(running, (stderr) => stderr.includes(`paused after rename ${k}\n`), 30_000);
        } finally {
          running.child.kill(signal);
        }
        const code = await running.exited;
        if (signal === "SIGTERM" && code !== 130) failures.push(`k=${k}: exit ${code}, ${running.stderr()}`);
        if (signal === "SIGKILL" && !existsSync(join(tree, TXN_DIR)))
          failures.push(`k=${k}: no journal left to recover`);
        await readTree(tree); // the next command that reads the tree recovers it
        if (JSON.stringify(await snapshot(tree)) !== JSON.stringify(before)) failures.push(`k=${k}: not the old tree`);
        await rm(tree, { recursive: true, force: true });
      });
      const tree = join(dir.path, `${signal}-unpaused`);
      await copyTree(pristine, tree);
      const running = runChild(tree, {});
      expect(await running.exited, running.stderr()).toBe(0);
      expect(await snapshot(tree)).toEqual(after);
      expect(failures).toEqual([]);
    }, 300_000);
  }
});

describe("journals", () => {
  it("a journal committed before the process died: removals stay done, emptied directories go", async () => {
    const tree = join(dir.path, "committed");
    await copyTree(pristine, tree);
    const paths = txnPaths(tree);
    await mkdir(join(paths.txn, "old", "gone", "deeper"), { recursive: true });
    await rm(join(tree, "gone/deeper/only.txt")); // moved to old/ (content does not matter here)
    await writeFile(paths.backup("gone/deeper/only.txt"), "only\n");
    const journal: Journal = {
      version: 1,
      state: "committed",
      moves: [{ path: "gone/deeper/only.txt", hadOld: true, kind: "remove" }],
      createdDirs: [],
    };
    await writeFile(paths.journal, JSON.stringify(journal));
    expect(recoverTree(tree)).toBe("rolled-forward");
    expect(existsSync(join(tree, "gone"))).toBe(false);
    expect(existsSync(paths.txn)).toBe(false);
    expect(existsSync(tree)).toBe(true);
  });

  it("a journal of before removals (moves without kind) still rolls back", async () => {
    const tree = join(dir.path, "old-journal");
    await copyTree(pristine, tree);
    const paths = txnPaths(tree);
    await mkdir(join(paths.txn, "old", "pki"), { recursive: true });
    await mkdir(join(paths.txn, "new", "pki"), { recursive: true });
    // Moved: the old file aside and the new one in place; the journal says "moving".
    await writeFile(paths.backup("pki/ca.crt"), "ca v1\n");
    await writeFile(join(tree, "pki/ca.crt"), "ca v2\n");
    await writeFile(
      paths.journal,
      JSON.stringify({ version: 1, state: "moving", moves: [{ path: "pki/ca.crt", hadOld: true }], createdDirs: [] }),
    );
    expect(recoverTree(tree)).toBe("rolled-back");
    expect(await readFile(join(tree, "pki/ca.crt"), "utf8")).toBe("ca v1\n");
    expect(existsSync(paths.txn)).toBe(false);
  });
});

describe("what a removal refuses, with nothing changed", () => {
  const refused = async (
    name: string,
    setup: (tree: string) => Promise<void>,
    remove: string[],
    files: TreeFile[] = [],
  ) => {
    const tree = join(dir.path, `refused-${name}`);
    await copyTree(pristine, tree);
    await setup(tree);
    const state = await snapshot(tree);
    const error = await caught(() => writeTree(tree, files, { force: true, remove }));
    expect(await snapshot(tree)).toEqual(state);
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  };
  const none = async () => {};

  it("a path that is not there: IO_ERROR, naming it", async () => {
    const error = await refused("missing", none, ["nodes/n9/kubelet.crt"], WRITTEN);
    expect(error.code).toBe("IO_ERROR");
    expect(error.message).toMatch(/cannot remove .*nodes\/n9\/kubelet\.crt: no such file or directory \(ENOENT\)/);
    expect((await refused("missing-dir", none, ["nowhere/x.crt"])).code).toBe("IO_ERROR");
  });

  it("a directory: IO_ERROR (EISDIR)", async () => {
    const error = await refused("directory", none, ["nodes/n1"]);
    expect(error.code).toBe("IO_ERROR");
    expect(error.message).toContain("EISDIR");
  });

  it("a symbolic link, to outside the tree or through a directory link leading out: SYMLINK_ESCAPE", async () => {
    const outside = join(dir.path, "outside");
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, "secret.key"), "not ours\n");
    const link = async (tree: string) => symlink(join(outside, "secret.key"), join(tree, "pki/link.key"));
    expect((await refused("file-link", link, ["pki/link.key"])).code).toBe("SYMLINK_ESCAPE");
    const dirLink = async (tree: string) => symlink(outside, join(tree, "out"));
    expect((await refused("dir-link", dirLink, ["out/secret.key"])).code).toBe("SYMLINK_ESCAPE");
    expect(await readFile(join(outside, "secret.key"), "utf8")).toBe("not ours\n");
  });

  it("a path both written and removed, listed twice, outside the tree or kubepki's own: INVALID_PATH", async () => {
    expect((await refused("both", none, ["pki/apiserver.crt"], WRITTEN)).code).toBe("INVALID_PATH");
    expect((await refused("twice", none, ["pki/ca.crt", "pki/./ca.crt"])).code).toBe("INVALID_PATH");
    expect((await refused("climb", none, ["../pristine/pki/ca.crt"])).code).toBe("INVALID_PATH");
    expect((await refused("own", none, [`${TXN_DIR}/journal.json`])).code).toBe("INVALID_PATH");
  });

  it("a removal from a directory that does not exist yet: IO_ERROR, and the directory is not created", async () => {
    const root = join(dir.path, "never");
    const error = await caught(() => writeTree(root, WRITTEN, { remove: ["pki/ca.crt"] }));
    expect((error as CliError).code).toBe("IO_ERROR");
    expect(existsSync(root)).toBe(false);
  });
});

describe("emptied directories", () => {
  it("removing every file leaves the root, empty; a directory that keeps a file stays", async () => {
    const tree = join(dir.path, "all-gone");
    await copyTree(pristine, tree);
    const paths = BEFORE.map((file) => file.path).filter((path) => path !== "nodes/n3/kubelet.crt");
    const result = await writeTree(tree, [], { remove: paths });
    expect(result.removed).toEqual(paths);
    expect(await snapshot(tree)).toEqual({
      "nodes/": before["nodes/"],
      "nodes/n3/": "dir 755",
      "nodes/n3/kubelet.crt": before["nodes/n3/kubelet.crt"],
    });
    await writeTree(tree, [], { remove: ["nodes/n3/kubelet.crt"] });
    expect(await readdir(tree)).toEqual([]);
  });
});
