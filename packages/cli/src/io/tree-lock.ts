import { randomBytes } from "node:crypto";
import { unlinkSync } from "node:fs";
import { lstat, mkdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { CliError } from "./cli-error.js";
import { errnoError, ioError, isErrnoError } from "./fs-error.js";

/** The lock file inside an existing tree. */
export const LOCK_FILE = ".kubepki-lock";
/** A lock file that is empty or unreadable this long after its creation belongs to a process that died while creating it. */
const UNREADABLE_LOCK_STALE_MS = 60_000;

/**
 * An exclusive lock on an output directory, from {@link lockTree}. Pass it to `writeTree` and
 * `readTree` (option `lock`) to read and write under one lock; release it when done.
 *
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { lockTree, type TreeLock } from "@kubepki/cli";
 *
 * const lock: TreeLock = await lockTree(await mkdtemp(join(tmpdir(), "tree-")));
 * console.log(lock.files.length); // 1
 * await lock.release();
 * ```
 */
export interface TreeLock {
  /** The directory locked (absolute). */
  readonly root: string;
  /** The lock files held: `ROOT/.kubepki-lock`, or `PARENT/.ROOT-NAME.kubepki-lock` while ROOT does not exist yet. */
  readonly files: readonly string[];
  /** Removes the lock files (once; later calls do nothing). */
  release(): Promise<void>;
}

interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly time: string;
}

/** The lock used while `root` does not exist: beside it, so two writers creating it exclude each other. */
function besideLockFile(root: string): string {
  return join(dirname(root), `.${basename(root)}.kubepki-lock`);
}

function describeHolder(holder: LockHolder | undefined): string {
  return holder ? `pid ${holder.pid} on ${holder.host}, since ${holder.time}` : "a kubepki process that is starting";
}

/** Same host and no such process: the holder died (kill -9, power cut) without removing its lock. */
function isStale(holder: LockHolder | undefined, ageMs: number): boolean {
  if (holder === undefined) return ageMs > UNREADABLE_LOCK_STALE_MS;
  if (holder.host !== hostname() || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return isErrnoError(error) && error.code === "ESRCH";
  }
}

async function readHolder(file: string): Promise<{ text: string; holder?: LockHolder; ageMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, "utf8"), stat(file)]);
    let holder: LockHolder | undefined;
    try {
      const parsed = JSON.parse(text) as Partial<LockHolder>;
      if (typeof parsed.pid === "number" && typeof parsed.host === "string" && typeof parsed.time === "string") {
        holder = { pid: parsed.pid, host: parsed.host, time: parsed.time };
      }
    } catch {
      // empty or torn: judged by age
    }
    return { text, ...(holder ? { holder } : {}), ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if (isErrnoError(error) && error.code === "ENOENT") return undefined; // released meanwhile
    throw ioError("read", file, error);
  }
}

/**
 * Removes a stale lock without removing a live one that replaced it meanwhile: the file is moved
 * aside (rename is atomic), and deleted only if it is still the stale content; otherwise it is
 * put back.
 */
async function breakStale(file: string, staleText: string): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if (isErrnoError(error) && error.code === "ENOENT") return;
    throw ioError("write", file, error);
  }
  const text = await readFile(aside, "utf8").catch(() => undefined);
  if (text === staleText) await unlink(aside).catch(() => {});
  else await rename(aside, file).catch(() => {});
}

async function acquire(file: string, root: string): Promise<void> {
  const me: LockHolder = { pid: process.pid, host: hostname(), time: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      // O_EXCL: exactly one process creates the file; the others get EEXIST.
      await writeFile(file, `${JSON.stringify(me)}\n`, { flag: "wx", mode: 0o600 });
      return;
    } catch (error) {
      if (!isErrnoError(error) || error.code !== "EEXIST") throw ioError("write", file, error);
    }
    const found = await readHolder(file);
    if (found === undefined) continue;
    if (attempt < 3 && isStale(found.holder, found.ageMs)) {
      await breakStale(file, found.text);
      continue;
    }
    throw new CliError(
      "TREE_LOCKED",
      `${root} is locked by another kubepki (${describeHolder(found.holder)}; lock file ${file}). ` +
        "Wait for it to finish; if no kubepki is running there, remove the lock file.",
    );
  }
}

/** A lock on `root`, held by this process; `extend` adds the inside lock once `root` exists. */
export class HeldTreeLock implements TreeLock {
  readonly root: string;
  readonly #files: string[] = [];
  #released = false;
  constructor(root: string) {
    this.root = root;
  }
  get files(): readonly string[] {
    return this.#files;
  }
  get released(): boolean {
    return this.#released;
  }
  /** Also takes the lock inside `root` (a directory now), unless already held. */
  async holdInside(): Promise<void> {
    const inside = join(this.root, LOCK_FILE);
    if (this.#files.includes(inside)) return;
    await acquire(inside, this.root);
    this.#files.push(inside);
  }
  async holdBeside(): Promise<void> {
    const beside = besideLockFile(this.root);
    if (this.#files.includes(beside)) return;
    await acquire(beside, this.root);
    this.#files.push(beside);
  }
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    for (const file of this.#files.reverse()) await unlink(file).catch(() => {});
  }
  /** For signal handlers, which must finish before the process exits. */
  releaseSync(): void {
    if (this.#released) return;
    this.#released = true;
    for (const file of this.#files.reverse()) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  }
}

/** `root`'s kind without following a last symlink: "dir" (or a link to one), "none", or a typed error. */
export async function treeRootKind(root: string, action: "read" | "write"): Promise<"dir" | "none"> {
  const info = await lstat(root).catch((error) => {
    if (isErrnoError(error) && error.code === "ENOENT") return undefined;
    throw ioError(action, root, error);
  });
  if (info === undefined) return "none";
  if (info.isSymbolicLink()) {
    const target = await stat(root).catch((error) => {
      throw ioError(action, root, error); // a dangling --out symlink: ENOENT, with the path the user gave
    });
    if (!target.isDirectory()) throw ioError(action, root, errnoError("ENOTDIR", "open", root));
    return "dir";
  }
  if (!info.isDirectory()) throw ioError(action, root, errnoError("ENOTDIR", "open", root));
  return "dir";
}

/**
 * Takes the exclusive lock on an output directory, the one every writing command and `writeTree`
 * take: a lock file created with O_EXCL holding `{ pid, host, time }`, inside `root`
 * (`ROOT/.kubepki-lock`), or beside it (`PARENT/.NAME.kubepki-lock`) while `root` does not exist
 * yet, so two writers that would both create it exclude each other (on Linux, rename(2) of a
 * staged directory onto an EMPTY directory succeeds, so "it did not exist" must be decided under
 * a lock). A lock left by a dead process on this host (kill -9, power cut) is taken over.
 *
 * @throws CliError `TREE_LOCKED` naming the holder (pid, host, time) when another process or call
 * holds it; `IO_ERROR` when the lock file cannot be written (`--out` a dangling symlink, a file…).
 *
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { CliError, lockTree, readTree, writeTree } from "@kubepki/cli";
 *
 * const root = await mkdtemp(join(tmpdir(), "tree-"));
 * const lock = await lockTree(root);
 * try {
 *   // Read, change, write back: no other writer can come in between.
 *   const files = await readTree(root, { lock });
 *   await writeTree(root, [{ path: "count.txt", contents: `${files.size}\n`, mode: 0o644 }], { lock });
 *   // A second writer meanwhile gets a typed error.
 *   const error = await writeTree(root, [{ path: "other.txt", contents: "", mode: 0o644 }]).catch((e) => e);
 *   console.log(error instanceof CliError && error.code); // "TREE_LOCKED"
 * } finally {
 *   await lock.release();
 * }
 * ```
 */
export async function lockTree(root: string): Promise<TreeLock> {
  return holdTreeLock(resolve(root));
}

/** {@link lockTree}, with the class the write path uses. */
export async function holdTreeLock(root: string, options: { existing?: boolean } = {}): Promise<HeldTreeLock> {
  const lock = new HeldTreeLock(root);
  try {
    const kind = await treeRootKind(root, options.existing ? "read" : "write");
    if (kind === "none" && options.existing) throw new CliError("NOT_A_DIRECTORY", `${root} is not a directory`);
    if (kind === "dir") {
      await lock.holdInside();
      return lock;
    }
    await mkdir(dirname(root), { recursive: true }).catch((error) => {
      throw ioError("write", dirname(root), error);
    });
    await lock.holdBeside();
    // Created meanwhile (by someone who did not need our lock): hold its inside lock as well.
    if ((await treeRootKind(root, "write")) === "dir") await lock.holdInside();
    return lock;
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** The held lock behind a {@link TreeLock} a caller passed, checked to be for `root` and still held. */
export function asHeldLock(lock: TreeLock, root: string): HeldTreeLock {
  if (!(lock instanceof HeldTreeLock) || lock.released || lock.root !== root) {
    throw new CliError(
      "INVALID_ARGUMENT",
      `the lock passed is not a held lock on ${root} (it is for ${lock.root}${lock instanceof HeldTreeLock && lock.released ? ", released" : ""})`,
    );
  }
  return lock;
}
