import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliError } from "../src/io/cli-error.js";
import { type FsOperation, writeTree, writeTreeWithHooks } from "../src/io/write-tree.js";
import { modeOf, run, tempDir } from "./helpers/run.js";

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

const files = [
  { path: "pki/ca.crt", contents: "cert", mode: 0o644 },
  { path: "pki/ca.key", contents: "key", mode: 0o600 },
  { path: "admin.conf", contents: "conf", mode: 0o600 },
  { path: "flags/etcd.txt", contents: "--x=y\n", mode: 0o644 },
];

describe("writeTree: all or nothing, never overwriting", () => {
  it("creates a new directory in one step, with modes for keys and their directories", async () => {
    const root = join(dir.path, "new");
    const result = await writeTree(root, files);
    expect(result.written).toHaveLength(4);
    expect(await readFile(join(root, "pki/ca.key"), "utf8")).toBe("key");
    expect(await modeOf(join(root, "pki/ca.key"))).toBe(0o600);
    expect(await modeOf(join(root, "pki/ca.crt"))).toBe(0o644);
    expect(await modeOf(join(root, "pki"))).toBe(0o700);
    expect(await modeOf(join(root, "flags"))).toBe(0o755);
    expect((await readdir(dir.path)).filter((name) => name.startsWith(".new"))).toEqual([]);
  });

  it("writes exactly these modes whatever the umask (077, 027, 002): the umask never loosens or tightens them", async () => {
    // In a child process, so the umask is its own; writeTree from the built package, as users get it.
    const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    for (const umask of [0o077, 0o027, 0o002]) {
      const root = join(dir.path, `umask-${umask.toString(8)}`);
      const script = `process.umask(${umask}); const { writeTree } = await import(${JSON.stringify(entry)}); await writeTree(${JSON.stringify(root)}, ${JSON.stringify(files)});`;
      const result = await run(process.execPath, ["--input-type=module", "-e", script]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const expected: Record<string, number> = { pki: 0o700, flags: 0o755 };
      for (const file of files) expected[file.path] = file.mode;
      const actual: Record<string, number> = {};
      for (const path of Object.keys(expected)) actual[path] = await modeOf(join(root, path));
      expect(actual, `umask ${umask.toString(8)}`).toEqual(expected);
    }
  });

  it("writes into an existing directory beside the user's own files, leaving no staging behind", async () => {
    const root = join(dir.path, "existing");
    await mkdir(root);
    await writeFile(join(root, "notes.txt"), "mine");
    await writeTree(root, [...files, { path: "top.crt", contents: "top", mode: 0o644 }]);
    expect(await readFile(join(root, "notes.txt"), "utf8")).toBe("mine");
    expect(await readFile(join(root, "top.crt"), "utf8")).toBe("top");
    expect((await readdir(root)).filter((name) => name.startsWith(".kubepki"))).toEqual([]);
  });

  it("refuses to overwrite, listing every existing file, and writes nothing at all", async () => {
    const root = join(dir.path, "existing");
    const error = await writeTree(root, [{ path: "new-file", contents: "x", mode: 0o644 }, ...files]).catch((e) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error.code).toBe("FILES_EXIST");
    for (const file of files) expect(error.message).toContain(file.path);
    expect(existsSync(join(root, "new-file"))).toBe(false);
  });

  it("--force replaces files atomically and reports them", async () => {
    const root = join(dir.path, "existing");
    const result = await writeTree(root, [{ path: "pki/ca.key", contents: "new key", mode: 0o600 }], { force: true });
    expect(result.replaced).toEqual(["pki/ca.key"]);
    expect(await readFile(join(root, "pki/ca.key"), "utf8")).toBe("new key");
  });

  it("a failure midway rolls back: replaced files come back, new files go away", async () => {
    const root = join(dir.path, "existing");
    // "admin.conf/inner" cannot be created because admin.conf is a file: the move phase fails.
    const error = await writeTree(
      root,
      [
        { path: "pki/ca.key", contents: "should not stay", mode: 0o600 },
        { path: "brand-new.txt", contents: "should not stay", mode: 0o644 },
        { path: "admin.conf/inner", contents: "x", mode: 0o644 },
      ],
      { force: true },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(await readFile(join(root, "pki/ca.key"), "utf8")).toBe("new key");
    expect(existsSync(join(root, "brand-new.txt"))).toBe(false);
    expect(await readFile(join(root, "admin.conf"), "utf8")).toBe("conf");
    expect((await readdir(root)).filter((name) => name.startsWith(".kubepki"))).toEqual([]);
  });

  it("a failure while many files are being written leaves nothing behind (writes run 16 at a time)", async () => {
    const root = join(dir.path, "many");
    const many = Array.from({ length: 300 }, (_, i) => ({ path: `nodes/n${i}/pki/k.key`, contents: "k", mode: 0o600 }));
    // "clash" is both a file and the directory of "clash/inner": writing one of them fails while
    // the other writes are in flight; the staging directory must still be removed completely.
    const error = await writeTree(root, [
      ...many.slice(0, 150),
      { path: "clash", contents: "x", mode: 0o644 },
      { path: "clash/inner", contents: "y", mode: 0o644 },
      ...many.slice(150),
    ]).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(existsSync(root)).toBe(false);
    expect((await readdir(dir.path)).filter((name) => name.startsWith(".many") || name.includes("kubepki"))).toEqual(
      [],
    );
  });

  it("leaves no signal handler installed after a write (new directory, replace, failure)", async () => {
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
    const count = () => signals.map((signal) => process.listenerCount(signal));
    const before = count();
    const root = join(dir.path, "handlers");
    await writeTree(root, files);
    await writeTree(root, files, { force: true });
    await writeTree(root, [{ path: "admin.conf/inner", contents: "x", mode: 0o644 }], { force: true }).catch(() => {});
    expect(count()).toEqual(before);
  });

  it("SIGINT/SIGTERM/SIGHUP listener counts are what they were after writeTree returns and after it throws, at each step", async () => {
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
    const count = () => signals.map((signal) => process.listenerCount(signal));
    // Someone else's handler is there before and stays: the write removes only its own.
    const host = () => {};
    process.on("SIGHUP", host);
    try {
      const before = count();
      const root = join(dir.path, "listeners");
      const expectRejected = async (promise: Promise<unknown>, code: string) => {
        const error = await promise.then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect((error as CliError)?.code, String(error)).toBe(code);
        expect(count()).toEqual(before);
      };
      // Returns: a new directory, then a replace.
      await writeTree(root, files);
      expect(count()).toEqual(before);
      await writeTree(root, files, { force: true });
      expect(count()).toEqual(before);
      // Throws before the guard exists (bad path, existing files) …
      await expectRejected(writeTree(root, [{ path: "../x", contents: "", mode: 0o644 }]), "INVALID_PATH");
      await expectRejected(writeTree(root, files), "FILES_EXIST");
      // … and while it is installed: each file operation fails once, in both write paths.
      for (const operation of ["mkdir", "write", "rename"] as const) {
        for (const target of [join(dir.path, `fresh-${operation}`), root]) {
          let failed = false;
          const fault = (op: FsOperation) => {
            if (op !== operation || failed) return;
            failed = true;
            throw Object.assign(new Error(`injected ${op}`), { code: "EIO" });
          };
          const error = await writeTreeWithHooks(target, files, { force: true }, { fault }).then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(failed, `${operation} in ${target}`).toBe(true);
          expect(error, `${operation} in ${target}`).toBeDefined();
          expect(count(), `${operation} in ${target}`).toEqual(before);
        }
      }
    } finally {
      process.off("SIGHUP", host);
    }
  });

  it("refuses paths that leave the output directory", async () => {
    for (const path of ["../escape", "/etc/passwd", "a/../../b"]) {
      const error = await writeTree(join(dir.path, "x"), [{ path, contents: "", mode: 0o644 }]).catch((e) => e);
      expect(error.code, path).toBe("INVALID_PATH");
    }
  });
});
