import { execFile } from "node:child_process";
import { open } from "node:fs/promises";

/** fsync of one file or directory (a directory's fsync makes the creations and renames in it durable). */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const syncfs = (path: string) =>
  new Promise<boolean>((resolve) => {
    // coreutils >= 8.24 (Linux): `sync -f` is syncfs(2) on the file system holding PATH. No shell.
    execFile("sync", ["-f", path], { timeout: 120_000 }, (error) => resolve(error === null));
  });

/**
 * Makes what was just written durable, so that a power cut after "ok" cannot leave an empty key
 * (ext4 and others may commit a rename before the data of a file that was not fsynced).
 *
 * One syncfs(2) of the file system holding `anchor` when the platform has it; otherwise an fsync
 * of each of `paths()` (files and directories), 16 at a time. Measured on 4000 staged files
 * (ext4, 2 cores): writing took ~1.5 s, one fsync per file added ~1.5 s more (even 16 in
 * flight), one syncfs ~0.1-0.3 s.
 */
export async function makeDurable(
  anchor: string,
  paths: () => readonly string[],
  flushFileSystem: (anchor: string) => Promise<boolean> = (path) =>
    process.platform === "linux" ? syncfs(path) : Promise.resolve(false),
): Promise<void> {
  if (await flushFileSystem(anchor)) return;
  const list = paths();
  let next = 0;
  const worker = async () => {
    while (next < list.length) await fsyncPath(list[next++] as string);
  };
  await Promise.all(Array.from({ length: Math.min(16, list.length) }, worker));
}
