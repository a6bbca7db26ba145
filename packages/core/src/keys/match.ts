import type { Certificate } from "../certificate/model.js";
import type { CryptoOptions } from "../lib/crypto.js";
import type { KeyPair } from "./types.js";

/** OWNER: parse/verify helper (stub). True when the private key belongs to the certificate's public key. */
export async function keyMatchesCertificate(
  privateKey: CryptoKey | KeyPair,
  certificate: Certificate | string | Uint8Array,
  options: CryptoOptions = {},
): Promise<boolean> {
  void privateKey;
  void certificate;
  void options;
  throw new Error("not implemented: keyMatchesCertificate");
}
