// Where the tree keeps a planned certificate: its file, or for a kubeconfig identity the
// kubeconfig that embeds it (a kubeadm-made tree has no users/ copies: the kubeconfig counts).
import type { Tree, TreeCertificate } from "../../files/read-files.js";
import type { CertSpec } from "../../roles/profiles.js";

/** A planned certificate as the tree has it, with its key (text) and where that key is. */
export interface Located {
  readonly entry: TreeCertificate;
  /** For a kubeconfig identity: the kubeconfig it was found through (embedded, or referenced by path). */
  readonly holder?: string;
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
      if (entry) return { entry, holder: file, keyPem: entry.key?.pem, keyPath: entry.key?.file ?? file };
      const referenced = referencedPair(tree, byFile, file);
      if (referenced) return referenced;
    }
    return undefined;
  }
  const entry = (byFile.get(spec.certPath) ?? []).find((candidate) => candidate.source === "file");
  if (!entry) return undefined;
  return { entry, keyPem: tree.texts.get(spec.keyPath), keyPath: spec.keyPath };
}

/** The pair a kubeconfig refers to by path (`client-certificate: …`), when the tree has the file. */
function referencedPair(
  tree: Tree,
  byFile: ReadonlyMap<string, readonly TreeCertificate[]>,
  file: string,
): Located | undefined {
  const resolved = (field: "client-certificate" | "client-key") =>
    tree.references.find((reference) => reference.kubeconfig === file && reference.field === field)?.resolved;
  const certFile = resolved("client-certificate");
  const entry = certFile === undefined ? undefined : byFile.get(certFile)?.find((item) => item.source === "file");
  if (!entry) return undefined;
  const keyFile = resolved("client-key") ?? entry.key?.file;
  return {
    entry,
    holder: file,
    keyPem: keyFile === undefined ? undefined : tree.texts.get(keyFile),
    keyPath: keyFile ?? entry.keyPath,
  };
}

/** The path a kubeconfig gives for its client certificate when it is not in the tree (kubeadm's `/var/lib/kubelet/pki/…`). */
export function referenceOutsideTree(tree: Tree, file: string): string | undefined {
  const reference = tree.references.find((item) => item.kubeconfig === file && item.field === "client-certificate");
  return reference && reference.resolved === undefined ? reference.path : undefined;
}
