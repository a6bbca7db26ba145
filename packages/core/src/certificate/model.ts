import type { KeyAlgorithm } from "../keys/algorithm.js";
import type { DistinguishedName } from "../names/distinguished-name.js";
import type { ExtKeyUsage, KeyUsage } from "../vocabulary/key-usages.js";
import type { SubjectAltName } from "../vocabulary/subject-alt-name.js";

/**
 * A certificate as kubepki reads it: every field a Kubernetes operator checks, already decoded.
 * Produced by `parseCertificate` and returned by `createSelfSignedCa` / `issueCertificate`
 * (built from the values that went in, without re-parsing what was just encoded).
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, type Certificate, generateKeyPair } from "@kubepki/core";
 *
 * const ca: Certificate = await createSelfSignedCa({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=kubernetes" });
 * console.log(ca.version, ca.isCa, ca.keyUsages); // 3 true ["digitalSignature", "keyCertSign"]
 * ```
 */
export interface Certificate {
  /** X.509 version: 1 or 3 (a v1 certificate has no extensions at all: the tutorial's mistake). */
  readonly version: 1 | 2 | 3;
  /** Serial number as lowercase hex without leading zero bytes. */
  readonly serialNumber: string;
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  /** The subject in openssl one-line form, e.g. `/O=system:nodes/CN=system:node:w1` (DER order). */
  readonly subjectText: string;
  /** The issuer in the same form. */
  readonly issuerText: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SANs in certificate order. Empty when there is no SAN extension. */
  readonly subjectAltNames: readonly SubjectAltName[];
  /** keyUsage bits; `undefined` when the extension is absent (which means "any" to Go). */
  readonly keyUsages: readonly KeyUsage[] | undefined;
  /** extendedKeyUsage purposes; `undefined` when absent. Unknown OIDs are reported by OID text. */
  readonly extKeyUsages: readonly (ExtKeyUsage | string)[] | undefined;
  /** basicConstraints cA. False when the extension is absent. */
  readonly isCa: boolean;
  /** basicConstraints pathLenConstraint, when present. */
  readonly pathLength: number | undefined;
  /** Subject Key Identifier as lowercase hex, when present. */
  readonly subjectKeyIdentifier: string | undefined;
  /** Authority Key Identifier (keyIdentifier) as lowercase hex, when present. */
  readonly authorityKeyIdentifier: string | undefined;
  /** The public key's algorithm; `undefined` for keys kubepki does not handle. */
  readonly keyAlgorithm: KeyAlgorithm | undefined;
  /** RSA modulus length, or curve size, in bits (0 when unknown). */
  readonly keyBits: number;
  /** SubjectPublicKeyInfo DER. */
  readonly publicKeyInfo: Uint8Array;
  /** Signature algorithm OID of the certificate's own signature. */
  readonly signatureAlgorithm: string;
  /** SHA-256 over the DER, lowercase hex, colon-free (computed on first read, then kept). */
  readonly fingerprintSha256: string;
  /** The full DER. */
  readonly der: Uint8Array;
  /** PEM text (`CERTIFICATE`, 64-column lines, trailing newline; for a parsed certificate, written on first read). */
  readonly pem: string;
  /**
   * The exact DER of the subject Name as it appears in the certificate. Issuing uses these bytes
   * as the child's issuer, so chaining works byte for byte even for CAs made by other tools.
   */
  readonly subjectDer: Uint8Array;
  /** The exact DER of the issuer Name as it appears in the certificate. */
  readonly issuerDer: Uint8Array;
  /** The DER of the TBSCertificate, for signature checks. @internal */
  readonly tbsDer: Uint8Array;
  /** The raw signature value bytes (DER ECDSA-Sig-Value for ECDSA). @internal */
  readonly signatureValue: Uint8Array;
}

/**
 * A PKCS#10 certification request as kubepki reads it.
 *
 * @example
 * ```ts
 * import { type CertificationRequest, createCsr, generateKeyPair } from "@kubepki/core";
 *
 * const csr: CertificationRequest = await createCsr({
 *   keyPair: await generateKeyPair("ECDSA-P256"),
 *   subject: { commonName: "system:node:worker-1", organizations: ["system:nodes"] },
 * });
 * console.log(csr.subjectText); // "/O=system:nodes/CN=system:node:worker-1"
 * ```
 */
export interface CertificationRequest {
  readonly subject: DistinguishedName;
  readonly subjectText: string;
  /** SANs requested in the extensionRequest attribute. */
  readonly subjectAltNames: readonly SubjectAltName[];
  /** keyUsage requested, when the request carries one. */
  readonly keyUsages: readonly KeyUsage[] | undefined;
  /** extendedKeyUsage requested, when the request carries one. */
  readonly extKeyUsages: readonly (ExtKeyUsage | string)[] | undefined;
  readonly keyAlgorithm: KeyAlgorithm | undefined;
  readonly keyBits: number;
  readonly publicKeyInfo: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly der: Uint8Array;
  /** PEM text (`CERTIFICATE REQUEST`). */
  readonly pem: string;
  /** @internal */
  readonly infoDer: Uint8Array;
  /** @internal */
  readonly signatureValue: Uint8Array;
}
