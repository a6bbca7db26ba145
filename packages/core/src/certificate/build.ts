import type { KeyAlgorithm } from "../keys/algorithm.js";
import { toHex } from "../lib/bytes.js";
import { explicitSequence, sequence, Tag, time, tlv, unsignedInteger } from "../lib/der.js";
import { boundedMemo } from "../lib/memo.js";
import { type SignatureAlgorithm, signForX509 } from "../lib/signature.js";
import type { DistinguishedName } from "../names/distinguished-name.js";
import { encodePem } from "../pem/pem.js";
import { KubepkiError } from "../vocabulary/errors.js";
import type { SubjectAltName } from "../vocabulary/subject-alt-name.js";
import { distinct, type ExtensionValues, encodeExtensions } from "./extensions.js";
import { withLazyFields } from "./lazy-fields.js";
import type { Certificate } from "./model.js";
import { DEFAULT_BACKDATE_MS, type ValidityInput } from "./validity.js";

/**
 * The one place a certificate is assembled and signed. Both `createSelfSignedCa` and
 * `issueCertificate` end here, so a rule about the encoding lives once. The returned
 * {@link Certificate} is made from the values that went in — nothing just encoded is re-parsed.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The validity window of a new certificate, in whole seconds (DER times carry no fractions), as
 * {@link resolveValidity} computes it.
 *
 * @example
 * ```ts
 * import type { ValidityWindow } from "@kubepki/core";
 *
 * const window: ValidityWindow = { notBefore: new Date("2025-01-01T00:00:00Z"), notAfter: new Date("2026-01-01T00:00:00Z") };
 * console.log(window.notAfter.getTime() - window.notBefore.getTime() === 365 * 86_400_000); // true
 * ```
 */
export interface ValidityWindow {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

const wholeSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/**
 * Resolves a validity input against the clock: `{ days }` runs from `now - backdate` to
 * `now + days` (kubeadm: NotAfter = creation time + period, NotBefore backdated), rounded down to
 * whole seconds. The one place that rounding lives: whoever needs a certificate's window before
 * making it (a generator checking leaves against their CA) asks here.
 *
 * @throws KubepkiError `INVALID_VALIDITY`.
 *
 * @example
 * ```ts
 * import { resolveValidity } from "@kubepki/core";
 *
 * const { notBefore, notAfter } = resolveValidity({ days: 365 }, new Date("2025-01-01T00:00:00.750Z"));
 * console.log(notBefore.toISOString(), notAfter.toISOString()); // "2024-12-31T23:55:00.000Z" "2026-01-01T00:00:00.000Z"
 * ```
 */
export function resolveValidity(input: ValidityInput, now: Date, backdateMs = DEFAULT_BACKDATE_MS): ValidityWindow {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new KubepkiError("INVALID_VALIDITY", "The clock returned an invalid date");
  }
  if ("days" in input) {
    if (typeof input.days !== "number" || !Number.isFinite(input.days) || input.days <= 0) {
      throw new KubepkiError("INVALID_VALIDITY", `Validity days must be a positive number, got ${String(input.days)}`);
    }
    if (!Number.isFinite(backdateMs) || backdateMs < 0) {
      throw new KubepkiError("INVALID_VALIDITY", `backdateMs must be a non-negative number, got ${backdateMs}`);
    }
    return {
      notBefore: wholeSeconds(now.getTime() - backdateMs),
      notAfter: wholeSeconds(now.getTime() + input.days * DAY_MS),
    };
  }
  const { notBefore, notAfter } = input as { notBefore: unknown; notAfter: unknown };
  if (!(notBefore instanceof Date) || !(notAfter instanceof Date)) {
    throw new KubepkiError("INVALID_VALIDITY", "Validity must be { days } or { notBefore: Date, notAfter: Date }");
  }
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
    throw new KubepkiError("INVALID_VALIDITY", "Validity dates must be valid dates");
  }
  const window = { notBefore: wholeSeconds(notBefore.getTime()), notAfter: wholeSeconds(notAfter.getTime()) };
  if (window.notAfter.getTime() <= window.notBefore.getTime()) {
    throw new KubepkiError(
      "INVALID_VALIDITY",
      `notAfter (${window.notAfter.toISOString()}) must be after notBefore (${window.notBefore.toISOString()})`,
    );
  }
  return window;
}

/** Everything that goes into one certificate, already validated and normalised. */
export interface CertificateFields {
  readonly serial: Uint8Array;
  readonly subject: DistinguishedName;
  readonly subjectDer: Uint8Array;
  /** `formatName(subject)`. */
  readonly subjectText: string;
  readonly issuer: DistinguishedName;
  readonly issuerDer: Uint8Array;
  readonly issuerText: string;
  readonly validity: ValidityWindow;
  readonly publicKeyInfo: Uint8Array;
  readonly keyAlgorithm: KeyAlgorithm | undefined;
  readonly keyBits: number;
  readonly extensions: ExtensionValues & { readonly subjectAltNames: readonly SubjectAltName[] };
  readonly signingKey: CryptoKey;
  readonly signatureAlgorithm: SignatureAlgorithm;
}

/** `[0] EXPLICIT INTEGER 2`: every certificate kubepki writes is v3. */
const VERSION_3 = /* @__PURE__ */ Uint8Array.of(0xa0, 3, 0x02, 1, 2);

/** The two instants of a cluster are written into every one of its certificates. */
const validities = /* @__PURE__ */ boundedMemo<Uint8Array>(64);

function validityDer({ notBefore, notAfter }: ValidityWindow): Uint8Array {
  return validities(`${notBefore.getTime()} ${notAfter.getTime()}`, () => sequence([time(notBefore), time(notAfter)]));
}

/**
 * `SEQUENCE { tbs, signatureAlgorithm, BIT STRING signature }` in one array, so that the
 * certificate's `tbsDer` and `signatureValue` are views of its `der` rather than copies.
 */
function certificateDer(tbs: Uint8Array, identifier: Uint8Array, signature: Uint8Array) {
  const bits = tlv(Tag.BIT_STRING, signature, 0);
  const der = sequence([tbs, identifier, bits]);
  const tbsStart = der.length - bits.length - identifier.length - tbs.length;
  return {
    der,
    tbsDer: der.subarray(tbsStart, tbsStart + tbs.length),
    signatureValue: der.subarray(der.length - signature.length),
  };
}

/** Encodes the TBSCertificate, signs it, and returns the finished certificate. */
export async function buildCertificate(crypto: Crypto, fields: CertificateFields): Promise<Certificate> {
  const { extensions } = fields;
  const serialInteger = unsignedInteger(fields.serial);
  const tbs = sequence([
    VERSION_3,
    serialInteger,
    fields.signatureAlgorithm.identifier,
    fields.issuerDer,
    validityDer(fields.validity),
    fields.subjectDer,
    fields.publicKeyInfo,
    explicitSequence(3, encodeExtensions(extensions)),
  ]);
  const signature = await signForX509(crypto, fields.signingKey, fields.signatureAlgorithm, tbs);
  const { der, tbsDer, signatureValue } = certificateDer(tbs, fields.signatureAlgorithm.identifier, signature);
  // The serial as parsers print it: the INTEGER's magnitude without leading zero octets.
  let serialStart = 2;
  while (serialStart < serialInteger.length - 1 && serialInteger[serialStart] === 0) serialStart++;
  // The fingerprint (the synchronous digest parseCertificate uses too; a WebCrypto round trip per
  // certificate costs more than hashing its few hundred bytes here) is computed only when someone
  // reads it: a whole-cluster generation never does, and hashing every certificate was a tenth of
  // its JS.
  return withLazyFields({
    version: 3,
    serialNumber: toHex(serialInteger.subarray(serialStart)),
    subject: fields.subject,
    issuer: fields.issuer,
    subjectText: fields.subjectText,
    issuerText: fields.issuerText,
    notBefore: fields.validity.notBefore,
    notAfter: fields.validity.notAfter,
    subjectAltNames: extensions.subjectAltNames,
    keyUsages: extensions.keyUsages && extensions.keyUsages.length > 0 ? distinct(extensions.keyUsages) : undefined,
    extKeyUsages:
      extensions.extKeyUsages && extensions.extKeyUsages.length > 0 ? distinct(extensions.extKeyUsages) : undefined,
    isCa: extensions.basicConstraints?.isCa === true,
    pathLength: extensions.basicConstraints?.isCa ? extensions.basicConstraints.pathLength : undefined,
    subjectKeyIdentifier: extensions.subjectKeyIdentifier ? toHex(extensions.subjectKeyIdentifier) : undefined,
    authorityKeyIdentifier: extensions.authorityKeyIdentifier ? toHex(extensions.authorityKeyIdentifier) : undefined,
    keyAlgorithm: fields.keyAlgorithm,
    keyBits: fields.keyBits,
    publicKeyInfo: fields.publicKeyInfo,
    signatureAlgorithm: fields.signatureAlgorithm.oid,
    der,
    pem: encodePem("CERTIFICATE", der),
    subjectDer: fields.subjectDer,
    issuerDer: fields.issuerDer,
    tbsDer,
    signatureValue,
  });
}
