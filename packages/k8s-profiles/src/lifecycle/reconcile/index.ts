// Day 2 for a whole cluster: the difference between the wanted cluster and a tree (diffCluster),
// and carrying it out with the tree's CAs (applyCluster).
export { applyCluster } from "./apply.js";
export { diffCluster } from "./diff.js";
export type {
  ApplyOptions,
  ApplyProgress,
  ApplyResult,
  CertificateDiff,
  ClusterDiff,
  DiffOptions,
  FileChange,
  FileDiff,
  NodeCopies,
} from "./types.js";
