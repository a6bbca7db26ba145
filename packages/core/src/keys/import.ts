import type { CryptoOptions } from "../lib/crypto.js";
import type { KeyPair } from "./types.js";

/** OWNER: keys helper (stub). Reads PKCS#8, PKCS#1 and SEC1 PEM; returns the pair (public key derived). */
export async function importPrivateKeyPem(pem: string, options: CryptoOptions = {}): Promise<KeyPair> {
  void pem;
  void options;
  throw new Error("not implemented: importPrivateKeyPem");
}

/** OWNER: keys helper (stub). Reads SPKI `PUBLIC KEY` (and `RSA PUBLIC KEY`) PEM as a verify key. */
export async function importPublicKeyPem(pem: string, options: CryptoOptions = {}): Promise<CryptoKey> {
  void pem;
  void options;
  throw new Error("not implemented: importPublicKeyPem");
}
