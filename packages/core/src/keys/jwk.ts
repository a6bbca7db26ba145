import { bytesEqual, concatBytes } from "../lib/bytes.js";
import { bitString, NULL, oid, sequence, unsignedInteger } from "../lib/der.js";
import { OID } from "../lib/oids.js";
import { fromBase64Url as decodeBase64Url } from "../vocabulary/base64.js";
import { KubepkiError } from "../vocabulary/errors.js";

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
  const bytes = typeof text === "string" ? decodeBase64Url(text) : undefined;
  if (!bytes || bytes.length === 0) {
    throw new KubepkiError("CRYPTO_ERROR", `WebCrypto exported a JWK with an unreadable "${member}" member`);
  }
  return bytes;
}

const JWK_CURVE_OIDS: Readonly<Record<string, string>> = {
  "P-256": OID.secp256r1,
  "P-384": OID.secp384r1,
  "P-521": OID.secp521r1,
};

/**
 * The SubjectPublicKeyInfo DER of a JWK's public members, in the one encoding OpenSSL, Go and
 * WebCrypto write (RSA with NULL parameters, EC with a named curve and an uncompressed point), or
 * undefined for other key types. Lets a key be compared with a certificate by its bytes,
 * without importing the certificate's key.
 *
 * @example
 * ```ts
 * import { publicKeyInfoFromJwk } from "./jwk.js";
 *
 * const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
 * const spki = publicKeyInfoFromJwk(await crypto.subtle.exportKey("jwk", keys.publicKey));
 * console.log(spki?.length); // 91
 * ```
 */
export function publicKeyInfoFromJwk(jwk: JsonWebKey): Uint8Array | undefined {
  if (jwk.kty === "RSA" && jwk.n && jwk.e) {
    const key = sequence([unsignedInteger(fromBase64Url(jwk.n, "n")), unsignedInteger(fromBase64Url(jwk.e, "e"))]);
    return sequence([sequence([oid(OID.rsaEncryption), NULL]), bitString(key)]);
  }
  const curve = jwk.kty === "EC" ? JWK_CURVE_OIDS[jwk.crv ?? ""] : undefined;
  if (curve && jwk.x && jwk.y) {
    const point = concatBytes([Uint8Array.of(4), fromBase64Url(jwk.x, "x"), fromBase64Url(jwk.y, "y")]);
    return sequence([sequence([oid(OID.ecPublicKey), oid(curve)]), bitString(point)]);
  }
  return undefined;
}

/**
 * True when the JWK's public key is exactly the given SubjectPublicKeyInfo bytes (false means
 * "not shown equal": the SPKI may still be another encoding of the same key).
 *
 * @example
 * ```ts
 * import { jwkHasPublicKeyInfo } from "./jwk.js";
 *
 * const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
 * const spki = new Uint8Array(await crypto.subtle.exportKey("spki", keys.publicKey));
 * console.log(jwkHasPublicKeyInfo(await crypto.subtle.exportKey("jwk", keys.privateKey), spki)); // true
 * ```
 */
export function jwkHasPublicKeyInfo(jwk: JsonWebKey, spki: Uint8Array): boolean {
  try {
    const own = publicKeyInfoFromJwk(jwk);
    return own !== undefined && bytesEqual(own, spki);
  } catch {
    return false;
  }
}
