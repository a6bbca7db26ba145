import type { Certificate } from "../certificate/model.js";
import { parseCertificate } from "../certificate/parse.js";
import { type CryptoOptions, callCrypto, resolveCrypto } from "../lib/crypto.js";
import { KubepkiError } from "../vocabulary/errors.js";
import { jwkHasPublicKeyInfo } from "./jwk.js";
import { importPublicKeyInfo } from "./public-key-info.js";
import type { KeyPair } from "./types.js";

/** The JWK members that make up the public key, per key type (RFC 7518 §6, RFC 8037 §2). */
const PUBLIC_MEMBERS: Readonly<Record<string, readonly (keyof JsonWebKey)[]>> = {
  RSA: ["n", "e"],
  EC: ["crv", "x", "y"],
  OKP: ["crv", "x"],
};

function isKeyPair(value: CryptoKey | KeyPair): value is KeyPair {
  return typeof value === "object" && value !== null && "privateKey" in value && "publicKey" in value;
}

/**
 * True when `privateKey` belongs to the certificate's public key, i.e. the `.key` file goes
 * with the `.crt` file (kubeadm checks the same before reusing files). Compares the public
 * parameters (RSA n/e, EC curve and point, Ed25519 point) of the private key's JWK with those of
 * the certificate's SubjectPublicKeyInfo, so nothing is signed. A private key that is not
 * extractable cannot be compared: pass a {@link KeyPair} (its public key is used then) or import
 * it as extractable; otherwise `INVALID_ARGUMENT`. A certificate key WebCrypto cannot import
 * (DSA…) matches nothing.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair, keyMatchesCertificate } from "@kubepki/core";
 *
 * const keyPair = await generateKeyPair("ECDSA-P256");
 * const ca = await createSelfSignedCa({ keyPair, subject: "/CN=kubernetes" });
 * const otherKeyPair = await generateKeyPair("ECDSA-P256");
 * // The certificate may be parsed, PEM text (the contents of ca.crt) or DER.
 * console.log(await keyMatchesCertificate(keyPair, ca.pem), await keyMatchesCertificate(otherKeyPair, ca)); // true false
 * ```
 */
export async function keyMatchesCertificate(
  privateKey: CryptoKey | KeyPair,
  certificate: Certificate | string | Uint8Array,
  options: CryptoOptions = {},
): Promise<boolean> {
  const crypto = resolveCrypto(options.crypto);
  const cert =
    typeof certificate === "string" || certificate instanceof Uint8Array ? parseCertificate(certificate) : certificate;
  let key: CryptoKey = isKeyPair(privateKey) ? privateKey.privateKey : privateKey;
  if (!key.extractable) {
    // The pair's public key was derived with the private key (import or generation), so it
    // stands for it; a lone non-extractable private key has no public part we can read.
    if (!isKeyPair(privateKey)) {
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        "The private key is not extractable, so its public part cannot be compared: import it with extractable: true or pass the key pair",
      );
    }
    key = privateKey.publicKey;
  }
  const keyJwk = await callCrypto("exportKey(jwk)", () => crypto.subtle.exportKey("jwk", key));
  // The common case, without importing the certificate's key: the same SPKI bytes.
  if (jwkHasPublicKeyInfo(keyJwk, cert.publicKeyInfo)) return true;
  let certificateKey: CryptoKey;
  try {
    certificateKey = await importPublicKeyInfo(crypto, cert.publicKeyInfo);
  } catch (cause) {
    if (cause instanceof KubepkiError) return false;
    throw cause;
  }
  const certificateJwk = await callCrypto("exportKey(jwk)", () => crypto.subtle.exportKey("jwk", certificateKey));
  const members = keyJwk.kty === undefined ? undefined : PUBLIC_MEMBERS[keyJwk.kty];
  if (!members || keyJwk.kty !== certificateJwk.kty) return false;
  return members.every((member) => keyJwk[member] !== undefined && keyJwk[member] === certificateJwk[member]);
}
