/** Byte helpers shared by the encoders and parsers. Plain functions, no Buffer (not in browsers). */

const HEX_CODES = /* @__PURE__ */ Uint8Array.from("0123456789abcdef", (char) => char.charCodeAt(0));
const ascii = /* @__PURE__ */ new TextDecoder();

/**
 * Lowercase hex of `bytes`. Written as character codes and decoded once: appending to a string
 * builds a rope of one node per byte, which every certificate's serial and fingerprint kept.
 */
export function toHex(bytes: Uint8Array): string {
  const out = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    out[i * 2] = HEX_CODES[byte >> 4] as number;
    out[i * 2 + 1] = HEX_CODES[byte & 15] as number;
  }
  return ascii.decode(out);
}

/** Bytes of an even-length hex string (no separators); undefined when it is not hex. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Concatenates byte arrays into one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Constant-shape equality of two byte arrays. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

const B64_CODES = /* @__PURE__ */ Uint8Array.from(B64, (char) => char.charCodeAt(0));
const B64URL_CODES = /* @__PURE__ */ Uint8Array.from(B64, (char) =>
  char === "+" ? 45 : char === "/" ? 95 : char.charCodeAt(0),
);
/**
 * Base64 of `bytes` as ASCII codes, a newline after every `lineLength` characters when one is
 * given (and after the last line), with padding unless `url` (RFC 4648 §5, as JWK writes it).
 * Written as codes, four per group of three bytes, and decoded once: a PEM block is built
 * without string concatenation. PEM's 64-character lines hold whole groups, so the newlines
 * are written in the same pass; other widths cut the finished codes into lines.
 */
function base64Codes(bytes: Uint8Array, url: boolean, lineLength = 0): string {
  const chars = url ? Math.ceil((bytes.length * 4) / 3) : Math.ceil(bytes.length / 3) * 4;
  const inPass = lineLength <= 0 || lineLength % 4 === 0;
  const groupsPerLine = inPass && lineLength > 0 ? lineLength / 4 : 0;
  const out = new Uint8Array(chars + (groupsPerLine > 0 ? Math.ceil(chars / lineLength) : 0));
  const table = url ? B64URL_CODES : B64_CODES;
  let o = 0;
  let group = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o] = table[n >> 18] as number;
    out[o + 1] = table[(n >> 12) & 63] as number;
    out[o + 2] = table[(n >> 6) & 63] as number;
    out[o + 3] = table[n & 63] as number;
    o += 4;
    if (++group === groupsPerLine) {
      out[o++] = 10;
      group = 0;
    }
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = ((bytes[i] as number) << 16) | (rest === 2 ? (bytes[i + 1] as number) << 8 : 0);
    out[o++] = table[n >> 18] as number;
    out[o++] = table[(n >> 12) & 63] as number;
    if (rest === 2) out[o++] = table[(n >> 6) & 63] as number;
    else if (!url) out[o++] = 61;
    if (!url) out[o++] = 61;
    group++;
  }
  if (groupsPerLine > 0 && group > 0) out[o++] = 10;
  if (inPass) return ascii.decode(out.subarray(0, o));
  return ascii.decode(cutLines(out, lineLength));
}

/** `codes` with a newline after every `lineLength` of them and after the last. */
function cutLines(codes: Uint8Array, lineLength: number): Uint8Array {
  const out = new Uint8Array(codes.length + Math.ceil(codes.length / lineLength));
  let written = 0;
  for (let start = 0; start < codes.length; start += lineLength) {
    const line = codes.subarray(start, Math.min(start + lineLength, codes.length));
    out.set(line, written);
    written += line.length;
    out[written++] = 10;
  }
  return out;
}

/** Standard base64 (with padding) of `bytes`. Works the same in every runtime. */
export function toBase64(bytes: Uint8Array): string {
  return base64Codes(bytes, false);
}

/** Base64url without padding (RFC 7515 §2, JWK members). */
export function toBase64Url(bytes: Uint8Array): string {
  return base64Codes(bytes, true);
}

/** Standard base64 in lines of `lineLength` characters, each ending in a newline (PEM bodies). */
export function toBase64Lines(bytes: Uint8Array, lineLength: number): string {
  return base64Codes(bytes, false, lineLength);
}

/** Value of each ASCII code in the base64url alphabet (RFC 4648 §5), -1 for any other character. */
const B64URL_INDEX = /* @__PURE__ */ Int16Array.from(B64_INDEX, (value, code) =>
  code === 45 ? 62 : code === 95 ? 63 : code === 43 || code === 47 ? -1 : value,
);

/**
 * The bytes of `count` base64 characters of `text` (characters whose `index` value is negative —
 * white space, padding — are skipped), decoded as one bit stream into a new array.
 */
function decodeSextets(text: string, count: number, index: Int16Array): Uint8Array {
  const out = new Uint8Array(Math.floor((count * 6) / 8));
  let o = 0;
  let n = 0;
  let bits = 0;
  for (let i = 0; i < text.length && o < out.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (index[code] as number) : -1;
    if (value < 0) continue;
    n = ((n << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (n >> bits) & 0xff;
    }
  }
  return out;
}

/**
 * Bytes of base64url text without padding (JWK members); undefined when it is not that. Four
 * characters at a time: whole-cluster generation decodes three members of every key's JWK.
 */
export function fromBase64Url(text: string): Uint8Array | undefined {
  const rest = text.length % 4;
  if (rest === 1) return undefined;
  const full = text.length - rest;
  const out = new Uint8Array((full / 4) * 3 + (rest === 0 ? 0 : rest - 1));
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const a = urlSextet(text, i);
    const b = urlSextet(text, i + 1);
    const c = urlSextet(text, i + 2);
    const d = urlSextet(text, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  if (rest === 0) return out;
  const a = urlSextet(text, full);
  const b = urlSextet(text, full + 1);
  const c = rest === 3 ? urlSextet(text, full + 2) : 0;
  if ((a | b | c) < 0) return undefined;
  // The unused low bits of the last character must be zero (RFC 4648 §3.5: canonical encoding).
  if (rest === 2 ? (b & 15) !== 0 : (c & 3) !== 0) return undefined;
  const n = (a << 18) | (b << 12) | (c << 6);
  out[o++] = n >> 16;
  if (rest === 3) out[o] = (n >> 8) & 0xff;
  return out;
}

function urlSextet(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code < 128 ? (B64URL_INDEX[code] as number) : -1;
}

/**
 * Decodes standard base64, ignoring ASCII white space. Returns undefined for any other
 * character, bad padding or a length that cannot be base64.
 */
export function fromBase64(text: string): Uint8Array | undefined {
  // Validate and count in one pass, decode in a second: no cleaned copy of the text (an audit
  // decodes thousands of PEM blocks).
  let count = 0;
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 9 || code === 10 || code === 13 || code === 32) continue;
    if (code === 61) {
      padding++;
      continue;
    }
    if (padding > 0 || code > 127 || (B64_INDEX[code] as number) < 0) return undefined;
    count++;
  }
  if (padding > 2 || (count + padding) % 4 !== 0) return undefined;
  return decodeSextets(text, count, B64_INDEX);
}

/** A copy of `bytes` backed by its own ArrayBuffer (WebCrypto and asn1-schema want exact buffers). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.byteLength === bytes.byteLength && bytes.byteOffset === 0
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}
