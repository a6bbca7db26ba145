// `kubepki bundle`: one archive per node of a per-node tree, read back by GNU tar and Info-ZIP
// (zipinfo shows the modes), extracted byte for byte and mode for mode, reproducible, 0600, no
// overwrite without --force, typed refusals.
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initPerNodeTree } from "./helpers/per-node-tree.js";
import { hashTree, kubepki, modeOf, run, tempDir } from "./helpers/run.js";

const FOLDERS = ["admin", "cp-1", "cp-2", "w-1"];
/** What a node's archive leaves out: directories every host has (their modes must not change on extraction). */
const HOST_DIRECTORIES = new Set(["etc", "var", "var/lib"]);

let tmp: { path: string; cleanup: () => Promise<void> };
let dir: string;

beforeAll(async () => {
  tmp = await tempDir();
  dir = join(tmp.path, "per-node");
  await initPerNodeTree(join(tmp.path, "flat"), dir);
}, 120_000);
afterAll(() => tmp.cleanup());

/** Every file and directory under `root` (relative), with its permission bits. */
async function modes(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true })) {
    out[entry] = ((await stat(join(root, entry))).mode & 0o7777).toString(8);
  }
  return out;
}

/** The entries a node's archive should hold: the folder's files and directories, less the host's. */
async function expectedEntries(folder: string): Promise<string[]> {
  const all = await readdir(join(dir, folder), { recursive: true, withFileTypes: true });
  return all
    .map((entry) => {
      const path = join(entry.parentPath, entry.name).slice(join(dir, folder).length + 1);
      return entry.isDirectory() ? `${path}/` : path;
    })
    .filter((path) => !HOST_DIRECTORIES.has(path.replace(/\/$/, "")))
    .sort();
}

/** `extracted` is `folder` byte for byte and mode for mode (the hosts' own directories aside). */
async function expectSameFolder(extracted: string, folder: string): Promise<void> {
  expect(await hashTree(extracted)).toEqual(await hashTree(folder));
  const wanted = await modes(folder);
  const got = await modes(extracted);
  for (const host of HOST_DIRECTORIES) {
    delete wanted[host];
    delete got[host];
  }
  expect(got).toEqual(wanted);
}

async function bundle(out: string, ...extra: string[]) {
  return kubepki(["bundle", dir, "--out", out, ...extra]);
}

describe("kubepki bundle", () => {
  it("tar.gz: one 0600 archive per node and admin/; tar -tvzf lists the folder with keys -rw-------; extraction reproduces it", async () => {
    const out = join(tmp.path, "tgz");
    const result = await bundle(out);
    expect(result.code, result.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(FOLDERS.map((folder) => `${folder}.tar.gz`));
    for (const folder of FOLDERS) {
      const archive = join(out, `${folder}.tar.gz`);
      expect((await modeOf(archive)).toString(8)).toBe("600");
      const listing = await run("tar", ["-tvzf", archive]);
      expect(listing.code, listing.stderr).toBe(0);
      const lines = listing.stdout.trim().split("\n");
      expect(lines.map((line) => line.split(/\s+/).at(-1)).sort()).toEqual(await expectedEntries(folder));
      for (const line of lines.filter((entry) => entry.endsWith(".key")))
        expect(line, line).toMatch(/^-rw------- root\/root /);
      for (const line of lines.filter((entry) => entry.endsWith(".crt")))
        expect(line, line).toMatch(/^-rw-r--r-- root\/root /);
      const extracted = join(tmp.path, "tar-x", folder);
      await mkdir(extracted, { recursive: true });
      expect((await run("tar", ["-xzf", archive, "-C", extracted])).code).toBe(0);
      await expectSameFolder(extracted, join(dir, folder));
    }
    // A control-plane node's pki/ is 0700 (it holds keys), a certificate 0644, a key 0600, as writeTree made them.
    const cp = await modes(join(tmp.path, "tar-x", "cp-1"));
    expect([cp["etc/kubernetes/pki"], cp["etc/kubernetes/pki/ca.crt"], cp["etc/kubernetes/pki/ca.key"]]).toEqual([
      "700",
      "644",
      "600",
    ]);
  });

  it("zip: zipinfo (unzip -Z -l) shows -rw------- on keys; unzip reproduces the folder byte for byte and mode for mode", async () => {
    const out = join(tmp.path, "zip");
    const result = await bundle(out, "--format", "zip");
    expect(result.code, result.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(FOLDERS.map((folder) => `${folder}.zip`));
    for (const folder of FOLDERS) {
      const archive = join(out, `${folder}.zip`);
      expect((await modeOf(archive)).toString(8)).toBe("600");
      const listing = await run("unzip", ["-Z", "-l", archive]);
      expect(listing.code, listing.stderr).toBe(0);
      const lines = listing.stdout.split("\n").filter((line) => /^[-d]r/.test(line));
      expect(lines.map((line) => line.split(/\s+/).at(-1)).sort()).toEqual(await expectedEntries(folder));
      for (const line of lines.filter((entry) => entry.endsWith(".key")))
        expect(line, line).toMatch(/^-rw------- .* unx /);
      const extracted = join(tmp.path, "zip-x", folder);
      await mkdir(extracted, { recursive: true });
      const unzip = await run("unzip", ["-q", archive, "-d", extracted]);
      expect(unzip.code, unzip.stderr + unzip.stdout).toBe(0);
      await expectSameFolder(extracted, join(dir, folder));
    }
  });

  it("a worker's archive holds no CA key, no service-account key and no other node's key", async () => {
    const listing = await run("tar", ["-tzf", join(tmp.path, "tgz", "w-1.tar.gz")]);
    const keys = listing.stdout.split("\n").filter((path) => path.endsWith(".key"));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatch(/kubelet/);
  });

  it("the same tree twice gives the same bytes (both formats)", async () => {
    for (const format of ["tar.gz", "zip"]) {
      const out = join(tmp.path, `again-${format}`);
      expect((await bundle(out, "--format", format)).code).toBe(0);
      const first = join(tmp.path, format === "zip" ? "zip" : "tgz");
      for (const folder of FOLDERS) {
        const name = `${folder}.${format}`;
        expect(Buffer.compare(await readFile(join(out, name)), await readFile(join(first, name))), name).toBe(0);
      }
    }
  });

  it("refuses to overwrite an archive without --force (nothing written), replaces it with --force", async () => {
    const out = join(tmp.path, "tgz");
    const before = await hashTree(out);
    const refused = await bundle(out, "--node", "w-1", "--json");
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe("FILES_EXIST");
    expect(refused.stderr).toContain("w-1.tar.gz");
    expect(await hashTree(out)).toEqual(before);
    const forced = await bundle(out, "--node", "w-1", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(await hashTree(out)).toEqual(before); // reproducible: the same bytes again
    expect((await modeOf(join(out, "w-1.tar.gz"))).toString(8)).toBe("600");
    expect((await readdir(out)).filter((name) => name.startsWith("."))).toEqual([]);
  });

  it("--node picks folders (admin too); an unknown one is UNKNOWN_NODE naming the nodes found (exit 2)", async () => {
    const out = join(tmp.path, "some");
    const some = await bundle(out, "--node", "w-1", "--node", "admin");
    expect(some.code, some.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(["admin.tar.gz", "w-1.tar.gz"]);
    const unknown = await bundle(join(tmp.path, "none"), "--node", "cp-9", "--json");
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error.code).toBe("UNKNOWN_NODE");
    expect(unknown.stderr).toContain('"cp-9" is not a node');
    expect(unknown.stderr).toContain("cp-1, cp-2, w-1, admin");
    expect(await stat(join(tmp.path, "none")).catch(() => "absent")).toBe("absent");
  });

  it("a tree in today's layout is NOT_PER_NODE_LAYOUT, naming init --layout per-node", async () => {
    const result = await kubepki(["bundle", join(tmp.path, "flat"), "--out", join(tmp.path, "flat-out"), "--json"]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).error.code).toBe("NOT_PER_NODE_LAYOUT");
    expect(result.stderr).toContain("kubepki init --layout per-node");
    const usage = await kubepki(["bundle", dir]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--out");
  });
});
