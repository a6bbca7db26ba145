/**
 * @kubepki/core: keys, PEM, names, CSRs, certificates and their verification, on WebCrypto only.
 *
 * @packageDocumentation
 */

// Certificates and CSRs from bytes: the readers (built on @peculiar/asn1-schema).
export { parseCertificate, parseCertificates } from "./certificate/parse.js";
export { parseCsr } from "./csr/parse.js";
export { verifyCsr } from "./csr/verify.js";
// Everything else: also the entry @kubepki/core/issue, which does not load the readers.
export * from "./issue.js";
// Passphrase-encrypted keys (PKCS#8 PBES2): not in the issue entry, which issues with plain keys.
export { decryptPrivateKeyPem } from "./keys/decrypt.js";
export { encryptPrivateKeyPem } from "./keys/encrypt.js";
export { keyMatchesCertificate } from "./keys/match.js";
