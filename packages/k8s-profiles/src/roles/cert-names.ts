import { KUBECONFIG_FILES, NODE_USER_PREFIX, PKI_DIR } from "./constants.js";
import { ROLE_PROFILES, type Role, roleProfile } from "./profiles.js";

/**
 * One name per certificate, for every command (issue 16 point 5): what `plan` and `init` print
 * is what `check-expiration` prints and what `renew` takes.
 *
 * The rule is kubeadm's (`kubeadm certs check-expiration` / `kubeadm certs renew <name>`, from
 * the `Name` and `BaseName` fields of cmd/kubeadm/app/phases/certs/certlist.go and the
 * kubeconfig handlers of cmd/kubeadm/app/phases/certs/renewal/manager.go): the certificate's
 * kubeadm name (`apiserver`, `etcd-server`, `front-proxy-client`, the CAs `ca`, `etcd-ca`,
 * `front-proxy-ca`) or, for an identity kept in a kubeconfig, the kubeconfig's file name
 * (`admin.conf`, `scheduler.conf`). The tree root is one node's `/etc/kubernetes` (the first
 * control-plane node's), so its files carry kubeadm's names as they are; another node's copy
 * under `nodes/<node>/` is `<name>:<node>` (`apiserver:cp-2`, `kubelet-serving:worker-1`).
 */

/** `nodes/<node>/…` → the node; anything else (the tree root) → undefined. */
function nodeOfPath(path: string): string | undefined {
  return /^nodes\/([^/]+)\//.exec(path)?.[1];
}

/**
 * The name of a certificate of `role` kept at `path` (tree-relative: the certificate file, or
 * the kubeconfig that embeds it): kubeadm's name, suffixed `:<node>` for a file under
 * `nodes/<node>/`.
 *
 * @example
 * ```ts
 * import { certificateName } from "@kubepki/k8s-profiles";
 *
 * console.log(certificateName("apiserver", "pki/apiserver.crt")); // "apiserver"
 * console.log(certificateName("apiserver", "nodes/cp-2/pki/apiserver.crt")); // "apiserver:cp-2"
 * console.log(certificateName("admin", "admin.conf")); // "admin.conf"
 * ```
 */
export function certificateName(role: Role, path: string): string {
  const base = roleProfile(role).name;
  const node = nodeOfPath(path);
  return node === undefined ? base : `${base}:${node}`;
}

/**
 * The node whose `/etc/kubernetes` the tree root is: the user of the root `kubelet.conf`
 * (`system:node:<name>`), else the CN of the root etcd server certificate (kubeadm sets it to the
 * node name, `setCommonNameToNodeName` in certlist.go). Undefined when neither says.
 *
 * @internal
 */
export function rootNodeName(
  certificates: readonly {
    readonly file: string;
    readonly certificate: { readonly subject: { readonly commonName?: string } };
  }[],
): string | undefined {
  const commonName = (file: string) =>
    certificates.find((entry) => entry.file === file)?.certificate.subject.commonName;
  const kubelet = commonName(KUBECONFIG_FILES.kubelet);
  if (kubelet?.startsWith(NODE_USER_PREFIX)) return kubelet.slice(NODE_USER_PREFIX.length);
  return commonName(`${PKI_DIR}/etcd/server.crt`);
}

// `admin` → `admin.conf`: the role names of kubeconfig identities, as plan's ids spell them.
const KUBECONFIG_ALIASES: ReadonlyMap<string, string> = new Map(
  ROLE_PROFILES.flatMap((profile) => (profile.name !== profile.role ? [[profile.role, profile.name] as const] : [])),
);

/**
 * The names a user may type for a certificate, most exact first: the name itself, the role name
 * of a kubeconfig identity (`admin:cp-1` for `admin.conf:cp-1`), and `<name>:<root node>` for
 * the root's copy (`apiserver:cp-1` for `apiserver` when the tree root is cp-1's).
 *
 * @internal
 */
export function nameSpellings(input: string, rootNode: string | undefined): string[] {
  const at = input.lastIndexOf(":");
  const base = at < 0 ? input : input.slice(0, at);
  const node = at < 0 ? undefined : input.slice(at + 1);
  const bases = [base, ...(KUBECONFIG_ALIASES.has(base) ? [KUBECONFIG_ALIASES.get(base) as string] : [])];
  const out: string[] = [];
  for (const candidate of bases) {
    out.push(node === undefined ? candidate : `${candidate}:${node}`);
    if (node !== undefined && node === rootNode) out.push(candidate);
  }
  return out;
}
