/**
 * `@kubepki/k8s-profiles/generate`: the cluster config, the presets, the plan and
 * `generateCluster` — everything of `@kubepki/k8s-profiles` that makes a cluster's PKI — without
 * the audit, renewal, CSR policy and file layout, which read certificates and kubeconfigs.
 *
 * Why a second entry: those read with `@peculiar/asn1-schema` and `yaml`, and Node loads every
 * module an entry imports, used or not (~0.17 s of start-up on a small machine, before the first
 * key). A program that only generates imports this entry; it loads `@kubepki/core/issue`, never
 * the parser or yaml. Bundlers drop unused modules anyway (`"sideEffects": false`), so for a
 * bundle both entries cost the same. Values are the same objects as the main entry's.
 *
 * @packageDocumentation
 */

// The CIDR vocabulary is core's (one reading of a CIDR for every package), re-exported as before.
export { type Cidr, cidrAddress, cidrSize, lastUsableIndex, parseCidr } from "@kubepki/core/issue";
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
