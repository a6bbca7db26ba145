import { type CryptoOptions, callCrypto, resolveCrypto } from "../lib/crypto.js";
import { decodePemBlocks, encodePem } from "../pem/pem.js";
import { KubepkiError } from "../vocabulary/errors.js";
import { readPrivateKeyBlock } from "./import.js";
import { pickKey } from "./key-input.js";
import {
  deriveAesKey,
  MAX_ITERATIONS,
  type Pbes2Parameters,
  passphraseBytes,
  WRITTEN_CIPHER,
  WRITTEN_PRF,
  writeEncryptedPrivateKeyInfo,
} from "./pbes2.js";
import type { KeyPair } from "./types.js";

/**
 * PBKDF2 iterations written by default: OWASP's Password Storage Cheat Sheet figure for
 * PBKDF2-HMAC-SHA256 (600,000, 2023). openssl's own default (2048) is far below it.
 */
const DEFAULT_ITERATIONS = 600_000;
/** Fewer iterations than this is a mistake, not a trade-off (RFC 8018 §4.2 asks for at least 1000). */
const MIN_ITERATIONS = 1000;

function checkIterations(iterations: unknown): number {
  if (
    typeof iterations !== "number" ||
    !Number.isInteger(iterations) ||
    iterations < MIN_ITERATIONS ||
    iterations > MAX_ITERATIONS
  ) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `iterations must be a whole number from ${MIN_ITERATIONS} to ${MAX_ITERATIONS}; got ${String(iterations)}`,
      { details: { field: "iterations" } },
    );
  }
  return iterations;
}

/** The PKCS#8 DER of what the caller gave: a key (pair) exported by WebCrypto, or a PEM read strictly. */
async function pkcs8Of(key: CryptoKey | KeyPair | string, crypto: Crypto): Promise<Uint8Array> {
  if (typeof key === "string") {
    if (decodePemBlocks(key).some((block) => block.label === "ENCRYPTED PRIVATE KEY")) {
      throw new KubepkiError("INVALID_ARGUMENT", "encryptPrivateKeyPem: the key is already encrypted");
    }
    return readPrivateKeyBlock(key).material.pkcs8();
  }
  const privateKey = pickKey(key, "private", "encryptPrivateKeyPem");
  return new Uint8Array(await callCrypto("exportKey(pkcs8)", () => crypto.subtle.exportKey("pkcs8", privateKey)));
}

/**
 * Encrypts a private key with a passphrase as PKCS#8 `ENCRYPTED PRIVATE KEY`: PBES2 (RFC 8018)
 * with PBKDF2-HMAC-SHA256 and AES-256-CBC, a 16-byte random salt and a random IV — exactly what
 * `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256` writes, so openssl
 * (`openssl pkey -in key.pem -passin file:pass.txt`) and {@link importPrivateKeyPem} read it.
 * `key` is a private `CryptoKey`, a `KeyPair` or an unencrypted private key PEM (PKCS#1, SEC1 or
 * PKCS#8). `iterations` defaults to 600,000, OWASP's recommendation for PBKDF2-HMAC-SHA256
 * (Password Storage Cheat Sheet, 2023); at least 1000 and at most 10,000,000 (what kubepki reads).
 *
 * Only for keys kept offline or in storage: kubeadm, the API server, etcd and client-go read
 * unencrypted keys only.
 *
 * @throws KubepkiError `INVALID_ARGUMENT` (iterations out of range, an empty or missing
 * passphrase, a public or non-extractable key, an already encrypted PEM); the errors of
 * {@link importPrivateKeyPem} for a PEM it cannot read; `CRYPTO_ERROR` when WebCrypto refuses.
 *
 * @example
 * ```ts
 * import { encryptPrivateKeyPem, generateKeyPair, importPrivateKeyPem } from "@kubepki/core";
 *
 * const keys = await generateKeyPair("ECDSA-P256");
 * const pem = await encryptPrivateKeyPem(keys, "correct horse battery staple");
 * console.log(pem.split("\n")[0]); // "-----BEGIN ENCRYPTED PRIVATE KEY-----"
 * const back = await importPrivateKeyPem(pem, { passphrase: "correct horse battery staple" });
 * console.log(back.algorithm); // "ECDSA-P256"
 * ```
 */
export async function encryptPrivateKeyPem(
  key: CryptoKey | KeyPair | string,
  passphrase: string | Uint8Array,
  options: CryptoOptions & { iterations?: number } = {},
): Promise<string> {
  const secret = passphraseBytes(passphrase, "encryptPrivateKeyPem");
  if (secret.length === 0) throw new KubepkiError("INVALID_ARGUMENT", "encryptPrivateKeyPem: the passphrase is empty");
  const iterations = checkIterations(options.iterations ?? DEFAULT_ITERATIONS);
  const crypto = resolveCrypto(options.crypto);
  const pkcs8 = await pkcs8Of(key, crypto);
  const parameters: Pbes2Parameters = {
    salt: crypto.getRandomValues(new Uint8Array(16)),
    iterations,
    prf: WRITTEN_PRF,
    cipher: WRITTEN_CIPHER,
    iv: crypto.getRandomValues(new Uint8Array(16)),
  };
  const aesKey = await deriveAesKey(crypto, secret, parameters, "encrypt");
  const ciphertext = await callCrypto("encrypt(AES-CBC)", () =>
    crypto.subtle.encrypt({ name: "AES-CBC", iv: Uint8Array.from(parameters.iv) }, aesKey, Uint8Array.from(pkcs8)),
  );
  return encodePem("ENCRYPTED PRIVATE KEY", writeEncryptedPrivateKeyInfo(parameters, new Uint8Array(ciphertext)));
}
