import { KubepkiError } from "@kubepki/core/vocabulary";
import { gzipSync, type ZipOptions, type Zippable, zipSync } from "fflate";
import { createTar, type TarFileInput } from "nanotar";

/** The archive formats {@link archiveFiles} writes. */
export type ArchiveFormat = "tar.gz" | "zip";

/**
 * One entry of an archive: a file (`contents`) or a directory (no `contents`), a relative path with
 * forward slashes, and its mode (permission bits, e.g. `0o600`).
 *
 * @example
 * ```ts
 * import type { ArchiveEntry } from "@kubepki/k8s-profiles/archive";
 *
 * const key: ArchiveEntry = { path: "etc/kubernetes/pki/ca.key", contents: "-----BEGIN…", mode: 0o600 };
 * const pki: ArchiveEntry = { path: "etc/kubernetes/pki", mode: 0o700 };
 * console.log(key.mode.toString(8), pki.mode.toString(8)); // "600" "700"
 * ```
 */
export interface ArchiveEntry {
  readonly path: string;
  /** Text (written as UTF-8) or bytes; absent for a directory. */
  readonly contents?: string | Uint8Array;
  readonly mode: number;
}

/**
 * The one time every entry carries, so that the same files give the same archive bytes. In tar it is
 * seconds since the epoch (2000-01-01T00:00:00Z); zip stores a local calendar date, so it is built
 * from local fields (the same bytes in every time zone); gzip's header time is left 0 ("no time", RFC 1952).
 */
const FIXED_TAR_MTIME_MS = Date.UTC(2000, 0, 1);
const fixedZipDate = (): Date => new Date(2000, 0, 1, 0, 0, 0);

/** ustar's name field; nanotar does not write the 155-byte prefix, so longer paths are refused, not cut. */
const TAR_NAME_BYTES = 100;

/** zip's "version made by" host: Unix, so the external attributes carry the mode (APPNOTE 4.4.2). */
const ZIP_HOST_UNIX = 3;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/**
 * Packs files (and directories) into one archive, in memory: `tar.gz` (ustar, by nanotar, gzipped by
 * fflate) or `zip` (fflate, deflated, Unix modes in the external attributes so `unzip` restores them).
 * Reproducible: entries in path order, one fixed time, owner `root:root` (uid/gid 0) in tar — the same
 * files give the same bytes. Paths must be relative (no leading `/`, no `..`, no empty segment), each
 * once; anything else is an `INVALID_ARCHIVE_ENTRY` before any byte is written. Pure: no Node built-ins,
 * so it runs in a browser too.
 *
 * @example
 * ```ts
 * import { archiveFiles } from "@kubepki/k8s-profiles/archive";
 *
 * const archive = archiveFiles(
 *   [
 *     { path: "etc/kubernetes/pki", mode: 0o700 },
 *     { path: "etc/kubernetes/pki/ca.crt", contents: "-----BEGIN CERTIFICATE-----\n…\n", mode: 0o644 },
 *   ],
 *   "tar.gz",
 * );
 * // gzip magic bytes
 * console.log(archive[0] === 0x1f && archive[1] === 0x8b); // true
 * ```
 */
export function archiveFiles(entries: readonly ArchiveEntry[], format: ArchiveFormat): Uint8Array {
  const sorted = checkedEntries(entries);
  if (format === "tar.gz") return gzipSync(tarOf(sorted), { mtime: 0 });
  if (format === "zip") return zipOf(sorted);
  throw new KubepkiError("INVALID_ARCHIVE_ENTRY", `unknown archive format ${JSON.stringify(format)}: tar.gz or zip`, {
    details: { field: "format" },
  });
}

function checkedEntries(entries: readonly ArchiveEntry[]): ArchiveEntry[] {
  const seen = new Set<string>();
  for (const entry of entries) {
    const path = entry.path;
    const bad =
      typeof path !== "string" ||
      path === "" ||
      path.startsWith("/") ||
      path.includes("\\") ||
      path.split("/").some((segment) => segment === "" || segment === "." || segment === "..");
    if (bad) throw invalid(path, "a relative path with forward slashes, no empty, '.' or '..' segment");
    if (seen.has(path)) throw invalid(path, "listed once");
    seen.add(path);
    if (!Number.isInteger(entry.mode) || entry.mode < 0 || entry.mode > 0o7777) throw invalid(path, "a mode 0..0o7777");
  }
  return [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function invalid(path: unknown, wanted: string): KubepkiError {
  return new KubepkiError(
    "INVALID_ARCHIVE_ENTRY",
    `cannot archive ${JSON.stringify(path)}: each path must be ${wanted}`,
    {
      details: { field: "path" },
    },
  );
}

const bytesOf = (contents: string | Uint8Array): Uint8Array =>
  typeof contents === "string" ? new TextEncoder().encode(contents) : contents;

function tarOf(entries: readonly ArchiveEntry[]): Uint8Array {
  const attrs = { uid: 0, gid: 0, user: "root", group: "root", mtime: FIXED_TAR_MTIME_MS };
  let used = 0;
  const files: TarFileInput[] = entries.map((entry) => {
    const directory = entry.contents === undefined;
    const name = directory ? `${entry.path}/` : entry.path;
    if (new TextEncoder().encode(name).length > TAR_NAME_BYTES)
      throw invalid(entry.path, `at most ${TAR_NAME_BYTES} bytes`);
    const mode = entry.mode.toString(8);
    if (directory) {
      used += 512;
      return { name, attrs: { ...attrs, mode } };
    }
    const data = bytesOf(entry.contents as string | Uint8Array);
    used += 512 + Math.ceil(data.length / 512) * 512;
    return { name, data, attrs: { ...attrs, mode } };
  });
  const tar = createTar(files);
  // A tar ends with two zero blocks; nanotar pads to a 10240-byte record, which leaves none when the
  // entries fill the record exactly: then one more record of zeros.
  if (tar.length - used >= 1024) return tar;
  const ended = new Uint8Array(tar.length + 10240);
  ended.set(tar);
  return ended;
}

function zipOf(entries: readonly ArchiveEntry[]): Uint8Array {
  const mtime = fixedZipDate();
  const tree: Zippable = {};
  for (const entry of entries) {
    const directory = entry.contents === undefined;
    const options: ZipOptions = {
      mtime,
      os: ZIP_HOST_UNIX,
      attrs: ((directory ? S_IFDIR : S_IFREG) | entry.mode) * 0x10000 + (directory ? 0x10 : 0),
    };
    // fflate names a nested object "path/" (a directory entry); a flat key with slashes is a file.
    tree[entry.path] = directory ? [{}, options] : [bytesOf(entry.contents as string | Uint8Array), options];
  }
  return zipSync(tree);
}
