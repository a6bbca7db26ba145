import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { BACKUP_PREFIX, isBackupPath } from "./backup.js";
import { CliError } from "./cli-error.js";
import { ioError } from "./fs-error.js";
import { hasPendingTransaction, recoverTree } from "./journal.js";
import { asHeldLock, holdTreeLock, type TreeLock } from "./tree-lock.js";

/**
 * The largest file read from a tree. Certificates, keys and kubeconfigs are a few KB; a larger
 * file is not skipped (a `ca.key` padded past the limit once made the CA look external, and
 * renew then renewed part of the tree): the read fails, naming it.
 */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Options of {@link readTree}.
 *
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { lockTree, type ReadTreeOptions, readTree } from "@kubepki/cli";
 *
 * const root = await mkdtemp(join(tmpdir(), "tree-"));
 * const lock = await lockTree(root);
 * const options: ReadTreeOptions = { lock }; // read (and later write) under one lock
 * console.log((await readTree(root, options)).size); // 0
 * await lock.release();
 * ```
 */
export interface ReadTreeOptions {
  /** A lock on the root already held (from `lockTree`), used if an interrupted write must be recovered. */
  readonly lock?: TreeLock;
}

/**
 * Reads a directory tree into `{ relative path → text }` (forward slashes), the plain-data input
 * of auditCluster / checkExpiration / renewCertificates.
 *
 * - Symbolic links are followed, to directories and to files, also outside the tree (reading
 *   cannot harm; writing through a link that leaves the tree is what `writeTree` refuses), with
 *   each real directory read once, so a link cycle ends. A dangling link is an `IO_ERROR`.
 * - A file over 1 MiB is an error (`FILE_TOO_LARGE`, naming it), never skipped silently.
 * - kubepki's own entries (`.kubepki-*`) are left out, and so are its backups
 *   (`tmp/kubepki-backup-*`: the old keys and certificates a change of the tree replaced, history
 *   that audit, check-expiration and renew must not take for the tree). If a kubepki write into the tree was
 *   interrupted (kill -9, power cut), it is first finished or undone from its journal, under the
 *   tree's lock (`TREE_LOCKED` if a live process holds it).
 *
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { readTree, writeTree } from "@kubepki/cli";
 * import { auditCluster, generateCluster, toKubeadmFiles } from "@kubepki/k8s-profiles";
 *
 * // A tree as kubeadm leaves it in /etc/kubernetes.
 * const root = await mkdtemp(join(tmpdir(), "kubernetes-"));
 * await writeTree(root, toKubeadmFiles(await generateCluster({ keyAlgorithm: "ECDSA-P256" })));
 * const files = await readTree(root); // Map { "admin.conf" => "apiVersion: v1…", "pki/ca.crt" => "-----BEGIN…", … }
 * const { findings } = await auditCluster(files);
 * console.log(files.has("pki/ca.crt"), findings); // true []
 * ```
 */
export async function readTree(root: string, options: ReadTreeOptions = {}): Promise<Map<string, string>> {
  const absolute = resolve(root);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isDirectory()) throw new CliError("NOT_A_DIRECTORY", `${root} is not a directory`);
  if (hasPendingTransaction(absolute)) {
    const lock = options.lock ? asHeldLock(options.lock, absolute) : await holdTreeLock(absolute);
    try {
      recoverTree(absolute);
    } finally {
      if (!options.lock) await lock.release();
    }
  }
  const files = new Map<string, string>();
  const visited = new Set<string>([`${info.dev}:${info.ino}`]);
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((error) => {
      throw ioError("read", dir, error);
    });
    for (const entry of entries) {
      if (entry.name.startsWith(".kubepki-") || entry.name.includes(".kubepki-staging")) continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith(BACKUP_PREFIX) && isBackupPath(relative(absolute, path).split(sep).join("/"))) continue;
      if (!entry.isDirectory() && !entry.isFile() && !entry.isSymbolicLink()) continue; // sockets, fifos…
      const target = await stat(path).catch((error) => {
        throw ioError("read", path, error);
      });
      if (target.isDirectory()) {
        const id = `${target.dev}:${target.ino}`;
        if (visited.has(id)) continue; // a link back up (a cycle) or a second name of a directory read already
        visited.add(id);
        await walk(path);
      } else if (target.isFile()) {
        if (target.size > MAX_FILE_BYTES) {
          throw new CliError(
            "FILE_TOO_LARGE",
            `cannot read ${path}: ${target.size} bytes, over the ${MAX_FILE_BYTES} bytes kubepki reads from a tree ` +
              "(certificates, keys and kubeconfigs are a few KB). Move it out of the tree, or trim it.",
          );
        }
        const text = await readFile(path, "utf8").catch((error) => {
          throw ioError("read", path, error);
        });
        files.set(relative(absolute, path).split(sep).join("/"), text);
      }
    }
  };
  await walk(absolute);
  return files;
}
