import { bytesEqual } from "../lib/bytes.js";
import { type CryptoOptions, callCrypto, resolveCrypto } from "../lib/crypto.js";
import { bitString, sequence } from "../lib/der.js";
import { checkDerStructure, elementsOf, readElement } from "../lib/der-guard.js";
import { OID } from "../lib/oids.js";
import { decodePemBlocks, type PemBlock } from "../pem/pem.js";
import { KubepkiError } from "../vocabulary/errors.js";
import { type KeyAlgorithm, MIN_RSA_BITS } from "./algorithm.js";
import { decryptPrivateKeyInfo } from "./decrypt.js";
import { publicJwk } from "./jwk.js";
import {
  type PrivateKeyMaterial,
  readPkcs1PrivateKey,
  readPkcs8PrivateKey,
  readRsaPublicKey,
  readSec1PrivateKey,
  rsaPublicKeyToSpki,
} from "./private-key-der.js";
import { describePublicKeyInfo } from "./public-key-info.js";
import type { KeyPair, PrivateKeyFormat } from "./types.js";

type PrivateKeyReader = (der: Uint8Array) => PrivateKeyMaterial;

const PRIVATE_KEY_READERS: Readonly<Record<string, PrivateKeyReader>> = {
  "PRIVATE KEY": readPkcs8PrivateKey,
  "RSA PRIVATE KEY": readPkcs1PrivateKey,
  "EC PRIVATE KEY": readSec1PrivateKey,
};

const PUBLIC_KEY_LABELS = ["PUBLIC KEY", "RSA PUBLIC KEY"];

/** RFC 5958 §3 / RFC 7468 §11: a PKCS#8 key encrypted with a passphrase (keys/pbes2.ts). */
const ENCRYPTED_LABEL = "ENCRYPTED PRIVATE KEY";

/** The first block with one of `labels`; `EC PARAMETERS` and certificates around it are skipped. */
function findBlock(pem: string, labels: readonly string[], what: string): PemBlock {
  const blocks = decodePemBlocks(pem);
  const found = blocks.find((block) => labels.includes(block.label));
  if (found) return found;
  if (blocks.some((block) => block.label === ENCRYPTED_LABEL)) {
    throw new KubepkiError(
      "PASSPHRASE_REQUIRED",
      'The private key is encrypted (ENCRYPTED PRIVATE KEY) and no passphrase was given: give one ({ passphrase }), or decrypt it first, e.g. "openssl pkey -in key.pem -out plain.pem"',
      { details: { encrypted: true } },
    );
  }
  const seen = blocks.length === 0 ? "no PEM block" : `only ${blocks.map((block) => block.label).join(", ")}`;
  throw new KubepkiError(
    "INVALID_PEM",
    `Expected ${what} (-----BEGIN ${labels.join("----- or -----BEGIN ")}-----), found ${seen}`,
  );
}

/**
 * The first unencrypted private key block of `pem` (PKCS#8, PKCS#1 or SEC1) and what it holds.
 * `PASSPHRASE_REQUIRED` when the only key is an `ENCRYPTED PRIVATE KEY`.
 */
export function readPrivateKeyBlock(pem: string): { label: string; material: PrivateKeyMaterial } {
  const block = findBlock(pem, Object.keys(PRIVATE_KEY_READERS), "a private key");
  return { label: block.label, material: (PRIVATE_KEY_READERS[block.label] as PrivateKeyReader)(block.der) };
}

/**
 * With a passphrase: the first private key block, decrypted when it is an `ENCRYPTED PRIVATE
 * KEY`. The decryption (decrypt.ts, pbes2.ts) is a static import: bundlers drop it with
 * importPrivateKeyPem when that is unused (the core-issue size budget does not move), and Node's
 * bundled issue entry gains a few KB of code but no file. A dynamic import cost more: esbuild made
 * the decryption an entry of its own and split core's shared chunks along it (+4 files, ~1.3 ms
 * each, for `@kubepki/k8s-profiles/generate`; benchmarks/startup) and, unsplit, wrapped every
 * module of a browser bundle in a lazy initialiser (+0.2 KB gz on core-issue).
 */
async function readPrivateKeyWithPassphrase(
  pem: string,
  passphrase: string | Uint8Array,
  crypto: Crypto,
): Promise<PrivateKeyMaterial> {
  const labels = [...Object.keys(PRIVATE_KEY_READERS), ENCRYPTED_LABEL];
  const block = findBlock(pem, labels, "a private key");
  if (block.label !== ENCRYPTED_LABEL) return (PRIVATE_KEY_READERS[block.label] as PrivateKeyReader)(block.der);
  return readPkcs8PrivateKey(await decryptPrivateKeyInfo(block.der, passphrase, crypto));
}

/**
 * SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING } in DER, nothing around or
 * after it, no unused bits, and for RSA a canonical RSAPublicKey inside: written back from its
 * parts it must give the same bytes (Go's encoding/asn1 strictness, as for private keys).
 */
function checkPublicKeyInfo(spki: Uint8Array): void {
  const what = "public key (SubjectPublicKeyInfo)";
  checkDerStructure(spki, what);
  const outer = readElement(spki, 0, spki.length, what);
  const [algorithm, key, ...extra] = outer.tag === 0x30 ? elementsOf(spki, outer, what) : [];
  const [algorithmOid] = algorithm?.tag === 0x30 ? elementsOf(spki, algorithm, what) : [];
  if (!algorithm || algorithmOid?.tag !== 0x06 || key?.tag !== 0x03 || key.value.length < 1 || extra.length > 0) {
    throw new KubepkiError("INVALID_DER", `Cannot read ${what}: expected SEQUENCE { AlgorithmIdentifier, BIT STRING }`);
  }
  const rewritten = sequence([spki.subarray(algorithm.start, algorithm.end), bitString(key.value.subarray(1))]);
  if (!bytesEqual(rewritten, spki)) {
    throw new KubepkiError(
      "INVALID_DER",
      `Cannot read ${what}: it is not valid DER (wrong tag or non-canonical encoding)`,
    );
  }
  if (describePublicKeyInfo(spki).oid === OID.rsaEncryption) readRsaPublicKey(key.value.subarray(1), what);
}

/**
 * importKey for key bytes read from a file. WebCrypto rejects bad key material with a DataError;
 * that is a broken file, so it is reported as INVALID_DER, like every other decoding failure.
 */
async function importKeyData(
  crypto: Crypto,
  format: "pkcs8" | "spki" | "jwk",
  data: Uint8Array | JsonWebKey,
  params: AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  try {
    return format === "jwk"
      ? await crypto.subtle.importKey(format, data as JsonWebKey, params, true, usages)
      : await crypto.subtle.importKey(format, data as Uint8Array<ArrayBuffer>, params, true, usages);
  } catch (cause) {
    const name = typeof params === "string" ? params : params.name;
    if ((cause as { name?: unknown } | null)?.name === "NotSupportedError") {
      throw new KubepkiError("UNSUPPORTED_ALGORITHM", `This WebCrypto implementation does not support ${name} keys`, {
        cause,
      });
    }
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new KubepkiError("INVALID_DER", `The ${name} key material is not valid (${reason})`, { cause });
  }
}

/** Signing parameters matching how kubepki signs with each key type (reference §1.3). */
function signParams(key: CryptoKey): AlgorithmIdentifier | EcdsaParams {
  const curve = (key.algorithm as Partial<EcKeyAlgorithm>).namedCurve;
  if (key.algorithm.name === "ECDSA") return { name: "ECDSA", hash: curve === "P-384" ? "SHA-384" : "SHA-256" };
  return { name: key.algorithm.name };
}

const PAIRWISE_MESSAGE = /* @__PURE__ */ new TextEncoder().encode("kubepki pairwise consistency check");

/**
 * Reads a private key PEM: PKCS#8 `PRIVATE KEY`, PKCS#1 `RSA PRIVATE KEY` or SEC1
 * `EC PRIVATE KEY`, as written by kubeadm, `openssl genrsa` (with or without `-traditional`),
 * `openssl ecparam -genkey` (its `EC PARAMETERS` block is skipped) and
 * `openssl genpkey -algorithm ed25519`. Returns extractable keys: RSA for RSASSA-PKCS1-v1_5 with
 * SHA-256, EC keys for ECDSA on their curve. The public key is derived from the private key, and
 * the pair is checked to sign and verify together, so a file whose stored public point does not
 * match its private scalar is refused instead of producing certificates for the wrong key.
 *
 * An `ENCRYPTED PRIVATE KEY` (PKCS#8 with PBES2, as `openssl pkcs8 -topk8 -v2 aes-256-cbc`
 * writes it, or {@link encryptPrivateKeyPem}) is read with `options.passphrase` (a string is
 * taken as UTF-8); see {@link decryptPrivateKeyPem} for the schemes read. A passphrase given for
 * an unencrypted key is ignored, as openssl does.
 *
 * @throws KubepkiError `INVALID_PEM` (no key block, bad base64), `INVALID_DER`
 * (broken key bytes), `WEAK_KEY` (RSA below 2048 bits), `UNSUPPORTED_ALGORITHM` (P-521,
 * secp256k1, RSA-PSS, Ed448…); for an encrypted key `PASSPHRASE_REQUIRED` (no passphrase),
 * `WRONG_PASSPHRASE`, `UNSUPPORTED_KEY_ENCRYPTION` (PBES1, scrypt, DES…).
 *
 * @example
 * ```ts
 * import { exportPrivateKeyPem, generateKeyPair, importPrivateKeyPem } from "@kubepki/core";
 *
 * // PKCS#1, SEC1 or PKCS#8 text, e.g. readFileSync("/etc/kubernetes/pki/ca.key", "utf8").
 * const pem = await exportPrivateKeyPem(await generateKeyPair("ECDSA-P256"));
 * const keys = await importPrivateKeyPem(pem);
 * console.log(keys.algorithm, keys.publicKey.type); // "ECDSA-P256" "public"
 * ```
 */
export async function importPrivateKeyPem(
  pem: string,
  options: CryptoOptions & { passphrase?: string | Uint8Array } = {},
): Promise<KeyPair> {
  const crypto = resolveCrypto(options.crypto);
  const material =
    options.passphrase === undefined
      ? readPrivateKeyBlock(pem).material
      : await readPrivateKeyWithPassphrase(pem, options.passphrase, crypto);
  let privateKey: CryptoKey;
  let jwk: JsonWebKey;
  if (material.jwk) {
    // Every member is in the file: a JWK import, much cheaper than PKCS#8 on Node (OpenSSL 3's
    // decoders); the pair check below still proves the stored public key is the scalar's.
    jwk = material.jwk();
    privateKey = await importKeyData(crypto, "jwk", jwk, material.importParams, ["sign"]);
  } else {
    privateKey = await importKeyData(crypto, "pkcs8", material.pkcs8(), material.importParams, ["sign"]);
    jwk = await callCrypto("exportKey(jwk)", () => crypto.subtle.exportKey("jwk", privateKey));
  }
  // WebCrypto cannot export a public key from a private one; the JWK's public members are it.
  const publicKey = await importKeyData(crypto, "jwk", publicJwk(jwk), material.importParams, ["verify"]);
  await checkPair(crypto, privateKey, publicKey);
  return { algorithm: material.algorithm, privateKey, publicKey };
}

/** The private key formats by PEM label. */
const PRIVATE_KEY_FORMATS: Readonly<Record<string, PrivateKeyFormat>> = {
  "PRIVATE KEY": "pkcs8",
  "RSA PRIVATE KEY": "pkcs1",
  "EC PRIVATE KEY": "sec1",
};

/**
 * What a private key file holds, read without WebCrypto: see {@link describePrivateKeyPem}.
 *
 * @example
 * ```ts
 * import { describePrivateKeyPem, exportPrivateKeyPem, generateKeyPair, type PrivateKeyDescription } from "@kubepki/core";
 *
 * const description: PrivateKeyDescription = describePrivateKeyPem(await exportPrivateKeyPem(await generateKeyPair("RSA-2048")));
 * console.log(description.algorithm, description.format); // "RSA-2048" "pkcs1"
 * ```
 */
export interface PrivateKeyDescription {
  readonly algorithm: KeyAlgorithm;
  /** How the file encodes the key: PKCS#1 `RSA PRIVATE KEY`, SEC1 `EC PRIVATE KEY` or PKCS#8 `PRIVATE KEY`. */
  readonly format: PrivateKeyFormat;
  /**
   * The public key the file carries, as SubjectPublicKeyInfo DER in the encoding certificates use
   * (compare it with `Certificate.publicKeyInfo`); undefined when the file does not carry it in
   * that form (an EC key written without its public point or with a compressed one, Ed25519).
   */
  readonly publicKeyInfo?: Uint8Array;
}

/**
 * Reads a private key PEM as {@link importPrivateKeyPem} does (same formats, same strictness, same
 * errors) but without WebCrypto: synchronous and many times cheaper, which is what lets
 * `auditCluster` (@kubepki/k8s-profiles) pair thousands of key files with their certificates
 * quickly. RSA files are checked for internal consistency (p·q = n, the CRT exponents), so their
 * public key is proven to be the private key's; an EC file's stored public point is taken as
 * written — a file whose scalar was damaged while its point was not passes here, and only the
 * sign/verify check of {@link importPrivateKeyPem} catches it.
 *
 * @throws KubepkiError as {@link importPrivateKeyPem} for files it cannot read: `INVALID_PEM`,
 * `INVALID_DER`, `WEAK_KEY`, `UNSUPPORTED_ALGORITHM`; and `PASSPHRASE_REQUIRED` (with
 * `details.encrypted: true`) for an `ENCRYPTED PRIVATE KEY`, whose algorithm and public key are
 * inside the encryption: describing it needs the passphrase ({@link decryptPrivateKeyPem} first).
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, describePrivateKeyPem, exportPrivateKeyPem, generateKeyPair } from "@kubepki/core";
 *
 * const keyPair = await generateKeyPair("ECDSA-P256");
 * const ca = await createSelfSignedCa({ keyPair, subject: { commonName: "kubernetes" } });
 * // The key file belongs to the certificate when it carries the certificate's public key.
 * const { publicKeyInfo } = describePrivateKeyPem(await exportPrivateKeyPem(keyPair));
 * const same = publicKeyInfo?.length === ca.publicKeyInfo.length && publicKeyInfo.every((byte, i) => byte === ca.publicKeyInfo[i]);
 * console.log(same); // true
 * ```
 */
export function describePrivateKeyPem(pem: string): PrivateKeyDescription {
  const { label, material } = readPrivateKeyBlock(pem);
  const publicKeyInfo = material.publicKeyInfo;
  return {
    algorithm: material.algorithm,
    format: PRIVATE_KEY_FORMATS[label] as PrivateKeyFormat,
    ...(publicKeyInfo ? { publicKeyInfo } : {}),
  };
}

/** Signs and verifies one message: catches SEC1/PKCS#8 files whose public point is not the scalar's. */
async function checkPair(crypto: Crypto, privateKey: CryptoKey, publicKey: CryptoKey): Promise<void> {
  const params = signParams(privateKey);
  const verified = await callCrypto("sign/verify", async () => {
    const signature = await crypto.subtle.sign(params, privateKey, PAIRWISE_MESSAGE);
    return crypto.subtle.verify(params, publicKey, signature, PAIRWISE_MESSAGE);
  }).catch((cause) => {
    throw new KubepkiError("INVALID_DER", "The private key cannot sign: its key material is corrupt", { cause });
  });
  if (!verified) {
    throw new KubepkiError(
      "INVALID_DER",
      "The public key stored in the private key file does not match the private key: the file is corrupt",
    );
  }
}

/**
 * Reads a public key PEM, SPKI `PUBLIC KEY` (what `openssl pkey -pubout` and kubeadm's `sa.pub`
 * hold) or PKCS#1 `RSA PUBLIC KEY`, as an extractable verification key: RSA for
 * RSASSA-PKCS1-v1_5 with SHA-256, EC for ECDSA on its curve, or Ed25519.
 *
 * @throws KubepkiError `INVALID_PEM`, `INVALID_DER`, `WEAK_KEY` (RSA below 2048 bits) or
 * `UNSUPPORTED_ALGORITHM`.
 *
 * @example
 * ```ts
 * import { exportPublicKeyPem, generateKeyPair, importPublicKeyPem } from "@kubepki/core";
 *
 * // SubjectPublicKeyInfo text, e.g. readFileSync("/etc/kubernetes/pki/sa.pub", "utf8").
 * const pem = await exportPublicKeyPem(await generateKeyPair("ECDSA-P256"));
 * const saPub = await importPublicKeyPem(pem);
 * console.log(saPub.algorithm.name, saPub.type); // "ECDSA" "public"
 * ```
 */
export async function importPublicKeyPem(pem: string, options: CryptoOptions = {}): Promise<CryptoKey> {
  const block = findBlock(pem, PUBLIC_KEY_LABELS, "a public key");
  const spki = block.label === "RSA PUBLIC KEY" ? rsaPublicKeyToSpki(block.der) : block.der;
  checkPublicKeyInfo(spki);
  const description = describePublicKeyInfo(spki);
  let params: AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams;
  switch (description.oid === OID.rsaEncryption && description.algorithm ? "RSA" : description.algorithm) {
    case "RSA":
      params = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
      break;
    case "ECDSA-P256":
      params = { name: "ECDSA", namedCurve: "P-256" };
      break;
    case "ECDSA-P384":
      params = { name: "ECDSA", namedCurve: "P-384" };
      break;
    case "Ed25519":
      params = { name: "Ed25519" };
      break;
    default:
      if (description.oid === OID.rsaEncryption) {
        throw new KubepkiError(
          "WEAK_KEY",
          `RSA public key of ${description.bits} bits: at least ${MIN_RSA_BITS} bits are required`,
        );
      }
      throw new KubepkiError(
        "UNSUPPORTED_ALGORITHM",
        `Public key ${description.curveOid ? `on curve ${description.curveOid}` : `of algorithm ${description.oid}`} is not supported: use RSA (≥ ${MIN_RSA_BITS} bits), ECDSA P-256/P-384 or Ed25519`,
      );
  }
  return importKeyData(resolveCrypto(options.crypto), "spki", spki, params, ["verify"]);
}
