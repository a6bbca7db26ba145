import { checkCsrSignature } from "../csr/signature.js";
import { keyAlgorithmOf, keyBitsOf } from "../keys/algorithm.js";
import { publicKeyInfoFromJwk } from "../keys/jwk.js";
import { describePublicKeyInfo } from "../keys/public-key-info.js";
import type { KeyPair } from "../keys/types.js";
import { type CryptoOptions, callCrypto, resolveCrypto } from "../lib/crypto.js";
import { OID } from "../lib/oids.js";
import { signatureAlgorithmForKey } from "../lib/signature.js";
import type { DistinguishedName, NameInput } from "../names/distinguished-name.js";
import { encodeName } from "../names/encode-name.js";
import { normalizeSubjectAltNames } from "../names/san.js";
import { normalizeName } from "../names/subject.js";
import type { CertificatePurpose } from "../vocabulary/certificate-purpose.js";
import { KubepkiError } from "../vocabulary/errors.js";
import type { ExtKeyUsage, KeyUsage } from "../vocabulary/key-usages.js";
import type { SubjectAltNameInput } from "../vocabulary/subject-alt-name.js";
import { buildCertificate, resolveValidity, type ValidityWindow } from "./build.js";
import { checkExtKeyUsages, checkKeyUsages } from "./extensions.js";
import { subjectKeyIdentifier } from "./key-identifier.js";
import type { Certificate, CertificationRequest } from "./model.js";
import { type Issuer, type PreparedIssuer, prepareIssuer } from "./prepare-issuer.js";
import { randomSerial } from "./serial.js";
import { DEFAULT_CA_VALIDITY_DAYS, DEFAULT_LEAF_VALIDITY_DAYS, type ValidityInput } from "./validity.js";

/**
 * Options every certificate-making call shares: the injectable crypto, clock and randomness.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair, type IssuanceOptions } from "@kubepki/core";
 *
 * // A fixed clock: NotBefore is 5 minutes earlier, as kubeadm backdates.
 * const fixedClock: IssuanceOptions = { now: new Date("2025-01-01T00:00:00Z") };
 * const ca = await createSelfSignedCa({ ...fixedClock, keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=kubernetes" });
 * console.log(ca.notBefore.toISOString()); // "2024-12-31T23:55:00.000Z"
 * ```
 */
export interface IssuanceOptions extends CryptoOptions {
  /** The clock: "now" for validity and checks (default `new Date()`). */
  now?: Date;
  /** Random bytes for serial numbers (default `crypto.getRandomValues`). Inject for deterministic tests. */
  random?: (length: number) => Uint8Array;
  /** How far NotBefore is moved into the past for `{ days }` validity (default 5 minutes, as kubeadm). */
  backdateMs?: number;
}

/**
 * Options of {@link createSelfSignedCa}.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, type CreateSelfSignedCaOptions, generateKeyPair } from "@kubepki/core";
 *
 * const options: CreateSelfSignedCaOptions = {
 *   keyPair: await generateKeyPair("ECDSA-P256"),
 *   subject: { commonName: "etcd-ca" },
 *   sans: ["etcd-ca"], // kubeadm gives every CA DNS:<CN>
 *   keyUsages: ["digitalSignature", "keyEncipherment", "keyCertSign"],
 * };
 * const etcdCa = await createSelfSignedCa(options);
 * console.log(etcdCa.isCa); // true
 * ```
 */
export interface CreateSelfSignedCaOptions extends IssuanceOptions {
  /** The CA's key pair (its private key signs the certificate itself). */
  keyPair: Pick<KeyPair, "privateKey" | "publicKey">;
  /** The CA's name, e.g. `{ commonName: "kubernetes" }` or `"/CN=kubernetes"`. */
  subject: NameInput;
  /** Default `{ days: 3650 }` (kubeadm's `caCertificateValidityPeriod`). */
  validity?: ValidityInput;
  /** SANs; kubeadm gives its CAs `DNS:<CN>` (the profiles package does). Default none. */
  sans?: readonly SubjectAltNameInput[];
  /** basicConstraints pathLenConstraint; absent by default (kubeadm writes none). */
  pathLength?: number;
  /**
   * Default digitalSignature + keyCertSign, plus keyEncipherment for RSA keys (kubeadm adds it for
   * every key type; pass the list explicitly for that parity).
   */
  keyUsages?: readonly KeyUsage[];
}

/**
 * What {@link issueCertificate} needs besides the subject's key: issuer, subject, SANs, usages,
 * validity. Shown inline in {@link IssueCertificateOptions}.
 *
 * @inline
 */
interface IssueCommon extends IssuanceOptions {
  issuer: Issuer;
  /** Subject; defaults to the CSR's subject when a CSR is given. */
  subject?: NameInput;
  /** SANs; default: the CSR's requested SANs when a CSR is given, else none. */
  sans?: readonly SubjectAltNameInput[];
  /**
   * Default digitalSignature (+ keyEncipherment for RSA subject keys, as TLS with RSA key
   * exchange needs), + keyCertSign when `isCa`.
   */
  keyUsages?: readonly KeyUsage[];
  /** Extended key usages, e.g. `["serverAuth"]`. Default none. */
  extKeyUsages?: readonly ExtKeyUsage[];
  /** Makes an intermediate CA. Default false. */
  isCa?: boolean;
  /** pathLenConstraint for an intermediate CA. */
  pathLength?: number;
  /** Default `{ days: 365 }` (kubeadm's `certificateValidityPeriod`). */
  validity?: ValidityInput;
  /**
   * When the validity would end after the issuer's: `false` (default) throws
   * `VALIDITY_EXCEEDS_ISSUER`; `true` ends it with the issuer instead.
   */
  clampToIssuer?: boolean;
  /** Write a Subject Key Identifier. Default: only for CAs (Go and kubeadm write none on leaves). */
  subjectKeyIdentifier?: boolean;
}

/**
 * Options of {@link issueCertificate}: the subject's public key comes either from `publicKey`
 * (a WebCrypto key or SPKI DER) or from a `csr` as `createCsr` or `parseCsr` gives it (its
 * signature is checked first) — exactly one.
 *
 * @example
 * ```ts
 * import {
 *   createCsr,
 *   createSelfSignedCa,
 *   generateKeyPair,
 *   type IssueCertificateOptions,
 *   issueCertificate,
 * } from "@kubepki/core";
 *
 * const caKeys = await generateKeyPair("ECDSA-P256");
 * const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=kubernetes" });
 * const csr = await createCsr({
 *   keyPair: await generateKeyPair("ECDSA-P256"),
 *   subject: "/CN=system:node:worker-1/O=system:nodes",
 *   sans: ["worker-1", "192.168.10.21"],
 * });
 * // From a CSR: subject and SANs default to the request's.
 * const options: IssueCertificateOptions = {
 *   issuer: { certificate: ca, privateKey: caKeys.privateKey },
 *   csr,
 *   extKeyUsages: ["serverAuth"],
 * };
 * const serving = await issueCertificate(options);
 * console.log(serving.subjectAltNames); // [{ type: "dns", value: "worker-1" }, { type: "ip", value: "192.168.10.21" }]
 * ```
 */
export type IssueCertificateOptions = IssueCommon &
  ({ publicKey: CryptoKey | Uint8Array; csr?: undefined } | { csr: CertificationRequest; publicKey?: undefined });

function defaultKeyUsages(keyName: string, isCa: boolean): KeyUsage[] {
  const usages: KeyUsage[] = ["digitalSignature"];
  // keyEncipherment only means something for RSA (RFC 8813 §3 discourages it for ECDSA).
  if (keyName === "RSASSA-PKCS1-v1_5" || keyName === "rsaEncryption") usages.push("keyEncipherment");
  if (isCa) usages.push("keyCertSign");
  return usages;
}

function checkPathLength(pathLength: number | undefined, isCa: boolean): number | undefined {
  if (pathLength === undefined) return undefined;
  if (!isCa) throw new KubepkiError("INVALID_ARGUMENT", "pathLength is only allowed on CA certificates (isCa: true)");
  if (!Number.isInteger(pathLength) || pathLength < 0 || pathLength > 255) {
    throw new KubepkiError("INVALID_ARGUMENT", `pathLength must be an integer from 0 to 255, got ${pathLength}`);
  }
  return pathLength;
}

function randomSource(crypto: Crypto, random?: (length: number) => Uint8Array) {
  return random ?? ((length: number) => crypto.getRandomValues(new Uint8Array(length)));
}

async function exportSpki(crypto: Crypto, key: CryptoKey): Promise<Uint8Array> {
  // RSA and EC keys: written from the JWK members, the same bytes as an SPKI export and a
  // cheaper WebCrypto call on Node (OpenSSL 3's DER encoder is not); other keys: exported.
  if (key.algorithm.name === "ECDSA" || key.algorithm.name === "RSASSA-PKCS1-v1_5") {
    const jwk = await callCrypto("exportKey(jwk)", () => crypto.subtle.exportKey("jwk", key));
    const spki = publicKeyInfoFromJwk(jwk);
    if (spki) return spki;
  }
  return new Uint8Array(await callCrypto("exportKey(spki)", () => crypto.subtle.exportKey("spki", key)));
}

/**
 * Creates a self-signed root CA certificate: basicConstraints critical CA:TRUE, keyUsage with
 * keyCertSign, a Subject Key Identifier and no Authority Key Identifier (reference §1.2).
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair } from "@kubepki/core";
 *
 * const keyPair = await generateKeyPair("ECDSA-P256");
 * const ca = await createSelfSignedCa({ keyPair, subject: { commonName: "kubernetes" }, sans: ["kubernetes"] });
 * console.log(ca.subjectText, ca.isCa); // "/CN=kubernetes" true
 * ```
 */
export async function createSelfSignedCa(options: CreateSelfSignedCaOptions): Promise<Certificate> {
  const crypto = resolveCrypto(options.crypto);
  const { privateKey, publicKey } = options.keyPair ?? {};
  if (!privateKey || !publicKey) {
    throw new KubepkiError("INVALID_ARGUMENT", "createSelfSignedCa needs keyPair: { privateKey, publicKey }");
  }
  const subject = normalizeName(options.subject);
  if (Object.keys(subject).length === 0) {
    throw new KubepkiError("INVALID_SUBJECT", 'A CA needs a subject, e.g. { commonName: "kubernetes" }');
  }
  const keyAlgorithm = keyAlgorithmOf(publicKey);
  signatureAlgorithmForKey(privateKey); // refuses an unsupported signing key before any export
  const validity = resolveValidity(
    options.validity ?? { days: DEFAULT_CA_VALIDITY_DAYS },
    options.now ?? new Date(),
    options.backdateMs,
  );
  const keyUsages = checkKeyUsages(options.keyUsages ?? defaultKeyUsages(publicKey.algorithm.name, true));
  if (!keyUsages.includes("keyCertSign")) {
    throw new KubepkiError("INVALID_ARGUMENT", "A CA's keyUsages must include keyCertSign, or nothing can chain to it");
  }
  const pathLength = checkPathLength(options.pathLength, true);
  const publicKeyInfo = await exportSpki(crypto, publicKey);
  return signPlanned(crypto, {
    issuer: "self",
    keyPair: { privateKey, publicKey },
    publicKeyInfo,
    keyAlgorithm,
    subject,
    sans: normalizeSubjectAltNames(options.sans ?? []),
    keyUsages,
    extKeyUsages: [],
    isCa: true,
    pathLength,
    validity,
    random: options.random,
  });
}

/**
 * Issues a certificate signed by a CA: from a public key, or from a parsed CSR (kubepki checks the
 * CSR's signature, and takes its subject and SANs unless given). The issuer must be a CA with
 * keyCertSign; the new certificate may not outlive it unless `clampToIssuer` is set; the
 * signature algorithm follows the issuer's key (SHA-256 for RSA and P-256, SHA-384 for P-384).
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair, issueCertificate } from "@kubepki/core";
 *
 * const caKeys = await generateKeyPair("ECDSA-P256");
 * const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=kubernetes" });
 * const leafKeys = await generateKeyPair("ECDSA-P256");
 * const apiserver = await issueCertificate({
 *   issuer: { certificate: ca, privateKey: caKeys.privateKey },
 *   publicKey: leafKeys.publicKey,
 *   subject: { commonName: "kube-apiserver" },
 *   sans: ["kubernetes.default.svc", "10.96.0.1"],
 *   extKeyUsages: ["serverAuth"],
 * });
 * console.log(apiserver.subjectAltNames); // [{ type: "dns", value: "kubernetes.default.svc" }, { type: "ip", value: "10.96.0.1" }]
 * ```
 */
export async function issueCertificate(options: IssueCertificateOptions): Promise<Certificate> {
  const crypto = resolveCrypto(options.crypto);
  const now = options.now ?? new Date();
  // A plain { certificate, privateKey } is prepared for this call alone: its key is checked each
  // time. Issuing many? Prepare once (prepareIssuer) and pass that.
  const issuer = prepareIssuer(options.issuer);
  const issuerCertificate = issuer.certificate;
  if (issuerCertificate.pathLength === 0 && options.isCa) {
    throw new KubepkiError(
      "NOT_A_CA",
      `The issuer ${issuerCertificate.subjectText} has pathLength 0 and cannot sign a CA`,
    );
  }

  // The subject's public key: from a key, SPKI bytes, or a CSR whose signature must verify.
  let publicKeyInfo: Uint8Array;
  let keyAlgorithm: Certificate["keyAlgorithm"];
  let keyBits: number;
  let keyName: string;
  let csr: CertificationRequest | undefined;
  if (options.csr !== undefined && options.publicKey !== undefined) {
    throw new KubepkiError("INVALID_ARGUMENT", "Pass either publicKey or csr to issueCertificate, not both");
  }
  if (options.csr !== undefined) {
    if (typeof options.csr !== "object" || !(options.csr.infoDer instanceof Uint8Array)) {
      throw new KubepkiError("INVALID_ARGUMENT", "csr must be a CertificationRequest: pass parseCsr(pem)");
    }
    csr = options.csr;
    await checkCsrSignature(crypto, csr);
    publicKeyInfo = csr.publicKeyInfo;
    keyAlgorithm = csr.keyAlgorithm;
    keyBits = csr.keyBits;
    keyName = describePublicKeyInfo(publicKeyInfo).oid === OID.rsaEncryption ? "rsaEncryption" : "other";
  } else if (options.publicKey instanceof Uint8Array) {
    const description = describePublicKeyInfo(options.publicKey);
    publicKeyInfo = options.publicKey;
    keyAlgorithm = description.algorithm;
    keyBits = description.bits;
    keyName = description.oid === OID.rsaEncryption ? "rsaEncryption" : "other";
  } else if (options.publicKey && typeof options.publicKey === "object") {
    keyAlgorithm = keyAlgorithmOf(options.publicKey);
    keyBits = keyBitsOf(options.publicKey);
    keyName = options.publicKey.algorithm.name;
    publicKeyInfo = await exportSpki(crypto, options.publicKey);
  } else {
    throw new KubepkiError("INVALID_ARGUMENT", "issueCertificate needs the subject's publicKey or a csr");
  }
  if (keyName === "rsaEncryption" && keyBits < 2048) {
    throw new KubepkiError("WEAK_KEY", `The subject's RSA key has ${keyBits} bits: at least 2048 are required`);
  }
  if (keyAlgorithm === undefined) {
    throw new KubepkiError(
      "UNSUPPORTED_ALGORITHM",
      "The subject's public key type is not supported (RSA ≥ 2048, P-256, P-384, Ed25519)",
    );
  }

  const subject = normalizeName(options.subject ?? csr?.subject ?? {});
  const sans = normalizeSubjectAltNames(options.sans ?? csr?.subjectAltNames ?? []);
  if (Object.keys(subject).length === 0 && sans.length === 0) {
    throw new KubepkiError("INVALID_SUBJECT", "A certificate needs a subject or at least one SAN");
  }
  const isCa = options.isCa === true;
  const keyUsages = checkKeyUsages(options.keyUsages ?? defaultKeyUsages(keyName, isCa));
  const extKeyUsages = checkExtKeyUsages(options.extKeyUsages ?? []);
  const pathLength = checkPathLength(options.pathLength, isCa);

  let validity = resolveValidity(options.validity ?? { days: DEFAULT_LEAF_VALIDITY_DAYS }, now, options.backdateMs);
  if (validity.notAfter.getTime() > issuerCertificate.notAfter.getTime()) {
    if (!options.clampToIssuer) {
      throw new KubepkiError(
        "VALIDITY_EXCEEDS_ISSUER",
        `The certificate would be valid until ${validity.notAfter.toISOString()}, after its issuer ${issuerCertificate.subjectText} expires (${issuerCertificate.notAfter.toISOString()}): shorten the validity, renew the CA, or pass clampToIssuer: true`,
      );
    }
    validity = { notBefore: validity.notBefore, notAfter: issuerCertificate.notAfter };
    if (validity.notAfter.getTime() <= validity.notBefore.getTime()) {
      throw new KubepkiError("VALIDITY_EXCEEDS_ISSUER", `The issuer ${issuerCertificate.subjectText} has expired`);
    }
  }

  return signPlanned(crypto, {
    issuer,
    publicKeyInfo,
    keyAlgorithm,
    keyBits,
    subject,
    sans,
    keyUsages,
    extKeyUsages,
    isCa,
    pathLength,
    validity,
    subjectKeyIdentifier: options.subjectKeyIdentifier,
    random: options.random,
  });
}

/**
 * Options of {@link issuePlannedCertificate}: one certificate whose every field was already
 * validated and normalised where it entered — by a plan (`@kubepki/k8s-profiles` `planCluster`)
 * or by the caller with core's own normalisers. Nothing here is checked again: a misspelt usage
 * or an unparsed SAN would be written as given. `sans` as {@link normalizeSubjectAltNames}
 * returns them (canonical, ordered as Go writes them), `subject` as {@link normalizeName} does.
 *
 * @example
 * ```ts
 * import type { PlannedCertificateOptions } from "@kubepki/core";
 *
 * type Fields = Exclude<keyof PlannedCertificateOptions, "crypto" | "random">;
 * const required: Fields[] = ["issuer", "keyPair", "publicKeyInfo", "subject", "sans", "keyUsages", "extKeyUsages", "isCa", "validity"];
 * console.log(required.length); // 9
 * ```
 */
export interface PlannedCertificateOptions extends CryptoOptions, CertificatePurpose {
  /**
   * `"self"` for a root CA (signed with `keyPair.privateKey`), or the prepared CA
   * ({@link prepareIssuer}) that signs it.
   */
  readonly issuer: PreparedIssuer | "self";
  /** The subject's key pair: the public key names the algorithm; a root CA signs with the private key. */
  readonly keyPair: Pick<KeyPair, "privateKey" | "publicKey">;
  /** The subject's SubjectPublicKeyInfo DER, as `exportKeyPair` or `exportPublicKeyInfo` gives it. */
  readonly publicKeyInfo: Uint8Array;
  /** As {@link normalizeName} returns it. */
  readonly subject: DistinguishedName;
  /** As {@link resolveValidity} returns it; a leaf's must end no later than its issuer. */
  readonly validity: ValidityWindow;
  /** Random bytes for the serial number (default `crypto.getRandomValues`). */
  readonly random?: (length: number) => Uint8Array;
}

/**
 * Issues one certificate from fields validated where they entered: the path a plan takes
 * (`generateCluster` validates its plan once, then issues every certificate through here), so
 * subject, SANs, usages and validity are not parsed or checked again. `issueCertificate` is the
 * path for anything else: it validates its input, then ends here too. The issuer's key is still
 * proven once per {@link PreparedIssuer}.
 *
 * @throws KubepkiError `KEY_MISMATCH`, `CRYPTO_ERROR`.
 *
 * @example
 * ```ts
 * import {
 *   exportKeyPair,
 *   generateKeyPair,
 *   issuePlannedCertificate,
 *   normalizeSubjectAltNames,
 *   prepareIssuer,
 *   resolveValidity,
 * } from "@kubepki/core";
 *
 * const validity = resolveValidity({ days: 365 }, new Date());
 * const plan = async (subject: { commonName: string }, issuer: Parameters<typeof issuePlannedCertificate>[0]["issuer"], isCa: boolean) => {
 *   const keyPair = await generateKeyPair("ECDSA-P256");
 *   const { publicKeyInfo } = await exportKeyPair(keyPair);
 *   const keyUsages = isCa ? (["digitalSignature", "keyCertSign"] as const) : (["digitalSignature"] as const);
 *   const sans = normalizeSubjectAltNames([subject.commonName]);
 *   const certificate = await issuePlannedCertificate({ issuer, keyPair, publicKeyInfo, subject, sans, keyUsages, extKeyUsages: [], isCa, validity });
 *   return { certificate, keyPair };
 * };
 * const ca = await plan({ commonName: "kubernetes" }, "self", true);
 * const issuer = prepareIssuer({ certificate: ca.certificate, privateKey: ca.keyPair.privateKey });
 * const leaf = await plan({ commonName: "kube-apiserver" }, issuer, false);
 * console.log(leaf.certificate.issuerText); // "/CN=kubernetes"
 * ```
 */
export function issuePlannedCertificate(options: PlannedCertificateOptions): Promise<Certificate> {
  return signPlanned(resolveCrypto(options.crypto), options);
}

/** What {@link signPlanned} writes: validated and normalised by its caller. */
interface SignedFields extends Omit<PlannedCertificateOptions, "crypto" | "keyPair"> {
  /** Required for a root CA (its private key signs). */
  readonly keyPair?: Pick<KeyPair, "privateKey" | "publicKey">;
  /** Default: the algorithm of `keyPair.publicKey`. */
  readonly keyAlgorithm?: Certificate["keyAlgorithm"];
  /** Default: the bits of `keyPair.publicKey`. */
  readonly keyBits?: number;
  /** Default: only for CAs (Go and kubeadm write none on leaves). */
  readonly subjectKeyIdentifier?: boolean;
}

/** The one signing path of both creators: encodes, signs, and proves the issuer's key once. */
async function signPlanned(crypto: Crypto, fields: SignedFields): Promise<Certificate> {
  const { issuer, isCa } = fields;
  const self = issuer === "self";
  const signingKey = self ? (fields.keyPair as KeyPair).privateKey : issuer.privateKey;
  const encoded = encodeName(fields.subject);
  const wantSki = fields.subjectKeyIdentifier ?? isCa;
  const certificate = await buildCertificate(crypto, {
    serial: randomSerial(randomSource(crypto, fields.random)),
    subject: encoded.name,
    subjectDer: encoded.der,
    subjectText: encoded.text,
    issuer: self ? encoded.name : issuer.certificate.subject,
    issuerDer: self ? encoded.der : issuer.certificate.subjectDer,
    issuerText: self ? encoded.text : issuer.certificate.subjectText,
    validity: fields.validity,
    publicKeyInfo: fields.publicKeyInfo,
    keyAlgorithm: fields.keyAlgorithm ?? keyAlgorithmOf((fields.keyPair as KeyPair).publicKey),
    keyBits: fields.keyBits ?? keyBitsOf((fields.keyPair as KeyPair).publicKey),
    extensions: {
      keyUsages: fields.keyUsages,
      extKeyUsages: fields.extKeyUsages,
      basicConstraints: { isCa, pathLength: isCa ? fields.pathLength : undefined },
      subjectKeyIdentifier: wantSki ? await subjectKeyIdentifier(crypto, fields.publicKeyInfo) : undefined,
      authorityKeyIdentifier: self ? undefined : issuer.authorityKeyIdentifier,
      subjectAltNames: fields.sans,
      subjectIsEmpty: encoded.der.length === 2,
    },
    signingKey,
    signatureAlgorithm: signatureAlgorithmForKey(signingKey),
  });
  if (!self) await issuer.confirmKey(crypto, certificate);
  return certificate;
}
