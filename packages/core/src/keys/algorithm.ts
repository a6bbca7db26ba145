import { KubepkiError } from "../vocabulary/errors.js";

/**
 * An RSA key named by its exact modulus size: `RSA-2048`, `RSA-3072`, `RSA-4096` (kubeadm's),
 * and any other size a key read from disk has (`RSA-8192`, `RSA-16384`, `RSA-2560`). A key is
 * always described by its real size, never rounded to a family member, so that renewing it keeps
 * its strength (issue 15 point 10).
 *
 * @example
 * ```ts
 * import type { RsaKeyAlgorithm } from "@kubepki/core";
 *
 * const large: RsaKeyAlgorithm = "RSA-16384";
 * console.log(large); // "RSA-16384"
 * ```
 */
export type RsaKeyAlgorithm = `RSA-${number}`;

/**
 * Key algorithms kubepki generates and describes. The first five of {@link KEY_ALGORITHMS} are
 * exactly kubeadm's `encryptionAlgorithm` values (reference §1.3); Ed25519 is offered for
 * non-Kubernetes uses (kubeadm refuses it); other RSA sizes ({@link RsaKeyAlgorithm}) are what
 * existing keys are described as, and can be generated again with `anyRsaSize` (renewal keeps
 * a key's size).
 *
 * @example
 * ```ts
 * import { generateKeyPair, type KeyAlgorithm } from "@kubepki/core";
 *
 * const algorithm: KeyAlgorithm = "ECDSA-P256";
 * const keys = await generateKeyPair(algorithm);
 * console.log(keys.algorithm); // "ECDSA-P256"
 * ```
 */
export type KeyAlgorithm =
  | "RSA-2048"
  | "RSA-3072"
  | "RSA-4096"
  | "ECDSA-P256"
  | "ECDSA-P384"
  | "Ed25519"
  | RsaKeyAlgorithm;

/**
 * Every supported {@link KeyAlgorithm}, in kubeadm's order.
 *
 * @example
 * ```ts
 * import { KEY_ALGORITHMS } from "@kubepki/core";
 *
 * console.log(KEY_ALGORITHMS.length); // 6
 * ```
 */
export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = [
  "RSA-2048",
  "RSA-3072",
  "RSA-4096",
  "ECDSA-P256",
  "ECDSA-P384",
  "Ed25519",
];

/**
 * kubeadm's `encryptionAlgorithm` values: the ones a Kubernetes cluster accepts.
 *
 * @example
 * ```ts
 * import { KUBEADM_KEY_ALGORITHMS } from "@kubepki/core";
 *
 * console.log(KUBEADM_KEY_ALGORITHMS.includes("Ed25519")); // false
 * ```
 */
export const KUBEADM_KEY_ALGORITHMS: readonly KeyAlgorithm[] = KEY_ALGORITHMS.slice(0, 5);

/**
 * The smallest RSA modulus kubepki accepts, generated or imported.
 *
 * @example
 * ```ts
 * import { MIN_RSA_BITS } from "@kubepki/core";
 *
 * console.log(MIN_RSA_BITS); // 2048
 * ```
 */
export const MIN_RSA_BITS = 2048;

/** RSA public exponent 65537 as a Uint8Array (a Node Buffer leaks into key.algorithm: nodejs/node#59535). */
export const RSA_PUBLIC_EXPONENT = Uint8Array.of(1, 0, 1);

/**
 * True when `value` names a supported key algorithm.
 *
 * @example
 * ```ts
 * import { isKeyAlgorithm } from "@kubepki/core";
 *
 * console.log(isKeyAlgorithm("ECDSA-P384"), isKeyAlgorithm("RSA-1024")); // true false
 * ```
 */
export function isKeyAlgorithm(value: unknown): value is KeyAlgorithm {
  return typeof value === "string" && (KEY_ALGORITHMS as readonly string[]).includes(value);
}

// The largest RSA modulus kubepki describes or generates: 16384 bits, the limit of Go's
// crypto/rsa (`GenerateKey` and PKCS#1 parsing refuse more, go/src/crypto/rsa/rsa.go) and of
// openssl's `OPENSSL_RSA_MAX_MODULUS_BITS` (crypto/rsa/rsa_local.h).
const MAX_RSA_BITS = 16384;

/**
 * The exact name of an RSA key of `bits` bits (`RSA-16384`, `RSA-2560`), or undefined below
 * {@link MIN_RSA_BITS}. One place decides how a key size is named, for every reader.
 *
 * @example
 * ```ts
 * import { rsaKeyAlgorithm } from "@kubepki/core";
 *
 * console.log(rsaKeyAlgorithm(16384), rsaKeyAlgorithm(1024)); // "RSA-16384" undefined
 * ```
 */
export function rsaKeyAlgorithm(bits: number): RsaKeyAlgorithm | undefined {
  return Number.isInteger(bits) && bits >= MIN_RSA_BITS ? `RSA-${bits}` : undefined;
}

/** The modulus size of an `RSA-<bits>` name, or undefined for other names. */
function rsaBitsOf(algorithm: string): number | undefined {
  const match = /^RSA-([1-9][0-9]{3,4})$/.exec(algorithm);
  return match ? Number(match[1]) : undefined;
}

/** The WebCrypto parameters for generating a key of `algorithm`. */
export function generationParams(algorithm: KeyAlgorithm): RsaHashedKeyGenParams | EcKeyGenParams | Algorithm {
  const rsaBits = typeof algorithm === "string" ? rsaBitsOf(algorithm) : undefined;
  if (rsaBits !== undefined && rsaBits >= MIN_RSA_BITS && rsaBits <= MAX_RSA_BITS && rsaBits % 8 === 0) {
    return {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: rsaBits,
      publicExponent: RSA_PUBLIC_EXPONENT,
      // kubeadm signs with SHA-256 for every RSA size (reference §1.3).
      hash: "SHA-256",
    };
  }
  switch (algorithm) {
    case "ECDSA-P256":
      return { name: "ECDSA", namedCurve: "P-256" };
    case "ECDSA-P384":
      return { name: "ECDSA", namedCurve: "P-384" };
    case "Ed25519":
      return { name: "Ed25519" };
    default:
      throw new KubepkiError(
        "UNSUPPORTED_ALGORITHM",
        `Unsupported key algorithm ${JSON.stringify(algorithm)}: use one of ${KEY_ALGORITHMS.join(", ")}`,
      );
  }
}

/** Names the algorithm of an existing WebCrypto key; RSA by its exact size (`RSA-2048`, `RSA-16384`). */
export function keyAlgorithmOf(key: CryptoKey): KeyAlgorithm {
  const algorithm = key.algorithm as Partial<RsaHashedKeyAlgorithm & EcKeyAlgorithm> & { name: string };
  switch (algorithm.name) {
    case "RSASSA-PKCS1-v1_5":
    case "RSA-PSS": {
      const bits = algorithm.modulusLength ?? 0;
      const name = rsaKeyAlgorithm(bits);
      if (name === undefined) {
        throw new KubepkiError("WEAK_KEY", `RSA key of ${bits} bits: at least ${MIN_RSA_BITS} bits are required`);
      }
      return name;
    }
    case "ECDSA":
      if (algorithm.namedCurve === "P-256") return "ECDSA-P256";
      if (algorithm.namedCurve === "P-384") return "ECDSA-P384";
      throw new KubepkiError(
        "UNSUPPORTED_ALGORITHM",
        `ECDSA curve ${String(algorithm.namedCurve)} is not supported: use P-256 or P-384`,
      );
    case "Ed25519":
      return "Ed25519";
    default:
      throw new KubepkiError("UNSUPPORTED_ALGORITHM", `Unsupported key type ${algorithm.name}`);
  }
}

/** Key size in bits of a WebCrypto key: RSA modulus length, curve size, 256 for Ed25519. */
export function keyBitsOf(key: CryptoKey): number {
  const algorithm = key.algorithm as Partial<RsaHashedKeyAlgorithm & EcKeyAlgorithm> & { name: string };
  if (algorithm.modulusLength !== undefined) return algorithm.modulusLength;
  if (algorithm.namedCurve === "P-256") return 256;
  if (algorithm.namedCurve === "P-384") return 384;
  if (algorithm.namedCurve === "P-521") return 521;
  return algorithm.name === "Ed25519" ? 256 : 0;
}
