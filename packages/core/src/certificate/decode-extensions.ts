import { toHex } from "../lib/bytes.js";
import { checkDerStructure, readOid, readTlvHeader, type TlvHeader } from "../lib/der-guard.js";
import { OID } from "../lib/oids.js";
import { KubepkiError } from "../vocabulary/errors.js";
import { formatIp } from "../vocabulary/ip.js";
import { EXT_KEY_USAGE_OIDS, type ExtKeyUsage, KEY_USAGES, type KeyUsage } from "../vocabulary/key-usages.js";
import type { SubjectAltName } from "../vocabulary/subject-alt-name.js";

/**
 * The five extensions kubepki reads, decoded straight from their DER with the strict TLV walker
 * (lib/der-guard) rather than through asn1-x509's extension schemas: these structures are tiny,
 * both parse paths (the fast one in read-certificate.ts and the asn1-schema one) share these
 * decoders, and the schemas with their IP and GeneralName converters cost parseCertificate's
 * bundle ~3 KB gz. Rules follow Go's crypto/x509 parser, each noted where it applies.
 */

/** The extensions a Kubernetes operator looks at, decoded (shared by certificates and CSRs). */
export interface DecodedExtensions {
  subjectAltNames: SubjectAltName[];
  keyUsages: KeyUsage[] | undefined;
  extKeyUsages: (ExtKeyUsage | string)[] | undefined;
  isCa: boolean;
  pathLength: number | undefined;
  subjectKeyIdentifier: string | undefined;
  authorityKeyIdentifier: string | undefined;
}

let ekuNames: Map<string, ExtKeyUsage> | undefined;
function ekuName(oid: string): ExtKeyUsage | string {
  // Built on first use: no work at import time.
  ekuNames ??= new Map(Object.entries(EXT_KEY_USAGE_OIDS).map(([name, value]) => [value, name as ExtKeyUsage]));
  return ekuNames.get(oid) ?? oid;
}

function bad(label: string, reason: string): never {
  throw new KubepkiError("INVALID_DER", `Cannot read ${label}: ${reason}`);
}

/** The one element filling `value`, with the expected tag (structure already checked). */
function whole(value: Uint8Array, tag: number, label: string): TlvHeader {
  checkDerStructure(value, label);
  const header = readTlvHeader(value, 0, value.length, label);
  if (header.tag !== tag) bad(label, `unexpected tag 0x${header.tag.toString(16)}`);
  return header;
}

/** The children of a constructed element. */
function inside(value: Uint8Array, parent: TlvHeader, label: string): TlvHeader[] {
  const out: TlvHeader[] = [];
  for (let position = parent.valueStart; position < parent.end; ) {
    const child = readTlvHeader(value, position, parent.end, label);
    out.push(child);
    position = child.end;
  }
  return out;
}

/** IA5String contents: ASCII only (Go: "SAN … is malformed" for anything else). */
function ia5(value: Uint8Array, header: TlvHeader, label: string): string {
  let text = "";
  for (let i = header.valueStart; i < header.end; i++) {
    const byte = value[i] as number;
    if (byte >= 0x80) bad(label, "non-ASCII character in an IA5String");
    text += String.fromCharCode(byte);
  }
  return text;
}

/**
 * keyUsage bits in RFC 5280 §4.2.1.3 order: bit 0 (digitalSignature) is the most significant
 * bit of the first content byte. Bits past decipherOnly are ignored, as Go does.
 */
export function decodeKeyUsage(value: Uint8Array, what: string): KeyUsage[] {
  const label = `${what} keyUsage`;
  const bits = whole(value, 0x03, label);
  if (bits.valueStart === bits.end || (value[bits.valueStart] as number) > 7) bad(label, "malformed BIT STRING");
  const usages: KeyUsage[] = [];
  KEY_USAGES.forEach((usage, bit) => {
    const index = bits.valueStart + 1 + (bit >> 3);
    if (index < bits.end && (value[index] as number) & (0x80 >> (bit & 7))) usages.push(usage);
  });
  return usages;
}

/** extendedKeyUsage: SEQUENCE OF OBJECT IDENTIFIER, unknown purposes kept as OID text. */
export function decodeExtKeyUsage(value: Uint8Array, what: string): (ExtKeyUsage | string)[] {
  const label = `${what} extKeyUsage`;
  return inside(value, whole(value, 0x30, label), label).map((oid) => ekuName(readOid(value, oid, label)));
}

/**
 * GeneralNames: DNS, e-mail, URI and IP entries. otherName, x400Address, directoryName,
 * ediPartyName and registeredID are skipped, as Go skips SAN types it does not model. An IP
 * entry must be 4 or 16 bytes (Go: "cannot parse IP address of length N"; 8 and 32 are
 * name-constraint ranges, not addresses); IPv6 comes out in RFC 5952 form.
 */
export function decodeSubjectAltNames(value: Uint8Array, what: string): SubjectAltName[] {
  const label = `${what} subjectAltName`;
  const names: SubjectAltName[] = [];
  for (const name of inside(value, whole(value, 0x30, label), label)) {
    switch (name.tag) {
      case 0x81:
        names.push({ type: "email", value: ia5(value, name, label) });
        break;
      case 0x82:
        names.push({ type: "dns", value: ia5(value, name, label) });
        break;
      case 0x86:
        names.push({ type: "uri", value: ia5(value, name, label) });
        break;
      case 0x87: {
        const length = name.end - name.valueStart;
        if (length !== 4 && length !== 16) bad(label, `IP address of ${length} bytes`);
        names.push({ type: "ip", value: formatIp(value.slice(name.valueStart, name.end)) });
        break;
      }
    }
  }
  return names;
}

/** basicConstraints: SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }. */
export function decodeBasicConstraints(value: Uint8Array, what: string): { isCa: boolean; pathLength?: number } {
  const label = `${what} basicConstraints`;
  const fields = inside(value, whole(value, 0x30, label), label);
  let index = 0;
  let isCa = false;
  const first = fields[0];
  if (first?.tag === 0x01) {
    if (first.end - first.valueStart !== 1) bad(label, "malformed BOOLEAN");
    // DER writes TRUE as 0xff; any non-zero is TRUE to BER readers (asn1js and Go's lenient path).
    isCa = value[first.valueStart] !== 0;
    index = 1;
  }
  let pathLength: number | undefined;
  const second = fields[index];
  if (second) {
    const length = second.end - second.valueStart;
    if (second.tag !== 0x02 || length < 1 || length > 4 || (value[second.valueStart] as number) & 0x80) {
      bad(label, "pathLenConstraint is not a small non-negative INTEGER");
    }
    pathLength = 0;
    for (let i = second.valueStart; i < second.end; i++) pathLength = pathLength * 256 + (value[i] as number);
    index++;
  }
  if (index !== fields.length) bad(label, "unexpected fields");
  return { isCa, ...(pathLength === undefined ? {} : { pathLength }) };
}

/** subjectKeyIdentifier: an OCTET STRING. */
export function decodeSubjectKeyIdentifier(value: Uint8Array, what: string): string {
  const octets = whole(value, 0x04, `${what} subjectKeyIdentifier`);
  return toHex(value.subarray(octets.valueStart, octets.end));
}

/** authorityKeyIdentifier: SEQUENCE { [0] keyIdentifier OPTIONAL, [1] issuer, [2] serial }; only [0] is read. */
export function decodeAuthorityKeyIdentifier(value: Uint8Array, what: string): string | undefined {
  const label = `${what} authorityKeyIdentifier`;
  const keyIdentifier = inside(value, whole(value, 0x30, label), label).find((field) => field.tag === 0x80);
  return keyIdentifier ? toHex(value.subarray(keyIdentifier.valueStart, keyIdentifier.end)) : undefined;
}

/** Adds one extension's decoded value to `result` (unknown extensions are not read). */
export function decodeExtensionValue(id: string, value: Uint8Array, what: string, result: DecodedExtensions): void {
  switch (id) {
    case OID.subjectAltName:
      result.subjectAltNames = decodeSubjectAltNames(value, what);
      break;
    case OID.keyUsage:
      result.keyUsages = decodeKeyUsage(value, what);
      break;
    case OID.extKeyUsage:
      result.extKeyUsages = decodeExtKeyUsage(value, what);
      break;
    case OID.basicConstraints: {
      const { isCa, pathLength } = decodeBasicConstraints(value, what);
      result.isCa = isCa;
      // Go ignores pathLen on a non-CA certificate (MaxPathLen only means something with IsCA).
      result.pathLength = isCa ? pathLength : undefined;
      break;
    }
    case OID.subjectKeyIdentifier:
      result.subjectKeyIdentifier = decodeSubjectKeyIdentifier(value, what);
      break;
    case OID.authorityKeyIdentifier:
      result.authorityKeyIdentifier = decodeAuthorityKeyIdentifier(value, what);
      break;
  }
}

/** Nothing decoded yet: what a certificate without extensions reports. */
export function emptyExtensions(): DecodedExtensions {
  return {
    subjectAltNames: [],
    keyUsages: undefined,
    extKeyUsages: undefined,
    isCa: false,
    pathLength: undefined,
    subjectKeyIdentifier: undefined,
    authorityKeyIdentifier: undefined,
  };
}

/**
 * Decodes the extensions kubepki models. Duplicates are refused (RFC 5280 §4.2: "A certificate
 * MUST NOT include more than one instance of a particular extension"; Go rejects them too).
 * Unknown extensions are ignored here.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair } from "@kubepki/core";
 * import { AsnParser } from "@peculiar/asn1-schema";
 * import { Certificate } from "@peculiar/asn1-x509";
 * import { decodeExtensions } from "./decode-extensions.js";
 *
 * const ca = await createSelfSignedCa({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=kubernetes" });
 * const asn = AsnParser.parse(ca.der, Certificate);
 * const { isCa, keyUsages } = decodeExtensions(asn.tbsCertificate.extensions, "certificate");
 * console.log(isCa, keyUsages); // true ["digitalSignature", "keyCertSign"]
 * ```
 */
/** An extension as an asn1-schema parse hands it over: its OID and its value's octets. */
export interface RawExtension {
  readonly extnID: string;
  readonly extnValue: { readonly buffer: ArrayBuffer };
}

export function decodeExtensions(extensions: readonly RawExtension[] | undefined, what: string): DecodedExtensions {
  const result = emptyExtensions();
  const seen = new Set<string>();
  for (const extension of extensions ?? []) {
    if (seen.has(extension.extnID)) {
      throw new KubepkiError("INVALID_DER", `Cannot read ${what}: extension ${extension.extnID} appears twice`);
    }
    seen.add(extension.extnID);
    decodeExtensionValue(extension.extnID, new Uint8Array(extension.extnValue.buffer), what, result);
  }
  return result;
}
