import { KubepkiError } from "../errors.js";
import { fromBase64 } from "../lib/bytes.js";

/** The public members of a private JWK (RFC 7518 §6, RFC 8037 §2): what a verify key needs. */
export function publicJwk(jwk: JsonWebKey): JsonWebKey {
  switch (jwk.kty) {
    case "RSA":
      return { kty: "RSA", n: jwk.n, e: jwk.e };
    case "EC":
      return { kty: "EC", crv: jwk.crv, x: jwk.x, y: jwk.y };
    case "OKP":
      return { kty: "OKP", crv: jwk.crv, x: jwk.x };
    default:
      throw new KubepkiError("UNSUPPORTED_ALGORITHM", `Cannot derive a public key from a ${String(jwk.kty)} JWK`);
  }
}

/** Bytes of a base64url JWK member (RFC 7515 §2: no padding). */
export function fromBase64Url(text: string | undefined, member: string): Uint8Array {
  const standard = (text ?? "").replace(/-/g, "+").replace(/_/g, "/");
  const bytes = fromBase64(standard.padEnd(Math.ceil(standard.length / 4) * 4, "="));
  if (!bytes || bytes.length === 0) {
    throw new KubepkiError("CRYPTO_ERROR", `WebCrypto exported a JWK with an unreadable "${member}" member`);
  }
  return bytes;
}
