import type { ExtKeyUsage, KeyUsage, SubjectAltName } from "@kubepki/core";
import type { OpensslCertSpec } from "@kubepki/renderers";
import {
  type ClusterKeyAlgorithm,
  controlPlaneNode,
  fail,
  findNode,
  initNode,
  type ResolvedClusterConfig,
  type ResolvedNode,
} from "../config/resolve.js";
import { apiserverSans, etcdSans, kubeletServingSans, type PlanWarning } from "../plan/sans.js";
import {
  CERT_BASE_NAMES,
  COMMON_NAMES,
  FILE_EXTENSIONS,
  GROUPS,
  KUBECONFIG_FILES,
  NODE_USER_PREFIX,
  NODES_DIR,
  PKI_DIR,
  USERS_DIR,
} from "./constants.js";

/**
 * Every kind of certificate in a kubepki cluster: kubeadm's inventory (reference §1.1, §3) plus
 * per-node kubelet serving certificates and, optionally, a kube-proxy client certificate.
 *
 * @example
 * ```ts
 * import type { Role } from "@kubepki/k8s-profiles";
 *
 * const role: Role = "apiserver-kubelet-client";
 * ```
 */
export type Role =
  | "ca"
  | "etcd-ca"
  | "front-proxy-ca"
  | "apiserver"
  | "apiserver-kubelet-client"
  | "apiserver-etcd-client"
  | "front-proxy-client"
  | "etcd-server"
  | "etcd-peer"
  | "etcd-healthcheck-client"
  | "admin"
  | "super-admin"
  | "controller-manager"
  | "scheduler"
  | "kubelet-client"
  | "kubelet-serving"
  | "kube-proxy";

/**
 * Who signs a certificate: itself (the three CAs) or one of the three CAs, by role.
 *
 * @example
 * ```ts
 * import type { Signer } from "@kubepki/k8s-profiles";
 *
 * const signer: Signer = "etcd-ca";
 * ```
 */
export type Signer = "self" | "ca" | "etcd-ca" | "front-proxy-ca";

/**
 * One certificate to issue, as plain data: what `@kubepki/core` needs to build it and where the
 * pair goes. Paths are relative to the output root (see {@link planCluster} for the layout).
 *
 * The certificate's own fields are those the openssl renderer reads (`OpensslCertSpec`, so a
 * spec renders as is): `sans` DNS names first (sorted), then IPs, Go's order, empty for client
 * certificates; `keyUsages` (critical) in bit order; `extKeyUsages` empty for CAs (kubeadm sets
 * none); `isCa` written as critical basicConstraints either way; `pathLength` never set by
 * kubeadm; `certPath`/`keyPath` relative to the output root (`pki/etcd/server.crt`).
 *
 * `id` is unique in a plan: the role for the five cluster-wide certificates (`ca`, `etcd-ca`,
 * `front-proxy-ca`, `super-admin`, `kube-proxy`), `<role>:<node>` for every per-node one —
 * including the first control-plane node's, so ids never change when nodes are added
 * (`apiserver:cp-1`, `etcd-server:cp-2`, `kubelet-serving:worker-1`).
 *
 * @example
 * ```ts
 * import { apiserverSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * const spec = apiserverSpec(resolveClusterConfig({}), "control-plane-1");
 * console.log(spec.id, spec.certPath, spec.signer); // "apiserver:control-plane-1" "pki/apiserver.crt" "ca"
 * ```
 */
export interface CertSpec extends OpensslCertSpec {
  readonly role: Role;
  /** The node a per-node certificate belongs to. */
  readonly node?: string;
  readonly signer: Signer;
  readonly keyAlgorithm: ClusterKeyAlgorithm;
  /**
   * For identities that live in a kubeconfig: its output-relative path (`admin.conf`,
   * `nodes/worker-1/kubelet.conf`). kubeadm embeds the pair there and writes no `.crt`/`.key`;
   * `certPath`/`keyPath` then name optional standalone copies under `users/`.
   */
  readonly kubeconfig?: string;
}

/**
 * The service-account signing key pair (`sa.key`/`sa.pub`): a key, not a certificate. Shared by
 * every control-plane node; `sa.pub` is a PKIX `PUBLIC KEY` PEM (reference §1.1 notes, §1.2).
 *
 * @example
 * ```ts
 * import { resolveClusterConfig, serviceAccountKeySpec } from "@kubepki/k8s-profiles";
 *
 * console.log(serviceAccountKeySpec(resolveClusterConfig({})).publicKeyPath); // "pki/sa.pub"
 * ```
 */
export interface ServiceAccountKeySpec {
  readonly id: "sa";
  /** The cluster's algorithm: RSA signs RS256 tokens, ECDSA ES256/ES384. */
  readonly keyAlgorithm: ClusterKeyAlgorithm;
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
}

/**
 * How many of a role a cluster has: one (`cluster`), one per control-plane node, or one per node.
 *
 * @example
 * ```ts
 * import { ROLE_PROFILES } from "@kubepki/k8s-profiles";
 *
 * console.log(ROLE_PROFILES.find((profile) => profile.role === "etcd-peer")?.scope); // "control-plane"
 * ```
 */
export type RoleScope = "cluster" | "control-plane" | "node";

/**
 * A program that reads certificates from disk at start-up only, so must restart to use a renewed
 * one: the control-plane static pods, etcd, the kubelet and kube-proxy.
 *
 * @example
 * ```ts
 * import type { Component } from "@kubepki/k8s-profiles";
 *
 * const component: Component = "kube-apiserver";
 * ```
 */
export type Component =
  | "kube-apiserver"
  | "kube-controller-manager"
  | "kube-scheduler"
  | "etcd"
  | "kubelet"
  | "kube-proxy";

/**
 * One row of the preset table: everything about a role that does not depend on the config.
 * The table ({@link ROLE_PROFILES}) is read like kubeadm's `certlist.go`: data first, one generic
 * function ({@link certSpec}) acting on it.
 *
 * @example
 * ```ts
 * import { ROLE_PROFILES } from "@kubepki/k8s-profiles";
 *
 * const admin = ROLE_PROFILES.find((profile) => profile.role === "admin");
 * console.log(admin?.kubeconfig); // "admin.conf"
 * ```
 */
export interface RoleProfile {
  readonly role: Role;
  readonly scope: RoleScope;
  readonly signer: Signer;
  /** A fixed CN, the node name (etcd server/peer), or `system:node:<node>` (kubelet). */
  readonly commonName: string | { readonly from: "node-name" | "node-user" };
  readonly organizations?: readonly string[];
  readonly extKeyUsages: readonly ExtKeyUsage[];
  readonly isCa: boolean;
  /** Which SAN rule applies. */
  readonly sans: "common-name" | "none" | "apiserver" | "etcd-server" | "etcd-peer" | "kubelet-serving";
  /** File base name: under `pki/` for certificates, under `users/` for kubeconfig identities. */
  readonly file: { readonly dir: "pki" | "users"; readonly base: string };
  /** The kubeconfig this identity lives in. */
  readonly kubeconfig?: string;
  /** Only issued with stacked etcd, or only with `kubeProxy: "certificate"`. */
  readonly requires?: "local-etcd" | "kube-proxy-certificate";
  /**
   * Who verifies a leaf and with which CA file (kubeadm paths): the audit checks the chain against
   * that file, the one the consumer is configured with, not against any CA found in the tree.
   * Absent for the CAs themselves (trust anchors).
   */
  readonly verifiedBy?: { readonly caFile: string; readonly consumer: string };
  /**
   * Who loads this certificate (its flag or kubeconfig) and must restart to use a renewed one,
   * on the node that holds it: kubeadm's static pod manifests say which component reads which
   * file (cmd/kubeadm/app/phases/controlplane/manifests.go, etcd/local.go). Empty when nothing
   * holds it open: `admin.conf`/`super-admin.conf` are read by kubectl at each use, and the etcd
   * healthcheck client only by `etcdctl` run by hand (kubeadm's etcd probe is plain HTTP on
   * `--listen-metrics-urls` since v1.16, kubernetes/kubernetes#81385). A CA is read by everyone
   * who trusts it.
   */
  readonly restarts: readonly Component[];
}

const SERVER: readonly ExtKeyUsage[] = ["serverAuth"];
const CLIENT: readonly ExtKeyUsage[] = ["clientAuth"];
// etcd ≥ 3.2 dials itself with its server certificate (grpc-gateway), and peers are both client
// and server (`--peer-client-cert-auth`): certlist.go, etcd-io/etcd#9785.
const SERVER_AND_CLIENT: readonly ExtKeyUsage[] = ["serverAuth", "clientAuth"];
const users = (conf: string) => ({ dir: "users", base: conf.replace(/\.conf$/, "") }) as const;
const pki = (base: string) => ({ dir: "pki", base }) as const;
// The flags come from kubeadm's static pod manifests (cmd/kubeadm/app/phases/controlplane/manifests.go,
// phases/etcd/local.go) and the kubelet config it writes (--client-ca-file = pki/ca.crt).
const verifiedBy = (caBase: string, consumer: string) => ({ caFile: `${PKI_DIR}/${caBase}.crt`, consumer }) as const;
const BY_CLIENT_CA = verifiedBy(CERT_BASE_NAMES.ca, "kube-apiserver --client-ca-file");
const BY_ETCD_CLIENT_CA = verifiedBy(CERT_BASE_NAMES.etcdCa, "etcd --trusted-ca-file");

/**
 * The preset table, in issuing order: the three CAs first, then every leaf after its signer.
 * Subjects, usages and signers are kubeadm's (reference §1.1 table and notes, §3 table), plus
 * two kubepki rows:
 *
 * - `kubelet-serving`: kubeadm lets each kubelet self-sign its serving certificate, which the API
 *   server cannot verify, so kubeadm leaves `--kubelet-certificate-authority` unset and
 *   `logs`/`exec`/`port-forward` run over unverified TLS (reference §4.2, §7 item 21). kubepki
 *   issues each node a CA-signed one that satisfies the `kubernetes.io/kubelet-serving` signer
 *   rules (CN `system:node:<name>`, O `system:nodes`, DNS/IP SANs, serverAuth, no CA), so the API
 *   server can verify kubelets against `ca.crt`.
 * - `kube-proxy`: only with `kubeProxy: "certificate"` (kubeadm uses a service account;
 *   reference §6); CN `system:kube-proxy`, the user the default `system:node-proxier` binding names.
 *
 * `kubelet-client` is issued for every node (kubeadm issues only the init node's and lets the
 * others TLS-bootstrap); subject as the `kube-apiserver-client-kubelet` signer demands (§4.1).
 *
 * @example
 * ```ts
 * import { ROLE_PROFILES } from "@kubepki/k8s-profiles";
 *
 * console.log(ROLE_PROFILES.slice(0, 3).map((profile) => profile.role)); // ["ca", "etcd-ca", "front-proxy-ca"]
 * ```
 */
export const ROLE_PROFILES: readonly RoleProfile[] = [
  {
    role: "ca",
    scope: "cluster",
    signer: "self",
    commonName: COMMON_NAMES.ca,
    extKeyUsages: [],
    isCa: true,
    sans: "common-name",
    file: pki(CERT_BASE_NAMES.ca),
    restarts: ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet"],
  },
  {
    role: "etcd-ca",
    scope: "cluster",
    signer: "self",
    commonName: COMMON_NAMES.etcdCa,
    extKeyUsages: [],
    isCa: true,
    sans: "common-name",
    file: pki(CERT_BASE_NAMES.etcdCa),
    requires: "local-etcd",
    restarts: ["etcd", "kube-apiserver"],
  },
  {
    role: "front-proxy-ca",
    scope: "cluster",
    signer: "self",
    commonName: COMMON_NAMES.frontProxyCa,
    extKeyUsages: [],
    isCa: true,
    sans: "common-name",
    file: pki(CERT_BASE_NAMES.frontProxyCa),
    restarts: ["kube-apiserver"],
  },
  {
    role: "apiserver",
    scope: "control-plane",
    signer: "ca",
    commonName: COMMON_NAMES.apiserver,
    extKeyUsages: SERVER,
    isCa: false,
    sans: "apiserver",
    file: pki(CERT_BASE_NAMES.apiserver),
    verifiedBy: verifiedBy(CERT_BASE_NAMES.ca, "every API server client (kubeconfig certificate-authority-data)"),
    restarts: ["kube-apiserver"],
  },
  {
    role: "apiserver-kubelet-client",
    scope: "control-plane",
    signer: "ca",
    commonName: COMMON_NAMES.apiserverKubeletClient,
    // v1.29+ (PR #121837): the kubelet's webhook authz lets this user in through kubeadm:cluster-admins.
    organizations: [GROUPS.clusterAdmins],
    extKeyUsages: CLIENT,
    isCa: false,
    sans: "none",
    file: pki(CERT_BASE_NAMES.apiserverKubeletClient),
    verifiedBy: verifiedBy(CERT_BASE_NAMES.ca, "kubelet authentication.x509.clientCAFile"),
    restarts: ["kube-apiserver"],
  },
  {
    role: "front-proxy-client",
    scope: "control-plane",
    signer: "front-proxy-ca",
    commonName: COMMON_NAMES.frontProxyClient,
    extKeyUsages: CLIENT,
    isCa: false,
    sans: "none",
    file: pki(CERT_BASE_NAMES.frontProxyClient),
    verifiedBy: verifiedBy(CERT_BASE_NAMES.frontProxyCa, "kube-apiserver --requestheader-client-ca-file"),
    restarts: ["kube-apiserver"],
  },
  {
    role: "etcd-server",
    scope: "control-plane",
    signer: "etcd-ca",
    // kubeadm `setCommonNameToNodeName`: not the docs table's "kube-etcd".
    commonName: { from: "node-name" },
    extKeyUsages: SERVER_AND_CLIENT,
    isCa: false,
    sans: "etcd-server",
    file: pki(CERT_BASE_NAMES.etcdServer),
    requires: "local-etcd",
    verifiedBy: verifiedBy(CERT_BASE_NAMES.etcdCa, "kube-apiserver --etcd-cafile"),
    restarts: ["etcd"],
  },
  {
    role: "etcd-peer",
    scope: "control-plane",
    signer: "etcd-ca",
    commonName: { from: "node-name" },
    extKeyUsages: SERVER_AND_CLIENT,
    isCa: false,
    sans: "etcd-peer",
    file: pki(CERT_BASE_NAMES.etcdPeer),
    requires: "local-etcd",
    verifiedBy: verifiedBy(CERT_BASE_NAMES.etcdCa, "etcd --peer-trusted-ca-file"),
    restarts: ["etcd"],
  },
  {
    role: "etcd-healthcheck-client",
    scope: "control-plane",
    signer: "etcd-ca",
    // No O since PR #119859: etcd ignores it, and system:masters here was a needless superuser.
    commonName: COMMON_NAMES.etcdHealthcheckClient,
    extKeyUsages: CLIENT,
    isCa: false,
    sans: "none",
    file: pki(CERT_BASE_NAMES.etcdHealthcheckClient),
    requires: "local-etcd",
    verifiedBy: BY_ETCD_CLIENT_CA,
    restarts: [],
  },
  {
    role: "apiserver-etcd-client",
    scope: "control-plane",
    signer: "etcd-ca",
    // No O since PR #120521.
    commonName: COMMON_NAMES.apiserverEtcdClient,
    extKeyUsages: CLIENT,
    isCa: false,
    sans: "none",
    file: pki(CERT_BASE_NAMES.apiserverEtcdClient),
    requires: "local-etcd",
    verifiedBy: BY_ETCD_CLIENT_CA,
    restarts: ["kube-apiserver"],
  },
  {
    role: "super-admin",
    scope: "cluster",
    signer: "ca",
    commonName: COMMON_NAMES.superAdmin,
    // Break-glass only: system:masters bypasses RBAC and cannot be revoked (reference §6).
    organizations: [GROUPS.masters],
    extKeyUsages: CLIENT,
    isCa: false,
    sans: "none",
    file: users(KUBECONFIG_FILES.superAdmin),
    kubeconfig: KUBECONFIG_FILES.superAdmin,
    verifiedBy: BY_CLIENT_CA,
    restarts: [],
  },
  {
    role: "admin",
    scope: "control-plane",
    signer: "ca",
    commonName: COMMON_NAMES.admin,
    organizations: [GROUPS.clusterAdmins],
    extKeyUsages: CLIENT,
    isCa: false,
    sans: "none",
    file: users(KUBECONFIG_FILES.admin),
    kubeconfig: KUBECONFIG_FILES.admin,
    verifiedBy: BY_CLIENT_CA,
    restarts: [],
  },
  {
    role: "controller-manager",
    scope: "control-plane",
    signer: "ca",
    commonName: COMMON_NAMES.controllerManager,
    extKeyUsages: CLIENT,
    isCa: false,
    sans: "none",
    file: users(KUBECONFIG_FILES.controllerManager),
    kubeconfig: KUBECONFIG_FILES.controllerManager,
    verifiedBy: BY_CLIENT_CA,
    restarts: ["kube-controller-manager"],
  },
  {
    role: "scheduler",
    scope: "control-plane",
    signer: "ca",
    commonName: COMMON_NAMES.scheduler,
    extKeyUsages: CLIENT,
    isCa: false,
    sans: "none",
    file: users(KUBECONFIG_FILES.scheduler),
    kubeconfig: KUBECONFIG_FILES.scheduler,
    verifiedBy: BY_CLIENT_CA,
    restarts: ["kube-scheduler"],
  },
  {
    role: "kube-proxy",
    scope: "cluster",
    signer: "ca",
    commonName: COMMON_NAMES.kubeProxy,
    extKeyUsages: CLIENT,
    isCa: false,
    sans: "none",
    file: users(KUBECONFIG_FILES.kubeProxy),
    kubeconfig: KUBECONFIG_FILES.kubeProxy,
    requires: "kube-proxy-certificate",
    verifiedBy: BY_CLIENT_CA,
    restarts: ["kube-proxy"],
  },
  {
    role: "kubelet-client",
    scope: "node",
    signer: "ca",
    commonName: { from: "node-user" },
    organizations: [GROUPS.nodes],
    extKeyUsages: CLIENT,
    isCa: false,
    sans: "none",
    file: users(KUBECONFIG_FILES.kubelet),
    kubeconfig: KUBECONFIG_FILES.kubelet,
    verifiedBy: BY_CLIENT_CA,
    restarts: ["kubelet"],
  },
  {
    role: "kubelet-serving",
    scope: "node",
    signer: "ca",
    commonName: { from: "node-user" },
    organizations: [GROUPS.nodes],
    extKeyUsages: SERVER,
    isCa: false,
    sans: "kubelet-serving",
    file: pki(CERT_BASE_NAMES.kubeletServing),
    verifiedBy: verifiedBy(CERT_BASE_NAMES.ca, "kube-apiserver --kubelet-certificate-authority"),
    restarts: ["kubelet"],
  },
];

/**
 * The preset row of a role.
 *
 * @example
 * ```ts
 * import { roleProfile } from "@kubepki/k8s-profiles";
 *
 * console.log(roleProfile("etcd-server").signer); // "etcd-ca"
 * ```
 */
export function roleProfile(role: Role): RoleProfile {
  const profile = ROLE_PROFILES.find((candidate) => candidate.role === role);
  if (!profile) throw fail("INVALID_ARGUMENT", "role", `unknown role ${JSON.stringify(role)}`);
  return profile;
}

/**
 * Whether the config calls for a role at all: the etcd rows need stacked etcd, `kube-proxy`
 * needs `kubeProxy: "certificate"`.
 *
 * @example
 * ```ts
 * import { resolveClusterConfig, roleApplies } from "@kubepki/k8s-profiles";
 *
 * console.log(roleApplies(resolveClusterConfig({}), "kube-proxy")); // false
 * ```
 */
export function roleApplies(config: ResolvedClusterConfig, role: Role): boolean {
  const { requires } = roleProfile(role);
  if (requires === "local-etcd") return config.etcd.type === "local";
  if (requires === "kube-proxy-certificate") return config.kubeProxy === "certificate";
  return true;
}

/**
 * The output directory of a node's files: `""` (the output root) for the first control-plane
 * node's control-plane material, `nodes/<name>/` for everything else that is per node — the
 * other control-plane nodes' leaves and kubeconfigs, and every node's (the first included)
 * kubelet files. Each directory is laid out like `/etc/kubernetes` on that node.
 *
 * @example
 * ```ts
 * import { nodeDir } from "@kubepki/k8s-profiles";
 *
 * console.log(nodeDir("worker-1")); // "nodes/worker-1/"
 * ```
 */
export function nodeDir(node: string): string {
  return `${NODES_DIR}/${node}/`;
}

/**
 * The generic preset function: the {@link CertSpec} of `role` (for `node` when the role is per
 * node), from {@link ROLE_PROFILES} and the config. Every per-role function below is this with
 * the role filled in.
 *
 * @throws KubepkiError `INVALID_ARGUMENT`: missing/unknown node (field `node`), a control-plane
 * role for a worker (field `node`), etcd roles with external etcd (field `etcd.type`), kube-proxy
 * without `kubeProxy: "certificate"` (field `kubeProxy`).
 *
 * @example
 * ```ts
 * import { certSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * const spec = certSpec(resolveClusterConfig({}), "etcd-peer", "control-plane-1");
 * console.log(spec.subject.commonName, spec.extKeyUsages); // "control-plane-1" ["serverAuth", "clientAuth"]
 * ```
 */
export function certSpec(config: ResolvedClusterConfig, role: Role, node?: string | ResolvedNode): CertSpec {
  return certSpecWithWarnings(config, role, node).spec;
}

/**
 * {@link certSpec} plus the warnings its SAN computation produced (skipped `certSANs` …).
 *
 * @example
 * ```ts
 * import { certSpecWithWarnings, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * const config = resolveClusterConfig({ certSANs: ["bad_name"] });
 * console.log(certSpecWithWarnings(config, "apiserver", "control-plane-1").warnings.length); // 1
 * ```
 */
export function certSpecWithWarnings(
  config: ResolvedClusterConfig,
  role: Role,
  node?: string | ResolvedNode,
): { spec: CertSpec; warnings: readonly PlanWarning[] } {
  const profile = roleProfile(role);
  if (!roleApplies(config, role)) {
    throw profile.requires === "local-etcd"
      ? fail("INVALID_ARGUMENT", "etcd.type", "etcd certificates exist only with local etcd")
      : fail("INVALID_ARGUMENT", "kubeProxy", 'a kube-proxy certificate needs kubeProxy: "certificate"');
  }

  let member: ResolvedNode | undefined;
  // Cluster-wide rows (the CAs, super-admin on the init node, kube-proxy) take no node.
  if (profile.scope !== "cluster") {
    if (node === undefined) throw fail("INVALID_ARGUMENT", "node", `${role} certificates are per node; name one`);
    member = profile.scope === "control-plane" ? controlPlaneNode(config, node, role) : findNode(config, node);
  }

  const commonName =
    typeof profile.commonName === "string"
      ? profile.commonName
      : profile.commonName.from === "node-name"
        ? (member as ResolvedNode).name
        : `${NODE_USER_PREFIX}${(member as ResolvedNode).name}`;

  let sans: readonly SubjectAltName[] = [];
  let warnings: readonly PlanWarning[] = [];
  switch (profile.sans) {
    case "common-name":
      // client-go NewSelfSignedCACert puts the CN in a DNS SAN (reference §1.1 notes).
      sans = [{ type: "dns", value: commonName }];
      break;
    case "apiserver":
      ({ sans, warnings } = apiserverSans(config, member as ResolvedNode));
      break;
    case "etcd-server":
      ({ sans, warnings } = etcdSans(config, member as ResolvedNode, "server"));
      break;
    case "etcd-peer":
      ({ sans, warnings } = etcdSans(config, member as ResolvedNode, "peer"));
      break;
    case "kubelet-serving":
      ({ sans, warnings } = kubeletServingSans(config, member as ResolvedNode));
      break;
    case "none":
      break;
  }

  // Reference §1.2: leaves digitalSignature|keyEncipherment, CAs add keyCertSign (no cRLSign).
  const keyUsages: KeyUsage[] = ["digitalSignature"];
  if (config.keyEncipherment) keyUsages.push("keyEncipherment");
  if (profile.isCa) keyUsages.push("keyCertSign");

  const dir = outputDir(config, profile.scope, member);
  const base = `${dir}${profile.file.dir === "pki" ? PKI_DIR : USERS_DIR}/${profile.file.base}`;
  const spec: CertSpec = {
    id: member ? `${role}:${member.name}` : role,
    role,
    ...(member ? { node: member.name } : {}),
    subject: profile.organizations ? { commonName, organizations: profile.organizations } : { commonName },
    sans,
    keyUsages,
    extKeyUsages: profile.extKeyUsages,
    isCa: profile.isCa,
    validityDays: profile.isCa ? config.validity.caDays : config.validity.leafDays,
    signer: profile.signer,
    keyAlgorithm: config.keyAlgorithm,
    certPath: `${base}${FILE_EXTENSIONS.certificate}`,
    keyPath: `${base}${FILE_EXTENSIONS.privateKey}`,
    ...(profile.kubeconfig ? { kubeconfig: `${dir}${profile.kubeconfig}` } : {}),
  };
  return { spec, warnings };
}

function outputDir(config: ResolvedClusterConfig, scope: RoleScope, member: ResolvedNode | undefined): string {
  if (!member || scope === "cluster") return "";
  if (scope === "control-plane" && member.name === initNode(config).name) return "";
  return nodeDir(member.name);
}

// ---------------------------------------------------------------------------------------------
// One function per role: the generic function with the role filled in.
// ---------------------------------------------------------------------------------------------

/**
 * The cluster CA `pki/ca.crt`: CN `kubernetes`, self-signed, SAN `DNS:kubernetes` (reference §1.1 row `ca`).
 *
 * @example
 * ```ts
 * import { caSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(caSpec(resolveClusterConfig({})).keyUsages); // ["digitalSignature", "keyEncipherment", "keyCertSign"]
 * ```
 */
export function caSpec(config: ResolvedClusterConfig): CertSpec {
  return certSpec(config, "ca");
}

/**
 * The etcd CA `pki/etcd/ca.crt`, CN `etcd-ca` (§1.1 row `etcd/ca`). Local etcd only.
 *
 * @example
 * ```ts
 * import { etcdCaSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(etcdCaSpec(resolveClusterConfig({})).certPath); // "pki/etcd/ca.crt"
 * ```
 */
export function etcdCaSpec(config: ResolvedClusterConfig): CertSpec {
  return certSpec(config, "etcd-ca");
}

/**
 * The front-proxy CA `pki/front-proxy-ca.crt`, CN `front-proxy-ca` (§1.1 row `front-proxy-ca`).
 *
 * @example
 * ```ts
 * import { frontProxyCaSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(frontProxyCaSpec(resolveClusterConfig({})).subject.commonName); // "front-proxy-ca"
 * ```
 */
export function frontProxyCaSpec(config: ResolvedClusterConfig): CertSpec {
  return certSpec(config, "front-proxy-ca");
}

/**
 * A control-plane node's API server serving certificate, CN `kube-apiserver`, serverAuth, SANs
 * from {@link apiserverSans} (§1.1 row `apiserver`, §2.1).
 *
 * @example
 * ```ts
 * import { apiserverSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(apiserverSpec(resolveClusterConfig({}), "control-plane-1").extKeyUsages); // ["serverAuth"]
 * ```
 */
export function apiserverSpec(config: ResolvedClusterConfig, node: string | ResolvedNode): CertSpec {
  return certSpec(config, "apiserver", node);
}

/**
 * The API server's client certificate towards kubelets: CN `kube-apiserver-kubelet-client`,
 * O `kubeadm:cluster-admins` (§1.1 row `apiserver-kubelet-client`).
 *
 * @example
 * ```ts
 * import { apiserverKubeletClientSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(apiserverKubeletClientSpec(resolveClusterConfig({}), "control-plane-1").subject.organizations);
 * // ["kubeadm:cluster-admins"]
 * ```
 */
export function apiserverKubeletClientSpec(config: ResolvedClusterConfig, node: string | ResolvedNode): CertSpec {
  return certSpec(config, "apiserver-kubelet-client", node);
}

/**
 * The API server's client certificate towards etcd: CN `kube-apiserver-etcd-client`, no O,
 * signed by the etcd CA (§1.1 row `apiserver-etcd-client`). Local etcd only.
 *
 * @example
 * ```ts
 * import { apiserverEtcdClientSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(apiserverEtcdClientSpec(resolveClusterConfig({}), "control-plane-1").signer); // "etcd-ca"
 * ```
 */
export function apiserverEtcdClientSpec(config: ResolvedClusterConfig, node: string | ResolvedNode): CertSpec {
  return certSpec(config, "apiserver-etcd-client", node);
}

/**
 * The aggregation-layer client certificate: CN `front-proxy-client` (the name the API server's
 * `--requestheader-allowed-names` lists), signed by the front-proxy CA (§1.1 row `front-proxy-client`).
 *
 * @example
 * ```ts
 * import { frontProxyClientSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(frontProxyClientSpec(resolveClusterConfig({}), "control-plane-1").signer); // "front-proxy-ca"
 * ```
 */
export function frontProxyClientSpec(config: ResolvedClusterConfig, node: string | ResolvedNode): CertSpec {
  return certSpec(config, "front-proxy-client", node);
}

/**
 * A control-plane node's etcd server certificate: CN = node name, serverAuth+clientAuth, SANs
 * from {@link etcdSans} (§1.1 row `etcd/server`, §2.2). Local etcd only.
 *
 * @example
 * ```ts
 * import { etcdServerSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(etcdServerSpec(resolveClusterConfig({}), "control-plane-1").subject); // { commonName: "control-plane-1" }
 * ```
 */
export function etcdServerSpec(config: ResolvedClusterConfig, node: string | ResolvedNode): CertSpec {
  return certSpec(config, "etcd-server", node);
}

/**
 * A control-plane node's etcd peer certificate: CN = node name, serverAuth+clientAuth
 * (§1.1 row `etcd/peer`, §2.2). Local etcd only.
 *
 * @example
 * ```ts
 * import { etcdPeerSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(etcdPeerSpec(resolveClusterConfig({}), "control-plane-1").keyPath); // "pki/etcd/peer.key"
 * ```
 */
export function etcdPeerSpec(config: ResolvedClusterConfig, node: string | ResolvedNode): CertSpec {
  return certSpec(config, "etcd-peer", node);
}

/**
 * The etcd liveness-probe client: CN `kube-etcd-healthcheck-client`, no O (§1.1 row
 * `etcd/healthcheck-client`). Local etcd only.
 *
 * @example
 * ```ts
 * import { etcdHealthcheckClientSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(etcdHealthcheckClientSpec(resolveClusterConfig({}), "control-plane-1").extKeyUsages); // ["clientAuth"]
 * ```
 */
export function etcdHealthcheckClientSpec(config: ResolvedClusterConfig, node: string | ResolvedNode): CertSpec {
  return certSpec(config, "etcd-healthcheck-client", node);
}

/**
 * `admin.conf`'s identity on a control-plane node: CN `kubernetes-admin`, O
 * `kubeadm:cluster-admins` (§3 row `admin.conf`). kubeadm writes one per control-plane node.
 *
 * @example
 * ```ts
 * import { adminSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(adminSpec(resolveClusterConfig({}), "control-plane-1").kubeconfig); // "admin.conf"
 * ```
 */
export function adminSpec(config: ResolvedClusterConfig, node: string | ResolvedNode): CertSpec {
  return certSpec(config, "admin", node);
}

/**
 * `super-admin.conf`'s break-glass identity: CN `kubernetes-super-admin`, O `system:masters`
 * (§3 row `super-admin.conf`). One per cluster, on the init node.
 *
 * @example
 * ```ts
 * import { resolveClusterConfig, superAdminSpec } from "@kubepki/k8s-profiles";
 *
 * console.log(superAdminSpec(resolveClusterConfig({})).subject.organizations); // ["system:masters"]
 * ```
 */
export function superAdminSpec(config: ResolvedClusterConfig): CertSpec {
  return certSpec(config, "super-admin");
}

/**
 * `controller-manager.conf`'s identity: CN `system:kube-controller-manager`, no O (§3, §6).
 *
 * @example
 * ```ts
 * import { controllerManagerSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(controllerManagerSpec(resolveClusterConfig({}), "control-plane-1").subject.commonName);
 * // "system:kube-controller-manager"
 * ```
 */
export function controllerManagerSpec(config: ResolvedClusterConfig, node: string | ResolvedNode): CertSpec {
  return certSpec(config, "controller-manager", node);
}

/**
 * `scheduler.conf`'s identity: CN `system:kube-scheduler`, no O (§3, §6).
 *
 * @example
 * ```ts
 * import { resolveClusterConfig, schedulerSpec } from "@kubepki/k8s-profiles";
 *
 * console.log(schedulerSpec(resolveClusterConfig({}), "control-plane-1").subject.commonName); // "system:kube-scheduler"
 * ```
 */
export function schedulerSpec(config: ResolvedClusterConfig, node: string | ResolvedNode): CertSpec {
  return certSpec(config, "scheduler", node);
}

/**
 * A node's kubelet client identity (`kubelet.conf`): CN `system:node:<name>`, O `system:nodes`,
 * clientAuth, no SANs — what the Node authorizer and the `kube-apiserver-client-kubelet` signer
 * require (§3 row `kubelet.conf`, §4.1).
 *
 * @example
 * ```ts
 * import { kubeletClientSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(kubeletClientSpec(resolveClusterConfig({}), "control-plane-1").subject.commonName);
 * // "system:node:control-plane-1"
 * ```
 */
export function kubeletClientSpec(config: ResolvedClusterConfig, node: string | ResolvedNode): CertSpec {
  return certSpec(config, "kubelet-client", node);
}

/**
 * A node's CA-signed kubelet serving certificate `nodes/<name>/pki/kubelet.crt` (not made by
 * kubeadm; see {@link ROLE_PROFILES} for why): CN `system:node:<name>`, O `system:nodes`,
 * serverAuth, SANs from {@link kubeletServingSans} (§4.2 `kubelet-serving` signer rules).
 *
 * @example
 * ```ts
 * import { kubeletServingSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(kubeletServingSpec(resolveClusterConfig({}), "control-plane-1").certPath);
 * // "nodes/control-plane-1/pki/kubelet.crt"
 * ```
 */
export function kubeletServingSpec(config: ResolvedClusterConfig, node: string | ResolvedNode): CertSpec {
  return certSpec(config, "kubelet-serving", node);
}

/**
 * kube-proxy's client identity (`kube-proxy.conf`), only with `kubeProxy: "certificate"`:
 * CN `system:kube-proxy` (§6 row `system:kube-proxy`; the seed tutorial's `kube-proxy` CN gets no rights).
 *
 * @example
 * ```ts
 * import { kubeProxySpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(kubeProxySpec(resolveClusterConfig({ kubeProxy: "certificate" })).kubeconfig); // "kube-proxy.conf"
 * ```
 */
export function kubeProxySpec(config: ResolvedClusterConfig): CertSpec {
  return certSpec(config, "kube-proxy");
}

/**
 * The service-account key pair `pki/sa.key` + `pki/sa.pub`, in the cluster's key algorithm
 * (§1.1 row `sa.key / sa.pub`).
 *
 * @example
 * ```ts
 * import { resolveClusterConfig, serviceAccountKeySpec } from "@kubepki/k8s-profiles";
 *
 * console.log(serviceAccountKeySpec(resolveClusterConfig({ keyAlgorithm: "ECDSA-P256" })));
 * // { id: "sa", keyAlgorithm: "ECDSA-P256", privateKeyPath: "pki/sa.key", publicKeyPath: "pki/sa.pub" }
 * ```
 */
export function serviceAccountKeySpec(config: ResolvedClusterConfig): ServiceAccountKeySpec {
  const base = `${PKI_DIR}/${CERT_BASE_NAMES.serviceAccount}`;
  return {
    id: "sa",
    keyAlgorithm: config.keyAlgorithm,
    privateKeyPath: `${base}${FILE_EXTENSIONS.privateKey}`,
    publicKeyPath: `${base}${FILE_EXTENSIONS.publicKey}`,
  };
}
