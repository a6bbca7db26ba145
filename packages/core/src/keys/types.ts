import type { KeyAlgorithm } from "./algorithm.js";

/**
 * A WebCrypto key pair together with the kubepki algorithm name it was made or imported as.
 * Both keys are extractable, so they can be written out as PEM.
 *
 * @example
 * ```ts
 * import { generateKeyPair, type KeyPair } from "@kubepki/core";
 *
 * const keys: KeyPair = await generateKeyPair("ECDSA-P256");
 * console.log(keys.privateKey.extractable); // true
 * ```
 */
export interface KeyPair {
  readonly algorithm: KeyAlgorithm;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

/**
 * PEM encodings of a private key. kubeadm writes `pkcs1` for RSA and `sec1` for ECDSA.
 *
 * @example
 * ```ts
 * import { exportPrivateKeyPem, generateKeyPair, type PrivateKeyFormat } from "@kubepki/core";
 *
 * const format: PrivateKeyFormat = "pkcs8";
 * const pem = await exportPrivateKeyPem(await generateKeyPair("ECDSA-P256"), { format });
 * console.log(pem.split("\n")[0]); // "-----BEGIN PRIVATE KEY-----"
 * ```
 */
export type PrivateKeyFormat = "pkcs8" | "pkcs1" | "sec1";
