import { KubepkiError } from "@kubepki/core/names";
import { unzipSync } from "fflate";

/** A tree as `auditCluster` takes it: path relative to the tree's root → text (or bytes when not UTF-8). */
export type TreeFiles = Map<string, string | Uint8Array>;

/** One file picked or dropped, with its path inside what was picked (`tree/pki/ca.crt`). */
export interface PickedFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Larger files are no part of a PKI tree (a certificate is a few KB); they are skipped, not read. */
const MAX_FILE_BYTES = 1024 * 1024;

/** Text when the bytes are UTF-8 (PEM, kubeconfigs, YAML), else the bytes (DER). */
function contentsOf(bytes: Uint8Array): string | Uint8Array {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return bytes;
  }
}

/**
 * The picked files as a tree: a folder's own name is dropped, as `kubepki audit DIR` reads paths
 * relative to DIR. `stripTop` says whether the paths start with that folder (a dropped or picked
 * folder) or only maybe (a zip: stripped when every entry is under one folder that is not a
 * kubeadm folder such as `pki/`).
 */
export function treeFromPicked(picked: readonly PickedFile[], stripTop: "always" | "single-folder"): TreeFiles {
  const files = picked.filter((file) => file.bytes.length <= MAX_FILE_BYTES && !file.path.endsWith("/"));
  const tops = new Set(files.map((file) => (file.path.includes("/") ? file.path.split("/")[0] : "")));
  const [top] = tops;
  const strip =
    tops.size === 1 &&
    top !== undefined &&
    top !== "" &&
    (stripTop === "always" || !["pki", "etc", "nodes", "flags", "manifests"].includes(top));
  const tree: TreeFiles = new Map();
  for (const file of files) {
    const path = strip ? file.path.slice(file.path.indexOf("/") + 1) : file.path;
    tree.set(path, contentsOf(file.bytes));
  }
  return tree;
}

/** A zip's files. A damaged or non-zip file is `FILE_UNREADABLE`. */
export function pickedFromZip(name: string, bytes: Uint8Array): PickedFile[] {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw new KubepkiError("FILE_UNREADABLE", `${name} is not a zip that can be read: ${(error as Error).message}`);
  }
  return Object.entries(entries).map(([path, data]) => ({ path, bytes: data }));
}

/** Files from an `<input type=file webkitdirectory>` (their `webkitRelativePath` starts with the folder). */
export async function pickedFromInput(list: FileList | readonly File[]): Promise<PickedFile[]> {
  const files = Array.from(list);
  return Promise.all(
    files.map(async (file) => ({
      path: file.webkitRelativePath || file.name,
      bytes: new Uint8Array(await file.arrayBuffer()),
    })),
  );
}

/** Every file under a dropped folder (or the dropped file itself), by the entries API. */
export async function pickedFromEntry(entry: FileSystemEntry): Promise<PickedFile[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ path: entry.fullPath.replace(/^\//, ""), bytes: new Uint8Array(await file.arrayBuffer()) }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries returns the folder in batches (100 in Chromium) until an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map((child) => pickedFromEntry(child)));
  return nested.flat();
}
