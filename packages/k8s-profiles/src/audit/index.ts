// The audit: a tree of files checked against the role table and against what each consumer trusts.
export {
  type AuditedCertificate,
  type AuditOptions,
  type AuditReport,
  auditCluster,
} from "./audit.js";
export type { Finding, FindingCode, FindingSeverity } from "./findings.js";
export type { AuditScope } from "./scope.js";
export { type CompareServedOptions, compareServedCertificates, type ServedChain } from "./served.js";
