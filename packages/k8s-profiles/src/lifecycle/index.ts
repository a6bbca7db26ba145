// Day 2: renewal, expiration, signing CSRs, describing a running cluster's tree and reconciling it.
export {
  type CsrCheckResult,
  type CsrPolicyOptions,
  checkCsrAgainstRole,
  type SignCsrOptions,
  type SignCsrResult,
  signCsrForRole,
} from "./csr-policy.js";
export { describeTree, type TreeDescription } from "./describe/index.js";
export {
  type CheckExpirationOptions,
  checkExpiration,
  type ExpirationRow,
  expirationTableCells,
  formatExpirationDate,
  formatExpirationTable,
  shortHumanDuration,
} from "./expiration.js";
export { expirationInfo } from "./expiration-info.js";
export { certificateTimes, type ExpiryStatusOptions, expiryStatus } from "./expiration-times.js";
export {
  type CsrLocation,
  type CsrProblem,
  type CsrRequest,
  type CsrSet,
  type ExternalCa,
  type ExternalCas,
  type FinishCsrsOptions,
  type FinishCsrsResult,
  finishCsrs,
  type GenerateCsrsOptions,
  generateCsrs,
  type SigningEntry,
  signingList,
  toCsrFiles,
} from "./external/index.js";
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
export {
  type RotateOptions,
  type RotationPhase,
  type RotationResult,
  type RotationState,
  type RotationTarget,
  rotateCas,
  rotationStatus,
} from "./rotate/index.js";
