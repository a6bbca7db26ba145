// What the audit reports: one finding per problem, with its severity, its fix and kubeadm's reference.
import type { Role } from "../roles/profiles.js";

/**
 * How bad a finding is: `error` breaks a component or security (a client that cannot
 * authenticate, a server nobody can verify, etcd open to every cluster certificate); `warning`
 * works but differs from kubeadm or will break later; `info` is worth knowing.
 *
 * @example
 * ```ts
 * import type { FindingSeverity } from "@kubepki/k8s-profiles";
 *
 * const severity: FindingSeverity = "error";
 * ```
 */
export type FindingSeverity = "error" | "warning" | "info";

/**
 * Stable codes of audit findings (branch on these, not on messages):
 *
 * - files: `UNREADABLE`, `MISSING_FILE`, `MISSING_KEY`, `UNRESOLVED_REFERENCE`, `NO_ROLE`;
 * - subjects: `WRONG_SUBJECT`, `MISSING_GROUP`, `UNEXPECTED_GROUP`, `SUPERUSER_GROUP`;
 * - extensions: `V1_CERTIFICATE`, `NOT_A_CA`, `CA_ON_LEAF`, `MISSING_SAN`, `UNEXPECTED_SAN`,
 *   `MISSING_EKU`, `EXTRA_EKU`, `WRONG_KEY_USAGE`, `EXTENSIONS_DROPPED`;
 * - trust: `NOT_TRUSTED` (does not chain to the CA file its consumer uses), `PATH_LENGTH_EXCEEDED`,
 *   `WRONG_ISSUER`, `UNKNOWN_ISSUER`, `BAD_SIGNATURE`, `WEAK_SIGNATURE`, `SHARED_ETCD_CA`,
 *   `KUBECONFIG_CA_MISMATCH`, `SERVER_NAME_MISMATCH`, `INVALID_SERVER`, `EXTERNAL_CA`, `NEGATIVE_SERIAL`;
 * - keys: `KEY_MISMATCH`, `WEAK_KEY`, `UNSUPPORTED_KEY`, `PKCS8_KEY`, `SA_KEY_MISMATCH` (`sa.pub`
 *   does not hold `sa.key`'s public key, so every service-account token is refused);
 * - the tree itself: `NO_CERTIFICATES` (not one certificate in it: an empty or wrong directory is
 *   not a clean cluster);
 * - time: `EXPIRED`, `NOT_YET_VALID`, `EXPIRES_SOON`, `SHORT_VALIDITY`, `VALIDITY_EXCEEDS_CA`;
 * - CSR files next to their certificates: `CSR_MISMATCH`;
 * - a CA rotation (a CA file holding the old and the new CA): `ROTATION_IN_PROGRESS` (info: which
 *   phase, what next), `CA_BUNDLE_UNRELATED` (a CA file bundling an unrelated certificate),
 *   `SIGNING_BUNDLE` / `SIGNING_CA_MISMATCH` (`pki/ca-signing.crt` is not the one certificate whose
 *   key is `pki/ca.key`), `ROTATION_INCONSISTENT` (phases mixed: an incoming CA outside the bundle,
 *   without its key, a node's copy of a bundle that differs), `SIGNED_BY_OUTGOING_CA` (warning: a
 *   leaf the reissue phase left with the old CA), `STRAY_SA_KEY` (an `sa.pub` key of neither `sa.key` nor `sa-new.key`);
 * - intermediate CAs (a leaf file of leaf + chain, kubeadm's layout since kubernetes/kubernetes PR
 *   #97266): `CHAIN_BROKEN` (a link whose issuer is not a CA or whose signature does not verify),
 *   `CHAIN_NAME_MISMATCH` (a certificate not followed by the CA its issuer names),
 *   `CHAIN_OUT_OF_ORDER` (its issuer is further down the file), `PATH_LENGTH_EXCEEDED` (also for
 *   a link of the file), `CHAIN_INCOMPLETE` (warning: a leaf of an intermediate CA whose file
 *   lacks it, so clients trusting only the root refuse it); with the `rootCa` option,
 *   `NOT_UNDER_ROOT` (a CA file that does not chain to the root) and `VALIDITY_EXCEEDS_CA` for a
 *   CA that outlives its issuer;
 * - what servers present (`compareServedCertificates`, `audit --endpoint`): `SERVED_CERT_STALE` (a
 *   server still presenting another certificate than its file: restart it), `SERVED_CERT_UNTRUSTED`,
 *   `SERVED_CERT_EXPIRED`, `SERVED_CERT_UNMATCHED` (info), `SERVED_CERT_UNAVAILABLE`.
 *
 * @example
 * ```ts
 * import type { FindingCode } from "@kubepki/k8s-profiles";
 *
 * const code: FindingCode = "MISSING_SAN";
 * ```
 */
export type FindingCode =
  | "UNREADABLE"
  | "MISSING_FILE"
  | "MISSING_KEY"
  | "UNRESOLVED_REFERENCE"
  | "NO_ROLE"
  | "WRONG_SUBJECT"
  | "MISSING_GROUP"
  | "UNEXPECTED_GROUP"
  | "SUPERUSER_GROUP"
  | "V1_CERTIFICATE"
  | "NOT_A_CA"
  | "CA_ON_LEAF"
  | "MISSING_SAN"
  | "UNEXPECTED_SAN"
  | "MISSING_EKU"
  | "EXTRA_EKU"
  | "WRONG_KEY_USAGE"
  | "EXTENSIONS_DROPPED"
  | "WRONG_ISSUER"
  | "UNKNOWN_ISSUER"
  | "BAD_SIGNATURE"
  | "WEAK_SIGNATURE"
  | "SHARED_ETCD_CA"
  | "KUBECONFIG_CA_MISMATCH"
  | "SERVER_NAME_MISMATCH"
  | "INVALID_SERVER"
  | "EXTERNAL_CA"
  | "KEY_MISMATCH"
  | "WEAK_KEY"
  | "UNSUPPORTED_KEY"
  | "PKCS8_KEY"
  | "SA_KEY_MISMATCH"
  | "NO_CERTIFICATES"
  | "ENCRYPTED_KEY"
  | "EXPIRED"
  | "NOT_YET_VALID"
  | "EXPIRES_SOON"
  | "SHORT_VALIDITY"
  | "VALIDITY_EXCEEDS_CA"
  | "CSR_MISMATCH"
  | "NOT_TRUSTED"
  | "PATH_LENGTH_EXCEEDED"
  | "NEGATIVE_SERIAL"
  | "CA_BUNDLE_UNRELATED"
  | "SIGNING_BUNDLE"
  | "SIGNING_CA_MISMATCH"
  | "ROTATION_INCONSISTENT"
  | "STRAY_SA_KEY"
  | "SIGNED_BY_OUTGOING_CA"
  | "ROTATION_IN_PROGRESS"
  | "CHAIN_BROKEN"
  | "CHAIN_NAME_MISMATCH"
  | "CHAIN_OUT_OF_ORDER"
  | "CHAIN_INCOMPLETE"
  | "NOT_UNDER_ROOT"
  | "SERVED_CERT_STALE"
  | "SERVED_CERT_UNTRUSTED"
  | "SERVED_CERT_EXPIRED"
  | "SERVED_CERT_UNMATCHED"
  | "SERVED_CERT_UNAVAILABLE";

/**
 * One thing the audit noticed. Findings are data, never exceptions: a broken file is an
 * `UNREADABLE` finding. `fix` says what to do, with the correct subject or command; `reference`
 * names the section of docs/reference/kubeadm-pki.md (and the openssl tutorial's mistake number,
 * `§7 item 14`) the rule comes from.
 *
 * @example
 * ```ts
 * import type { Finding } from "@kubepki/k8s-profiles";
 *
 * const finding: Finding = {
 *   severity: "error",
 *   code: "WRONG_SUBJECT",
 *   file: "kube-scheduler.crt",
 *   role: "scheduler",
 *   message: "CN is kube-scheduler; the default RBAC bindings name the user system:kube-scheduler",
 *   fix: 'openssl req -new -key kube-scheduler.key -subj "/CN=system:kube-scheduler" -out kube-scheduler.csr, then sign again',
 *   reference: "§6, §7 item 8",
 * };
 * ```
 */
export interface Finding {
  readonly severity: FindingSeverity;
  readonly code: FindingCode;
  /** The tree path concerned (a kubeconfig for embedded certificates). */
  readonly file: string;
  readonly role?: Role;
  readonly node?: string;
  readonly message: string;
  readonly fix: string;
  /** Where the rule comes from in the PKI reference, e.g. `§2.1` or `§7 item 14`. */
  readonly reference?: string;
}
