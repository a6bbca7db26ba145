import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { chmod, lstat, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, normalize, sep } from "node:path";
import { CliError } from "./cli-error.js";

/**
 * One file of a tree to write: a path relative to the root, its contents and its mode.
 *
 * @example
 * ```ts
 * import { mkdtemp, stat } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { type TreeFile, writeTree } from "@kubepki/cli";
 * import { createSelfSignedCa, exportPrivateKeyPem, generateKeyPair } from "@kubepki/core";
 *
 * const keyPair = await generateKeyPair("ECDSA-P256");
 * const ca = await createSelfSignedCa({ keyPair, subject: "/CN=kubernetes" });
 * const files: TreeFile[] = [
 *   { path: "pki/ca.crt", contents: ca.pem, mode: 0o644 },
 *   { path: "pki/ca.key", contents: await exportPrivateKeyPem(keyPair), mode: 0o600 },
 * ];
 * const out = await mkdtemp(join(tmpdir(), "kubernetes-"));
 * await writeTree(out, files);
 * console.log(((await stat(join(out, "pki/ca.key"))).mode & 0o777).toString(8)); // "600"
 * ```
 */
export interface TreeFile {
  readonly path: string;
  readonly contents: string | Uint8Array;
  readonly mode: number;
}

/**
 * What {@link writeTree} did.
 *
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeTree, type WriteTreeResult } from "@kubepki/cli";
 *
 * const out = await mkdtemp(join(tmpdir(), "out-"));
 * await writeTree(out, [{ path: "hello.txt", contents: "hi\n", mode: 0o644 }]);
 * const result: WriteTreeResult = await writeTree(out, [{ path: "hello.txt", contents: "hello\n", mode: 0o644 }], {
 *   force: true,
 * });
 * console.log(result.written, result.replaced); // ["hello.txt"] ["hello.txt"]
 * ```
 */
export interface WriteTreeResult {
  readonly root: string;
  readonly written: readonly string[];
  readonly replaced: readonly string[];
}

const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

function checkRelative(path: string): string {
  const clean = normalize(path);
  if (isAbsolute(clean) || clean.startsWith(`..${sep}`) || clean === ".." || clean === ".") {
    throw new CliError(
      "INVALID_PATH",
      `Refusing to write ${JSON.stringify(path)}: paths must stay inside the output directory`,
    );
  }
  return clean;
}

/** Directories that hold a private key are 0700, the rest 0755 (kubeadm keeps /etc/kubernetes/pki 0700-ish). */
function directoryModes(files: readonly TreeFile[]): Map<string, number> {
  const modes = new Map<string, number>();
  for (const file of files) {
    let dir = dirname(file.path);
    while (dir !== "." && dir !== "") {
      const secret = (file.mode & 0o077) === 0;
      if (secret || !modes.has(dir)) modes.set(dir, secret ? 0o700 : (modes.get(dir) ?? 0o755));
      dir = dirname(dir);
    }
  }
  return modes;
}

/**
 * Runs `task` for every item, at most `limit` at a time. After a failure no task starts, and the
 * call rejects with the first failure only once the tasks in flight have settled: the caller then
 * removes the staging directory, and nothing may still be writing into it.
 */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
}

/**
 * Files written at a time. Each write is a few round trips to the thread pool (open, write,
 * close, chmod): one at a time, a 1000-node tree spent most of `init` waiting (~1 s of 1.4 s for
 * 100 nodes). Order does not matter: everything goes into a staging directory that is moved into
 * place afterwards.
 */
const WRITES_IN_FLIGHT = 16;

async function writeAll(base: string, files: readonly TreeFile[]): Promise<void> {
  const modes = directoryModes(files);
  await mkdir(base, { recursive: true, mode: 0o700 });
  // Only the deepest directories are created, each with its parents (a recursive mkdir accepts a
  // parent that a concurrent one made first): a 1000-node tree has ~3000 directories, and one
  // round trip at a time for each of them, twice (mkdir, then chmod), was a large part of `init`.
  const dirs = [...modes.keys()];
  const parents = new Set(dirs.map((dir) => dirname(dir)));
  const deepest = dirs.filter((dir) => !parents.has(dir));
  await eachLimited(deepest, WRITES_IN_FLIGHT, async (dir) => {
    await mkdir(join(base, dir), { recursive: true, mode: 0o700 });
  });
  await eachLimited(files, WRITES_IN_FLIGHT, async (file) => {
    const target = join(base, file.path);
    await writeFile(target, file.contents, { mode: file.mode, flag: "wx" });
    await chmod(target, file.mode); // writeFile's mode is filtered by the umask
  });
  await eachLimited([...modes], WRITES_IN_FLIGHT, async ([dir, mode]) => {
    await chmod(join(base, dir), mode);
  });
}

/** Cleanup actions run if the process is interrupted while a tree is being written. */
const interruptHandlers = new Set<() => void>();
let signalsInstalled = false;
function onInterrupt(handler: () => void): () => void {
  if (!signalsInstalled) {
    signalsInstalled = true;
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.on(signal, () => {
        for (const run of interruptHandlers) run();
        process.exit(130);
      });
    }
  }
  interruptHandlers.add(handler);
  return () => interruptHandlers.delete(handler);
}

/**
 * Writes a whole tree so that either all of it lands or nothing new does:
 * - nothing is overwritten unless `force`; when files exist, the error lists them all and nothing
 *   is written;
 * - every file is first written into a staging directory on the same file system (keys with mode
 *   0600 from the start), then moved into place with rename(2), which is atomic per file;
 * - a new output directory is moved into place in one rename;
 * - on an error or an interrupt (Ctrl-C, SIGTERM) before the end, what was moved is moved back
 *   and the staging directory is removed.
 *
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { writeTree } from "@kubepki/cli";
 * import { generateCluster, toKubeadmFiles } from "@kubepki/k8s-profiles";
 *
 * const pki = await generateCluster({ keyAlgorithm: "ECDSA-P256" });
 * const out = join(await mkdtemp(join(tmpdir(), "cluster-")), "kubernetes");
 * // All of it or nothing; keys 0600; existing files only replaced with force.
 * const { written } = await writeTree(out, toKubeadmFiles(pki));
 * console.log(written.includes("pki/apiserver.crt"), written.includes("admin.conf")); // true true
 * ```
 */
export async function writeTree(
  root: string,
  files: readonly TreeFile[],
  options: { force?: boolean } = {},
): Promise<WriteTreeResult> {
  const relative = files.map((file) => ({ ...file, path: checkRelative(file.path) }));
  const duplicates = relative.filter((file, i) => relative.findIndex((other) => other.path === file.path) !== i);
  if (duplicates.length > 0) {
    throw new CliError("INVALID_PATH", `Two files share the path ${duplicates[0]?.path}`);
  }
  const rootExists = await exists(root);
  const existing: string[] = [];
  if (rootExists) {
    for (const file of relative) if (await exists(join(root, file.path))) existing.push(file.path);
  }
  if (existing.length > 0 && !options.force) {
    throw new CliError(
      "FILES_EXIST",
      `Refusing to overwrite ${existing.length} existing file(s) in ${root} (nothing was written):\n  ${existing.join("\n  ")}\nUse --force to overwrite them, or choose another --out directory.`,
    );
  }

  const token = randomBytes(6).toString("hex");
  if (!rootExists) {
    // New directory: build it beside its final place and rename it in one step.
    await mkdir(dirname(root), { recursive: true });
    const staging = join(dirname(root), `.${basename(root)}.kubepki-${token}`);
    const cleanup = () => rmSyncQuiet(staging);
    const release = onInterrupt(cleanup);
    try {
      await mkdir(staging, { mode: 0o700 });
      await writeAll(staging, relative);
      await chmod(
        staging,
        relative.some((file) => dirname(file.path) === "." && (file.mode & 0o077) === 0) ? 0o700 : 0o755,
      );
      await rename(staging, root);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    } finally {
      release();
    }
    return { root, written: relative.map((file) => file.path), replaced: [] };
  }

  // Existing directory: stage inside it, then move file by file, keeping what was replaced.
  const staging = join(root, `.kubepki-staging-${token}`);
  const backup = join(staging, ".replaced");
  const moved: { path: string; hadOld: boolean }[] = [];
  const rollback = () => {
    for (const { path, hadOld } of moved.reverse()) {
      try {
        renameSyncQuiet(join(root, path), join(staging, "rolled-back", path));
        if (hadOld) renameSyncQuiet(join(backup, path), join(root, path));
      } catch {
        // best effort: keep rolling back the others
      }
    }
    moved.length = 0;
    rmSyncQuiet(staging);
  };
  const release = onInterrupt(rollback);
  try {
    await mkdir(staging, { mode: 0o700 });
    await writeAll(join(staging, "new"), relative);
    for (const [dir, mode] of directoryModes(relative)) {
      if (!(await exists(join(root, dir)))) {
        await mkdir(join(root, dir), { recursive: true, mode });
        await chmod(join(root, dir), mode);
      }
    }
    for (const file of relative) {
      const target = join(root, file.path);
      const hadOld = await exists(target);
      if (hadOld) {
        await mkdir(dirname(join(backup, file.path)), { recursive: true });
        await rename(target, join(backup, file.path));
      }
      moved.push({ path: file.path, hadOld });
      await rename(join(staging, "new", file.path), target);
    }
    moved.length = 0;
    await rm(staging, { recursive: true, force: true });
  } catch (error) {
    rollback();
    throw error;
  } finally {
    release();
  }
  return { root, written: relative.map((file) => file.path), replaced: existing };
}

// Signal handlers must finish synchronously, before process.exit.
function rmSyncQuiet(path: string) {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // nothing more can be done while exiting
  }
}
function renameSyncQuiet(from: string, to: string) {
  mkdirSync(dirname(to), { recursive: true });
  renameSync(from, to);
}
