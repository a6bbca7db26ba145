import { link, open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CliError } from "./cli-error.js";
import { fsyncPath } from "./durable.js";
import { ioError } from "./fs-error.js";

/**
 * Paths among `paths` that exist already: checked for all of a command's outputs before any is
 * written, so that a refusal leaves nothing half-written.
 */
export async function existingPaths(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (exists) found.push(path);
  }
  return found;
}

/** The `FILES_EXIST` refusal of a command that writes whole files (bundle, export --out). */
export function refuseOverwrite(found: readonly string[]): CliError {
  return new CliError(
    "FILES_EXIST",
    `Refusing to overwrite ${found.join(", ")} (nothing was written): use --force to replace ${found.length === 1 ? "it" : "them"}, or choose another --out`,
  );
}

/**
 * Writes one file that holds secrets (an archive of keys, Secrets with CA keys) whole or not at all,
 * mode 0600 from its creation: into a temporary name beside it (O_EXCL, fsynced), then moved into
 * place — by `link` when it must not replace anything (fails if the path appeared meanwhile), by
 * `rename` with `force` — and the directory fsynced. A crash leaves the old file or the new one,
 * never a part of it, and never a moment in which the bytes are readable by others.
 */
export async function writePrivateFile(path: string, bytes: Uint8Array, force: boolean): Promise<void> {
  const temporary = join(dirname(path), `.kubepki-tmp-${process.pid}-${basename(path)}`);
  const handle = await open(temporary, "wx", 0o600).catch((error) => {
    throw ioError("write", temporary, error);
  });
  try {
    await handle.chmod(0o600); // open(2)'s mode is masked by the umask; 0600 only loses bits, but be exact
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => undefined);
    throw ioError("write", temporary, error);
  }
  await handle.close();
  try {
    if (force) {
      await rename(temporary, path).catch((error) => {
        throw ioError("write", path, error);
      });
    } else {
      await link(temporary, path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "EEXIST") throw refuseOverwrite([path]);
        throw ioError("write", path, error);
      });
    }
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  await fsyncPath(dirname(path));
}
