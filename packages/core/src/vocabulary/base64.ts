// Base64 (RFC 4648), written out so that no package needs Buffer: the same code in browsers, Deno
// and Node. One alphabet table serves every reader and writer here: PEM bodies (standard, lines
// of 64), JWK members (base64url, no padding) and kubeconfig `*-data` fields (standard, decoded
// as Go's encoding/json does).

const ascii = /* @__PURE__ */ new TextDecoder();

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** Value of each ASCII code in the standard alphabet, -1 for every other character ('=' included). */
const B64_INDEX = /* @__PURE__ */ Int16Array.from({ length: 128 }, (_, code) => B64.indexOf(String.fromCharCode(code)));

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

/**
 * Decodes standard padded base64 as Go's `base64.StdEncoding` does for kubeconfig `*-data` fields
 * (encoding/json into a `[]byte`): CR and LF are skipped, padding is required, anything else
 * outside the alphabet is an error. Returns the byte offset Go reports (kubectl: "illegal base64
 * data at input byte N") instead of throwing, so each caller words the error for its context.
 */
export function fromGoBase64(text: string): Uint8Array | { badByte: number } {
  // One pass to validate and count, one to decode: kubeconfig *-data fields are kilobytes each
  // and an audit reads thousands of them, so no per-character arrays.
  let count = 0;
  let padding = 0;
  let firstPad = -1;
  let lastSignificant = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 13 || code === 10) continue;
    if (code === 61) {
      if (padding++ === 0) firstPad = i;
      continue;
    }
    if (code > 127 || (B64_INDEX[code] as number) < 0 || padding > 0) return { badByte: i };
    count++;
    lastSignificant = i;
  }
  const tail = count % 4;
  const wellFormed = (padding === 0 && tail === 0) || (padding === 1 && tail === 3) || (padding === 2 && tail === 2);
  // Go reports the first '=' of a wrong padding, or the last character of a short final group.
  if (!wellFormed) return { badByte: padding > 0 ? firstPad : Math.max(lastSignificant, 0) };
  return decodeSextets(text, count, B64_INDEX);
}
