import { RSAPublicKey } from "@peculiar/asn1-rsa";
import { AsnParser } from "@peculiar/asn1-schema";
import { SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { KubepkiError } from "../errors.js";
import { parseStrictDer } from "../lib/asn1-parse.js";
import { callCrypto } from "../lib/crypto.js";
import { OID } from "../lib/oids.js";
import type { SignatureAlgorithm } from "../lib/signature.js";
import type { KeyAlgorithm } from "./algorithm.js";

/**
 * What a SubjectPublicKeyInfo holds, decoded without WebCrypto.
 *
 * @example
 * ```ts
 * import { describePublicKeyInfo, exportPublicKeyInfo, generateKeyPair, type PublicKeyDescription } from "@kubepki/core";
 *
 * const spki = await exportPublicKeyInfo(await generateKeyPair("ECDSA-P384"));
 * const description: PublicKeyDescription = describePublicKeyInfo(spki);
 * console.log(description.algorithm, description.bits); // "ECDSA-P384" 384
 * ```
 */
export interface PublicKeyDescription {
  /** kubepki's name for the key, or undefined for keys it does not handle (P-521, DSA…). */
  readonly algorithm: KeyAlgorithm | undefined;
  /** RSA modulus bits or curve bits. */
  readonly bits: number;
  /** The algorithm OID of the SPKI. */
  readonly oid: string;
  /** The curve OID for EC keys. */
  readonly curveOid?: string;
}

function curveOidOf(spki: SubjectPublicKeyInfo): string | undefined {
  const parameters = spki.algorithm.parameters;
  if (!parameters || parameters.byteLength < 2) return undefined;
  const bytes = new Uint8Array(parameters);
  if (bytes[0] !== 0x06) return undefined;
  // Compare against the encodings of the curve OIDs we know.
  const known: Record<string, string> = {
    "06082a8648ce3d030107": OID.secp256r1,
    "06052b81040022": OID.secp384r1,
    "06052b81040023": OID.secp521r1,
  };
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return known[hex] ?? "unknown";
}

function modulusBits(modulus: ArrayBuffer): number {
  const bytes = new Uint8Array(modulus);
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i) * 8 - Math.clz32(bytes[i] as number) + 24;
}

/**
 * Describes a SubjectPublicKeyInfo (key type and size) without importing it.
 *
 * @example
 * ```ts
 * import { describePublicKeyInfo, parseCertificate } from "@kubepki/core";
 *
 * const { algorithm, bits } = describePublicKeyInfo(parseCertificate(pem).publicKeyInfo);
 * console.log(algorithm, bits); // "RSA-2048" 2048
 * ```
 */
export function describePublicKeyInfo(spkiDer: Uint8Array): PublicKeyDescription {
  const spki = parseStrictDer(spkiDer, SubjectPublicKeyInfo, "SubjectPublicKeyInfo");
  const algorithmOid = spki.algorithm.algorithm;
  if (algorithmOid === OID.rsaEncryption) {
    let bits = 0;
    try {
      bits = modulusBits(AsnParser.parse(spki.subjectPublicKey, RSAPublicKey).modulus);
    } catch (cause) {
      throw new KubepkiError("INVALID_DER", "Cannot read the RSA public key inside SubjectPublicKeyInfo", { cause });
    }
    const algorithm: KeyAlgorithm | undefined =
      bits < 2048 ? undefined : bits <= 2048 ? "RSA-2048" : bits <= 3072 ? "RSA-3072" : "RSA-4096";
    return { algorithm, bits, oid: algorithmOid };
  }
  if (algorithmOid === OID.ecPublicKey) {
    const curveOid = curveOidOf(spki) ?? "unknown";
    if (curveOid === OID.secp256r1) return { algorithm: "ECDSA-P256", bits: 256, oid: algorithmOid, curveOid };
    if (curveOid === OID.secp384r1) return { algorithm: "ECDSA-P384", bits: 384, oid: algorithmOid, curveOid };
    if (curveOid === OID.secp521r1) return { algorithm: undefined, bits: 521, oid: algorithmOid, curveOid };
    return { algorithm: undefined, bits: 0, oid: algorithmOid, curveOid };
  }
  if (algorithmOid === OID.ed25519) return { algorithm: "Ed25519", bits: 256, oid: algorithmOid };
  return { algorithm: undefined, bits: 0, oid: algorithmOid };
}

/**
 * Imports a SubjectPublicKeyInfo as a WebCrypto verification key suited to `signature` (RSA keys
 * are bound to a hash in WebCrypto, so the hash comes from the signature being checked; without
 * one, SHA-256).
 */
export async function importPublicKeyInfo(
  crypto: Crypto,
  spkiDer: Uint8Array,
  signature?: Pick<SignatureAlgorithm, "hash">,
): Promise<CryptoKey> {
  const description = describePublicKeyInfo(spkiDer);
  let params: AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams;
  if (description.oid === OID.rsaEncryption) {
    params = { name: "RSASSA-PKCS1-v1_5", hash: signature?.hash ?? "SHA-256" };
  } else if (description.curveOid === OID.secp256r1) {
    params = { name: "ECDSA", namedCurve: "P-256" };
  } else if (description.curveOid === OID.secp384r1) {
    params = { name: "ECDSA", namedCurve: "P-384" };
  } else if (description.curveOid === OID.secp521r1) {
    params = { name: "ECDSA", namedCurve: "P-521" };
  } else if (description.oid === OID.ed25519) {
    params = { name: "Ed25519" };
  } else {
    throw new KubepkiError("UNSUPPORTED_ALGORITHM", `Public key algorithm ${description.oid} is not supported`);
  }
  return callCrypto("importKey(spki)", () =>
    crypto.subtle.importKey("spki", spkiDer as Uint8Array<ArrayBuffer>, params, true, ["verify"]),
  );
}
