import type { CryptoOptions } from "../lib/crypto.js";
import type { KeyAlgorithm } from "./algorithm.js";
import type { KeyPair } from "./types.js";

/**
 * Generates an extractable signing key pair. OWNER: keys helper (stub).
 */
export async function generateKeyPair(
  algorithm: KeyAlgorithm = "RSA-2048",
  options: CryptoOptions = {},
): Promise<KeyPair> {
  void algorithm;
  void options;
  throw new Error("not implemented: generateKeyPair");
}
