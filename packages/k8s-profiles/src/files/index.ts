// The kubeadm file layout: a generated cluster as files, and files read back into a tree.

export { graphPlan } from "./graph-plan.js";
export { type KubeadmFile, type KubeadmFilesOptions, toKubeadmFiles } from "./kubeadm-files.js";
export {
  ADMIN_DIR,
  DEFAULT_KUBERNETES_VERSION,
  NODE_FLAGS_DIR,
  type NodeFilesOptions,
  toNodeFiles,
} from "./node-files.js";
export type { ClusterFiles } from "./read-files.js";
export { CLUSTER_RECORD_PATH, clusterRecord, readClusterRecord } from "./record.js";
export { treeGraph } from "./tree-graph.js";
