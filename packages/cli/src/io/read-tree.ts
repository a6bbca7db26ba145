import { lstat, readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { CliError } from "./cli-error.js";

/** Files larger than this are not certificates, keys or kubeconfigs: they are skipped. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Reads a directory tree into `{ relative path → text }` (forward slashes), the plain-data input
 * of auditCluster / checkExpiration / renewCertificates. Symbolic links are not followed (a tree
 * on disk may link outside itself); kubepki's own staging directories are skipped.
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
export async function readTree(root: string): Promise<Map<string, string>> {
  const info = await lstat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new CliError("NOT_A_DIRECTORY", `${root} is not a directory`);
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".kubepki-")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const stat = await lstat(path);
        if (stat.size > MAX_FILE_BYTES) continue;
        files.set(relative(root, path).split(sep).join("/"), await readFile(path, "utf8"));
      }
    }
  };
  await walk(root);
  return files;
}
