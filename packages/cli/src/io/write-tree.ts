import { chmodSync, closeSync, fchmodSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { chmod, lstat, mkdir, readdir, realpath, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from "node:path";
import { eachInBatches } from "./batches.js";
import { CliError } from "./cli-error.js";
import { fsyncPath, makeDurable } from "./durable.js";
import { errnoError, ioError, isErrnoError } from "./fs-error.js";
import { guardInterrupts, type InterruptGuard } from "./interrupt.js";
import { type JournalMove, recoverTree, removeEmptyDirs, TXN_DIR, txnPaths, writeJournal } from "./journal.js";
import { asHeldLock, type HeldTreeLock, holdTreeLock, LOCK_FILE, type TreeLock, treeRootKind } from "./tree-lock.js";

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
 * console.log(result.written, result.replaced, result.tightened); // ["hello.txt"] ["hello.txt"] []
 * ```
 */
export interface WriteTreeResult {
  readonly root: string;
  readonly written: readonly string[];
  readonly replaced: readonly string[];
  /** Files taken out of the tree (`options.remove`), in the order given. */
  readonly removed: readonly string[];
  /** Existing directories that hold private keys and were readable by others, set to 0700. */
  readonly tightened: readonly string[];
}

/**
 * Options of {@link writeTree}.
 *
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { type WriteTreeOptions, writeTree } from "@kubepki/cli";
 *
 * const root = await mkdtemp(join(tmpdir(), "tree-"));
 * await writeTree(root, [{ path: "a.txt", contents: "1\n", mode: 0o644 }]);
 * // Replace existing files (atomically, all or none).
 * const options: WriteTreeOptions = { force: true };
 * const { replaced } = await writeTree(root, [{ path: "a.txt", contents: "2\n", mode: 0o644 }], options);
 * console.log(replaced); // ["a.txt"]
 * // Take a file out, in the same kind of transaction.
 * const { removed } = await writeTree(root, [], { remove: ["a.txt"] });
 * console.log(removed); // ["a.txt"]
 * ```
 */
export interface WriteTreeOptions {
  /** Replace files that exist (without it, any existing file makes the call refuse, writing nothing). */
  readonly force?: boolean;
  /** A lock on the root already held (from `lockTree`), e.g. to read and write under one lock. */
  readonly lock?: TreeLock;
  /**
   * Files of the tree to take out in the same transaction (paths relative to the root, checked
   * like the files' paths; each must be a regular file, not also written). Directories they leave
   * empty go too, never the root. Needs no `force`: naming a file here is the request.
   */
  readonly remove?: readonly string[];
}

/** A file operation a test can make fail. */
export type FsOperation = "mkdir" | "write" | "rename";

/**
 * Deterministic test hooks of the write path (the CLI sets them from `KUBEPKI_TEST_*` variables;
 * the library API has none).
 */
export interface WriteHooks {
  /**
   * Runs after the k-th rename (1-based) of the commit, and with 0 once everything is staged,
   * before the first; a returned promise is awaited (a test pauses there).
   */
  afterRename?(count: number): Promise<void> | undefined;
  /** Runs before each file operation; throws to inject a failure (ENOSPC, EIO, …). */
  fault?(operation: FsOperation, path: string): void;
}

const RESERVED = [TXN_DIR, LOCK_FILE];

function checkRelative(path: string, verb: "write" | "remove" = "write"): string {
  const clean = normalize(path);
  if (isAbsolute(clean) || clean.startsWith(`..${sep}`) || clean === ".." || clean === ".") {
    throw new CliError(
      "INVALID_PATH",
      `Refusing to ${verb} ${JSON.stringify(path)}: paths must stay inside the output directory`,
    );
  }
  if (RESERVED.includes(clean.split(sep)[0] as string)) {
    throw new CliError(
      "INVALID_PATH",
      `Refusing to ${verb} ${JSON.stringify(path)}: kubepki keeps that name for itself`,
    );
  }
  return clean;
}

function checkFiles(files: readonly TreeFile[]): TreeFile[] {
  const relative = files.map((file) => ({ ...file, path: checkRelative(file.path) }));
  const seen = new Set<string>();
  for (const file of relative) {
    if (seen.has(file.path)) throw new CliError("INVALID_PATH", `Two files share the path ${file.path}`);
    seen.add(file.path);
  }
  return relative;
}

/** The paths to remove, checked like the files' paths: each once, none also written. */
function checkRemovals(remove: readonly string[], files: readonly TreeFile[]): string[] {
  const written = new Set(files.map((file) => file.path));
  const seen = new Set<string>();
  return remove.map((path) => {
    const clean = checkRelative(path, "remove");
    if (written.has(clean))
      throw new CliError("INVALID_PATH", `Refusing to both write and remove ${clean} (nothing was written)`);
    if (seen.has(clean)) throw new CliError("INVALID_PATH", `The path ${clean} is listed twice for removal`);
    seen.add(clean);
    return clean;
  });
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
 * Paths looked at a time when surveying an existing tree (each an lstat, sometimes a realpath, on
 * the thread pool). Writing is synchronous in batches instead (`stage`).
 */
const WRITES_IN_FLIGHT = 16;

/** `operation` with failures reported for `path`, the path the user knows (not the staging copy). */
async function at<T>(path: string, operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    throw ioError("write", path, error);
  }
}

/** `operation()` with failures reported for `path`, the path the user knows (not the staging copy). */
function atSync<T>(path: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw ioError("write", path, error);
  }
}

/**
 * Writes `files` under `base` (a staging directory), each created with O_EXCL and its final mode,
 * then makes them durable before anything is renamed into place. Directories get their modes.
 * The calls are synchronous, in batches (`eachInBatches`: why, and how a signal still gets through).
 */
async function stage(
  base: string,
  root: string,
  files: readonly TreeFile[],
  hooks: WriteHooks,
  guard: InterruptGuard,
): Promise<void> {
  const modes = directoryModes(files);
  // Parents before children (a parent's path is shorter), each created with its final mode.
  const dirs = [...modes.keys()].sort((a, b) => a.length - b.length);
  // What open(2) and mkdir(2) take off a mode: chmod only when it took something, which the
  // usual umasks (022, 002) do not for 0644/0600/0755/0700 (10 000 calls fewer at N = 1000).
  const umask = process.umask();
  await at(root, mkdir(base, { recursive: true, mode: 0o700 }));
  await eachInBatches(dirs, (dir) => {
    guard.throwIfInterrupted();
    const path = join(root, dir);
    const mode = modes.get(dir) as number;
    hooks.fault?.("mkdir", path);
    atSync(path, () => mkdirSync(join(base, dir), { mode }));
    if ((mode & umask) !== 0) atSync(path, () => chmodSync(join(base, dir), mode));
  });
  await eachInBatches(files, (file) => {
    guard.throwIfInterrupted();
    const path = join(root, file.path);
    hooks.fault?.("write", path);
    const fd = atSync(path, () => openSync(join(base, file.path), "wx", file.mode));
    try {
      atSync(path, () => writeFileSync(fd, file.contents));
      if ((file.mode & umask) !== 0) atSync(path, () => fchmodSync(fd, file.mode));
    } finally {
      closeSync(fd);
    }
  });
  // The new directories' entries too: a new tree is published by one rename of `base`.
  const all = () => [...files.map((file) => join(base, file.path)), ...dirs.map((dir) => join(base, dir)), base];
  await at(root, makeDurable(base, all));
}

/** The test hook's "after rename 0": everything staged (and journaled), nothing moved yet. */
async function pauseBeforeFirstRename(hooks: WriteHooks, guard: InterruptGuard): Promise<void> {
  const pause = hooks.afterRename?.(0);
  if (pause) await pause;
  guard.throwIfInterrupted();
}

/** A new output directory: staged beside its final place (same file system) and renamed in one step. */
async function createTree(
  root: string,
  files: readonly TreeFile[],
  hooks: WriteHooks,
  lock: HeldTreeLock,
): Promise<WriteTreeResult> {
  // One name, not a random one: under the lock, a leftover of a killed run is ours to remove.
  const staging = join(dirname(root), `.${basename(root)}.kubepki-staging`);
  const removeStaging = () => rmSync(staging, { recursive: true, force: true });
  removeStaging();
  const guard = guardInterrupts(() => {
    try {
      removeStaging();
    } finally {
      lock.releaseSync();
    }
  });
  try {
    await at(root, mkdir(staging, { mode: 0o700 }));
    await stage(staging, root, files, hooks, guard);
    const topSecret = files.some((file) => dirname(file.path) === "." && (file.mode & 0o077) === 0);
    await at(root, chmod(staging, topSecret ? 0o700 : 0o755));
    await pauseBeforeFirstRename(hooks, guard);
    hooks.fault?.("rename", root);
    // Fails (ENOTEMPTY/EEXIST) if ROOT appeared meanwhile with something in it, e.g. another
    // writer's inside lock: never mixed into.
    await at(root, rename(staging, root));
    await hooks.afterRename?.(1);
    await at(root, fsyncPath(dirname(root)));
    return { root, written: files.map((file) => file.path), replaced: [], removed: [], tightened: [] };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    guard.dispose();
  }
}

const isInside = (root: string, path: string) =>
  path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/** What is at the paths of an existing tree, checked before anything is written. */
interface TargetSurvey {
  /** Files that exist (in the order given). */
  readonly existing: string[];
  /** Directories to create (shallowest first). */
  readonly missingDirs: string[];
  /** Directories that exist. */
  readonly presentDirs: string[];
}

/** Each file to remove is there and a regular file (not a link, not a directory), before anything moves. */
async function surveyRemovals(
  root: string,
  removals: readonly string[],
  lstatOf: (removal: string) => Promise<Awaited<ReturnType<typeof lstat>> | undefined>,
): Promise<void> {
  await eachLimited(removals, WRITES_IN_FLIGHT, async (removal) => {
    const path = join(root, removal);
    const info = await lstatOf(removal);
    if (info === undefined) throw ioError("remove", path, errnoError("ENOENT", "unlink", path));
    if (info.isSymbolicLink()) {
      const target = await realpath(path).catch(() => "a missing file");
      throw new CliError(
        "SYMLINK_ESCAPE",
        `Refusing to remove ${path}: it is a symbolic link (to ${target}), and kubepki removes only the regular files of a tree (nothing was written).`,
      );
    }
    if (info.isDirectory()) throw ioError("remove", path, errnoError("EISDIR", "unlink", path));
    if (!info.isFile()) throw ioError("remove", path, errnoError("EINVAL", "unlink", path));
  });
}

/**
 * The symlink rule of the write path: kubepki never writes through a symbolic link that leads
 * outside the output directory. A directory link under ROOT is followed only when it resolves
 * inside ROOT; a link at a file kubepki would write or remove is refused (replacing it would
 * silently change what the link's owner set up; kubepki never makes links, so it did not make
 * that one). A file where a directory is needed is ENOTDIR. A file to remove must be there and
 * be a regular file (ENOENT, EISDIR otherwise): all checked before anything moves.
 */
async function surveyTargets(
  root: string,
  files: readonly TreeFile[],
  removals: readonly string[],
): Promise<TargetSurvey> {
  const rootReal = await at(root, realpath(root));
  const kinds = new Map<string, Promise<"dir" | "missing">>();
  const lstatOrMissing = (path: string) =>
    lstat(path).catch((error) => {
      if (isErrnoError(error) && error.code === "ENOENT") return undefined;
      throw ioError("write", path, error);
    });
  const dirKind = (dir: string): Promise<"dir" | "missing"> => {
    if (dir === "." || dir === "") return Promise.resolve("dir");
    let kind = kinds.get(dir);
    if (kind === undefined) {
      kind = (async () => {
        if ((await dirKind(dirname(dir))) === "missing") return "missing";
        const path = join(root, dir);
        const info = await lstatOrMissing(path);
        if (info === undefined) return "missing";
        if (info.isSymbolicLink()) {
          const real = await at(path, realpath(path)); // a dangling link: ENOENT
          if (!isInside(rootReal, real)) {
            throw new CliError(
              "SYMLINK_ESCAPE",
              `Refusing to write through ${path}: it is a symbolic link to ${real}, outside ${root} (nothing was written). ` +
                "kubepki writes only inside the output directory: replace the link with a directory, or write there directly.",
            );
          }
          if (!(await at(path, stat(path))).isDirectory())
            throw ioError("write", path, errnoError("ENOTDIR", "mkdir", path));
          return "dir";
        }
        if (!info.isDirectory()) throw ioError("write", path, errnoError("ENOTDIR", "mkdir", path));
        return "dir";
      })();
      kinds.set(dir, kind);
    }
    return kind;
  };
  const present = new Array<boolean>(files.length).fill(false);
  await eachLimited(
    files.map((file, index) => ({ file, index })),
    WRITES_IN_FLIGHT,
    async ({ file, index }) => {
      if ((await dirKind(dirname(file.path))) === "missing") return;
      const path = join(root, file.path);
      const info = await lstatOrMissing(path);
      if (info?.isSymbolicLink()) {
        const target = await realpath(path).catch(() => "a missing file");
        throw new CliError(
          "SYMLINK_ESCAPE",
          `Refusing to replace ${path}: it is a symbolic link (to ${target}), and kubepki does not write through links (nothing was written).`,
        );
      }
      if (info?.isDirectory()) throw ioError("write", path, errnoError("EISDIR", "open", path));
      present[index] = info !== undefined;
    },
  );
  await surveyRemovals(root, removals, async (removal) =>
    (await dirKind(dirname(removal))) === "missing" ? undefined : await lstatOrMissing(join(root, removal)),
  );
  const dirs = [...directoryModes(files).keys()].sort((a, b) => a.length - b.length);
  const dirKinds = await Promise.all(dirs.map(dirKind));
  return {
    existing: files.filter((_, index) => present[index]).map((file) => file.path),
    missingDirs: dirs.filter((_, index) => dirKinds[index] === "missing"),
    presentDirs: dirs.filter((_, index) => dirKinds[index] === "dir"),
  };
}

/** Existing directories that will hold private keys, readable by others (0755): set to 0700. */
async function tightenKeyDirectories(root: string, files: readonly TreeFile[], presentDirs: readonly string[]) {
  const modes = directoryModes(files);
  const tightened: string[] = [];
  for (const dir of presentDirs) {
    if (modes.get(dir) !== 0o700) continue;
    const path = join(root, dir);
    if (((await at(path, stat(path))).mode & 0o077) === 0) continue;
    await at(path, chmod(path, 0o700));
    tightened.push(dir);
  }
  return tightened;
}

/**
 * An existing directory, replaced file by file as one transaction (see `journal.ts`): stage every
 * file in `ROOT/.kubepki-txn/new`, write the journal (fsynced), move (old file to `old/`, new file
 * into place; a removed file only to `old/`; renames are synchronous, so a signal is handled
 * between two moves, never during one), fsync the directories, mark the journal committed, then
 * drop the backups and the directories the removals left empty.
 */
async function replaceInto(
  root: string,
  files: readonly TreeFile[],
  removals: readonly string[],
  force: boolean,
  hooks: WriteHooks,
  lock: HeldTreeLock,
): Promise<WriteTreeResult> {
  recoverTree(root); // a write killed earlier (kill -9, power cut): finish or undo it first
  const survey = await surveyTargets(root, files, removals);
  if (survey.existing.length > 0 && !force) {
    throw new CliError(
      "FILES_EXIST",
      `Refusing to overwrite ${survey.existing.length} existing file(s) in ${root} (nothing was written):\n  ${survey.existing.join("\n  ")}\nUse --force to overwrite them, or choose another --out directory.`,
    );
  }
  const tightened = await tightenKeyDirectories(root, files, survey.presentDirs);
  const paths = txnPaths(root);
  const existing = new Set(survey.existing);
  const moves: JournalMove[] = [
    ...files.map((file) => ({ path: file.path, hadOld: existing.has(file.path) })),
    ...removals.map((path) => ({ path, hadOld: true, kind: "remove" as const })),
  ];
  const guard = guardInterrupts(() => {
    try {
      recoverTree(root);
    } finally {
      lock.releaseSync();
    }
  });
  try {
    hooks.fault?.("mkdir", paths.txn);
    await at(root, mkdir(paths.txn, { mode: 0o700 }));
    await stage(join(paths.txn, "new"), root, files, hooks, guard);
    const backupDirs = new Set(moves.filter((move) => move.hadOld).map((move) => dirname(paths.backup(move.path))));
    for (const dir of backupDirs) await at(root, mkdir(dir, { recursive: true, mode: 0o700 }));
    await at(root, writeJournal(root, { version: 1, state: "moving", moves, createdDirs: survey.missingDirs }));
    await pauseBeforeFirstRename(hooks, guard);
    const modes = directoryModes(files);
    for (const dir of survey.missingDirs) {
      const path = join(root, dir);
      hooks.fault?.("mkdir", path);
      await at(path, mkdir(path, { mode: 0o700 }));
      await at(path, chmod(path, modes.get(dir) ?? 0o755));
    }
    let renames = 0;
    const move = async (from: string, to: string, path: string) => {
      try {
        hooks.fault?.("rename", path);
        renameSync(from, to);
      } catch (error) {
        throw ioError("write", path, error);
      }
      const pause = hooks.afterRename?.(++renames);
      if (pause) {
        await pause;
        guard.throwIfInterrupted();
      }
    };
    for (const { path, hadOld, kind } of moves) {
      const target = join(root, path);
      if (hadOld) await move(target, paths.backup(path), target);
      if (kind !== "remove") await move(paths.staged(path), target, target);
    }
    // The renames durable before "committed": a power cut after it must find every new file in place.
    const targetDirs = () => [...new Set([root, ...moves.map(({ path }) => dirname(join(root, path)))])];
    await at(root, makeDurable(root, targetDirs));
    await at(root, writeJournal(root, { version: 1, state: "committed", moves, createdDirs: survey.missingDirs }));
  } catch (error) {
    recoverTree(root); // from the journal on disk: rolls back, or forward if it was committed
    throw error;
  } finally {
    guard.dispose();
  }
  // Committed: the backups are no longer needed. If this is cut short, the next run finishes it.
  await rm(paths.txn, { recursive: true, force: true }).catch(() => {});
  removeEmptyDirs(root, removals);
  return { root, written: files.map((file) => file.path), replaced: survey.existing, removed: removals, tightened };
}

/**
 * Writes a whole tree so that either all of it lands or nothing new does, under the tree's lock
 * ({@link lockTree}; `options.lock` to pass one already held):
 * - nothing is overwritten unless `force`; when files exist, the error lists them all and nothing
 *   is written (checked under the lock, so two writers cannot both pass it);
 * - every file is first written into a staging directory on the same file system (created with
 *   O_EXCL, keys 0600 from the start, fsynced);
 * - a new output directory is moved into place in one rename;
 * - in an existing directory, files are replaced as one transaction with a journal in
 *   `ROOT/.kubepki-txn` (written and fsynced before the first move; backups kept until it says
 *   committed). A failure, or Ctrl-C/SIGTERM/SIGHUP (handlers installed only during the write),
 *   rolls back from the journal; a process killed outright (kill -9, power cut) is recovered by
 *   the next `writeTree`/`readTree` on the tree (rolled back, or forward if it had committed);
 * - symbolic links: kubepki never writes through a link that leads outside `root` (a directory
 *   link under `root` is followed only when it resolves inside it; a link at a file it would
 *   write is refused); `root` itself may be a link;
 * - existing directories that will hold private keys are set to 0700 when others could read
 *   them (`tightened` in the result);
 * - `options.remove` takes files out in the same transaction (moved aside, restored by a
 *   rollback, deleted once committed; directories left empty go too, never `root`).
 *
 * @throws CliError `FILES_EXIST`, `TREE_LOCKED`, `SYMLINK_ESCAPE`, `INVALID_PATH`, `INTERRUPTED`,
 * or `IO_ERROR` ("cannot write PATH: no space left on device (ENOSPC)"; "cannot remove PATH: no
 * such file or directory (ENOENT)" for a removal that is not there), always with the tree as it was.
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
export function writeTree(
  root: string,
  files: readonly TreeFile[],
  options: WriteTreeOptions = {},
): Promise<WriteTreeResult> {
  return writeTreeWithHooks(root, files, options, {});
}

/** {@link writeTree} with test hooks (the CLI's `KUBEPKI_TEST_*` variables); not part of the library API. */
export async function writeTreeWithHooks(
  root: string,
  files: readonly TreeFile[],
  options: WriteTreeOptions,
  hooks: WriteHooks,
): Promise<WriteTreeResult> {
  const absolute = resolve(root);
  const checked = checkFiles(files);
  const removals = checkRemovals(options.remove ?? [], checked);
  const lock = options.lock ? asHeldLock(options.lock, absolute) : await holdTreeLock(absolute);
  try {
    if ((await treeRootKind(absolute, "write")) === "none") {
      const [first] = removals;
      if (first !== undefined) {
        const path = join(absolute, first);
        throw ioError("remove", path, errnoError("ENOENT", "unlink", path));
      }
      await lock.holdBeside();
      return await createTree(absolute, checked, hooks, lock);
    }
    await lock.holdInside();
    return await replaceInto(absolute, checked, removals, options.force === true, hooks, lock);
  } catch (error) {
    if (isErrnoError(error)) throw ioError("write", absolute, error);
    throw error;
  } finally {
    if (!options.lock) await lock.release();
  }
}

/**
 * Every file under `root` (relative paths, kubepki's own entries left out), for a "refuse a
 * non-empty --out" check. Backups (`tmp/kubepki-backup-*`, see `backup.ts`) are counted: they
 * hold an old cluster's keys, so a tree with only backups in it is not empty (`readTree` is what
 * leaves them out).
 */
export async function listFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, prefix: string) => {
    for (const entry of await at(dir, readdir(dir, { withFileTypes: true }))) {
      if (entry.name.startsWith(".kubepki-") || entry.name.includes(".kubepki-staging")) continue;
      if (entry.isDirectory()) await walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else found.push(`${prefix}${entry.name}`);
    }
  };
  if ((await treeRootKind(root, "write")) === "dir") await walk(root, "");
  return found;
}
