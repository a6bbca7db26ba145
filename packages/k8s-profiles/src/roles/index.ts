// The role table (`ROLE_PROFILES`): every certificate of a kubeadm cluster as one row of facts, and the names and constants it is built from.

export { certificateName } from "./cert-names.js";
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
  type CertSpec,
  type Component,
  certSpec,
  ROLE_PROFILES,
  type Role,
  type RoleProfile,
  type RoleScope,
  roleApplies,
  roleProfile,
  type ServiceAccountKeySpec,
  type Signer,
  serviceAccountKeySpec,
} from "./profiles.js";
