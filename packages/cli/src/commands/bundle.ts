import { mkdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type ArchiveEntry, type ArchiveFormat, archiveFiles } from "@kubepki/k8s-profiles/archive";
import type { ParsedArgs } from "../args.js";
import { CliError, ExitCode, UsageError } from "../io/cli-error.js";
import { ioError } from "../io/fs-error.js";
import { readTree } from "../io/read-tree.js";
import type { Terminal } from "../io/terminal.js";
import { existingPaths, refuseOverwrite, writePrivateFile } from "../io/write-private-file.js";

/** A top-level folder of a per-node tree is a node when it holds this (kubeadm's /etc/kubernetes). */
const NODE_MARKER = "etc/kubernetes/";
/** The operator's folder of a per-node tree (kubeconfigs), archived as admin.* when present. */
const ADMIN_FOLDER = "admin";

/**
 * Directories every Linux host has: no entry for them in a node's archive. `tar -xzf node.tar.gz -C /`
 * (and unzip) apply a directory entry's mode to the directory that exists already, and writeTree makes
 * every parent of a key 0700 — /etc at 0700 would lock every non-root program out of /etc.
 */
const HOST_DIRECTORIES = new Set(["etc", "var", "var/lib"]);

/** `kubepki bundle DIR`: one archive per node folder (and admin/), 0600, no overwrite without --force. */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const given = args.positionals[0] as string;
  const dir = resolve(given);
  if (typeof args.flags.out !== "string")
    throw new UsageError("bundle needs --out OUTDIR: where to write the archives");
  const outDir = resolve(args.flags.out);
  const format = (args.flags.format ?? "tar.gz") as ArchiveFormat;
  const force = args.flags.force === true;

  const files = await readTree(dir);
  const folders = chosenFolders(given, files, (args.flags.node as string[] | undefined) ?? []);
  const targets = folders.map((folder) => join(outDir, `${folder}.${format}`));
  const present = force ? [] : await existingPaths(targets);
  if (present.length > 0) throw refuseOverwrite(present);

  // Every archive is made before the first is written: a bad entry stops the command with nothing written.
  const archives: Uint8Array[] = [];
  for (const folder of folders) archives.push(archiveFiles(await folderEntries(dir, folder, files), format));
  await mkdir(outDir, { recursive: true, mode: 0o700 }).catch((error) => {
    throw ioError("write", outDir, error);
  });
  const written: { node: string; path: string; bytes: number }[] = [];
  for (const [index, folder] of folders.entries()) {
    const path = targets[index] as string;
    const bytes = archives[index] as Uint8Array;
    await writePrivateFile(path, bytes, force);
    written.push({ node: folder, path, bytes: bytes.length });
  }
  terminal.out(
    terminal.json
      ? `${JSON.stringify({ dir, format, archives: written }, null, 2)}\n`
      : written.map((entry) => `wrote ${entry.path} (${entry.node}, ${entry.bytes} bytes, mode 0600)\n`).join(""),
  );
  return ExitCode.ok;
}

/** The folders to archive: the nodes asked for (or all, then admin/), refusing a tree that is not per-node. */
function chosenFolders(given: string, files: ReadonlyMap<string, string>, asked: readonly string[]): string[] {
  const nodes = new Set<string>();
  let admin = false;
  for (const path of files.keys()) {
    const slash = path.indexOf("/");
    if (slash < 0) continue;
    const top = path.slice(0, slash);
    if (top === ADMIN_FOLDER) admin = true;
    else if (path.startsWith(NODE_MARKER, slash + 1)) nodes.add(top);
  }
  const found = [...nodes].sort();
  if (found.length === 0) {
    throw new CliError(
      "NOT_PER_NODE_LAYOUT",
      `${given} is not a per-node tree: no folder in it holds etc/kubernetes/ (a node's files as they go on the node). ` +
        "kubepki init --layout per-node --out DIR makes one; today's layout (DIR is one node's /etc/kubernetes) needs no bundle: archive DIR itself.",
    );
  }
  const available = admin ? [...found, ADMIN_FOLDER] : found;
  if (asked.length === 0) return available;
  const unknown = asked.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    throw new CliError(
      "UNKNOWN_NODE",
      `${unknown.map((name) => JSON.stringify(name)).join(", ")} ${unknown.length === 1 ? "is not a node" : "are not nodes"} of ${given}: it has ${available.join(", ")}`,
      ExitCode.usage,
    );
  }
  return [...new Set(asked)];
}

/** One folder's files and directories, relative to the folder, with their modes on disk. */
async function folderEntries(dir: string, folder: string, files: ReadonlyMap<string, string>): Promise<ArchiveEntry[]> {
  const prefix = `${folder}/`;
  const entries: ArchiveEntry[] = [];
  const directories = new Set<string>();
  for (const [path, contents] of files) {
    if (!path.startsWith(prefix)) continue;
    const relative = path.slice(prefix.length);
    entries.push({ path: relative, contents, mode: await modeOf(join(dir, path)) });
    for (let slash = relative.lastIndexOf("/"); slash > 0; slash = relative.lastIndexOf("/", slash - 1)) {
      directories.add(relative.slice(0, slash));
    }
  }
  for (const directory of directories) {
    if (!HOST_DIRECTORIES.has(directory))
      entries.push({ path: directory, mode: await modeOf(join(dir, folder, directory)) });
  }
  return entries;
}

async function modeOf(path: string): Promise<number> {
  const info = await stat(path).catch((error) => {
    throw ioError("read", path, error);
  });
  return info.mode & 0o7777;
}
