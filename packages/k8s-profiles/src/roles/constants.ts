/**
 * Every name kubeadm fixes — common names, groups, file names, defaults — written once, as
 * kubeadm's own `cmd/kubeadm/app/constants/constants.go` does. Presets, plans, tests and docs refer
 * to these; nothing else in the package spells them out.
 *
 * Source: docs/reference/kubeadm-pki.md §1.1 (inventory), §3 (kubeconfigs), §4 (kubelet), §6 (RBAC);
 * kubeadm `apis/kubeadm/v1beta4/defaults.go` for the defaults.
 */

import type { KeyAlgorithm } from "@kubepki/core";

// ---------------------------------------------------------------------------------------------
// Defaults (kubeadm v1beta4 `defaults.go`)
// ---------------------------------------------------------------------------------------------

/**
 * kubeadm's defaults for the fields of `ClusterConfig` that it defaults itself.
 *
 * @example
 * ```ts
 * import { KUBEADM_DEFAULTS } from "@kubepki/k8s-profiles";
 *
 * console.log(KUBEADM_DEFAULTS.serviceSubnet); // "10.96.0.0/12"
 * ```
 */
export const KUBEADM_DEFAULTS = {
  clusterName: "kubernetes",
  dnsDomain: "cluster.local",
  serviceSubnet: "10.96.0.0/12",
  bindPort: 6443,
  keyAlgorithm: "RSA-2048" as KeyAlgorithm,
  /** `caCertificateValidityPeriod: 87600h`. */
  caDays: 3650,
  /** `certificateValidityPeriod: 8760h`. */
  leafDays: 365,
} as const;

/**
 * The node kubepki assumes when a config lists none: one control-plane node. kubeadm would take
 * the host name and the default-route address; a pure function cannot, so this is a documented
 * placeholder (a private address from 10.0.0.0/8, outside the default service range 10.96.0.0/12).
 *
 * @example
 * ```ts
 * import { DEFAULT_NODE } from "@kubepki/k8s-profiles";
 *
 * console.log(DEFAULT_NODE.name); // "control-plane-1"
 * ```
 */
export const DEFAULT_NODE = {
  name: "control-plane-1",
  role: "control-plane",
  addresses: ["10.0.0.10"],
} as const;

/**
 * Index of the API server's ClusterIP in the first service CIDR (`GetAPIServerVirtualIP`,
 * reference §2.1 item 3).
 *
 * @example
 * ```ts
 * import { APISERVER_SERVICE_IP_INDEX } from "@kubepki/k8s-profiles";
 *
 * console.log(APISERVER_SERVICE_IP_INDEX); // 1
 * ```
 */
export const APISERVER_SERVICE_IP_INDEX = 1;

/**
 * Index of the cluster DNS ClusterIP in the first service CIDR (`GetDNSIP`, reference §4.3).
 *
 * @example
 * ```ts
 * import { CLUSTER_DNS_SERVICE_IP_INDEX } from "@kubepki/k8s-profiles";
 *
 * console.log(CLUSTER_DNS_SERVICE_IP_INDEX); // 10
 * ```
 */
export const CLUSTER_DNS_SERVICE_IP_INDEX = 10;

/**
 * kubeadm refuses service subnets with more than 20 host bits (`MaximumBitsForServiceSubnet`):
 * the largest is /12 for IPv4 and /108 for IPv6 (kubeadm `validation.go`, `ValidateServiceSubnetSize`).
 *
 * @example
 * ```ts
 * import { MAX_SERVICE_SUBNET_HOST_BITS } from "@kubepki/k8s-profiles";
 *
 * console.log(32 - MAX_SERVICE_SUBNET_HOST_BITS); // 12
 * ```
 */
export const MAX_SERVICE_SUBNET_HOST_BITS = 20;

// ---------------------------------------------------------------------------------------------
// Subjects (reference §1.1, §3, §4.1, §6)
// ---------------------------------------------------------------------------------------------

/**
 * Subject common names, exactly as kubeadm writes them (`constants.go`). The etcd server and peer
 * certificates have no fixed CN: kubeadm sets it to the node name (`setCommonNameToNodeName`).
 *
 * @example
 * ```ts
 * import { COMMON_NAMES } from "@kubepki/k8s-profiles";
 *
 * console.log(COMMON_NAMES.admin); // "kubernetes-admin"
 * ```
 */
export const COMMON_NAMES = {
  ca: "kubernetes",
  etcdCa: "etcd-ca",
  frontProxyCa: "front-proxy-ca",
  apiserver: "kube-apiserver",
  apiserverKubeletClient: "kube-apiserver-kubelet-client",
  apiserverEtcdClient: "kube-apiserver-etcd-client",
  frontProxyClient: "front-proxy-client",
  etcdHealthcheckClient: "kube-etcd-healthcheck-client",
  admin: "kubernetes-admin",
  superAdmin: "kubernetes-super-admin",
  // The default RBAC bindings name these *users*; the seed tutorial's `kube-scheduler` CN gets no
  // permissions (reference §6, §7 item 8).
  controllerManager: "system:kube-controller-manager",
  scheduler: "system:kube-scheduler",
  kubeProxy: "system:kube-proxy",
} as const;

/**
 * Prefix of a node's user name: the Node authorizer only accepts `system:node:<nodeName>`
 * (reference §4.1, §6).
 *
 * @example
 * ```ts
 * import { NODE_USER_PREFIX } from "@kubepki/k8s-profiles";
 *
 * console.log(`${NODE_USER_PREFIX}worker-1`); // "system:node:worker-1"
 * ```
 */
export const NODE_USER_PREFIX = "system:node:";

/**
 * Groups (subject O values) with a meaning in Kubernetes RBAC (reference §6).
 *
 * @example
 * ```ts
 * import { GROUPS } from "@kubepki/k8s-profiles";
 *
 * console.log(GROUPS.clusterAdmins); // "kubeadm:cluster-admins"
 * ```
 */
export const GROUPS = {
  /** Bound to `cluster-admin` by kubeadm's CRB; revocable. admin.conf and apiserver-kubelet-client (v1.29+). */
  clusterAdmins: "kubeadm:cluster-admins",
  /** Hard-wired superuser group, unrevocable: only super-admin.conf. */
  masters: "system:masters",
  /** Required (exactly) by the Node authorizer and the kubelet signers. */
  nodes: "system:nodes",
} as const;

// ---------------------------------------------------------------------------------------------
// Files (kubeadm layout, reference §1.1, §3, §4.3)
// ---------------------------------------------------------------------------------------------

/**
 * Where kubeadm keeps things on a node. The output of kubepki mirrors `KUBERNETES_DIR`: a path
 * `pki/ca.crt` in the output is `/etc/kubernetes/pki/ca.crt` on the node.
 *
 * @example
 * ```ts
 * import { NODE_DIRS } from "@kubepki/k8s-profiles";
 *
 * console.log(NODE_DIRS.certificates); // "/etc/kubernetes/pki"
 * ```
 */
export const NODE_DIRS = {
  kubernetes: "/etc/kubernetes",
  certificates: "/etc/kubernetes/pki",
  kubeletConfig: "/var/lib/kubelet/config.yaml",
} as const;

/**
 * The certificates directory relative to the output root (kubeadm's `certificatesDir`).
 *
 * @example
 * ```ts
 * import { PKI_DIR } from "@kubepki/k8s-profiles";
 *
 * console.log(`${PKI_DIR}/ca.crt`); // "pki/ca.crt"
 * ```
 */
export const PKI_DIR = "pki";

/**
 * Per-node output directories: `nodes/<name>/`, laid out like that node's `/etc/kubernetes`.
 *
 * @example
 * ```ts
 * import { NODES_DIR } from "@kubepki/k8s-profiles";
 *
 * console.log(`${NODES_DIR}/worker-1/kubelet.conf`); // "nodes/worker-1/kubelet.conf"
 * ```
 */
export const NODES_DIR = "nodes";

/**
 * Where standalone copies of kubeconfig client certificates go: `users/<conf name>.crt|key` next
 * to `<conf name>.conf` (`users/admin.crt` for `admin.conf`). kubeadm embeds them in the `.conf`
 * and writes no separate file; kubepki names a place outside `pki/` so that `pki/` holds exactly
 * kubeadm's set while expiry/renewal tooling still has a file to look at.
 *
 * @example
 * ```ts
 * import { USERS_DIR } from "@kubepki/k8s-profiles";
 *
 * console.log(`${USERS_DIR}/admin.crt`); // "users/admin.crt"
 * ```
 */
export const USERS_DIR = "users";

/**
 * Base names (no extension) of certificate/key pairs, relative to the certificates directory
 * (kubeadm `*CertAndKeyBaseName`), plus kubepki's kubelet pairs (role `kubelet-serving`).
 *
 * @example
 * ```ts
 * import { CERT_BASE_NAMES } from "@kubepki/k8s-profiles";
 *
 * console.log(`pki/${CERT_BASE_NAMES.etcdServer}.crt`); // "pki/etcd/server.crt"
 * ```
 */
export const CERT_BASE_NAMES = {
  ca: "ca",
  etcdCa: "etcd/ca",
  frontProxyCa: "front-proxy-ca",
  apiserver: "apiserver",
  apiserverKubeletClient: "apiserver-kubelet-client",
  apiserverEtcdClient: "apiserver-etcd-client",
  frontProxyClient: "front-proxy-client",
  etcdServer: "etcd/server",
  etcdPeer: "etcd/peer",
  etcdHealthcheckClient: "etcd/healthcheck-client",
  serviceAccount: "sa",
  /** kubepki's CA-signed kubelet serving pair (kubeadm leaves the kubelet to self-sign). */
  kubeletServing: "kubelet",
} as const;

/**
 * Kubeconfig file names (kubeadm `*KubeConfigFileName`; `kube-proxy.conf` is kubepki's, for
 * `kubeProxy: "certificate"`).
 *
 * @example
 * ```ts
 * import { KUBECONFIG_FILES } from "@kubepki/k8s-profiles";
 *
 * console.log(KUBECONFIG_FILES.admin); // "admin.conf"
 * ```
 */
export const KUBECONFIG_FILES = {
  admin: "admin.conf",
  superAdmin: "super-admin.conf",
  controllerManager: "controller-manager.conf",
  scheduler: "scheduler.conf",
  kubelet: "kubelet.conf",
  kubeProxy: "kube-proxy.conf",
} as const;

/**
 * Output file name of a node's KubeletConfiguration (installed as `/var/lib/kubelet/config.yaml`).
 *
 * @example
 * ```ts
 * import { KUBELET_CONFIG_FILE } from "@kubepki/k8s-profiles";
 *
 * console.log(`nodes/worker-1/${KUBELET_CONFIG_FILE}`); // "nodes/worker-1/kubelet-config.yaml"
 * ```
 */
export const KUBELET_CONFIG_FILE = "kubelet-config.yaml";

/**
 * File extensions kubeadm uses: certificate, private key, and the service-account public key (`sa.pub`).
 *
 * @example
 * ```ts
 * import { FILE_EXTENSIONS } from "@kubepki/k8s-profiles";
 *
 * console.log(`pki/sa${FILE_EXTENSIONS.publicKey}`); // "pki/sa.pub"
 * ```
 */
export const FILE_EXTENSIONS = { certificate: ".crt", privateKey: ".key", publicKey: ".pub" } as const;

// ---------------------------------------------------------------------------------------------
// SANs (reference §2)
// ---------------------------------------------------------------------------------------------

/**
 * The in-cluster names of the `kubernetes` Service that every API server certificate carries
 * (`GetAPIServerAltNames`); the fourth name, `kubernetes.default.svc.<dnsDomain>`, is built from
 * {@link APISERVER_SERVICE_FQDN_PREFIX} and the configured domain (reference §2.1 item 2).
 *
 * @example
 * ```ts
 * import { APISERVER_SERVICE_NAMES } from "@kubepki/k8s-profiles";
 *
 * console.log(APISERVER_SERVICE_NAMES.length); // 3
 * ```
 */
export const APISERVER_SERVICE_NAMES = ["kubernetes", "kubernetes.default", "kubernetes.default.svc"] as const;

/**
 * Prefix of the API server's fully qualified service name: `kubernetes.default.svc.<dnsDomain>`.
 *
 * @example
 * ```ts
 * import { APISERVER_SERVICE_FQDN_PREFIX } from "@kubepki/k8s-profiles";
 *
 * console.log(`${APISERVER_SERVICE_FQDN_PREFIX}.cluster.local`); // "kubernetes.default.svc.cluster.local"
 * ```
 */
export const APISERVER_SERVICE_FQDN_PREFIX = "kubernetes.default.svc";

/**
 * Loopback names every etcd server/peer certificate carries, both IP families always
 * (`GetEtcdAltNames`, reference §2.2).
 *
 * @example
 * ```ts
 * import { ETCD_LOOPBACK_SANS } from "@kubepki/k8s-profiles";
 *
 * console.log(ETCD_LOOPBACK_SANS.ips); // ["127.0.0.1", "::1"]
 * ```
 */
export const ETCD_LOOPBACK_SANS = { dns: ["localhost"], ips: ["127.0.0.1", "::1"] } as const;
