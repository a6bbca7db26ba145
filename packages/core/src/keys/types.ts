import type { KeyAlgorithm } from "./algorithm.js";

/**
 * A WebCrypto key pair together with the kubepki algorithm name it was made or imported as.
 * Both keys are extractable, so they can be written out as PEM.
 */
export interface KeyPair {
  readonly algorithm: KeyAlgorithm;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

/** PEM encodings of a private key. kubeadm writes `pkcs1` for RSA and `sec1` for ECDSA. */
export type PrivateKeyFormat = "pkcs8" | "pkcs1" | "sec1";
