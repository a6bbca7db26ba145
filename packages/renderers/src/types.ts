/**
 * Structural X.509 types of the renderers. Key-usage names and subjectAltName entries are core's
 * vocabulary (`@kubepki/core/vocabulary`, no ASN.1 or crypto behind it); the rest is the plain
 * shape the renderers read.
 */

import type { CertificatePurpose, ExtKeyUsage, KeyUsage, SubjectAltName } from "@kubepki/core/vocabulary";

export type { ExtKeyUsage, KeyUsage, SubjectAltName };

/**
 * Key algorithms kubepki knows; the first five are kubeadm's `encryptionAlgorithm` values
 * (reference §1.3). Ed25519 is accepted by openssl but rejected by kubeadm.
 *
 * @example
 * ```ts
 * import type { KeyAlgorithm } from "@kubepki/renderers";
 *
 * const algorithm: KeyAlgorithm = "ECDSA-P256";
 * ```
 */
export type KeyAlgorithm = "RSA-2048" | "RSA-3072" | "RSA-4096" | "ECDSA-P256" | "ECDSA-P384" | "Ed25519";

/**
 * The part of a `@kubepki/k8s-profiles` `CertSpec` the openssl renderer reads. A `CertSpec` (which
 * may carry more fields) is accepted as is, structurally.
 *
 * @example
 * ```ts
 * import type { OpensslCertSpec } from "@kubepki/renderers";
 *
 * const adminClient: OpensslCertSpec = {
 *   id: "admin",
 *   subject: { commonName: "kubernetes-admin", organizations: ["kubeadm:cluster-admins"] },
 *   sans: [],
 *   keyUsages: ["digitalSignature", "keyEncipherment"],
 *   extKeyUsages: ["clientAuth"],
 *   isCa: false,
 *   validityDays: 365,
 *   keyAlgorithm: "RSA-2048",
 *   certPath: "admin.crt",
 *   keyPath: "admin.key",
 *   signer: "ca",
 * };
 * ```
 */
export interface OpensslCertSpec extends CertificatePurpose {
  /** Stable id; names the generated `.cnf`/`.csr` files. */
  readonly id: string;
  readonly subject: { readonly commonName: string; readonly organizations?: readonly string[] };
  readonly validityDays: number;
  readonly keyAlgorithm: KeyAlgorithm;
  readonly certPath: string;
  readonly keyPath: string;
  /** `"self"` for a self-signed CA, otherwise the id of the signing CA's spec. */
  readonly signer: string;
}
