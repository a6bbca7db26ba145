// Base64 (RFC 4648 §4, standard alphabet, padded) over UTF-8 text, written out so that `src/` needs
// no Buffer and runs unchanged in browsers, Deno and Node. Decoding follows Go's
// `base64.StdEncoding` as used by encoding/json for kubeconfig `*-data` fields: padding is
// required, CR/LF are skipped, anything else outside the alphabet is an error (kubectl: "illegal
// base64 data at input byte N").

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

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
  const values: number[] = [];
  const positions: number[] = [];
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\r" || c === "\n") continue;
    if (c === "=") {
      padding++;
      positions.push(i);
      continue;
    }
    const v = ALPHABET.indexOf(c);
    if (v < 0 || padding > 0) return { badByte: i };
    values.push(v);
    positions.push(i);
  }
  const tail = values.length % 4;
  const wellFormed = (padding === 0 && tail === 0) || (padding === 1 && tail === 3) || (padding === 2 && tail === 2);
  if (!wellFormed) {
    return { badByte: positions[Math.min(values.length, positions.length - 1)] ?? 0 };
  }
  const out = new Uint8Array((values.length * 3) >> 2);
  let o = 0;
  for (let i = 0; i < values.length; i += 4) {
    const a = values[i]!;
    const b = values[i + 1] ?? 0;
    const c = values[i + 2] ?? 0;
    const d = values[i + 3] ?? 0;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
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
