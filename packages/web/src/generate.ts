import {
  type ClusterPlan,
  type GenerateProgress,
  generateCluster,
  type KubeadmFile,
  toKubeadmFiles,
  toNodeFiles,
} from "@kubepki/k8s-profiles";
import { type ArchiveEntry, archiveFiles } from "@kubepki/k8s-profiles/archive";

/** The output layouts: kubeadm's tree for the first control-plane node, or one folder per node. */
export type Layout = "default" | "per-node";

/**
 * Generates every key and certificate of the plan in this page (WebCrypto) and packs the files
 * into one zip, in memory. Nothing is sent anywhere: the caller turns the bytes into a Blob.
 */
export async function generateZip(
  plan: ClusterPlan,
  layout: Layout,
  onProgress: (progress: GenerateProgress) => void,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const pki = await generateCluster(plan, { onProgress, ...(signal ? { signal } : {}) });
  const files = layout === "per-node" ? toNodeFiles(pki) : toKubeadmFiles(pki);
  return archiveFiles(withDirectories(files), "zip");
}

/**
 * Folders every Linux host has (a per-node folder holds `etc/kubernetes/`, `var/lib/kubelet/`): no
 * entry for them, as in `kubepki bundle` — copying a 0700 `etc` over a host's `/etc` would lock
 * every non-root program out of it.
 */
const HOST_DIRECTORY = /^(?:[^/]+\/)?(?:etc|var|var\/lib)$/;

/**
 * The files plus an entry for each folder, so `unzip` makes the folders that hold keys 0700 (as
 * `kubepki init` does) and the others 0755, whatever the unpacking user's umask.
 */
export function withDirectories(files: readonly KubeadmFile[]): ArchiveEntry[] {
  const modes = new Map<string, number>();
  for (const file of files) {
    const secret = (file.mode & 0o077) === 0;
    for (let slash = file.path.lastIndexOf("/"); slash > 0; slash = file.path.lastIndexOf("/", slash - 1)) {
      const dir = file.path.slice(0, slash);
      if (secret || !modes.has(dir)) modes.set(dir, secret ? 0o700 : (modes.get(dir) ?? 0o755));
    }
  }
  const directories = [...modes].filter(([path]) => !HOST_DIRECTORY.test(path)).map(([path, mode]) => ({ path, mode }));
  return [...files, ...directories];
}
