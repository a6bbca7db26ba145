import { type CryptoOptions, callCrypto, resolveCrypto } from "../lib/crypto.js";
import { KubepkiError } from "../vocabulary/errors.js";
import { generationParams, type KeyAlgorithm, MIN_RSA_BITS } from "./algorithm.js";
import type { KeyPair } from "./types.js";

const RSA_NAME = /^RSA-(\d+)$/;
const KUBEADM_RSA_BITS = [2048, 3072, 4096];

/**
 * Options of {@link generateKeyPair}.
 *
 * @example
 * ```ts
 * import type { GenerateKeyPairOptions } from "@kubepki/core";
 *
 * // Renewing an existing RSA-8192 key with a key of the same size.
 * const options: GenerateKeyPairOptions = { anyRsaSize: true };
 * console.log(options.anyRsaSize); // true
 * ```
 */
export interface GenerateKeyPairOptions extends CryptoOptions {
  /**
   * Also generate RSA sizes other than kubeadm's 2048, 3072 and 4096 (any multiple of 8 up to
   * 16384), so that renewing an existing key keeps its size. Default false: those names are
   * `UNSUPPORTED_ALGORITHM`, as a new cluster only gets kubeadm's choices (and keygen of such
   * sizes takes minutes).
   */
  anyRsaSize?: boolean;
}

/**
 * Generates an extractable signing key pair: RSA 2048/3072/4096 (RSASSA-PKCS1-v1_5 with
 * SHA-256, exponent 65537), ECDSA P-256/P-384 or Ed25519. Both keys are extractable so they can
 * be written out with {@link exportPrivateKeyPem} / {@link exportPublicKeyPem}. RSA-4096 takes
 * seconds; generate once and reuse.
 *
 * @throws KubepkiError `WEAK_KEY` for RSA below 2048 bits, `UNSUPPORTED_ALGORITHM` for any other
 * unknown name (or Ed25519 on a runtime without it), `CRYPTO_ERROR` when WebCrypto fails.
 *
 * @example
 * ```ts
 * import { exportPrivateKeyPem, generateKeyPair } from "@kubepki/core";
 *
 * const keys = await generateKeyPair("ECDSA-P256");
 * const pem = await exportPrivateKeyPem(keys);
 * console.log(keys.algorithm, pem.split("\n")[0]); // "ECDSA-P256" "-----BEGIN EC PRIVATE KEY-----"
 * ```
 */
export async function generateKeyPair(
  algorithm: KeyAlgorithm = "RSA-2048",
  options: GenerateKeyPairOptions = {},
): Promise<KeyPair> {
  // JavaScript callers can pass any string; name the actual problem for small RSA sizes.
  const rsaBits = typeof algorithm === "string" ? RSA_NAME.exec(algorithm)?.[1] : undefined;
  if (rsaBits !== undefined && Number(rsaBits) < MIN_RSA_BITS) {
    throw new KubepkiError(
      "WEAK_KEY",
      `${algorithm} is too weak: RSA keys must be at least ${MIN_RSA_BITS} bits (use RSA-2048, RSA-3072 or RSA-4096)`,
    );
  }
  if (rsaBits !== undefined && !options.anyRsaSize && !KUBEADM_RSA_BITS.includes(Number(rsaBits))) {
    throw new KubepkiError(
      "UNSUPPORTED_ALGORITHM",
      `${algorithm}: new keys are RSA-2048, RSA-3072 or RSA-4096 (kubeadm's); other sizes only with anyRsaSize`,
    );
  }
  const params = generationParams(algorithm);
  const crypto = resolveCrypto(options.crypto);
  // A fresh exponent per key: Node keeps the very array it was given as key.algorithm.publicExponent,
  // so sharing the RSA_PUBLIC_EXPONENT constant would let one caller's mutation reach every key.
  const request =
    "publicExponent" in params ? { ...params, publicExponent: Uint8Array.from(params.publicExponent) } : params;
  const pair = await callCrypto(`generateKey(${algorithm})`, async () => {
    try {
      return (await crypto.subtle.generateKey(request, true, ["sign", "verify"])) as CryptoKeyPair;
    } catch (cause) {
      if ((cause as { name?: unknown } | null)?.name === "NotSupportedError") {
        throw new KubepkiError(
          "UNSUPPORTED_ALGORITHM",
          `This WebCrypto implementation cannot generate ${algorithm} keys: choose another algorithm or runtime`,
          { cause },
        );
      }
      throw cause;
    }
  });
  return { algorithm, privateKey: pair.privateKey, publicKey: pair.publicKey };
}
