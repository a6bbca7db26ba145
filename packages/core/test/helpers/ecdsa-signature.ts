/**
 * WebCrypto ECDSA signatures are raw r || s (IEEE P1363); openssl reads and writes the DER
 * ECDSA-Sig-Value (RFC 3279 §2.2.3). These converters let tests hand signatures to openssl and
 * back. Test-only: the SDK has its own encoder on the certificate path.
 */

function derInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const body = (trimmed[0] as number) & 0x80 ? Uint8Array.of(0, ...trimmed) : trimmed;
  return Uint8Array.of(0x02, body.length, ...body);
}

/** DER ECDSA-Sig-Value from r || s. */
export function p1363ToDer(signature: Uint8Array): Uint8Array<ArrayBuffer> {
  const half = signature.length / 2;
  const content = Uint8Array.of(...derInteger(signature.subarray(0, half)), ...derInteger(signature.subarray(half)));
  const length = content.length < 0x80 ? [content.length] : [0x81, content.length];
  return Uint8Array.of(0x30, ...length, ...content);
}

/** r || s (each `size` bytes) from a DER ECDSA-Sig-Value. */
export function derToP1363(der: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  let offset = der[1] === 0x81 ? 3 : 2;
  const out = new Uint8Array(size * 2);
  for (const half of [0, 1]) {
    const length = der[offset + 1] as number;
    let value = der.subarray(offset + 2, offset + 2 + length);
    while (value.length > size && value[0] === 0) value = value.subarray(1);
    out.set(value, half * size + size - value.length);
    offset += 2 + length;
  }
  return out;
}
