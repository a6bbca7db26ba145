import { KubepkiError } from "../vocabulary/errors.js";
import { boundedMemo } from "./memo.js";

/**
 * A minimal DER writer for exactly the structures kubepki writes (names, validity, SPKI, the
 * certificate extensions, TBSCertificate, Certificate, CertificationRequest). It exists for speed:
 * writing is the hot path of whole-cluster generation, and building these few structures directly
 * is an order of magnitude faster than a schema-driven serialiser. Every structure it produces is
 * differential-tested byte for byte against @peculiar/asn1-schema (test/der-writer.test.ts).
 * It is also the reference the key readers (keys/private-key-der.ts) compare what they read against.
 */

/** ASN.1 universal and context tags used by kubepki. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

const encoder = /* @__PURE__ */ new TextEncoder();

/** A tag-length-value with one tag byte, optionally with one `lead` byte before the content. */
export function tlv(tag: number, content: Uint8Array, lead?: number): Uint8Array {
  const length = content.length + (lead === undefined ? 0 : 1);
  const out = new Uint8Array(headerLength(length) + length);
  let at = writeHeader(out, 0, tag, length);
  if (lead !== undefined) out[at++] = lead;
  out.set(content, at);
  return out;
}

/** Octets of a tag and the DER length of `length` content octets. */
function headerLength(length: number): number {
  if (length < 0x80) return 2;
  if (length < 0x100) return 3;
  if (length < 0x10000) return 4;
  if (length < 0x1000000) return 5;
  throw new KubepkiError("INVALID_ARGUMENT", `DER value of ${length} bytes is too large to encode`);
}

/** Writes a tag and length at `at` (the header is {@link headerLength} octets) and returns the offset after it. */
function writeHeader(out: Uint8Array, at: number, tag: number, length: number): number {
  const header = headerLength(length);
  out[at] = tag;
  if (header === 2) out[at + 1] = length;
  else {
    out[at + 1] = 0x80 | (header - 2);
    for (let i = header - 1, rest = length; i >= 2; i--, rest >>= 8) out[at + i] = rest & 0xff;
  }
  return at + header;
}

/**
 * A constructed value of `parts`, optionally wrapped in one more constructed tag, written in one
 * array (the headers in place, no array for length octets): every certificate nests a few dozen.
 */
function constructed(tag: number, parts: readonly Uint8Array[], outerTag?: number): Uint8Array {
  // Indexed loops: an iterator result per part adds up in code V8 has not optimised yet.
  let length = 0;
  for (let i = 0; i < parts.length; i++) length += (parts[i] as Uint8Array).length;
  const inner = headerLength(length) + length;
  const out = new Uint8Array(outerTag === undefined ? inner : headerLength(inner) + inner);
  let offset = outerTag === undefined ? 0 : writeHeader(out, 0, outerTag, inner);
  offset = writeHeader(out, offset, tag, length);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as Uint8Array;
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** SEQUENCE of already-encoded elements. */
export function sequence(elements: readonly Uint8Array[]): Uint8Array {
  return constructed(Tag.SEQUENCE, elements);
}

/**
 * A SET of already DER-sorted members (the caller sorted them, or there is one): no copy of the
 * list, no sort.
 */
export function constructedSet(sortedMembers: readonly Uint8Array[]): Uint8Array {
  return constructed(Tag.SET, sortedMembers);
}

/** `[n] EXPLICIT SEQUENCE { elements }` in one array (a certificate's extensions field). */
export function explicitSequence(tagNumber: number, elements: readonly Uint8Array[]): Uint8Array {
  return constructed(Tag.SEQUENCE, elements, 0xa0 | tagNumber);
}

/** SET OF, with elements sorted as DER requires (X.690 §11.6: by their encodings). */
export function setOf(elements: readonly Uint8Array[]): Uint8Array {
  return constructed(Tag.SET, [...elements].sort(compareBytes));
}

/** DER's order of SET OF members: byte-wise over their encodings, shorter first on a common prefix. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** EXPLICIT context tag [n] around an encoded element (constructed). */
export function explicit(tagNumber: number, element: Uint8Array): Uint8Array {
  return tlv(0xa0 | tagNumber, element);
}

/** IMPLICIT context tag [n] over primitive content. */
export function implicitPrimitive(tagNumber: number, content: Uint8Array): Uint8Array {
  return tlv(0x80 | tagNumber, content);
}

/** IMPLICIT context tag [n] over constructed content (the inner elements, without their SEQUENCE). */
export function implicitConstructed(tagNumber: number, content: Uint8Array): Uint8Array {
  return tlv(0xa0 | tagNumber, content);
}

/** INTEGER from unsigned big-endian magnitude bytes (a leading 0x00 is added when the top bit is set). */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  if (trimmed.length === 0) return tlv(Tag.INTEGER, Uint8Array.of(0));
  if ((trimmed[0] as number) & 0x80) return tlv(Tag.INTEGER, trimmed, 0);
  return tlv(Tag.INTEGER, trimmed);
}

/** INTEGER of a small non-negative number. */
export function smallInteger(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new KubepkiError("INVALID_ARGUMENT", `Integer ${value} is out of range`);
  }
  if (value < 0x80) return Uint8Array.of(Tag.INTEGER, 1, value);
  const bytes: number[] = [];
  let v = value;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  return unsignedInteger(Uint8Array.from(bytes));
}

/** BOOLEAN (DER: TRUE is 0xff). */
export function boolean(value: boolean): Uint8Array {
  return Uint8Array.of(Tag.BOOLEAN, 1, value ? 0xff : 0);
}

/** NULL. */
export const NULL = Uint8Array.of(Tag.NULL, 0);

/** OCTET STRING. */
export function octetString(content: Uint8Array): Uint8Array {
  return tlv(Tag.OCTET_STRING, content);
}

/** BIT STRING with the given number of unused bits in the last byte. */
export function bitString(content: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(Tag.BIT_STRING, content, unusedBits);
}

/**
 * A named-bit BIT STRING (X.690 §11.2.2: trailing zero bits removed) from bit positions, as
 * keyUsage needs.
 */
export function namedBits(positions: readonly number[]): Uint8Array {
  if (positions.length === 0) return bitString(new Uint8Array(0));
  const highest = Math.max(...positions);
  const bytes = new Uint8Array((highest >> 3) + 1);
  for (const position of positions) bytes[position >> 3] = (bytes[position >> 3] as number) | (0x80 >> (position & 7));
  return bitString(bytes, 7 - (highest & 7));
}

/** Encoded OIDs: the same dozen are written for every certificate (bounded, see lib/memo.ts). */
const oids = /* @__PURE__ */ boundedMemo<Uint8Array>(256);

/** OBJECT IDENTIFIER from dotted text. */
export function oid(dotted: string): Uint8Array {
  return oids(dotted, () => encodeOid(dotted));
}

function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  if (arcs.length < 2 || arcs.some((arc) => !Number.isSafeInteger(arc) || arc < 0)) {
    throw new KubepkiError("INVALID_ARGUMENT", `${dotted} is not an object identifier`);
  }
  const body: number[] = [];
  const pushArc = (arc: number) => {
    const chunk: number[] = [arc & 0x7f];
    let rest = Math.floor(arc / 128);
    while (rest > 0) {
      chunk.unshift((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    body.push(...chunk);
  };
  pushArc((arcs[0] as number) * 40 + (arcs[1] as number));
  for (const arc of arcs.slice(2)) pushArc(arc);
  return tlv(Tag.OID, Uint8Array.from(body));
}

/** A string with the given string tag, UTF-8 encoded. */
export function string(tag: number, value: string): Uint8Array {
  return tlv(tag, encoder.encode(value));
}

/**
 * A string type whose value the caller knows is ASCII (PrintableString, IA5String of a checked
 * name): written from its character codes, without a UTF-8 encoder in between.
 */
export function asciiString(tag: number, value: string): Uint8Array {
  const length = value.length;
  const out = new Uint8Array(headerLength(length) + length);
  const start = writeHeader(out, 0, tag, length);
  for (let i = 0; i < length; i++) out[start + i] = value.charCodeAt(i);
  return out;
}

/** IA5String (ASCII only: DNS names, URIs and e-mail addresses in SANs). */
export function ia5String(value: string): Uint8Array {
  return string(Tag.IA5_STRING, value);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * A validity time as RFC 5280 §4.1.2.5 requires: UTCTime for years 1950–2049, GeneralizedTime
 * otherwise, always in UTC with seconds and `Z`, fractional seconds dropped.
 */
export function time(date: Date): Uint8Array {
  // The same two instants are written into every certificate of a cluster.
  return times(String(date.getTime()), () => encodeTime(date));
}

const times = /* @__PURE__ */ boundedMemo<Uint8Array>(64);

function encodeTime(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  const rest =
    pad2(date.getUTCMonth() + 1) +
    pad2(date.getUTCDate()) +
    pad2(date.getUTCHours()) +
    pad2(date.getUTCMinutes()) +
    pad2(date.getUTCSeconds());
  if (year >= 1950 && year < 2050) return string(Tag.UTC_TIME, `${pad2(year % 100)}${rest}Z`);
  if (year < 0 || year > 9999) throw new KubepkiError("INVALID_VALIDITY", `Year ${year} cannot be encoded`);
  return string(Tag.GENERALIZED_TIME, `${String(year).padStart(4, "0")}${rest}Z`);
}
