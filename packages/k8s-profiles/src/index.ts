/**
 * @kubepki/k8s-profiles: Kubernetes cluster PKI as plain data — kubeadm's certificate inventory,
 * subjects, SANs, file layout, kubeconfigs and kubelet configs. Pure and synchronous; it imports
 * only the name/IP helpers and types of `@kubepki/core`, no ASN.1 or crypto code.
 *
 * @packageDocumentation
 */

export {
  type AuditedCertificate,
  type AuditOptions,
  type AuditReport,
  auditCluster,
} from "./audit.js";
export type { Finding, FindingCode, FindingSeverity } from "./audit-rules.js";
export type { ClusterFiles } from "./audit-tree.js";
export { type Cidr, cidrAddress, cidrSize, lastUsableIndex, parseCidr } from "./cidr.js";
export {
  type ClusterConfig,
  type ClusterKeyAlgorithm,
  type ControlPlaneEndpoint,
  type EtcdConfig,
  findNode,
  initNode,
  joinHostPort,
  type NodeConfig,
  type NodeRole,
  type ResolvedClusterConfig,
  type ResolvedEtcdConfig,
  type ResolvedNode,
  resolveClusterConfig,
} from "./config.js";
export {
  APISERVER_SERVICE_FQDN_PREFIX,
  APISERVER_SERVICE_IP_INDEX,
  APISERVER_SERVICE_NAMES,
  CERT_BASE_NAMES,
  CLUSTER_DNS_SERVICE_IP_INDEX,
  COMMON_NAMES,
  DEFAULT_NODE,
  ETCD_LOOPBACK_SANS,
  FILE_EXTENSIONS,
  GROUPS,
  KUBEADM_DEFAULTS,
  KUBECONFIG_FILES,
  KUBELET_CONFIG_FILE,
  MAX_SERVICE_SUBNET_HOST_BITS,
  NODE_DIRS,
  NODE_USER_PREFIX,
  NODES_DIR,
  PKI_DIR,
  USERS_DIR,
} from "./constants.js";
export {
  type CsrCheckResult,
  type CsrPolicyOptions,
  checkCsrAgainstRole,
  type SignCsrOptions,
  type SignCsrResult,
  signCsrForRole,
} from "./csr-policy.js";
export {
  type CheckExpirationOptions,
  checkExpiration,
  type ExpirationRow,
  formatExpirationDate,
  formatExpirationTable,
} from "./expiration.js";
export { type KubeadmFile, type KubeadmFilesOptions, toKubeadmFiles } from "./files.js";
export {
  type ClusterPki,
  type ExistingCaPem,
  type ExistingCas,
  type GenerateClusterOptions,
  type GeneratedCertificate,
  type GeneratedServiceAccountKey,
  type GenerateProgress,
  type GenerateProgressPhase,
  generateCluster,
} from "./generate.js";
export {
  type CertificatePaths,
  type ClusterPaths,
  type ClusterPlan,
  type KubeconfigSpec,
  type KubeletConfigSpec,
  type NodeFile,
  type NodeFilePaths,
  type NodeFiles,
  outputPathOnNode,
  planCluster,
} from "./plan.js";
export {
  adminSpec,
  apiserverEtcdClientSpec,
  apiserverKubeletClientSpec,
  apiserverSpec,
  type CertSpec,
  caSpec,
  certSpec,
  certSpecWithWarnings,
  controllerManagerSpec,
  etcdCaSpec,
  etcdHealthcheckClientSpec,
  etcdPeerSpec,
  etcdServerSpec,
  frontProxyCaSpec,
  frontProxyClientSpec,
  kubeletClientSpec,
  kubeletServingSpec,
  kubeProxySpec,
  nodeDir,
  ROLE_PROFILES,
  type Role,
  type RoleProfile,
  type RoleScope,
  roleApplies,
  roleProfile,
  type ServiceAccountKeySpec,
  type Signer,
  schedulerSpec,
  serviceAccountKeySpec,
  superAdminSpec,
} from "./presets.js";
export {
  type RenewedFile,
  type RenewOptions,
  type RenewResult,
  renewCertificates,
} from "./renew.js";
export {
  apiserverSans,
  classifySans,
  etcdSans,
  kubeletServingSans,
  normalizeSans,
  type PlanWarning,
  type PlanWarningCode,
  type SanResult,
} from "./sans.js";
