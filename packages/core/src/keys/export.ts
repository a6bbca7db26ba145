import type { CryptoOptions } from "../lib/crypto.js";
import type { KeyPair, PrivateKeyFormat } from "./types.js";

/** OWNER: keys helper (stub). Default format: pkcs1 for RSA, sec1 for ECDSA, pkcs8 for Ed25519. */
export async function exportPrivateKeyPem(
  key: CryptoKey | KeyPair,
  options: CryptoOptions & { format?: PrivateKeyFormat } = {},
): Promise<string> {
  void key;
  void options;
  throw new Error("not implemented: exportPrivateKeyPem");
}

/** OWNER: keys helper (stub). SPKI `PUBLIC KEY` PEM. */
export async function exportPublicKeyPem(key: CryptoKey | KeyPair, options: CryptoOptions = {}): Promise<string> {
  void key;
  void options;
  throw new Error("not implemented: exportPublicKeyPem");
}

/** OWNER: keys helper (stub). SubjectPublicKeyInfo DER of a public key (or of a key pair's public key). */
export async function exportPublicKeyInfo(key: CryptoKey | KeyPair, options: CryptoOptions = {}): Promise<Uint8Array> {
  void key;
  void options;
  throw new Error("not implemented: exportPublicKeyInfo");
}
