import {
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
} from "node:fs";
import { open, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CliError } from "./cli-error.js";
import { fsyncPath } from "./durable.js";
import { ioError, isErrnoError } from "./fs-error.js";

/**
 * The transaction directory inside a tree being replaced, file by file:
 * `journal.json` (the plan of moves and the state), `new/` (the staged files), `old/` (the files
 * they replace, kept until the journal says committed) and `discard/` (new files taken back by a
 * rollback). One at a time per tree: the tree lock guarantees it.
 */
export const TXN_DIR = ".kubepki-txn";
const JOURNAL = "journal.json";

/**
 * One planned move: `new/PATH` → `ROOT/PATH`, after `ROOT/PATH` → `old/PATH` when a file was there.
 * A removal (`kind: "remove"`, always `hadOld`) has only the first half: `ROOT/PATH` → `old/PATH`.
 * Journals written before removals existed have no `kind`: every move of theirs is a write.
 */
export interface JournalMove {
  readonly path: string;
  readonly hadOld: boolean;
  readonly kind?: "remove";
}

/**
 * Written and fsynced before the first move ("moving"), rewritten as "committed" after the last
 * one and the fsync of their directories. Recovery trusts this and the files on disk only, never
 * the memory of the process that wrote it (which may be gone).
 */
export interface Journal {
  readonly version: 1;
  readonly state: "moving" | "committed";
  readonly moves: readonly JournalMove[];
  /** Directories of ROOT created for new files, removed again by a rollback (when empty). */
  readonly createdDirs: readonly string[];
}

export const txnPaths = (root: string) => {
  const txn = join(root, TXN_DIR);
  return {
    txn,
    journal: join(txn, JOURNAL),
    staged: (path: string) => join(txn, "new", path),
    backup: (path: string) => join(txn, "old", path),
    discarded: (path: string) => join(txn, "discard", path),
  };
};

/** Writes the journal atomically (temporary file, fsync, rename, fsync of the directory). */
export async function writeJournal(root: string, journal: Journal): Promise<void> {
  const { txn, journal: file } = txnPaths(root);
  const temporary = `${file}.tmp`;
  const handle = await open(temporary, "w", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(journal)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  await fsyncPath(txn);
}

const exists = (path: string) => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

function moveSync(from: string, to: string) {
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  renameSync(from, to);
}

function fsyncDirSync(path: string) {
  try {
    const fd = openSync(path, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // the directory may be gone (a created directory removed by the rollback)
  }
}

function readJournal(root: string): Journal | undefined {
  const { journal } = txnPaths(root);
  let text: string;
  try {
    text = readFileSync(journal, "utf8");
  } catch (error) {
    if (isErrnoError(error) && error.code === "ENOENT") return undefined;
    throw ioError("read", journal, error);
  }
  try {
    const parsed = JSON.parse(text) as Journal;
    if (
      parsed.version === 1 &&
      (parsed.state === "moving" || parsed.state === "committed") &&
      Array.isArray(parsed.moves) &&
      Array.isArray(parsed.createdDirs)
    ) {
      return parsed;
    }
  } catch {
    // below
  }
  // Written by rename from a fsynced temporary file, a journal is whole or absent: this one was changed by hand.
  throw new CliError(
    "TXN_CORRUPT",
    `cannot recover the interrupted write of ${root}: ${journal} is not a kubepki journal. ` +
      `Inspect ${join(root, TXN_DIR)} (new/ holds the new files, old/ the replaced ones) and remove it.`,
  );
}

/** What recovery did: nothing to do, a staging area removed, moves undone, or moves completed. */
export type Recovery = "none" | "cleaned" | "rolled-back" | "rolled-forward";

/**
 * Finishes or undoes an interrupted replace of `root`, from its journal and the files on disk:
 * - no journal: the process died while staging, before any move: the staging is removed;
 * - "moving": rolled back, last move first: a new file still staged was never moved; one at its
 *   target goes to `discard/`; then the old file comes back from `old/`. Each step looks at disk
 *   only, so a recovery interrupted itself is simply run again;
 * - "committed": rolled forward (any move not yet done is done), then the backups go.
 * Synchronous: it also runs in a signal handler, right before the process exits. The caller holds
 * the tree lock.
 */
export function recoverTree(root: string): Recovery {
  const paths = txnPaths(root);
  if (!exists(paths.txn)) return "none";
  const journal = readJournal(root);
  let result: Recovery = "cleaned";
  try {
    if (journal?.state === "moving") {
      for (const { path, hadOld, kind } of [...journal.moves].reverse()) {
        const target = join(root, path);
        // A file at the target of a removal is the old one, not yet moved: it stays.
        const isNew = kind !== "remove" && !exists(paths.staged(path)) && !exists(paths.discarded(path));
        if (isNew && exists(target)) {
          moveSync(target, paths.discarded(path));
        }
        if (hadOld && exists(paths.backup(path)) && !exists(target)) moveSync(paths.backup(path), target);
      }
      for (const dir of [...journal.createdDirs].sort((a, b) => b.length - a.length)) {
        try {
          rmdirSync(join(root, dir));
        } catch {
          // not empty (the user put something there) or already gone
        }
      }
      result = "rolled-back";
    } else if (journal?.state === "committed") {
      for (const { path, hadOld, kind } of journal.moves) {
        const target = join(root, path);
        // "committed" is written after every move, so a removal is done; a file at its path now
        // is someone else's (the journal cannot tell): left alone.
        if (kind === "remove" || !exists(paths.staged(path))) continue;
        if (hadOld && exists(target) && !exists(paths.backup(path))) moveSync(target, paths.backup(path));
        moveSync(paths.staged(path), target);
      }
      result = "rolled-forward";
    }
    if (journal)
      for (const dir of new Set(journal.moves.map(({ path }) => dirname(join(root, path))))) fsyncDirSync(dir);
    // The journal goes last but one: if this rm is cut short, what is left is discardable either way.
    rmSync(paths.txn, { recursive: true, force: true });
    if (journal?.state === "committed") removeEmptyDirs(root, removedPaths(journal.moves));
    fsyncDirSync(root);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(
      "TXN_RECOVERY_FAILED",
      `cannot recover the interrupted write of ${root}: ${error instanceof Error ? error.message : String(error)}. ` +
        `Nothing was deleted: ${join(root, TXN_DIR)} holds the files (new/, old/); run the command again, or restore by hand.`,
    );
  }
  return result;
}

/** The paths a transaction's moves remove. */
export const removedPaths = (moves: readonly JournalMove[]): string[] =>
  moves.filter((move) => move.kind === "remove").map((move) => move.path);

/**
 * After a committed removal: the directories it left empty go, deepest first, up to (never
 * including) `root`. Best effort and after the commit, so the transaction's all-or-nothing does
 * not depend on it: a directory that is not empty (or is a symbolic link: ENOTDIR) stays, and so
 * do its parents.
 */
export function removeEmptyDirs(root: string, removed: readonly string[]): void {
  for (const path of removed) {
    for (let dir = dirname(path); dir !== "." && dir !== "" && dir !== "/"; dir = dirname(dir)) {
      try {
        rmdirSync(join(root, dir));
      } catch {
        break;
      }
    }
  }
}

/** True when `root` has an unfinished transaction (a kubepki write that was interrupted, or is running). */
export const hasPendingTransaction = (root: string): boolean => existsSync(join(root, TXN_DIR));
