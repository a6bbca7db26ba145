/**
 * Issue 15 point 9 (and the 1 MiB part of point 7): the symlink rule. kubepki never writes through
 * a symbolic link that leads outside --out; it reads trees whose folders are links (cycles end);
 * an existing key directory readable by others is tightened to 0700; a file over 1 MiB is a typed
 * error, never skipped.
 */
import { chmod, mkdir, readFile, rename, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliError } from "../src/io/cli-error.js";
import { readTree } from "../src/io/read-tree.js";
import { writeTree } from "../src/io/write-tree.js";
import { hashTree, kubepki, modeOf, tempDir } from "./helpers/run.js";
import { copyTree } from "./helpers/tree-tools.js";

let dir: { path: string; cleanup: () => Promise<void> };
let pristine: string;
beforeAll(async () => {
  dir = await tempDir();
  pristine = join(dir.path, "pristine");
  expect((await kubepki(["init", "--out", pristine, "--key-algorithm", "ECDSA-P256"])).code).toBe(0);
}, 60_000);
afterAll(() => dir.cleanup());

/** A copy of the tree whose pki/ is a link to a directory outside it. */
async function treeWithOutsidePki(name: string) {
  const root = join(dir.path, name);
  const outside = join(dir.path, `${name}-outside-pki`);
  await copyTree(pristine, root);
  await rename(join(root, "pki"), outside);
  await symlink(outside, join(root, "pki"));
  return { root, outside };
}

describe("writing: never through a link that leaves --out", () => {
  it("init --force through a symlinked pki/ leading outside: SYMLINK_ESCAPE, the outside ca.key untouched, nothing written", async () => {
    const { root, outside } = await treeWithOutsidePki("force-through");
    const treeBefore = await hashTree(root, { skipLinks: true });
    const outsideBefore = await hashTree(outside);
    const result = await kubepki(["init", "--out", root, "--key-algorithm", "ECDSA-P256", "--force"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Refusing to write through \S+\/pki: it is a symbolic link to \S+, outside/);
    expect(await hashTree(outside)).toEqual(outsideBefore);
    expect(await hashTree(root, { skipLinks: true })).toEqual(treeBefore);
  }, 60_000);

  it("renew of such a tree reads it (follows the link) and refuses to write, changing nothing", async () => {
    const { root, outside } = await treeWithOutsidePki("renew-through");
    const outsideBefore = await hashTree(outside);
    const result = await kubepki(["renew", root, "--json"]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).error.code).toBe("SYMLINK_ESCAPE");
    expect(await hashTree(outside)).toEqual(outsideBefore);
  }, 60_000);

  it("a link AT a file kubepki writes (pki/ca.key) is refused, even with force", async () => {
    const root = join(dir.path, "file-link");
    await copyTree(pristine, root);
    const elsewhere = join(dir.path, "elsewhere.key");
    await writeFile(elsewhere, "someone's key");
    await rename(join(root, "pki", "ca.key"), join(dir.path, "unused.key"));
    await symlink(elsewhere, join(root, "pki", "ca.key"));
    const error = await writeTree(root, [{ path: "pki/ca.key", contents: "new", mode: 0o600 }], { force: true }).catch(
      (e: unknown) => e,
    );
    expect((error as CliError).code).toBe("SYMLINK_ESCAPE");
    expect(await readFile(elsewhere, "utf8")).toBe("someone's key");
  });

  it("a directory link that stays inside --out is followed", async () => {
    const root = join(dir.path, "inside-link");
    await mkdir(join(root, "real"), { recursive: true });
    await symlink(join(root, "real"), join(root, "pki"));
    await writeTree(root, [{ path: "pki/x.crt", contents: "x", mode: 0o644 }]);
    // One real directory under two names: read once, under the first name met.
    expect([...(await readTree(root)).values()]).toEqual(["x"]);
    expect(await readFile(join(root, "real", "x.crt"), "utf8")).toBe("x");
  });
});

describe("reading: links are followed", () => {
  it("audit and check-expiration read a tree whose pki/ is a link, with the same result as the original", async () => {
    const { root } = await treeWithOutsidePki("audit-through");
    const [original, linked] = [await readTree(pristine), await readTree(root)];
    expect(Object.fromEntries(linked)).toEqual(Object.fromEntries(original));
    const audit = await kubepki(["audit", root]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    const expiry = await kubepki(["check-expiration", root]);
    expect(expiry.code).toBe(0);
    expect(expiry.stdout).toContain("apiserver");
  }, 60_000);

  it("a cycle of links ends, each directory read once", async () => {
    const root = join(dir.path, "cycle");
    await mkdir(join(root, "a"), { recursive: true });
    await writeFile(join(root, "a", "f.crt"), "f");
    await symlink(root, join(root, "a", "up"));
    await symlink(join(root, "a"), join(root, "b"));
    expect([...(await readTree(root)).keys()]).toEqual(["a/f.crt"]);
  });

  it("a dangling link in the tree is a typed error naming it", async () => {
    const root = join(dir.path, "dangling-in-tree");
    await mkdir(root);
    await symlink(join(dir.path, "missing.crt"), join(root, "ca.crt"));
    const error = await readTree(root).catch((e: unknown) => e);
    expect((error as CliError).code).toBe("IO_ERROR");
    expect((error as CliError).message).toBe(`cannot read ${join(root, "ca.crt")}: no such file or directory (ENOENT)`);
  });

  it("a file over 1 MiB (a ca.key padded with newlines) is an error naming it, not skipped", async () => {
    const root = join(dir.path, "padded");
    await copyTree(pristine, root);
    await writeFile(join(root, "pki", "ca.key"), "\n".repeat(1024 * 1024 + 1), { flag: "a" });
    const error = await readTree(root).catch((e: unknown) => e);
    expect((error as CliError).code).toBe("FILE_TOO_LARGE");
    expect((error as CliError).message).toContain(join(root, "pki", "ca.key"));
    const renew = await kubepki(["renew", root]);
    expect(renew.code).toBe(1);
    expect(renew.stderr).toContain("pki/ca.key");
  }, 60_000);
});

describe("key directories", () => {
  it("an existing pki/ with mode 0755 is set to 0700 and reported", async () => {
    const root = join(dir.path, "loose");
    await copyTree(pristine, root);
    await chmod(join(root, "pki"), 0o755);
    const result = await kubepki(["init", "--out", root, "--key-algorithm", "ECDSA-P256", "--force"]);
    expect(result.code, result.stderr).toBe(0);
    expect(await modeOf(join(root, "pki"))).toBe(0o700);
    expect(result.stderr).toContain("pki/ holds private keys: its mode is now 0700");
    const tightened = await writeTree(root, [{ path: "pki/x.key", contents: "k", mode: 0o600 }]).then(
      (r) => r.tightened,
    );
    expect(tightened).toEqual([]); // already 0700: nothing to report
  }, 60_000);
});
