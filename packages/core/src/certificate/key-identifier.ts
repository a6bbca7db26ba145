import { callCrypto } from "../lib/crypto.js";
import { KubepkiError } from "../vocabulary/errors.js";

/**
 * The subjectPublicKey BIT STRING contents of a SubjectPublicKeyInfo that WebCrypto (or a
 * parsed certificate) produced. Only walks the two top-level elements; the input is DER kubepki
 * got from a trusted source, and a malformed one is reported, not guessed at.
 */
export function subjectPublicKeyBits(spki: Uint8Array): Uint8Array {
  let offset = 0;
  const header = (): { tag: number; length: number } => {
    const tag = spki[offset++] as number;
    let length = spki[offset++] as number;
    if (length & 0x80) {
      const count = length & 0x7f;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (spki[offset++] as number);
    }
    return { tag, length };
  };
  const outer = header();
  const algorithm = header();
  offset += algorithm.length;
  const bits = header();
  if (outer.tag !== 0x30 || algorithm.tag !== 0x30 || bits.tag !== 0x03 || offset + bits.length > spki.length) {
    throw new KubepkiError("INVALID_DER", "SubjectPublicKeyInfo is malformed");
  }
  // Skip the unused-bits octet: RFC 5280 §4.2.1.2 method 1 hashes the key bits themselves.
  return spki.subarray(offset + 1, offset + bits.length);
}

/**
 * Subject Key Identifier as Go ≤ 1.24 computes it (every Kubernetes 1.30–1.34 build, reference
 * §1.2): SHA-1 over the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1). Verifiers treat it as
 * opaque; only AKI(child) = SKI(issuer) matters.
 */
export async function subjectKeyIdentifier(crypto: Crypto, spki: Uint8Array): Promise<Uint8Array> {
  const bits = subjectPublicKeyBits(spki);
  return new Uint8Array(
    await callCrypto("digest(SHA-1)", () => crypto.subtle.digest("SHA-1", bits as Uint8Array<ArrayBuffer>)),
  );
}
