import { readOid, readTlvHeader } from "../lib/der-guard.js";
import { OID } from "../lib/oids.js";
import { readNameAttributes } from "../names/read-name.js";
import { type DecodedExtensions, decodeExtensionValue, emptyExtensions } from "./decode-extensions.js";

/**
 * The fast path of `parseCertificate`: a strict DER reader for the shape every certificate of a
 * cluster has (X.509 v3; names of UTF8/Printable/IA5 ASCII strings; UTCTime or GeneralizedTime in
 * seconds; the extensions kubepki reads). It reads in one pass what asn1-schema's generic parser
 * takes ~1-2 ms per certificate to build (an audit of a 1000-node tree parses thousands).
 *
 * It never decides that input is bad: anything outside that shape, however legal, returns
 * `undefined`, and `parseCertificate` then reads the certificate with @peculiar/asn1-schema as
 * before, with its checks and error messages. So this path only ever accepts, and what it accepts
 * it must read exactly as the asn1-schema path does: `test/read-certificate.test.ts` compares the
 * two field by field.
 *
 * @internal
 */

/** What the fast path hands to `certificateFromDer`, next to the byte slices it takes itself. */
export interface CertificateFields {
  readonly serial: Uint8Array;
  readonly issuer: NameAttributes;
  readonly subject: NameAttributes;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: DecodedExtensions;
  readonly signatureAlgorithm: string;
  readonly signatureValue: Uint8Array;
}

/** A Name as its RDNs of (attribute type OID, value text), in encoded order. */
export type NameAttributes = readonly (readonly { readonly type: string; readonly value: string }[])[];

/** Thrown inside the reader on anything unusual; caught at its entry and turned into `undefined`. */
class NotTheCommonShape extends Error {}
const bail = (): never => {
  throw new NotTheCommonShape();
};

interface Element {
  readonly tag: number;
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

function element(der: Uint8Array, offset: number, limit: number): Element {
  if (offset >= limit) bail();
  const header = readTlvHeader(der, offset, limit, "certificate");
  return { tag: header.tag, start: offset, valueStart: header.valueStart, end: header.end };
}

/** The children of a constructed element, each with the expected tag when given. */
function children(der: Uint8Array, parent: Element): Element[] {
  const out: Element[] = [];
  for (let position = parent.valueStart; position < parent.end; ) {
    const child = element(der, position, parent.end);
    out.push(child);
    position = child.end;
  }
  return out;
}

function expectTag(node: Element | undefined, tag: number): Element {
  if (!node || node.tag !== tag) bail();
  return node as Element;
}

/** A whole DER element in `bytes` (an extension's value): exactly one, filling it. */
function single(bytes: Uint8Array, tag: number): Element {
  const node = element(bytes, 0, bytes.length);
  if (node.end !== bytes.length) bail();
  return expectTag(node, tag);
}

function oidText(der: Uint8Array, node: Element): string {
  return readOid(der, readTlvHeader(der, node.start, node.end, "certificate"), "certificate");
}

/** ASCII text of a string element; anything else is left to asn1-schema's decoding. */
function _asciiText(der: Uint8Array, node: Element): string {
  let text = "";
  for (let i = node.valueStart; i < node.end; i++) {
    const byte = der[i] as number;
    if (byte === 0 || byte >= 0x80) bail();
    text += String.fromCharCode(byte);
  }
  return text;
}

const KNOWN_EXTENSIONS: readonly string[] = [
  OID.subjectAltName,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.basicConstraints,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
];

const _UTF8_STRING = 0x0c;
const _PRINTABLE_STRING = 0x13;
const _IA5_STRING = 0x16;

const digits = (der: Uint8Array, from: number, count: number): number => {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const byte = der[i] as number;
    if (byte < 0x30 || byte > 0x39) bail();
    value = value * 10 + (byte - 0x30);
  }
  return value;
};

/** UTCTime `YYMMDDHHMMSSZ` (RFC 5280 §4.1.2.5.1: 50-99 are 19xx) or GeneralizedTime `YYYYMMDDHHMMSSZ`. */
function readTime(der: Uint8Array, node: Element): Date {
  const length = node.end - node.valueStart;
  let position = node.valueStart;
  let year: number;
  if (node.tag === 0x17 && length === 13) {
    const yy = digits(der, position, 2);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    position += 2;
  } else if (node.tag === 0x18 && length === 15) {
    year = digits(der, position, 4);
    position += 4;
  } else return bail();
  const month = digits(der, position, 2);
  const day = digits(der, position + 2, 2);
  const hour = digits(der, position + 4, 2);
  const minute = digits(der, position + 6, 2);
  const second = digits(der, position + 8, 2);
  if (der[position + 10] !== 0x5a) bail(); // "Z"
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Only real calendar times: asn1-schema decides what an impossible one means.
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second ||
    year < 1950
  ) {
    bail();
  }
  return date;
}

function readExtensions(der: Uint8Array, node: Element): DecodedExtensions {
  const result = emptyExtensions();
  const list = expectTag(children(der, expectTag(node, 0xa3))[0], 0x30);
  if (list.end !== node.end) bail();
  const seen = new Set<string>();
  const extensions = children(der, list);
  if (extensions.length === 0) bail();
  for (const extension of extensions) {
    expectTag(extension, 0x30);
    const parts = children(der, extension);
    const id = oidText(der, parts[0] as Element);
    let valueNode = parts[1];
    if (valueNode?.tag === 0x01) {
      if (valueNode.end - valueNode.valueStart !== 1 || der[valueNode.valueStart] !== 0xff) bail();
      valueNode = parts[2];
      if (parts.length !== 3) bail();
    } else if (parts.length !== 2) bail();
    expectTag(valueNode, 0x04);
    // A duplicate is an error the full parser reports.
    if (seen.has(id)) bail();
    seen.add(id);
    const value = der.subarray((valueNode as Element).valueStart, (valueNode as Element).end);
    if (KNOWN_EXTENSIONS.includes(id)) {
      // The shared decoders throw on anything malformed: caught below, the asn1-schema path then
      // reports the same problem with its error.
      decodeExtensionValue(id, value, "certificate", result);
    } else {
      // Other extensions are not read (as on the full path), but must be single DER elements.
      single(value, value[0] as number);
    }
  }
  return result;
}

/**
 * Reads a certificate of the common shape, or returns `undefined` for the asn1-schema path.
 * `der` has passed `checkDerStructure` (definite minimal lengths, no trailing bytes).
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair } from "@kubepki/core";
 * import { readCommonCertificate } from "./read-certificate.js";
 *
 * const ca = await createSelfSignedCa({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=kubernetes" });
 * console.log(readCommonCertificate(ca.der)?.signatureAlgorithm); // "1.2.840.10045.4.3.2"
 * // Not the common shape: undefined, read it with asn1-schema instead.
 * console.log(readCommonCertificate(Uint8Array.of(0x30, 0x00))); // undefined
 * ```
 */
export function readCommonCertificate(der: Uint8Array): CertificateFields | undefined {
  try {
    const certificate = element(der, 0, der.length);
    expectTag(certificate, 0x30);
    const [tbs, outerAlgorithm, signature, ...extra] = children(der, certificate);
    if (extra.length > 0) bail();
    expectTag(tbs, 0x30);
    const fields = children(der, tbs as Element);
    const [version, serial, innerAlgorithm, issuer, validity, subject, spki, extensions, ...rest] = fields;
    if (rest.length > 0) bail();
    // v3 only: [0] EXPLICIT INTEGER 2.
    const versionValue = children(der, expectTag(version, 0xa0));
    const versionInteger = expectTag(versionValue[0], 0x02);
    if (versionValue.length !== 1 || versionInteger.end - versionInteger.valueStart !== 1) bail();
    if (der[versionInteger.valueStart] !== 2) bail();
    const serialNode = expectTag(serial, 0x02);
    if (serialNode.end === serialNode.valueStart) bail();
    const algorithmOid = (node: Element | undefined): string => {
      const parts = children(der, expectTag(node, 0x30));
      if (parts.length < 1 || parts.length > 2) bail();
      return oidText(der, parts[0] as Element);
    };
    const signatureAlgorithm = algorithmOid(outerAlgorithm);
    algorithmOid(innerAlgorithm);
    const times = children(der, expectTag(validity, 0x30));
    if (times.length !== 2) bail();
    // The key itself is read by describePublicKeyInfo; here only that asn1-schema would read it.
    const [keyAlgorithm, keyBits, ...keyRest] = children(der, expectTag(spki, 0x30));
    const keyAlgorithmParts = children(der, expectTag(keyAlgorithm, 0x30));
    if (keyRest.length > 0 || keyAlgorithmParts.length < 1 || keyAlgorithmParts.length > 2) bail();
    oidText(der, keyAlgorithmParts[0] as Element);
    const parameters = keyAlgorithmParts[1];
    if (parameters && parameters.tag === 0x06) oidText(der, parameters);
    else if (parameters && (parameters.tag !== 0x05 || parameters.end !== parameters.valueStart)) bail();
    const keyBitString = expectTag(keyBits, 0x03);
    if (keyBitString.end === keyBitString.valueStart || der[keyBitString.valueStart] !== 0) bail();
    const bits = expectTag(signature, 0x03);
    if (bits.end === bits.valueStart || der[bits.valueStart] !== 0) bail();
    return {
      serial: der.slice(serialNode.valueStart, serialNode.end),
      issuer: readNameAttributes(
        der.subarray((issuer as Element).start, (issuer as Element).end),
        "certificate issuer",
      ),
      subject: readNameAttributes(
        der.subarray((subject as Element).start, (subject as Element).end),
        "certificate subject",
      ),
      notBefore: readTime(der, times[0] as Element),
      notAfter: readTime(der, times[1] as Element),
      extensions: readExtensions(der, extensions as Element),
      signatureAlgorithm,
      signatureValue: der.slice(bits.valueStart + 1, bits.end),
    };
  } catch {
    // Not the common shape (or something the full parser must judge): read it the long way.
    return undefined;
  }
}
