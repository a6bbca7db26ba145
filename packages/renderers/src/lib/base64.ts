// Base64 (RFC 4648 §4, standard alphabet, padded) over UTF-8 text, written out so that `src/` needs
// no Buffer and runs unchanged in browsers, Deno and Node. Decoding follows Go's
// `base64.StdEncoding` as used by encoding/json for kubeconfig `*-data` fields: padding is
// required, CR/LF are skipped, anything else outside the alphabet is an error (kubectl: "illegal
// base64 data at input byte N").

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** Value of each ASCII code in the alphabet, -1 for every other character ('=' included). */
const DECODE = /* @__PURE__ */ Int8Array.from({ length: 128 }, (_, code) =>
  ALPHABET.indexOf(String.fromCharCode(code)),
);

/** Encodes bytes as padded standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + "==";
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + "=";
  }
  return out;
}

/**
 * Decodes padded standard base64. Returns the byte offset of the first bad character instead of
 * throwing, so that callers can word the error for their own context.
 */
export function decodeBase64(text: string): Uint8Array | { badByte: number } {
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
    if (code > 127 || (DECODE[code] as number) < 0 || padding > 0) return { badByte: i };
    count++;
    lastSignificant = i;
  }
  const tail = count % 4;
  const wellFormed = (padding === 0 && tail === 0) || (padding === 1 && tail === 3) || (padding === 2 && tail === 2);
  // Go reports the first '=' of a wrong padding, or the last character of a short final group.
  if (!wellFormed) return { badByte: padding > 0 ? firstPad : Math.max(lastSignificant, 0) };
  const out = new Uint8Array((count * 3) >> 2);
  let o = 0;
  let n = 0;
  let bits = 0;
  for (let i = 0; i < text.length && o < out.length; i++) {
    const value = DECODE[text.charCodeAt(i)] ?? -1;
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

/** Base64 of the UTF-8 bytes of `text` (what kubeadm stores in `*-data`: base64 of the PEM). */
export function encodeBase64Utf8(text: string): string {
  return encodeBase64(new TextEncoder().encode(text));
}

/** Inverse of {@link encodeBase64Utf8}; `undefined` result means the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
