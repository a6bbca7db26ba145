// Planning: the resolved config and the role table become every certificate, file and kubeconfig of the cluster, with their SANs.
export {
  type CertificatePaths,
  type ClusterPaths,
  type ClusterPlan,
  type KubeconfigSpec,
  type KubeletConfigSpec,
  type NodeFile,
  type NodeFilePaths,
  type NodeFiles,
  planCluster,
} from "./plan.js";
export {
  apiserverSans,
  etcdSans,
  kubeletServingSans,
  type PlanWarning,
  type PlanWarningCode,
  type SanResult,
} from "./sans.js";
