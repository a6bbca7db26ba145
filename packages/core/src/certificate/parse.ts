import { describePublicKeyInfo } from "../keys/public-key-info.js";
import { parseStrictDer } from "../lib/asn1-parse.js";
import { bytesEqual, toHex } from "../lib/bytes.js";
import { checkDerStructure, childrenOf } from "../lib/der-guard.js";
import { decodeNameAttributes, formatNameAttributes } from "../names/decode-name.js";
import { readNameAttributes } from "../names/read-name.js";
import { decodePem, decodePemBlocks } from "../pem/pem.js";
import { KubepkiError } from "../vocabulary/errors.js";
import { AsnCertificate } from "./certificate-schema.js";
import { decodeExtensions } from "./decode-extensions.js";
import { withLazyFields } from "./lazy-fields.js";
import type { Certificate } from "./model.js";
import { type CertificateFields, readCommonCertificate } from "./read-certificate.js";

const CERTIFICATE_LABEL = "CERTIFICATE";
/** `[0] EXPLICIT Version` in a TBSCertificate (context-specific, constructed, tag 0). */
const VERSION_TAG = 0xa0;

/**
 * DER bytes from a string (PEM) or bytes (DER, or PEM text as bytes, which is what reading a
 * `.crt` file gives). Shared with the CSR reader.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair } from "@kubepki/core";
 * import { bytesEqual } from "../lib/bytes.js";
 * import { inputToDer } from "./parse.js";
 *
 * const ca = await createSelfSignedCa({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=kubernetes" });
 * // PEM as bytes: what reading ca.crt without a text decoding gives.
 * const der = inputToDer(new TextEncoder().encode(ca.pem), ["CERTIFICATE"], "a certificate");
 * console.log(bytesEqual(der, ca.der)); // true
 * ```
 */
export function inputToDer(input: string | Uint8Array, labels: readonly string[], what: string): Uint8Array {
  if (typeof input === "string") return decodePem(input, labels).der;
  if (!(input instanceof Uint8Array)) {
    throw new KubepkiError("INVALID_ARGUMENT", `Expected ${what} as PEM text or DER bytes`);
  }
  // "-----BEGIN" as bytes: the caller read a PEM file without decoding it.
  if (input.length > 10 && String.fromCharCode(...input.subarray(0, 10)) === "-----BEGIN") {
    return decodePem(new TextDecoder().decode(input), labels).der;
  }
  // A copy, so the caller can reuse its buffer without changing the parsed certificate.
  return input.slice();
}

/**
 * Turns an unexpected exception from decoding into INVALID_DER (a KubepkiError passes through).
 *
 * @example
 * ```ts
 * import { asInvalidDer } from "./parse.js";
 *
 * const error = asInvalidDer(new TypeError("x is undefined"), "certificate");
 * console.log(error.code, error.message); // "INVALID_DER" "Cannot read certificate: x is undefined"
 * ```
 */
export function asInvalidDer(cause: unknown, what: string): KubepkiError {
  if (cause instanceof KubepkiError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new KubepkiError("INVALID_DER", `Cannot read ${what}: ${reason}`, { cause });
}

function serialHex(serial: ArrayBuffer | Uint8Array): string {
  let bytes = new Uint8Array(serial);
  // The INTEGER's content keeps a 0x00 pad byte when the high bit is set (X.690 §8.3.2).
  while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
  return bytes.length === 0 ? "00" : toHex(bytes);
}

function validityDate(time: { getTime(): Date }, field: string): Date {
  const date = time.getTime();
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new KubepkiError("INVALID_DER", `Cannot read certificate: ${field} is not a valid time`);
  }
  return new Date(date.getTime());
}

/**
 * Reads a certificate: the fast path ({@link readCommonCertificate}) for the common shape, else
 * @peculiar/asn1-schema. `fastPath: false` forces asn1-schema (the differential tests compare).
 *
 * @internal
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair } from "@kubepki/core";
 * import { certificateFromDer } from "./parse.js";
 *
 * const ca = await createSelfSignedCa({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=kubernetes" });
 * const viaAsn1Schema = certificateFromDer(ca.der, { fastPath: false });
 * console.log(viaAsn1Schema.subjectText, viaAsn1Schema.isCa); // "/CN=kubernetes" true
 * ```
 */
export function certificateFromDer(der: Uint8Array, options: { fastPath?: boolean } = {}): Certificate {
  const what = "certificate";
  if (options.fastPath !== false) {
    checkDerStructure(der, what);
    const common = readCommonCertificate(der);
    if (common) {
      try {
        return assemble(der, { ...common, version: 3 });
      } catch {
        // Whatever the fast path cannot finish, the full parser judges, with its own messages.
      }
    }
  }
  return certificateFromAsn1(der);
}

/**
 * The certificate from what a reader decoded: both paths (the fast reader and asn1-schema) end
 * here, so the byte slices, the inner/outer algorithm rule and the result's shape live once.
 */
function assemble(der: Uint8Array, fields: CertificateFields & { readonly version: 1 | 2 | 3 }): Certificate {
  const what = "certificate";
  const [tbsPart, outerAlgorithmPart] = childrenOf(der, what);
  if (!tbsPart || !outerAlgorithmPart) throw new KubepkiError("INVALID_DER", "Cannot read certificate: too short");
  const tbsDer = der.slice(tbsPart.start, tbsPart.end);
  const parts = childrenOf(tbsDer, "TBSCertificate");
  const first = parts[0]?.tag === VERSION_TAG ? 1 : 0;
  const slice = (index: number, field: string): Uint8Array => {
    const part = parts[first + index];
    if (!part) throw new KubepkiError("INVALID_DER", `Cannot read certificate: ${field} is missing`);
    return tbsDer.slice(part.start, part.end);
  };
  // RFC 5280 §4.1.1.2: the inner `signature` field MUST equal the outer signatureAlgorithm (Go
  // refuses a certificate where they differ).
  if (!bytesEqual(slice(1, "signature"), der.subarray(outerAlgorithmPart.start, outerAlgorithmPart.end))) {
    throw new KubepkiError(
      "INVALID_DER",
      "Cannot read certificate: the signature algorithm inside the TBSCertificate differs from the outer one",
    );
  }
  const publicKeyInfo = slice(5, "subjectPublicKeyInfo");
  const key = describePublicKeyInfo(publicKeyInfo);
  const { extensions } = fields;
  // The fingerprint and the PEM are computed on first read (lazy-fields.ts).
  return withLazyFields({
    version: fields.version,
    serialNumber: serialHex(fields.serial),
    subject: decodeNameAttributes(fields.subject),
    issuer: decodeNameAttributes(fields.issuer),
    subjectText: formatNameAttributes(fields.subject),
    issuerText: formatNameAttributes(fields.issuer),
    notBefore: fields.notBefore,
    notAfter: fields.notAfter,
    subjectAltNames: extensions.subjectAltNames,
    keyUsages: extensions.keyUsages,
    extKeyUsages: extensions.extKeyUsages,
    isCa: extensions.isCa,
    pathLength: extensions.pathLength,
    subjectKeyIdentifier: extensions.subjectKeyIdentifier,
    authorityKeyIdentifier: extensions.authorityKeyIdentifier,
    keyAlgorithm: key.algorithm,
    keyBits: key.bits,
    publicKeyInfo,
    signatureAlgorithm: fields.signatureAlgorithm,
    der,
    subjectDer: slice(4, "subject"),
    issuerDer: slice(2, "issuer"),
    tbsDer,
    signatureValue: fields.signatureValue,
  });
}

function certificateFromAsn1(der: Uint8Array): Certificate {
  const what = "certificate";
  const asn = parseStrictDer(der, AsnCertificate, what);
  try {
    const tbs = asn.tbsCertificate;
    if (tbs.version !== 0 && tbs.version !== 1 && tbs.version !== 2) {
      throw new KubepkiError("INVALID_DER", `Cannot read certificate: unknown X.509 version ${tbs.version}`);
    }
    return assemble(der, {
      version: (tbs.version + 1) as 1 | 2 | 3,
      serial: new Uint8Array(tbs.serialNumber),
      // Names and the key were kept as raw DER by the schema: kubepki's strict readers take them.
      subject: readNameAttributes(new Uint8Array(tbs.subject), "certificate subject"),
      issuer: readNameAttributes(new Uint8Array(tbs.issuer), "certificate issuer"),
      notBefore: validityDate(tbs.validity.notBefore, "notBefore"),
      notAfter: validityDate(tbs.validity.notAfter, "notAfter"),
      extensions: decodeExtensions(tbs.extensions, what),
      signatureAlgorithm: asn.signatureAlgorithm.algorithm,
      signatureValue: new Uint8Array(asn.signatureValue).slice(),
    });
  } catch (cause) {
    // asn1-schema can hand back objects whose CHOICE members are all unset (a Time that is
    // neither UTCTime nor GeneralizedTime…); whatever breaks while reading them is bad input.
    throw asInvalidDer(cause, what);
  }
}

/**
 * Parses one X.509 certificate from PEM text (the first `CERTIFICATE` block) or DER bytes. Every
 * field a Kubernetes operator checks comes back decoded: names, validity, SANs (IPs in canonical
 * form), key usages, CA flag, key identifiers, key type and size, SHA-256 fingerprint.
 *
 * Strict like Go's `x509.ParseCertificate`: DER only (no BER indefinite lengths), no trailing
 * bytes, no duplicate extensions, matching inner/outer signature algorithms. Throws `INVALID_PEM`
 * (no `CERTIFICATE` block; the message names what was found instead) or `INVALID_DER`.
 * Keys kubepki cannot use (P-521, DSA, RSA < 2048) still parse, with `keyAlgorithm: undefined`.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair, parseCertificate } from "@kubepki/core";
 *
 * const { pem } = await createSelfSignedCa({
 *   keyPair: await generateKeyPair("ECDSA-P256"),
 *   subject: "/CN=kubernetes",
 *   sans: ["kubernetes"],
 *   validity: { notBefore: new Date("2025-01-01T00:00:00Z"), notAfter: new Date("2035-01-01T00:00:00Z") },
 * });
 * // Any PEM text or DER bytes, e.g. readFileSync("/etc/kubernetes/pki/ca.crt", "utf8").
 * const cert = parseCertificate(pem);
 * console.log(cert.subjectText, cert.notAfter.toISOString()); // "/CN=kubernetes" "2035-01-01T00:00:00.000Z"
 * console.log(cert.subjectAltNames.map((san) => `${san.type}:${san.value}`)); // ["dns:kubernetes"]
 * ```
 */
export function parseCertificate(input: string | Uint8Array): Certificate {
  return certificateFromDer(inputToDer(input, [CERTIFICATE_LABEL], "a certificate"));
}

/**
 * Parses every `CERTIFICATE` block of a PEM bundle, in order (a `ca.crt` with several CAs, or a
 * leaf followed by its intermediates as kubeadm's `TryLoadCertChainFromDisk` reads it). Blocks
 * with other labels are skipped, as client-go's `certutil.ParseCertsPEM` does; a bundle without
 * any certificate throws `INVALID_PEM`.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair, parseCertificates } from "@kubepki/core";
 *
 * const kubernetesCa = await createSelfSignedCa({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=kubernetes" });
 * const etcdCa = await createSelfSignedCa({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=etcd-ca" });
 * // A CA bundle: PEM blocks one after the other.
 * const bundle = parseCertificates(kubernetesCa.pem + etcdCa.pem);
 * console.log(bundle.map((certificate) => certificate.subjectText)); // ["/CN=kubernetes", "/CN=etcd-ca"]
 * ```
 */
export function parseCertificates(pem: string): Certificate[] {
  const blocks = decodePemBlocks(pem);
  const certificates = blocks.filter((block) => block.label === CERTIFICATE_LABEL);
  if (certificates.length === 0) {
    throw new KubepkiError(
      "INVALID_PEM",
      blocks.length === 0
        ? 'No PEM block found: expected "-----BEGIN CERTIFICATE-----"'
        : `Expected PEM blocks labelled CERTIFICATE, found ${blocks.map((block) => block.label).join(", ")}`,
    );
  }
  return certificates.map((block, index) => {
    try {
      return certificateFromDer(block.der);
    } catch (cause) {
      const error = asInvalidDer(cause, "certificate");
      throw new KubepkiError(error.code, `Certificate #${index + 1} of the bundle: ${error.message}`, { cause });
    }
  });
}
