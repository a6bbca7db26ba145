/**
 * What `describeTree` reads from a tree before it infers anything: each certificate with the role
 * the shared reader gives it, the kube-apiserver flags file, and the kubeconfigs' servers.
 *
 * @internal
 */

import { formatIp, parseIp } from "@kubepki/core";
import type { Kubeconfig } from "@kubepki/renderers";
import {
  basename,
  identifyRole,
  roleByPath,
  splitNodePath,
  type Tree,
  type TreeCertificate,
} from "../../files/read-files.js";
import { KUBECONFIG_FILES, NODE_USER_PREFIX } from "../../roles/constants.js";
import { type Role, roleProfile } from "../../roles/profiles.js";

/** A certificate of the tree with its role, the node the reader gives it, and its `nodes/<dir>/`. */
export interface Classified {
  readonly entry: TreeCertificate;
  readonly role: Role;
  readonly node: string | undefined;
  /** The `nodes/<dir>/` folder it is in; undefined at the tree root. */
  readonly dir: string | undefined;
}

/** A kubeconfig's `server:` split: host without brackets (IPs canonical), port (443 when none). */
export interface Server {
  readonly host: string;
  readonly port: number;
}

/** kubepki writes the flags of each component beside the tree (`flags/kube-apiserver.txt`). */
export const APISERVER_FLAGS_PATH = "flags/kube-apiserver.txt";

/** Everything the inference reads, read once. */
export interface TreeFacts {
  readonly tree: Tree;
  readonly certificates: readonly Classified[];
  /** `--name` → value of the kube-apiserver flags file; empty when the tree has none. */
  readonly flags: ReadonlyMap<string, string>;
}

/** Classifies every certificate of the tree with the shared role reader (no root node assumed). */
export function readFacts(tree: Tree): TreeFacts {
  const certificates: Classified[] = [];
  for (const entry of tree.certificates) {
    const match = identifyRole(entry, undefined);
    if (match) certificates.push({ entry, role: match.role, node: match.node, dir: splitNodePath(entry.file).node });
  }
  return { tree, certificates, flags: parseFlags(tree.texts.get(APISERVER_FLAGS_PATH)) };
}

/** `--a=b` lines (comments and blanks skipped); the last of a repeated flag wins, as for the binary. */
function parseFlags(text: string | undefined): Map<string, string> {
  const flags = new Map<string, string>();
  for (const line of (text ?? "").split(/\r?\n/)) {
    const match = /^\s*(--[A-Za-z0-9-]+)=(.*?)\s*$/.exec(line);
    if (match) flags.set(match[1] as string, match[2] as string);
  }
  return flags;
}

/** The certificates of a role in a folder (`undefined` = the tree root), the kubeadm path first. */
export function inFolder(facts: TreeFacts, role: Role, dir: string | undefined): Classified[] {
  return facts.certificates
    .filter((item) => item.role === role && item.dir === dir)
    .sort(
      (a, b) => Number(roleByPath(b.entry.file)?.exact ?? false) - Number(roleByPath(a.entry.file)?.exact ?? false),
    );
}

/** The kubeconfig of a folder by its kubeadm file name (`kubelet.conf` in `nodes/<dir>/` or the root). */
export function kubeconfigAt(facts: TreeFacts, dir: string | undefined, file: string): Kubeconfig | undefined {
  const path = dir === undefined ? file : `nodes/${dir}/${file}`;
  return facts.tree.kubeconfigs.find((kubeconfig) => kubeconfig.file === path)?.config;
}

/** The kubeconfig's server, split; undefined when it has none or it does not parse as a URL. */
export function serverOf(kubeconfig: Kubeconfig | undefined): Server | undefined {
  const current = kubeconfig?.contexts.find((context) => context.name === kubeconfig.currentContext);
  const cluster =
    kubeconfig?.clusters.find((candidate) => candidate.name === current?.cluster) ?? kubeconfig?.clusters[0];
  if (cluster?.server === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch {
    return undefined;
  }
  const bare = url.hostname.replace(/^\[|\]$/g, "");
  const bytes = parseIp(bare);
  if (bare === "") return undefined;
  return { host: bytes ? formatIp(bytes) : bare.toLowerCase(), port: url.port === "" ? 443 : Number(url.port) };
}

/** The cluster name a kubeconfig uses (its current context's, else its first). */
export function clusterNameOf(kubeconfig: Kubeconfig): string | undefined {
  const current = kubeconfig.contexts.find((context) => context.name === kubeconfig.currentContext);
  return current?.cluster ?? kubeconfig.clusters[0]?.name;
}

/**
 * The node a folder's `kubelet.conf` authenticates as (`system:node:<name>`): the embedded client
 * certificate's CN, else a user or context name of that form (kubeadm's first kubelet.conf).
 */
export function kubeletIdentity(facts: TreeFacts, dir: string | undefined): string | undefined {
  const path = dir === undefined ? KUBECONFIG_FILES.kubelet : `nodes/${dir}/${KUBECONFIG_FILES.kubelet}`;
  const fromName = (name: string | undefined) =>
    name?.startsWith(NODE_USER_PREFIX) ? name.slice(NODE_USER_PREFIX.length) : undefined;
  for (const item of facts.tree.certificates) {
    if (item.source !== "kubeconfig" || item.file !== path) continue;
    const name = fromName(item.certificate.subject.commonName);
    if (name) return name;
  }
  const kubeconfig = kubeconfigAt(facts, dir, KUBECONFIG_FILES.kubelet);
  for (const user of kubeconfig?.users ?? []) {
    const name = fromName(user.name);
    if (name) return name;
  }
  return undefined;
}

// The kubeconfigs that dial the shared endpoint, whichever node reads them (reference §3).
const SHARED_KUBECONFIGS: readonly string[] = [
  KUBECONFIG_FILES.admin,
  KUBECONFIG_FILES.superAdmin,
  KUBECONFIG_FILES.kubeProxy,
];

/** The servers of the kubeconfigs that use the shared endpoint (reference §3), in that order of trust. */
export function sharedServer(
  facts: TreeFacts,
  workers: readonly string[],
): { server: Server; file: string } | undefined {
  const candidates = [...SHARED_KUBECONFIGS, ...workers.map((worker) => `nodes/${worker}/${KUBECONFIG_FILES.kubelet}`)];
  for (const file of candidates) {
    const server = serverOf(facts.tree.kubeconfigs.find((kubeconfig) => kubeconfig.file === file)?.config);
    if (server) return { server, file };
  }
  // Other layouts (the tutorial's kube-config.yaml): a kubeconfig whose client certificate, embedded
  // or referenced, plays one of those roles, else one named like the admin's.
  const playsShared = (file: string) =>
    facts.certificates.some(
      (item) =>
        SHARED_KUBECONFIGS.includes(roleProfile(item.role).kubeconfig ?? "") &&
        (item.entry.file === file || item.entry.referencedBy.includes(file)),
    );
  for (const test of [playsShared, (file: string) => /admin/i.test(basename(file))]) {
    for (const { file, config } of facts.tree.kubeconfigs) {
      const server = test(file) ? serverOf(config) : undefined;
      if (server) return { server, file };
    }
  }
  return undefined;
}

/** IP SANs of a certificate, canonical, in certificate order. */
export function ipSans(item: Classified | undefined): string[] {
  return (item?.entry.certificate.subjectAltNames ?? []).flatMap((san) => (san.type === "ip" ? [san.value] : []));
}

/** DNS SANs of a certificate, in certificate order. */
export function dnsSans(item: Classified | undefined): string[] {
  return (item?.entry.certificate.subjectAltNames ?? []).flatMap((san) => (san.type === "dns" ? [san.value] : []));
}
