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

/** A copy of `bytes` backed by its own ArrayBuffer (WebCrypto and asn1-schema want exact buffers). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.byteLength === bytes.byteLength && bytes.byteOffset === 0
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}
