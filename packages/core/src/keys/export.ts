import { type CryptoOptions, callCrypto, resolveCrypto } from "../lib/crypto.js";
import { encodePem } from "../pem/pem.js";
import { KubepkiError } from "../vocabulary/errors.js";
import { ecKeyDerFromJwk } from "./ec-key-der.js";
import { publicJwk, publicKeyInfoFromJwk } from "./jwk.js";
import { describeKey, type KeyFamily, keyFamily, pickKey } from "./key-input.js";
import { pkcs1FromJwk, sec1FromJwk } from "./private-key-der.js";
import type { KeyPair, PrivateKeyFormat } from "./types.js";

/** PEM label of each private key format. */
const PRIVATE_KEY_LABEL: Readonly<Record<PrivateKeyFormat, string>> = {
  pkcs8: "PRIVATE KEY",
  pkcs1: "RSA PRIVATE KEY",
  sec1: "EC PRIVATE KEY",
};

/** kubeadm writes RSA keys as PKCS#1 and EC keys as SEC1 (reference §1.2); Ed25519 has only PKCS#8. */
function defaultFormat(family: KeyFamily): PrivateKeyFormat {
  return family === "RSA" ? "pkcs1" : family === "EC" ? "sec1" : "pkcs8";
}

function checkFormat(format: unknown, key: CryptoKey, family: KeyFamily): PrivateKeyFormat {
  if (format !== "pkcs8" && format !== "pkcs1" && format !== "sec1") {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `Unknown private key format ${JSON.stringify(format)}: use "pkcs8", "pkcs1" (RSA) or "sec1" (ECDSA)`,
    );
  }
  const fits = format === "pkcs8" || (format === "pkcs1" && family === "RSA") || (format === "sec1" && family === "EC");
  if (!fits) {
    const holds = format === "pkcs1" ? "RSA" : "EC";
    const instead = family === "RSA" ? '"pkcs1" or "pkcs8"' : family === "EC" ? '"sec1" or "pkcs8"' : '"pkcs8"';
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `Format "${format}" (${PRIVATE_KEY_LABEL[format]}) holds ${holds} keys only, but this is a ${describeKey(key)} key: use ${instead}`,
      { details: { format, algorithm: key.algorithm.name } },
    );
  }
  return format;
}

/**
 * Exports a private key as PEM. Formats: `pkcs1` (`RSA PRIVATE KEY`, RSA only), `sec1`
 * (`EC PRIVATE KEY`, ECDSA only, with the curve and public key so `openssl ec` and Go's
 * x509.ParseECPrivateKey read it) and `pkcs8` (`PRIVATE KEY`, any key). The default is what
 * kubeadm writes: `pkcs1` for RSA, `sec1` for ECDSA, and `pkcs8` for Ed25519.
 *
 * @throws KubepkiError `INVALID_ARGUMENT` for a format that does not fit the key, a public or
 * non-extractable key; `CRYPTO_ERROR` when WebCrypto refuses the export.
 *
 * @example
 * ```ts
 * import { exportPrivateKeyPem, generateKeyPair } from "@kubepki/core";
 *
 * const keys = await generateKeyPair("ECDSA-P256");
 * const sec1 = await exportPrivateKeyPem(keys); // kubeadm's format: SEC1 for ECDSA, PKCS#1 for RSA
 * const pkcs8 = await exportPrivateKeyPem(keys, { format: "pkcs8" });
 * console.log(sec1.split("\n")[0], pkcs8.split("\n")[0]); // "-----BEGIN EC PRIVATE KEY-----" "-----BEGIN PRIVATE KEY-----"
 * ```
 */
export async function exportPrivateKeyPem(
  key: CryptoKey | KeyPair,
  options: CryptoOptions & { format?: PrivateKeyFormat } = {},
): Promise<string> {
  const privateKey = pickKey(key, "private", "exportPrivateKeyPem");
  const family = keyFamily(privateKey);
  const format = checkFormat(options.format ?? defaultFormat(family), privateKey, family);
  const crypto = resolveCrypto(options.crypto);
  if (format === "pkcs8") {
    const pkcs8 = new Uint8Array(
      await callCrypto("exportKey(pkcs8)", () => crypto.subtle.exportKey("pkcs8", privateKey)),
    );
    return encodePem(PRIVATE_KEY_LABEL.pkcs8, pkcs8);
  }
  // PKCS#1 and SEC1 are written from the JWK members rather than cut out of a PKCS#8 export:
  // one cheap export and no parsing on the hot path of generateCluster.
  const jwk = await callCrypto("exportKey(jwk)", () => crypto.subtle.exportKey("jwk", privateKey));
  return format === "pkcs1"
    ? encodePem(PRIVATE_KEY_LABEL.pkcs1, pkcs1FromJwk(jwk))
    : encodePem(PRIVATE_KEY_LABEL.sec1, sec1FromJwk(jwk));
}

/**
 * A key pair written out in one go: the private key as PEM and the public key as
 * SubjectPublicKeyInfo DER (what a certificate embeds; `encodePem("PUBLIC KEY", publicKeyInfo)`
 * is the `sa.pub` form).
 *
 * @example
 * ```ts
 * import { type ExportedKeyPair, exportKeyPair, generateKeyPair } from "@kubepki/core";
 *
 * const exported: ExportedKeyPair = await exportKeyPair(await generateKeyPair("ECDSA-P256"));
 * console.log(exported.privateKeyPem.split("\n")[0], exported.publicKeyInfo.length); // "-----BEGIN EC PRIVATE KEY-----" 91
 * ```
 */
export interface ExportedKeyPair {
  readonly privateKeyPem: string;
  readonly publicKeyInfo: Uint8Array;
}

/**
 * Exports both halves of a key pair: the private key as {@link exportPrivateKeyPem} writes it and
 * its public key as {@link exportPublicKeyInfo} returns it, byte for byte. The public half is
 * the private key's own (derived from it), so the two always belong together. For RSA and ECDSA in
 * kubeadm's formats (PKCS#1, SEC1) both come from a single private JWK export, which is why
 * whole-cluster generation uses it: one WebCrypto call per key instead of two. Other keys and
 * formats take the two exports.
 *
 * @throws KubepkiError as {@link exportPrivateKeyPem}, and `INVALID_ARGUMENT` when `keyPair` is
 * not a key pair.
 *
 * @example
 * ```ts
 * import { exportKeyPair, generateKeyPair, issueCertificate } from "@kubepki/core";
 *
 * const keys = await generateKeyPair("ECDSA-P256");
 * const { privateKeyPem, publicKeyInfo } = await exportKeyPair(keys);
 * console.log(privateKeyPem.split("\n")[0], publicKeyInfo.length); // "-----BEGIN EC PRIVATE KEY-----" 91
 * // publicKeyInfo can be passed as issueCertificate's publicKey: no second export.
 * ```
 */
export async function exportKeyPair(
  keyPair: KeyPair | CryptoKey,
  options: CryptoOptions & { format?: PrivateKeyFormat } = {},
): Promise<ExportedKeyPair> {
  const privateKey = pickKey(keyPair, "private", "exportKeyPair");
  const family = keyFamily(privateKey);
  const format = checkFormat(options.format ?? defaultFormat(family), privateKey, family);
  if (
    format !== "pkcs8" &&
    (privateKey.algorithm.name === "ECDSA" || privateKey.algorithm.name === "RSASSA-PKCS1-v1_5")
  ) {
    const crypto = resolveCrypto(options.crypto);
    const jwk = await callCrypto("exportKey(jwk)", () => crypto.subtle.exportKey("jwk", privateKey));
    const ec = format === "sec1" ? ecKeyDerFromJwk(jwk) : undefined;
    if (ec) return { privateKeyPem: encodePem(PRIVATE_KEY_LABEL.sec1, ec.sec1), publicKeyInfo: ec.publicKeyInfo };
    const publicKeyInfo = publicKeyInfoFromJwk(jwk);
    if (publicKeyInfo) {
      const der = format === "pkcs1" ? pkcs1FromJwk(jwk) : sec1FromJwk(jwk);
      return { privateKeyPem: encodePem(PRIVATE_KEY_LABEL[format], der), publicKeyInfo };
    }
  }
  const [privateKeyPem, publicKeyInfo] = await Promise.all([
    exportPrivateKeyPem(privateKey, { ...options, format }),
    exportPublicKeyInfo(privateKey, options),
  ]);
  return { privateKeyPem, publicKeyInfo };
}

/**
 * SubjectPublicKeyInfo DER of a public key (or of a key pair's public key). This is on the hot
 * path of certificate writing, so a public key costs exactly one `exportKey("spki")`. A private
 * key is accepted too (its public half is derived through JWK, three WebCrypto calls).
 *
 * @example
 * ```ts
 * import { exportPublicKeyInfo, generateKeyPair } from "@kubepki/core";
 *
 * const keys = await generateKeyPair("ECDSA-P256");
 * const spki = await exportPublicKeyInfo(keys); // DER: a SEQUENCE (0x30) of 91 bytes for P-256
 * console.log(spki[0], spki.length); // 48 91
 * ```
 */
export async function exportPublicKeyInfo(key: CryptoKey | KeyPair, options: CryptoOptions = {}): Promise<Uint8Array> {
  const crypto = resolveCrypto(options.crypto);
  const publicKey = await publicKeyOf(crypto, key);
  return new Uint8Array(await callCrypto("exportKey(spki)", () => crypto.subtle.exportKey("spki", publicKey)));
}

/**
 * Exports a public key as SPKI `PUBLIC KEY` PEM (what `openssl pkey -pubout` writes and what
 * kubeadm uses for `sa.pub`).
 *
 * @example
 * ```ts
 * import { exportPublicKeyPem, generateKeyPair } from "@kubepki/core";
 *
 * const keys = await generateKeyPair("ECDSA-P256");
 * const saPub = await exportPublicKeyPem(keys); // what kubeadm writes as sa.pub
 * console.log(saPub.split("\n")[0]); // "-----BEGIN PUBLIC KEY-----"
 * ```
 */
export async function exportPublicKeyPem(key: CryptoKey | KeyPair, options: CryptoOptions = {}): Promise<string> {
  return encodePem("PUBLIC KEY", await exportPublicKeyInfo(key, options));
}

const SIGNING = new Set(["RSASSA-PKCS1-v1_5", "RSA-PSS", "ECDSA", "Ed25519"]);

/** The public key of `input`: the key itself, the pair's public key, or derived from a private key. */
async function publicKeyOf(crypto: Crypto, input: CryptoKey | KeyPair): Promise<CryptoKey> {
  const given = typeof input === "object" && input !== null && "type" in input ? input : undefined;
  if (given?.type !== "private") return pickKey(input, "public", "exportPublicKeyInfo");
  const privateKey = pickKey(input, "private", "exportPublicKeyInfo");
  const jwk = await callCrypto("exportKey(jwk)", () => crypto.subtle.exportKey("jwk", privateKey));
  // Only signature algorithms have a "verify" usage; an ECDH or RSA-OAEP public key takes none.
  const usages: KeyUsage[] = SIGNING.has(privateKey.algorithm.name) ? ["verify"] : [];
  return callCrypto("importKey(jwk)", () =>
    crypto.subtle.importKey("jwk", publicJwk(jwk), privateKey.algorithm, true, usages),
  );
}
