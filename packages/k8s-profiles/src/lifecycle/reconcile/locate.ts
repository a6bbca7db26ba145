// Where the tree keeps a planned certificate: its file, or for a kubeconfig identity the
// kubeconfig that embeds it (a kubeadm-made tree has no users/ copies: the kubeconfig counts).
import type { Tree, TreeCertificate } from "../../files/read-files.js";
import type { CertSpec } from "../../roles/profiles.js";

/** A planned certificate as the tree has it, with its key (text) and where that key is. */
export interface Located {
  readonly entry: TreeCertificate;
  readonly keyPem: string | undefined;
  readonly keyPath: string;
}

/** The tree's certificates by the file holding them (a kubeconfig may embed several). */
export function certificatesByFile(tree: Tree): ReadonlyMap<string, readonly TreeCertificate[]> {
  const byFile = new Map<string, TreeCertificate[]>();
  for (const entry of tree.certificates) {
    const list = byFile.get(entry.file) ?? [];
    list.push(entry);
    byFile.set(entry.file, list);
  }
  return byFile;
}

/** The user a kubeconfig's current context names (the one kubectl would use). */
function currentUser(tree: Tree, file: string): string | undefined {
  const config = tree.kubeconfigs.find((kubeconfig) => kubeconfig.file === file)?.config;
  const context = config?.contexts.find((candidate) => candidate.name === config.currentContext);
  return context?.user;
}

/** The certificate of `spec` in the tree, or undefined when its file is not there (or holds none). */
export function locate(
  spec: CertSpec,
  tree: Tree,
  byFile: ReadonlyMap<string, readonly TreeCertificate[]>,
  copies: readonly string[] = [],
): Located | undefined {
  if (spec.kubeconfig !== undefined) {
    // The plan's other kubeconfigs of the same identity (the root kubelet.conf, all a tree made
    // like kubeadm's has of the first node) hold it just as well.
    for (const file of [spec.kubeconfig, ...copies]) {
      const embedded = (byFile.get(file) ?? []).filter((entry) => entry.source === "kubeconfig");
      const user = currentUser(tree, file);
      const entry = embedded.find((candidate) => candidate.kubeconfigUser === user) ?? embedded[0];
      if (entry) return { entry, keyPem: entry.key?.pem, keyPath: entry.key?.file ?? file };
    }
    return undefined;
  }
  const entry = (byFile.get(spec.certPath) ?? []).find((candidate) => candidate.source === "file");
  if (!entry) return undefined;
  return { entry, keyPem: tree.texts.get(spec.keyPath), keyPath: spec.keyPath };
}
