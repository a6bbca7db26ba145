import { KubepkiError } from "../vocabulary/errors.js";
import type { KeyPair } from "./types.js";

/** The key families kubepki reads and writes, as told by a CryptoKey's algorithm name. */
export type KeyFamily = "RSA" | "EC" | "Ed25519" | "other";

/**
 * Duck-typed CryptoKey check: an injected WebCrypto (for example @peculiar/webcrypto) has its
 * own CryptoKey class, so `instanceof globalThis.CryptoKey` would refuse its keys.
 */
export function isCryptoKey(value: unknown): value is CryptoKey {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<CryptoKey>;
  return (
    (candidate.type === "private" || candidate.type === "public" || candidate.type === "secret") &&
    typeof candidate.algorithm === "object" &&
    candidate.algorithm !== null &&
    typeof candidate.extractable === "boolean"
  );
}

/** The key to use from a CryptoKey or a KeyPair, checked to be of `type` and extractable. */
export function pickKey(input: CryptoKey | KeyPair, type: "private" | "public", what: string): CryptoKey {
  let key: unknown = input;
  if (!isCryptoKey(input) && typeof input === "object" && input !== null) {
    key = type === "private" ? (input as KeyPair).privateKey : (input as KeyPair).publicKey;
  }
  if (!isCryptoKey(key)) {
    throw new KubepkiError("INVALID_ARGUMENT", `${what} needs a CryptoKey or a KeyPair { privateKey, publicKey }`);
  }
  if (key.type !== type) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `${what} needs a ${type} key, got a ${key.type} key: pass the ${type} key or the whole KeyPair`,
    );
  }
  if (!key.extractable) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `${what}: the ${type} key is not extractable; create or import it with extractable = true (generateKeyPair and importPrivateKeyPem do)`,
    );
  }
  return key;
}

/** Which family a WebCrypto algorithm name belongs to. */
export function keyFamily(key: CryptoKey): KeyFamily {
  switch (key.algorithm.name) {
    case "RSASSA-PKCS1-v1_5":
    case "RSA-PSS":
    case "RSA-OAEP":
      return "RSA";
    case "ECDSA":
    case "ECDH":
      return "EC";
    case "Ed25519":
      return "Ed25519";
    default:
      return "other";
  }
}

/** A readable name of the key for error messages (`ECDSA P-256`, `RSASSA-PKCS1-v1_5`…). */
export function describeKey(key: CryptoKey): string {
  const curve = (key.algorithm as Partial<EcKeyAlgorithm>).namedCurve;
  return curve ? `${key.algorithm.name} ${curve}` : key.algorithm.name;
}
