/**
 * `@kubepki/core/vocabulary`: the words every kubepki package shares, in one dependency-free
 * place: the error class and its codes, IP addresses and CIDR blocks, DNS names, key-usage names,
 * subjectAltName entries and base64. It imports no ASN.1 and no crypto, so `@kubepki/renderers` (text only) and the
 * CLI's start-up use it without loading either; the main entry `@kubepki/core` re-exports the
 * same values (`KubepkiError` here is `KubepkiError` there).
 *
 * @packageDocumentation
 */

export {
  fromBase64,
  fromBase64Url,
  fromGoBase64,
  toBase64,
  toBase64Lines,
  toBase64Url,
} from "./base64.js";
export type { CertificatePurpose } from "./certificate-purpose.js";
export { type Cidr, cidrAddress, cidrSize, lastUsableIndex, parseCidr } from "./cidr.js";
export { checkDnsName, isDnsName, isWildcardDnsName } from "./dns-name.js";
export { isKubepkiError, KubepkiError, type KubepkiErrorCode, type KubepkiErrorDetails } from "./errors.js";
export { canonicalIp, formatIp, ipFamily, isIp, parseIp } from "./ip.js";
export { EXT_KEY_USAGE_OIDS, type ExtKeyUsage, KEY_USAGES, type KeyUsage } from "./key-usages.js";
export type { SubjectAltName, SubjectAltNameInput, SubjectAltNameType } from "./subject-alt-name.js";
