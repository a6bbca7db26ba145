import { KubepkiError } from "../errors.js";

/**
 * Key algorithms kubepki generates. The first five are exactly kubeadm's `encryptionAlgorithm`
 * values (reference §1.3); Ed25519 is offered for non-Kubernetes uses (kubeadm refuses it).
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
export type KeyAlgorithm = "RSA-2048" | "RSA-3072" | "RSA-4096" | "ECDSA-P256" | "ECDSA-P384" | "Ed25519";

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

/** The WebCrypto parameters for generating a key of `algorithm`. */
export function generationParams(algorithm: KeyAlgorithm): RsaHashedKeyGenParams | EcKeyGenParams | Algorithm {
  switch (algorithm) {
    case "RSA-2048":
    case "RSA-3072":
    case "RSA-4096":
      return {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: Number(algorithm.slice(4)),
        publicExponent: RSA_PUBLIC_EXPONENT,
        // kubeadm signs with SHA-256 for every RSA size (reference §1.3).
        hash: "SHA-256",
      };
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

/**
 * Names the algorithm of an existing WebCrypto key (RSA of any size ≥ 2048 reports its size,
 * for example `RSA-2048`; other RSA sizes are reported as `RSA-<bits>` strings by {@link describeKey}).
 */
export function keyAlgorithmOf(key: CryptoKey): KeyAlgorithm {
  const algorithm = key.algorithm as Partial<RsaHashedKeyAlgorithm & EcKeyAlgorithm> & { name: string };
  switch (algorithm.name) {
    case "RSASSA-PKCS1-v1_5":
    case "RSA-PSS": {
      const bits = algorithm.modulusLength ?? 0;
      if (bits < MIN_RSA_BITS) {
        throw new KubepkiError("WEAK_KEY", `RSA key of ${bits} bits: at least ${MIN_RSA_BITS} bits are required`);
      }
      if (bits === 2048 || bits === 3072 || bits === 4096) return `RSA-${bits}` as KeyAlgorithm;
      // Odd sizes (for example 2560) still sign fine; report the nearest family member.
      return bits < 3072 ? "RSA-2048" : bits < 4096 ? "RSA-3072" : "RSA-4096";
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
