/**
 * `@kubepki/core/issue`: everything of `@kubepki/core` that makes keys, names, CSRs and
 * certificates, and verifies parsed ones — without the readers of certificate and CSR bytes
 * (`parseCertificate`, `parseCertificates`, `parseCsr`, `verifyCsr`, `keyMatchesCertificate`)
 * and without `encryptPrivateKeyPem` / `decryptPrivateKeyPem` (offline-side work; its
 * `importPrivateKeyPem` still reads an encrypted key given `{ passphrase }`).
 *
 * Why a second entry: those readers are built on `@peculiar/asn1-schema`, and Node loads every
 * module an entry imports, used or not: ~0.1 s of start-up on a small machine, before the first
 * key. A program that only issues (a generator, a CLI's `init`) imports this entry and never
 * loads the parser. Bundlers drop unused modules anyway (`"sideEffects": false`), so for a
 * bundle both entries cost the same. The values are the very same objects as the main entry's
 * (`KubepkiError` here is `KubepkiError` there).
 *
 * @packageDocumentation
 */

export { resolveValidity, type ValidityWindow } from "./certificate/build.js";
export {
  type CreateSelfSignedCaOptions,
  createSelfSignedCa,
  type IssuanceOptions,
  type IssueCertificateOptions,
  issueCertificate,
  issuePlannedCertificate,
  type PlannedCertificateOptions,
} from "./certificate/issue.js";
// Certificates
export type { Certificate, CertificationRequest } from "./certificate/model.js";
export { type Issuer, PreparedIssuer, prepareIssuer } from "./certificate/prepare-issuer.js";
export {
  DEFAULT_BACKDATE_MS,
  DEFAULT_CA_VALIDITY_DAYS,
  DEFAULT_LEAF_VALIDITY_DAYS,
  type ValidityInput,
} from "./certificate/validity.js";
export {
  type VerifyCertificateOptions,
  type VerifyChainOptions,
  verifyCertificate,
  verifyCertificateSignature,
  verifyChain,
} from "./certificate/verify.js";
// CSRs
export { type CreateCsrOptions, createCsr } from "./csr/create.js";
// Keys
export {
  type ExportedKeyPair,
  exportKeyPair,
  exportPrivateKeyPem,
  exportPublicKeyInfo,
  exportPublicKeyPem,
} from "./keys/export.js";
export { type GenerateKeyPairOptions, generateKeyPair } from "./keys/generate.js";
export {
  describePrivateKeyPem,
  importPrivateKeyPem,
  importPublicKeyPem,
  type PrivateKeyDescription,
} from "./keys/import.js";
export { describePublicKeyInfo, type PublicKeyDescription } from "./keys/public-key-info.js";
export type { KeyPair, PrivateKeyFormat } from "./keys/types.js";
export type { CryptoOptions } from "./lib/crypto.js";
export { normalizeSubjectAltNames } from "./names/san.js";
// Names (the rest, with the error class and the key algorithm names: also the entry
// @kubepki/core/names, which needs no cryptography)
export * from "./names-entry.js";
// PEM
export { decodePem, decodePemBlocks, encodePem, type PemBlock } from "./pem/pem.js";
// The shared vocabulary (errors, IP/CIDR, DNS names, key usages, SAN entries), also the entry @kubepki/core/vocabulary.
export {
  type CertificatePurpose,
  type Cidr,
  canonicalIp,
  checkDnsName,
  cidrAddress,
  cidrSize,
  EXT_KEY_USAGE_OIDS,
  type ExtKeyUsage,
  formatIp,
  ipFamily,
  isDnsName,
  isIp,
  isKubepkiError,
  isWildcardDnsName,
  KEY_USAGES,
  type KeyUsage,
  KubepkiError,
  type KubepkiErrorCode,
  type KubepkiErrorDetails,
  lastUsableIndex,
  parseCidr,
  parseIp,
  type SubjectAltName,
  type SubjectAltNameInput,
  type SubjectAltNameType,
} from "./vocabulary/index.js";
