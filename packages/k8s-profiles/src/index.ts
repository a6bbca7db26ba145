/**
 * @kubepki/k8s-profiles: Kubernetes cluster PKI as plain data — kubeadm's certificate inventory,
 * subjects, SANs, file layout, kubeconfigs and kubelet configs. Pure and synchronous; it imports
 * only the name/IP helpers and types of `@kubepki/core`, no ASN.1 or crypto code.
 *
 * @packageDocumentation
 */

export {
  type AuditedCertificate,
  type AuditOptions,
  type AuditReport,
  auditCluster,
} from "./audit.js";
export type { Finding, FindingCode, FindingSeverity } from "./audit-rules.js";
export type { AuditScope } from "./audit-scope.js";
export type { ClusterFiles } from "./audit-tree.js";
export { certificateName } from "./cert-names.js";
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
  formatExpirationDate,
  formatExpirationTable,
} from "./expiration.js";
export { type KubeadmFile, type KubeadmFilesOptions, toKubeadmFiles } from "./files.js";
// Config, presets, plan and generation: also the entry @kubepki/k8s-profiles/generate.
export * from "./generate-entry.js";
export {
  type RenewedFile,
  type RenewOptions,
  type RenewResult,
  type Restart,
  renewCertificates,
} from "./renew.js";
