import { KubepkiError } from "../vocabulary/errors.js";

/**
 * A guard run before handing bytes to asn1-schema, and a header reader used to slice the original
 * bytes of fields asn1-schema does not keep raw. It does not decode values: asn1-schema does that.
 *
 * Why: asn1-schema (through asn1js) reads BER, not DER. It accepts indefinite lengths, ignores
 * bytes after the outer element, and recurses once per nesting level, so a few hundred KB of
 * `30 80 30 80 …` end in a stack overflow. Go's `x509.ParseCertificate` (cryptobyte) accepts only
 * DER with definite, minimally encoded lengths and rejects trailing data. Walking the TLV headers
 * once, iteratively and with a depth bound, gives the same strictness and turns every such input
 * into `INVALID_DER` in linear time before asn1-schema sees it.
 */

/** Deepest nesting accepted. A certificate needs about 8 levels (a directoryName SAN a few more). */
const MAX_DEPTH = 32;

/** One TLV header: where its value starts and ends in the buffer. */
export interface TlvHeader {
  /** The identifier octet(s) as a number (class, constructed bit and tag number of low tags). */
  readonly tag: number;
  readonly constructed: boolean;
  /** Offset of the first value byte. */
  readonly valueStart: number;
  /** Offset just past the value. */
  readonly end: number;
}

function fail(what: string, reason: string): never {
  throw new KubepkiError("INVALID_DER", `Cannot read ${what}: ${reason}`);
}

/** A {@link TlvHeader} that {@link scanTlvHeader} fills in (one per walk instead of one per element). */
interface MutableTlvHeader {
  tag: number;
  constructed: boolean;
  valueStart: number;
  end: number;
}

/**
 * Reads the DER header at `offset`, checking that the length is definite, minimally encoded
 * (X.690 §10.1) and fits inside `limit`.
 *
 * @example
 * ```ts
 * import { readTlvHeader } from "./der-guard.js";
 *
 * console.log(readTlvHeader(Uint8Array.of(0x30, 0x02, 0x05, 0x00), 0, 4, "test"));
 * // { tag: 0x30, constructed: true, valueStart: 2, end: 4 }
 * ```
 */
export function readTlvHeader(der: Uint8Array, offset: number, limit: number, what: string): TlvHeader {
  const header: MutableTlvHeader = { tag: 0, constructed: false, valueStart: 0, end: 0 };
  scanTlvHeader(der, offset, limit, what, header);
  return header;
}

/** {@link readTlvHeader} into `into`: the structure walk reads every element of every certificate. */
function scanTlvHeader(der: Uint8Array, offset: number, limit: number, what: string, into: MutableTlvHeader): void {
  let position = offset;
  const first = der[position++];
  if (first === undefined || position > limit) fail(what, `truncated at byte ${offset}`);
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    // High-tag-number form (X.690 §8.1.2.4): base-128 continuation bytes, at most 4 of them.
    let count = 0;
    let byte: number | undefined;
    do {
      byte = der[position++];
      if (byte === undefined || position > limit || ++count > 4) fail(what, `bad tag at byte ${offset}`);
      tag = tag * 128 + (byte & 0x7f);
    } while (byte & 0x80);
  }
  const lengthByte = der[position++];
  if (lengthByte === undefined || position > limit) fail(what, `truncated length at byte ${offset}`);
  let length = lengthByte;
  if (lengthByte === 0x80) fail(what, "indefinite length (BER) is not allowed in DER");
  if (lengthByte > 0x80) {
    const count = lengthByte & 0x7f;
    // Four length bytes already describe 4 GB: anything longer is garbage, not a certificate.
    if (count > 4) fail(what, `length of ${count} bytes at byte ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = der[position++];
      if (byte === undefined || position > limit) fail(what, `truncated length at byte ${offset}`);
      if (i === 0 && byte === 0) fail(what, `length with a leading zero byte at byte ${offset} (not DER)`);
      length = length * 256 + byte;
    }
    if (length < 0x80) fail(what, `long-form length ${length} at byte ${offset} (not DER)`);
  }
  const end = position + length;
  if (end > limit) {
    fail(what, `element at byte ${offset} declares ${length} bytes but only ${limit - position} remain`);
  }
  into.tag = tag;
  into.constructed = (first & 0x20) !== 0;
  into.valueStart = position;
  into.end = end;
}

/**
 * Checks that `der` is exactly one DER element whose nested headers are all consistent, with no
 * trailing bytes and nesting at most {@link MAX_DEPTH} deep. Throws `INVALID_DER` otherwise.
 *
 * @example
 * ```ts
 * import { checkDerStructure } from "./der-guard.js";
 *
 * checkDerStructure(Uint8Array.of(0x30, 0x00), "test"); // fine
 * try {
 *   checkDerStructure(Uint8Array.of(0x30, 0x80, 0x00, 0x00), "test");
 * } catch (error) {
 *   console.log((error as Error).message); // "Cannot read test: indefinite length (BER) is not allowed in DER"
 * }
 * ```
 */
export function checkDerStructure(der: Uint8Array, what: string): void {
  if (!(der instanceof Uint8Array) || der.length === 0) fail(what, "no bytes");
  const header: MutableTlvHeader = { tag: 0, constructed: false, valueStart: 0, end: 0 };
  scanTlvHeader(der, 0, der.length, what, header);
  if (header.end !== der.length) {
    fail(what, `${der.length - header.end} unexpected bytes after the end of the DER element`);
  }
  // Iterative walk: a stack of the ends of the constructed elements we are inside.
  const ends: number[] = [];
  for (;;) {
    if (header.constructed && header.valueStart < header.end) {
      if (ends.length >= MAX_DEPTH) fail(what, `nesting deeper than ${MAX_DEPTH} levels`);
      ends.push(header.end);
      scanTlvHeader(der, header.valueStart, header.end, what, header);
      continue;
    }
    const position = header.end;
    while (ends.length > 0 && position === ends[ends.length - 1]) {
      ends.pop();
    }
    if (ends.length === 0) return;
    scanTlvHeader(der, position, ends[ends.length - 1] as number, what, header);
  }
}

/** One child element of a constructed element, as offsets into the same buffer. */
export interface TlvChild {
  readonly tag: number;
  /** Offset of the child's first header byte. */
  readonly start: number;
  /** Offset just past the child's value. */
  readonly end: number;
}

/**
 * The children of the constructed element that fills `der` (used to slice the
 * SubjectPublicKeyInfo and names out of an already validated TBS, so that they are exactly the
 * bytes that were signed rather than a re-encoding by asn1-schema, which keeps no raw bytes for them).
 *
 * @example
 * ```ts
 * import { childrenOf } from "./der-guard.js";
 *
 * console.log(childrenOf(Uint8Array.of(0x30, 0x04, 0x05, 0x00, 0x05, 0x00), "test"));
 * // [{ tag: 5, start: 2, end: 4 }, { tag: 5, start: 4, end: 6 }]
 * ```
 */
export function childrenOf(der: Uint8Array, what: string): TlvChild[] {
  const parent = readTlvHeader(der, 0, der.length, what);
  const children: TlvChild[] = [];
  for (let position = parent.valueStart; position < parent.end; ) {
    const child = readTlvHeader(der, position, parent.end, what);
    children.push({ tag: child.tag, start: position, end: child.end });
    position = child.end;
  }
  return children;
}

/**
 * The dotted text of an OBJECT IDENTIFIER element (X.690 §8.19): minimal base-128 arcs, the first
 * byte holding 40·a + b. Throws `INVALID_DER` for anything else, so callers can rely on it.
 *
 * @example
 * ```ts
 * import { readOid, readTlvHeader } from "./der-guard.js";
 *
 * const der = Uint8Array.of(0x06, 0x03, 0x55, 0x1d, 0x11);
 * console.log(readOid(der, readTlvHeader(der, 0, der.length, "test"), "test")); // "2.5.29.17"
 * ```
 */
export function readOid(der: Uint8Array, header: TlvHeader, what: string): string {
  if (header.tag !== 0x06 || header.valueStart === header.end) fail(what, "expected an OBJECT IDENTIFIER");
  let text = "";
  let value = 0;
  let fresh = true;
  for (let i = header.valueStart; i < header.end; i++) {
    const byte = der[i] as number;
    // A leading 0x80 is not minimal (not DER); arcs beyond 2^53 are not identifiers anyone uses.
    if (fresh && byte === 0x80) fail(what, "non-minimal OBJECT IDENTIFIER arc");
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) fail(what, "OBJECT IDENTIFIER arc too large");
    fresh = (byte & 0x80) === 0;
    if (fresh) {
      if (text === "") {
        const first = value < 40 ? 0 : value < 80 ? 1 : 2;
        text = `${first}.${value - first * 40}`;
      } else text += `.${value}`;
      value = 0;
    }
  }
  if (!fresh) fail(what, "truncated OBJECT IDENTIFIER");
  return text;
}

/** One element read by {@link readElement}: its header, where it starts, and its value bytes. */
export interface DerElement extends TlvHeader {
  /** Offset of the element's first header byte. */
  readonly start: number;
  /** The value octets (a view into the same buffer). */
  readonly value: Uint8Array;
}

/**
 * The element at `offset` (within `limit`), with its value as a view. For readers that walk a
 * structure field by field after {@link checkDerStructure} has vouched for every length.
 *
 * @example
 * ```ts
 * import { readElement } from "./der-guard.js";
 *
 * const der = Uint8Array.of(0x02, 0x01, 0x05);
 * console.log(readElement(der, 0, der.length, "test").value); // Uint8Array [5]
 * ```
 */
export function readElement(der: Uint8Array, offset: number, limit: number, what: string): DerElement {
  const { tag, constructed, valueStart, end } = readTlvHeader(der, offset, limit, what);
  return { tag, constructed, valueStart, end, start: offset, value: der.subarray(valueStart, end) };
}

/**
 * The elements inside `parent` (a constructed element read by {@link readElement}), in order.
 *
 * @example
 * ```ts
 * import { elementsOf, readElement } from "./der-guard.js";
 *
 * const der = Uint8Array.of(0x30, 0x05, 0x02, 0x01, 0x01, 0x05, 0x00);
 * console.log(elementsOf(der, readElement(der, 0, der.length, "test"), "test").map((element) => element.tag)); // [2, 5]
 * ```
 */
export function elementsOf(der: Uint8Array, parent: TlvHeader, what: string): DerElement[] {
  const elements: DerElement[] = [];
  for (let position = parent.valueStart; position < parent.end; ) {
    const element = readElement(der, position, parent.end, what);
    elements.push(element);
    position = element.end;
  }
  return elements;
}
