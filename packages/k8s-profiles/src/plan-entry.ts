/**
 * `@kubepki/k8s-profiles/plan`: the cluster config, the presets, the SAN rules, the plan and the
 * certificates' names — everything of `@kubepki/k8s-profiles` that is plain data, with no key or
 * certificate code behind it.
 *
 * Why a third entry: `@kubepki/k8s-profiles/generate` loads `@kubepki/core/issue` (keys,
 * certificate writing) for `generateCluster`. A program that only plans (the CLI's `plan`, a
 * config check) imports this entry: it loads `@kubepki/core/names` and nothing that does
 * cryptography. Values are the same objects as the other entries'.
 *
 * @packageDocumentation
 */

export { certificateName } from "./cert-names.js";
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
  type Component,
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
  apiserverSans,
  classifySans,
  etcdSans,
  kubeletServingSans,
  normalizeSans,
  type PlanWarning,
  type PlanWarningCode,
  type SanResult,
} from "./sans.js";
