import { checkExtKeyUsages, checkKeyUsages, encodeExtensions } from "../certificate/extensions.js";
import type { CertificationRequest } from "../certificate/model.js";
import { keyAlgorithmOf, keyBitsOf } from "../keys/algorithm.js";
import type { KeyPair } from "../keys/types.js";
import { type CryptoOptions, callCrypto, resolveCrypto } from "../lib/crypto.js";
import { bitString, implicitConstructed, oid, sequence, setOf, smallInteger } from "../lib/der.js";
import { OID } from "../lib/oids.js";
import { signatureAlgorithmForKey, signForX509 } from "../lib/signature.js";
import type { NameInput } from "../names/distinguished-name.js";
import { encodeName } from "../names/encode-name.js";
import { normalizeSubjectAltNames } from "../names/san.js";
import { formatName, normalizeName } from "../names/subject.js";
import { encodePem } from "../pem/pem.js";
import { KubepkiError } from "../vocabulary/errors.js";
import type { ExtKeyUsage, KeyUsage } from "../vocabulary/key-usages.js";
import type { SubjectAltNameInput } from "../vocabulary/subject-alt-name.js";

/**
 * Options of {@link createCsr}.
 *
 * @example
 * ```ts
 * import { createCsr, type CreateCsrOptions, generateKeyPair } from "@kubepki/core";
 *
 * // What a kubelet asks the kubernetes.io/kubelet-serving signer for.
 * const options: CreateCsrOptions = {
 *   keyPair: await generateKeyPair("ECDSA-P256"),
 *   subject: "/CN=system:node:worker-1/O=system:nodes",
 *   sans: ["worker-1", "192.168.10.21"],
 *   keyUsages: ["digitalSignature"],
 *   extKeyUsages: ["serverAuth"],
 * };
 * const csr = await createCsr(options);
 * console.log(csr.extKeyUsages); // ["serverAuth"]
 * ```
 */
export interface CreateCsrOptions extends CryptoOptions {
  /** The requester's key pair; the private key signs the request (proof of possession). */
  keyPair: Pick<KeyPair, "privateKey" | "publicKey">;
  /** The requested subject, e.g. `"/CN=system:node:worker-1/O=system:nodes"`. */
  subject: NameInput;
  /** Requested SANs, carried in a PKCS#9 extensionRequest attribute. */
  sans?: readonly SubjectAltNameInput[];
  /** Requested key usages (kubeadm's CSRs carry none: the signer decides). */
  keyUsages?: readonly KeyUsage[];
  /** Requested extended key usages. */
  extKeyUsages?: readonly ExtKeyUsage[];
  /**
   * Requested basicConstraints (critical), e.g. `{ isCa: false }`: so that a signer copying the
   * request's extensions (`openssl x509 -req -copy_extensions copyall`) issues a leaf that says
   * CA:FALSE. kubeadm's CSRs carry none.
   */
  basicConstraints?: { readonly isCa: boolean; readonly pathLength?: number };
}

/**
 * Creates a PKCS#10 certification request (RFC 2986) signed with the requester's key, with SANs
 * and any requested usages in an extensionRequest attribute (RFC 2985 §5.4.2) — the form
 * `openssl req` and Kubernetes' CertificateSigningRequest API read.
 *
 * @example
 * ```ts
 * import { createCsr, generateKeyPair } from "@kubepki/core";
 *
 * const keyPair = await generateKeyPair("ECDSA-P256");
 * const csr = await createCsr({
 *   keyPair,
 *   subject: "/CN=system:node:worker-1/O=system:nodes",
 *   sans: ["worker-1", "192.168.10.21"],
 * });
 * console.log(csr.pem.split("\n")[0]); // "-----BEGIN CERTIFICATE REQUEST-----"
 * ```
 */
export async function createCsr(options: CreateCsrOptions): Promise<CertificationRequest> {
  const crypto = resolveCrypto(options.crypto);
  const { privateKey, publicKey } = options.keyPair ?? {};
  if (!privateKey || !publicKey) {
    throw new KubepkiError("INVALID_ARGUMENT", "createCsr needs keyPair: { privateKey, publicKey }");
  }
  const subject = normalizeName(options.subject);
  const subjectAltNames = normalizeSubjectAltNames(options.sans ?? []);
  const subjectIsEmpty = Object.keys(subject).length === 0;
  if (subjectIsEmpty && subjectAltNames.length === 0) {
    throw new KubepkiError("INVALID_SUBJECT", "A certificate request needs a subject or at least one SAN");
  }
  const keyUsages = checkKeyUsages(options.keyUsages ?? []);
  const extKeyUsages = checkExtKeyUsages(options.extKeyUsages ?? []);
  const keyAlgorithm = keyAlgorithmOf(publicKey);
  const signatureAlgorithm = signatureAlgorithmForKey(privateKey);
  const publicKeyInfo = new Uint8Array(
    await callCrypto("exportKey(spki)", () => crypto.subtle.exportKey("spki", publicKey)),
  );
  const basicConstraints = checkBasicConstraints(options.basicConstraints);
  const extensions = encodeExtensions({ keyUsages, extKeyUsages, basicConstraints, subjectAltNames, subjectIsEmpty });
  // attributes [0] IMPLICIT SET OF Attribute; empty (a0 00) when nothing is requested, as Go writes it.
  const attributes =
    extensions.length === 0 ? [] : [sequence([oid(OID.extensionRequest), setOf([sequence(extensions)])])];
  const encoded = encodeName(subject);
  const infoDer = sequence([
    smallInteger(0),
    encoded.der,
    publicKeyInfo,
    implicitConstructed(0, attributes.length === 0 ? new Uint8Array(0) : (attributes[0] as Uint8Array)),
  ]);
  const signatureValue = await signForX509(crypto, privateKey, signatureAlgorithm, infoDer);
  const der = sequence([infoDer, signatureAlgorithm.identifier, bitString(signatureValue)]);
  return {
    subject: encoded.name,
    subjectText: formatName(encoded.name),
    subjectAltNames,
    keyUsages: keyUsages.length > 0 ? [...new Set(keyUsages)] : undefined,
    extKeyUsages: extKeyUsages.length > 0 ? [...new Set(extKeyUsages)] : undefined,
    keyAlgorithm,
    keyBits: keyBitsOf(publicKey),
    publicKeyInfo,
    signatureAlgorithm: signatureAlgorithm.oid,
    der,
    pem: encodePem("CERTIFICATE REQUEST", der),
    infoDer,
    signatureValue,
  };
}

/** The requested basicConstraints, checked: a boolean CA flag, a path length only on a CA. */
function checkBasicConstraints(
  value: CreateCsrOptions["basicConstraints"],
): { isCa: boolean; pathLength?: number } | undefined {
  if (value === undefined) return undefined;
  const { isCa, pathLength } = value ?? {};
  const validLength = pathLength === undefined || (Number.isInteger(pathLength) && pathLength >= 0 && pathLength < 128);
  if (typeof isCa !== "boolean" || !validLength || (!isCa && pathLength !== undefined)) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      "basicConstraints: expected { isCa: boolean, pathLength?: integer 0-127 (CA only) }",
      { details: { field: "basicConstraints" } },
    );
  }
  return pathLength === undefined ? { isCa } : { isCa, pathLength };
}
