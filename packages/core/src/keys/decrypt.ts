import { type CryptoOptions, resolveCrypto } from "../lib/crypto.js";
import { decodePem, encodePem } from "../pem/pem.js";
import { isKubepkiError, KubepkiError } from "../vocabulary/errors.js";
import { deriveAesKey, passphraseBytes, readEncryptedPrivateKeyInfo } from "./pbes2.js";
import { readPkcs8PrivateKey } from "./private-key-der.js";

function wrongPassphrase(cause?: unknown): KubepkiError {
  return new KubepkiError(
    "WRONG_PASSPHRASE",
    "The passphrase does not decrypt the private key (wrong passphrase, or the file is damaged)",
    cause === undefined ? {} : { cause },
  );
}

/**
 * The PKCS#8 DER inside an `EncryptedPrivateKeyInfo`, checked to be a PKCS#8 key: a wrong
 * passphrase shows as bad CBC padding (WebCrypto's OperationError) or, one time in ~256, as
 * padding that happens to fit around bytes that are not a key.
 */
export async function decryptPrivateKeyInfo(
  der: Uint8Array,
  passphrase: string | Uint8Array,
  crypto: Crypto,
): Promise<Uint8Array> {
  const secret = passphraseBytes(passphrase, "decryptPrivateKeyPem");
  const { parameters, ciphertext } = readEncryptedPrivateKeyInfo(der);
  const aesKey = await deriveAesKey(crypto, secret, parameters, "decrypt");
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(
      await crypto.subtle.decrypt(
        { name: "AES-CBC", iv: Uint8Array.from(parameters.iv) },
        aesKey,
        Uint8Array.from(ciphertext),
      ),
    );
  } catch (cause) {
    throw wrongPassphrase(cause);
  }
  try {
    readPkcs8PrivateKey(plain);
  } catch (cause) {
    // Bytes that are not DER at all: the key was wrong. A well-formed key kubepki refuses (P-521,
    // RSA-1024) is reported as itself.
    if (isKubepkiError(cause, "INVALID_DER")) throw wrongPassphrase(cause);
    throw cause;
  }
  return plain;
}

/**
 * Decrypts an `ENCRYPTED PRIVATE KEY` (PKCS#8 with PBES2, RFC 8018) and returns it as an
 * unencrypted PKCS#8 `PRIVATE KEY` PEM. Read: PBKDF2 with hmacWithSHA1, SHA256, SHA384 or SHA512
 * and AES-128/192/256-CBC — what `openssl pkcs8 -topk8 -v2 aes-…-cbc [-v2prf …]` and
 * {@link encryptPrivateKeyPem} write. Refused with `UNSUPPORTED_KEY_ENCRYPTION` (naming the
 * scheme in `details.scheme`): PBES1 and PKCS#12 schemes (`-v1 PBE-SHA1-3DES`), scrypt, DES and
 * 3DES, and files asking for more than 10,000,000 PBKDF2 iterations (a hostile file would
 * otherwise hold the process for minutes). A string passphrase is taken as UTF-8.
 *
 * @throws KubepkiError `WRONG_PASSPHRASE`, `UNSUPPORTED_KEY_ENCRYPTION`, `INVALID_PEM` (no
 * `ENCRYPTED PRIVATE KEY` block), `INVALID_DER` (malformed structure), `INVALID_ARGUMENT` (a
 * passphrase that is neither a string nor bytes).
 *
 * @example
 * ```ts
 * import { decryptPrivateKeyPem, encryptPrivateKeyPem, generateKeyPair } from "@kubepki/core";
 *
 * const encrypted = await encryptPrivateKeyPem(await generateKeyPair("Ed25519"), "s3cret", { iterations: 100_000 });
 * // e.g. readFileSync("root/ca.key", "utf8") and the passphrase from a file or a prompt.
 * const plain = await decryptPrivateKeyPem(encrypted, "s3cret");
 * console.log(plain.split("\n")[0]); // "-----BEGIN PRIVATE KEY-----"
 * ```
 */
export async function decryptPrivateKeyPem(
  pem: string,
  passphrase: string | Uint8Array,
  options: CryptoOptions = {},
): Promise<string> {
  if (passphrase === undefined || passphrase === null) {
    throw new KubepkiError("PASSPHRASE_REQUIRED", "decryptPrivateKeyPem needs the passphrase");
  }
  const block = decodePem(pem, ["ENCRYPTED PRIVATE KEY"]);
  const pkcs8 = await decryptPrivateKeyInfo(block.der, passphrase, resolveCrypto(options.crypto));
  return encodePem("PRIVATE KEY", pkcs8);
}
