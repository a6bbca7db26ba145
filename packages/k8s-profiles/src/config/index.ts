// The cluster config: what the user gives (`ClusterConfig`) and its resolved, validated form.
export {
  type ClusterConfig,
  type ClusterKeyAlgorithm,
  type ControlPlaneEndpoint,
  type EtcdConfig,
  findNode,
  initNode,
  type NodeConfig,
  type NodeRole,
  type ResolvedClusterConfig,
  type ResolvedEtcdConfig,
  type ResolvedNode,
  resolveClusterConfig,
} from "./resolve.js";
