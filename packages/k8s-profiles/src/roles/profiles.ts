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
 * What every {@link CertSpec} has, CA or leaf: the fields the openssl renderer reads
 * (`OpensslCertSpec`, so a spec renders as is), and where the pair goes.
 *
 * @inline
 */
interface CertSpecFields extends Omit<OpensslCertSpec, "isCa" | "pathLength" | "signer" | "keyAlgorithm"> {
  /** The node a per-node certificate belongs to. */
  readonly node?: string;
  readonly keyAlgorithm: ClusterKeyAlgorithm;
  /**
   * For identities that live in a kubeconfig: its output-relative path (`admin.conf`,
   * `nodes/worker-1/kubelet.conf`). kubeadm embeds the pair there and writes no `.crt`/`.key`;
   * `certPath`/`keyPath` then name optional standalone copies under `users/`.
   */
  readonly kubeconfig?: string;
}

/**
 * One certificate to issue, as plain data: what `@kubepki/core` needs to build it and where the
 * pair goes. Paths are relative to the output root (see {@link planCluster} for the layout).
 *
 * The certificate's own fields are those the openssl renderer reads (`OpensslCertSpec`, so a
 * spec renders as is): `sans` DNS names first (sorted), then IPs, Go's order, empty for client
 * certificates; `keyUsages` (critical) in bit order; `extKeyUsages` empty for CAs (kubeadm sets
 * none); `certPath`/`keyPath` relative to the output root (`pki/etcd/server.crt`).
 *
 * A union, so that a wrong pairing cannot be written: a CA is self-signed (`isCa: true`,
 * `signer: "self"`, one of the three CA roles; basicConstraints CA:TRUE, pathLenConstraint only
 * here, kubeadm sets none: reference §1.1 notes), and a leaf (`isCa: false`, CA:FALSE) names the
 * CA role that signs it.
 *
 * `id` is unique in a plan: the role for the five cluster-wide certificates (`ca`, `etcd-ca`,
 * `front-proxy-ca`, `super-admin`, `kube-proxy`), `<role>:<node>` for every per-node one —
 * including the first control-plane node's, so ids never change when nodes are added
 * (`apiserver:cp-1`, `etcd-server:cp-2`, `kubelet-serving:worker-1`).
 *
 * @example
 * ```ts
 * import { certSpec, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * const spec = certSpec(resolveClusterConfig({}), "apiserver", "control-plane-1");
 * console.log(spec.id, spec.certPath, spec.signer); // "apiserver:control-plane-1" "pki/apiserver.crt" "ca"
 * ```
 */
export type CertSpec = CertSpecFields &
  (
    | {
        readonly role: Exclude<Signer, "self">;
        readonly isCa: true;
        readonly signer: "self";
        readonly pathLength?: number;
      }
    | {
        readonly role: Exclude<Role, Signer>;
        readonly isCa: false;
        readonly signer: Exclude<Signer, "self">;
        readonly pathLength?: undefined;
      }
  );

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
  /**
   * The one name every command prints and accepts for it: kubeadm's (`kubeadm certs
   * check-expiration` / `renew`): the kubeconfig file for kubeconfig identities, the role otherwise.
   */
  readonly name: string;
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
  /**
   * The port kubeadm's component presents this certificate on, for serving certificates
   * (cmd/kubeadm/app/constants/constants.go): `audit --endpoint` uses it to tell which file a
   * server should present when several share a subject (etcd's server and peer certificates).
   */
  readonly servesOn?: number;
  /**
   * Who checks the CN as an identity, when something does: the default RBAC bindings (`rbac`, and
   * `node-proxier` for kube-proxy's binding), the Node authorizer, or the API server's
   * `--requestheader-allowed-names` (reference §5.1, §6). A wrong CN there breaks the component,
   * so the audit calls it an error; elsewhere a different CN is only unusual.
   */
  readonly identityInCn?: "rbac" | "node-proxier" | "node-authorizer" | "requestheader-allowed-names";
  /**
   * Why `renew` refuses it, when it does, as `kubeadm certs renew` does: a `ca` would invalidate
   * everything it signed; the kubelet rotates its own client certificate (`kubelet-rotates`).
   */
  readonly notRenewable?: "ca" | "kubelet-rotates";
  /**
   * The kubeadm node directories (`/etc/kubernetes`) that must hold it: the audit of a tree of that
   * kind reports it missing otherwise (§1.1, §3). `super-admin`, `kube-proxy` and `kubelet-serving`
   * are kubepki's or optional; `kubelet.conf` of a control-plane node is not required either.
   */
  readonly requiredOn: readonly ("control-plane" | "worker")[];
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
const CONTROL_PLANE: readonly ("control-plane" | "worker")[] = ["control-plane"];
const NOT_REQUIRED: readonly ("control-plane" | "worker")[] = [];

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
    name: "ca",
    scope: "cluster",
    signer: "self",
    commonName: COMMON_NAMES.ca,
    extKeyUsages: [],
    isCa: true,
    sans: "common-name",
    file: pki(CERT_BASE_NAMES.ca),
    restarts: ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet"],
    notRenewable: "ca",
    requiredOn: ["control-plane", "worker"],
  },
  {
    role: "etcd-ca",
    name: "etcd-ca",
    scope: "cluster",
    signer: "self",
    commonName: COMMON_NAMES.etcdCa,
    extKeyUsages: [],
    isCa: true,
    sans: "common-name",
    file: pki(CERT_BASE_NAMES.etcdCa),
    requires: "local-etcd",
    restarts: ["etcd", "kube-apiserver"],
    notRenewable: "ca",
    requiredOn: CONTROL_PLANE,
  },
  {
    role: "front-proxy-ca",
    name: "front-proxy-ca",
    scope: "cluster",
    signer: "self",
    commonName: COMMON_NAMES.frontProxyCa,
    extKeyUsages: [],
    isCa: true,
    sans: "common-name",
    file: pki(CERT_BASE_NAMES.frontProxyCa),
    restarts: ["kube-apiserver"],
    notRenewable: "ca",
    requiredOn: CONTROL_PLANE,
  },
  {
    role: "apiserver",
    name: "apiserver",
    scope: "control-plane",
    signer: "ca",
    commonName: COMMON_NAMES.apiserver,
    extKeyUsages: SERVER,
    isCa: false,
    sans: "apiserver",
    file: pki(CERT_BASE_NAMES.apiserver),
    verifiedBy: verifiedBy(CERT_BASE_NAMES.ca, "every API server client (kubeconfig certificate-authority-data)"),
    restarts: ["kube-apiserver"],
    servesOn: 6443, // kube-apiserver --secure-port (kubeadm constants.KubeAPIServerPort)
    requiredOn: CONTROL_PLANE,
  },
  {
    role: "apiserver-kubelet-client",
    name: "apiserver-kubelet-client",
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
    requiredOn: CONTROL_PLANE,
  },
  {
    role: "front-proxy-client",
    name: "front-proxy-client",
    scope: "control-plane",
    signer: "front-proxy-ca",
    commonName: COMMON_NAMES.frontProxyClient,
    extKeyUsages: CLIENT,
    isCa: false,
    sans: "none",
    file: pki(CERT_BASE_NAMES.frontProxyClient),
    verifiedBy: verifiedBy(CERT_BASE_NAMES.frontProxyCa, "kube-apiserver --requestheader-client-ca-file"),
    restarts: ["kube-apiserver"],
    identityInCn: "requestheader-allowed-names",
    requiredOn: CONTROL_PLANE,
  },
  {
    role: "etcd-server",
    name: "etcd-server",
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
    servesOn: 2379, // --listen-client-urls (kubeadm constants.EtcdListenClientPort)
    requiredOn: CONTROL_PLANE,
  },
  {
    role: "etcd-peer",
    name: "etcd-peer",
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
    servesOn: 2380, // --listen-peer-urls (kubeadm constants.EtcdListenPeerPort)
    requiredOn: CONTROL_PLANE,
  },
  {
    role: "etcd-healthcheck-client",
    name: "etcd-healthcheck-client",
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
    requiredOn: CONTROL_PLANE,
  },
  {
    role: "apiserver-etcd-client",
    name: "apiserver-etcd-client",
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
    requiredOn: CONTROL_PLANE,
  },
  {
    role: "super-admin",
    name: KUBECONFIG_FILES.superAdmin,
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
    requiredOn: NOT_REQUIRED,
  },
  {
    role: "admin",
    name: KUBECONFIG_FILES.admin,
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
    requiredOn: CONTROL_PLANE,
  },
  {
    role: "controller-manager",
    name: KUBECONFIG_FILES.controllerManager,
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
    identityInCn: "rbac",
    requiredOn: CONTROL_PLANE,
  },
  {
    role: "scheduler",
    name: KUBECONFIG_FILES.scheduler,
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
    identityInCn: "rbac",
    requiredOn: CONTROL_PLANE,
  },
  {
    role: "kube-proxy",
    name: KUBECONFIG_FILES.kubeProxy,
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
    identityInCn: "node-proxier",
    requiredOn: NOT_REQUIRED,
  },
  {
    role: "kubelet-client",
    name: KUBECONFIG_FILES.kubelet,
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
    identityInCn: "node-authorizer",
    notRenewable: "kubelet-rotates",
    requiredOn: ["worker"],
  },
  {
    role: "kubelet-serving",
    name: "kubelet-serving",
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
    servesOn: 10250, // the kubelet's --port (kubeadm constants.KubeletPort)
    requiredOn: NOT_REQUIRED,
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
 * @internal
 */
export function nodeDir(node: string): string {
  return `${NODES_DIR}/${node}/`;
}

/**
 * The generic preset function: the {@link CertSpec} of `role` (for `node` when the role is per
 * node), from {@link ROLE_PROFILES} and the config: one function for every role, as kubeadm's
 * `certlist.go` has one loop for every certificate.
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
 * @internal
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
  // The table pairs isCa with signer "self" on exactly the three CA rows (presets.test.ts checks
  // every row), which is the union CertSpec spells out; the key order is the one plans print.
  const spec = {
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
  } as CertSpec;
  return { spec, warnings };
}

/**
 * Where kubeadm keeps a role's certificate on a node, relative to `/etc/kubernetes`: its
 * kubeconfig (`admin.conf`), or `pki/<name>.crt` (`pki/etcd/ca.crt` for the etcd CA).
 *
 * @internal
 */
export function kubeadmLocation(role: Role): string {
  const profile = roleProfile(role);
  return profile.kubeconfig ?? `${PKI_DIR}/${profile.file.base}${FILE_EXTENSIONS.certificate}`;
}

function outputDir(config: ResolvedClusterConfig, scope: RoleScope, member: ResolvedNode | undefined): string {
  if (!member || scope === "cluster") return "";
  if (scope === "control-plane" && member.name === initNode(config).name) return "";
  return nodeDir(member.name);
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
