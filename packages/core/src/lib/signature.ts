import { KubepkiError } from "../vocabulary/errors.js";
import { callCrypto } from "./crypto.js";
import { NULL, oid, sequence, unsignedInteger } from "./der.js";
import { OID } from "./oids.js";

/**
 * Signature algorithms: which one a signing key implies, how WebCrypto spells it, and the
 * conversion of ECDSA signatures between WebCrypto's raw r||s (IEEE P1363) and the DER
 * ECDSA-Sig-Value that X.509 carries (RFC 5480 §2.2 / RFC 3279 §2.2.3).
 */

/** A signature algorithm kubepki can sign or verify with. */
export interface SignatureAlgorithm {
  /** The AlgorithmIdentifier OID. */
  readonly oid: string;
  /** WebCrypto name of the key algorithm ("RSASSA-PKCS1-v1_5" | "ECDSA" | "Ed25519"). */
  readonly keyName: "RSASSA-PKCS1-v1_5" | "ECDSA" | "Ed25519";
  /** Digest for RSA and ECDSA. */
  readonly hash?: "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512";
  /** ECDSA coordinate size in bytes, for the P1363 ↔ DER conversion. */
  readonly coordinateBytes?: number;
  /** Encoded AlgorithmIdentifier (RSA with NULL parameters; ECDSA and Ed25519 without: RFC 5758, RFC 8410). */
  readonly identifier: Uint8Array;
}

const rsa = (o: string, hash: SignatureAlgorithm["hash"]): SignatureAlgorithm => ({
  oid: o,
  keyName: "RSASSA-PKCS1-v1_5",
  hash,
  identifier: sequence([oid(o), NULL]),
});
const ecdsa = (o: string, hash: SignatureAlgorithm["hash"]): SignatureAlgorithm => ({
  oid: o,
  keyName: "ECDSA",
  hash,
  identifier: sequence([oid(o)]),
});

let table: Map<string, SignatureAlgorithm> | undefined;
// Built on first use rather than at module load, so importing core has no side effects.
function signatureTable(): Map<string, SignatureAlgorithm> {
  table ??= new Map<string, SignatureAlgorithm>([
    [OID.sha1WithRSAEncryption, rsa(OID.sha1WithRSAEncryption, "SHA-1")],
    [OID.sha256WithRSAEncryption, rsa(OID.sha256WithRSAEncryption, "SHA-256")],
    [OID.sha384WithRSAEncryption, rsa(OID.sha384WithRSAEncryption, "SHA-384")],
    [OID.sha512WithRSAEncryption, rsa(OID.sha512WithRSAEncryption, "SHA-512")],
    [OID.ecdsaWithSha256, ecdsa(OID.ecdsaWithSha256, "SHA-256")],
    [OID.ecdsaWithSha384, ecdsa(OID.ecdsaWithSha384, "SHA-384")],
    [OID.ecdsaWithSha512, ecdsa(OID.ecdsaWithSha512, "SHA-512")],
    [OID.ed25519, { oid: OID.ed25519, keyName: "Ed25519", identifier: sequence([oid(OID.ed25519)]) }],
  ]);
  return table;
}

/** The signature algorithm for an OID, or undefined when kubepki does not verify it. */
export function signatureAlgorithmByOid(dotted: string): SignatureAlgorithm | undefined {
  return signatureTable().get(dotted);
}

/**
 * The algorithm a signing key implies, as Go's `signingParamsForPublicKey` chooses it (and so
 * kubeadm): SHA-256 for every RSA size, the curve's own hash for ECDSA (P-256 → SHA-256,
 * P-384 → SHA-384), Ed25519 pure. The issuer's key decides, not the subject's.
 */
export function signatureAlgorithmForKey(signingKey: CryptoKey): SignatureAlgorithm {
  const algorithm = signingKey.algorithm as { name: string; namedCurve?: string };
  const table = signatureTable();
  switch (algorithm.name) {
    case "RSASSA-PKCS1-v1_5":
      return table.get(OID.sha256WithRSAEncryption) as SignatureAlgorithm;
    case "ECDSA":
      if (algorithm.namedCurve === "P-256") return table.get(OID.ecdsaWithSha256) as SignatureAlgorithm;
      if (algorithm.namedCurve === "P-384") return table.get(OID.ecdsaWithSha384) as SignatureAlgorithm;
      break;
    case "Ed25519":
      return table.get(OID.ed25519) as SignatureAlgorithm;
  }
  throw new KubepkiError(
    "UNSUPPORTED_ALGORITHM",
    `Cannot sign with a ${algorithm.name}${algorithm.namedCurve ? ` ${algorithm.namedCurve}` : ""} key: use RSASSA-PKCS1-v1_5, ECDSA P-256/P-384 or Ed25519`,
  );
}

/** WebCrypto sign/verify parameters for `algorithm`. */
export function webCryptoParams(algorithm: SignatureAlgorithm): AlgorithmIdentifier | EcdsaParams {
  return algorithm.keyName === "ECDSA"
    ? { name: "ECDSA", hash: algorithm.hash as string }
    : { name: algorithm.keyName };
}

function coordinateBytes(signingKey: CryptoKey): number {
  const curve = (signingKey.algorithm as { namedCurve?: string }).namedCurve;
  return curve === "P-384" ? 48 : curve === "P-521" ? 66 : 32;
}

/** Signs `data` and returns the signature as X.509 carries it (DER for ECDSA). */
export async function signForX509(
  crypto: Crypto,
  signingKey: CryptoKey,
  algorithm: SignatureAlgorithm,
  data: Uint8Array,
): Promise<Uint8Array> {
  const raw = new Uint8Array(
    await callCrypto("sign", () =>
      crypto.subtle.sign(webCryptoParams(algorithm), signingKey, data as Uint8Array<ArrayBuffer>),
    ),
  );
  return algorithm.keyName === "ECDSA" ? ecdsaRawToDer(raw) : raw;
}

/** P1363 r||s → DER `SEQUENCE { INTEGER r, INTEGER s }`. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  return sequence([unsignedInteger(raw.subarray(0, half)), unsignedInteger(raw.subarray(half))]);
}

/**
 * DER ECDSA-Sig-Value → P1363 r||s of `size`-byte coordinates. Returns undefined for anything that
 * is not exactly that structure (so a verifier reports "signature invalid", not a crash).
 */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array | undefined {
  let offset = 0;
  const readLength = (): number | undefined => {
    const first = der[offset++];
    if (first === undefined) return undefined;
    if (first < 0x80) return first;
    if (first === 0x81) {
      const value = der[offset++];
      return value !== undefined && value >= 0x80 ? value : undefined;
    }
    return undefined;
  };
  if (der[offset++] !== 0x30) return undefined;
  const total = readLength();
  if (total === undefined || offset + total !== der.length) return undefined;
  const out = new Uint8Array(size * 2);
  for (let part = 0; part < 2; part++) {
    if (der[offset++] !== 0x02) return undefined;
    const length = readLength();
    if (length === undefined || length === 0 || offset + length > der.length) return undefined;
    let value = der.subarray(offset, offset + length);
    offset += length;
    if ((value[0] as number) & 0x80) return undefined; // negative
    while (value.length > 1 && value[0] === 0) value = value.subarray(1);
    if (value.length > size) return undefined;
    out.set(value, part * size + (size - value.length));
  }
  return offset === der.length ? out : undefined;
}

/**
 * Verifies an X.509-style signature with a WebCrypto public key. Returns false (never throws)
 * for a signature that does not verify or cannot be decoded.
 */
export async function verifyX509Signature(
  crypto: Crypto,
  publicKey: CryptoKey,
  algorithm: SignatureAlgorithm,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  let raw: Uint8Array | undefined = signature;
  if (algorithm.keyName === "ECDSA") raw = ecdsaDerToRaw(signature, coordinateBytes(publicKey));
  if (!raw) return false;
  try {
    return await crypto.subtle.verify(
      webCryptoParams(algorithm),
      publicKey,
      raw as Uint8Array<ArrayBuffer>,
      data as Uint8Array<ArrayBuffer>,
    );
  } catch {
    return false;
  }
}
