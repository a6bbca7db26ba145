import { lstatSync } from "node:fs";
import { lstat, readFile } from "node:fs/promises";
import { isAbsolute, join, normalize, posix, relative, resolve, sep } from "node:path";
import { CliError } from "./cli-error.js";
import { errnoError, ioError } from "./fs-error.js";
import type { TreeFile } from "./write-tree.js";

/**
 * The reserved backup folders of a tree: `ROOT/tmp/kubepki-backup-<UTC time>[-n]/`, after kubeadm's
 * `/etc/kubernetes/tmp/kubeadm-backup-…`. A change of a running tree (apply) keeps there the old
 * contents of every file it replaces or removes. They hold old keys and certificates, so
 * `readTree` leaves them out (an expired certificate kept there is history, not a finding), while
 * `listFiles` counts them (a tree holding only backups is not an empty `--out`).
 */
export const BACKUP_PARENT = "tmp";
export const BACKUP_PREFIX = "kubepki-backup-";

/** True for a tree-relative path (forward slashes) that is a backup folder or inside one. */
export function isBackupPath(path: string): boolean {
  const [parent, folder] = path.split("/");
  return parent === BACKUP_PARENT && folder !== undefined && folder.startsWith(BACKUP_PREFIX);
}

/** `2026-12-07T18:41:23.456Z` → `20261207T184123Z` (ISO 8601 basic format, UTC, whole seconds). */
function compactUtc(now: Date): string {
  if (!Number.isFinite(now.getTime()))
    throw new CliError("INVALID_ARGUMENT", "backupFolder: the time is not a valid date");
  return now
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/[-:]/g, "");
}

/**
 * The tree-relative folder for this run's backups, `tmp/kubepki-backup-<YYYYMMDDTHHMMSSZ>`, made
 * unique by `-2`, `-3`… when an entry of that name is already in `root` (two runs in one second).
 * Looks at the disk: call it under the tree's lock, so no other kubepki picks the same name before
 * the write that creates it.
 */
export function backupFolder(root: string, now: Date): string {
  const base = posix.join(BACKUP_PARENT, `${BACKUP_PREFIX}${compactUtc(now)}`);
  const taken = (folder: string) => {
    try {
      lstatSync(join(root, folder));
      return true;
    } catch {
      return false;
    }
  };
  let folder = base;
  for (let n = 2; taken(folder); n++) folder = `${base}-${n}`;
  return folder;
}

/**
 * The old contents of `paths` (files of the tree at `root` about to be replaced or removed) as new
 * files under `folder`, same relative paths, bytes read from disk unchanged (`Uint8Array`, not
 * text) and the same permission bits (a 0600 key stays 0600): the caller writes them in the same
 * `writeTree` transaction as the change, so the backup lands exactly when the change does.
 * Each path must be a regular file (a link is refused: `SYMLINK_ESCAPE`; missing: `IO_ERROR`).
 */
export async function backupFiles(root: string, paths: readonly string[], folder: string): Promise<TreeFile[]> {
  const base = normalize(folder);
  if (!isBackupPath(base.split(sep).join("/")) || base.split(sep).length !== 2)
    throw new CliError(
      "INVALID_PATH",
      `backupFiles: ${folder} is not a kubepki backup folder (${BACKUP_PARENT}/${BACKUP_PREFIX}…)`,
    );
  return Promise.all(
    paths.map(async (given) => {
      // Checked here although writeTree checks the backup's own path: the read must not leave ROOT either.
      const absolute = resolve(root, given);
      const path = relative(resolve(root), absolute);
      if (path === "" || path === ".." || path.startsWith(`..${sep}`) || isAbsolute(path) || isBackupPath(path))
        throw new CliError("INVALID_PATH", `Refusing to back up ${JSON.stringify(given)}: not a file of the tree`);
      const info = await lstat(absolute).catch((error) => {
        throw ioError("read", absolute, error);
      });
      if (info.isSymbolicLink())
        throw new CliError(
          "SYMLINK_ESCAPE",
          `Refusing to back up ${absolute}: it is a symbolic link, not a file kubepki wrote`,
        );
      if (!info.isFile()) throw ioError("read", absolute, errnoError("EISDIR", "read", absolute));
      const bytes = await readFile(absolute).catch((error) => {
        throw ioError("read", absolute, error);
      });
      const contents = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return { path: join(base, path), contents, mode: info.mode & 0o777 };
    }),
  );
}
