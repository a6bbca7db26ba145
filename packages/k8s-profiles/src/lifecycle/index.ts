// Day 2: renewal, expiration, signing CSRs and reconciling a running cluster's tree.
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
  expirationTableCells,
  formatExpirationTable,
} from "./expiration.js";
export {
  type ApplyOptions,
  type ApplyProgress,
  type ApplyResult,
  applyCluster,
  type CertificateDiff,
  type ClusterDiff,
  type DiffOptions,
  diffCluster,
  type FileChange,
  type FileDiff,
  type NodeCopies,
} from "./reconcile/index.js";
export type { RenewValiditySource } from "./renew/validity.js";
export {
  type RenewedCertificate,
  type RenewedFile,
  type RenewOptions,
  type RenewResult,
  type Restart,
  renewCertificates,
} from "./renew.js";
