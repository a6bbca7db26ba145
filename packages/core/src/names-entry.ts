/**
 * `@kubepki/core/names`: the part of `@kubepki/core` that needs no cryptography — the error class,
 * the key algorithm names, and names: DNS names, IP addresses, distinguished names. It is
 * `@kubepki/core/vocabulary`'s words (the same objects, from the same modules) plus what planning
 * needs besides: key algorithm names and distinguished names. k8s-profiles' plan and files stages
 * import only this entry of core, so Node loads one entry of core for them, not two.
 *
 * Why a third entry: `@kubepki/core/issue` is one module for Node (its `dist/node/` build), with
 * key generation and certificate writing in it. A program that only plans or validates (the
 * CLI's `plan`, `--help`, a config linter) imports this entry and loads no key or certificate
 * code. The values are the very same objects as the other entries' (`KubepkiError` here is
 * `KubepkiError` there).
 *
 * @packageDocumentation
 */

export {
  isKeyAlgorithm,
  KEY_ALGORITHMS,
  type KeyAlgorithm,
  KUBEADM_KEY_ALGORITHMS,
  MIN_RSA_BITS,
  type RsaKeyAlgorithm,
  rsaKeyAlgorithm,
} from "./keys/algorithm.js";
export type { DistinguishedName, NameInput } from "./names/distinguished-name.js";
export { formatName, normalizeName, parseSubject } from "./names/subject.js";
export { type Cidr, cidrAddress, cidrSize, lastUsableIndex, parseCidr } from "./vocabulary/cidr.js";
export { checkDnsName, isDnsName, isWildcardDnsName } from "./vocabulary/dns-name.js";
export { isKubepkiError, KubepkiError, type KubepkiErrorCode, type KubepkiErrorDetails } from "./vocabulary/errors.js";
export { canonicalIp, formatIp, isIp, parseIp } from "./vocabulary/ip.js";
export type { SubjectAltName, SubjectAltNameInput, SubjectAltNameType } from "./vocabulary/subject-alt-name.js";
