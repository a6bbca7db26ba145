import { bytesEqual, concatBytes, toHex } from "../lib/bytes.js";
import { bitString, explicit, NULL, octetString, oid, sequence, smallInteger, unsignedInteger } from "../lib/der.js";
import { checkDerStructure, type DerElement, elementsOf, readElement, readOid } from "../lib/der-guard.js";
import { OID } from "../lib/oids.js";
import { toBase64Url } from "../vocabulary/base64.js";
import { KubepkiError } from "../vocabulary/errors.js";
import { type KeyAlgorithm, MIN_RSA_BITS, rsaKeyAlgorithm } from "./algorithm.js";
import { fromBase64Url } from "./jwk.js";

/**
 * Conversions between PKCS#8 (what WebCrypto imports and exports) and the "traditional" PKCS#1
 * (`RSA PRIVATE KEY`, RFC 8017 A.1.2) and SEC1 (`EC PRIVATE KEY`, RFC 5915) encodings that
 * kubeadm and Go write, read and written with kubepki's own DER code (lib/der-guard, lib/der).
 *
 * Files are read as strictly as Go's encoding/asn1: every length is checked first
 * (checkDerStructure), each field's tag is checked as it is read, and the structure is then
 * written back from the values read and must give the very same bytes, so a non-minimal
 * INTEGER, a negative member, a stray tag or a BER-only encoding is INVALID_DER. (These readers
 * replaced the @peculiar/asn1-ecc, -pkcs8 and -rsa schemas: the same strictness, without loading
 * asn1js for key files — and the key check of an audit reads thousands of them.)
 */

/** The curves kubepki uses, with the SEC1 private scalar length (RFC 5915 §3: ceiling(log2(n)/8)). */
const CURVES = [
  { oid: OID.secp256r1, namedCurve: "P-256", algorithm: "ECDSA-P256", scalarBytes: 32 },
  { oid: OID.secp384r1, namedCurve: "P-384", algorithm: "ECDSA-P384", scalarBytes: 48 },
] as const;

type Curve = (typeof CURVES)[number];

/** Names for curves people try that kubepki refuses, so the error says which one it was. */
const REFUSED_CURVES: Readonly<Record<string, string>> = {
  [OID.secp521r1]: "P-521 (secp521r1)",
  "1.3.132.0.10": "secp256k1",
  "1.2.840.10045.3.1.1": "P-192 (prime192v1)",
  "1.3.132.0.33": "P-224 (secp224r1)",
  "1.3.36.3.3.2.8.1.1.7": "brainpoolP256r1",
};

/**
 * What a private key file holds, ready for WebCrypto `importKey("pkcs8", …)`, and, when the file
 * carries every member (RSA; EC with its uncompressed public point), as a private JWK too:
 * importing a JWK skips OpenSSL 3's slow PKCS#8 decoder on Node (2-5× faster per key).
 */
export interface PrivateKeyMaterial {
  readonly algorithm: KeyAlgorithm;
  readonly importParams: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  /** The key as PKCS#8, built on demand (describing a key needs only what follows). */
  readonly pkcs8: () => Uint8Array;
  /** Every JWK member, when the file carries them all; built on demand. */
  readonly jwk?: () => JsonWebKey;
  /** The public key the file carries, as certificates encode it (RSA; EC with an uncompressed point). */
  readonly publicKeyInfo?: Uint8Array;
}
/** A JWK member: the unsigned big-endian value without leading zero octets (RFC 7518 §6.3). */
function jwkInteger(bytes: Uint8Array): string {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return toBase64Url(bytes.subarray(start));
}

function invalid(what: string, reason: string): KubepkiError {
  return new KubepkiError("INVALID_DER", `Cannot read ${what}: ${reason}`);
}

/** The fields of the SEQUENCE that fills `der`, after every length in it has been checked. */
function sequenceFields(der: Uint8Array, what: string): DerElement[] {
  checkDerStructure(der, what);
  const outer = readElement(der, 0, der.length, what);
  if (outer.tag !== 0x30) throw invalid(what, "expected a SEQUENCE");
  return elementsOf(der, outer, what);
}

/** The content octets of an INTEGER field (its two's-complement bytes, checked later by re-encoding). */
function integerField(field: DerElement | undefined, what: string, name: string): Uint8Array {
  if (field?.tag !== 0x02 || field.value.length === 0) throw invalid(what, `${name} is not an INTEGER`);
  return field.value;
}

/** A small non-negative INTEGER field (a version), or -1 for anything else. */
function smallIntegerField(field: DerElement | undefined, what: string, name: string): number {
  const bytes = integerField(field, what, name);
  if (bytes.length > 4 || (bytes[0] as number) & 0x80) return -1;
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return value;
}

/** The same bytes written back from what was read, or INVALID_DER (see the module comment). */
function checkCanonical(der: Uint8Array, rewritten: Uint8Array, what: string): void {
  if (!bytesEqual(der, rewritten)) throw invalid(what, "it is not valid DER (wrong tag or non-canonical encoding)");
}

/** The OBJECT IDENTIFIER in a field, or undefined when the field is something else. */
function oidField(der: Uint8Array, field: DerElement | undefined, what: string): string | undefined {
  return field?.tag === 0x06 ? readOid(der, field, what) : undefined;
}

function curveByOid(curveOid: string | undefined): Curve {
  const curve = CURVES.find((candidate) => candidate.oid === curveOid);
  if (curve) return curve;
  if (curveOid === undefined) {
    throw new KubepkiError(
      "UNSUPPORTED_ALGORITHM",
      "EC key with explicit or implicit curve parameters: only named curves P-256 and P-384 are supported",
    );
  }
  const name = REFUSED_CURVES[curveOid] ?? `curve ${curveOid}`;
  throw new KubepkiError(
    "UNSUPPORTED_ALGORITHM",
    `EC key on ${name} is not supported: use P-256 or P-384 (kubeadm's ECDSA-P256 / ECDSA-P384)`,
  );
}

/** Bit length of an unsigned big-endian integer. */
function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i) * 8 - (Math.clz32(bytes[i] as number) - 24);
}

/** The modulus size, refusing what generation refuses: kubepki never handles RSA below 2048 bits. */
function checkedRsaBits(modulus: Uint8Array): number {
  const bits = bitLength(modulus);
  if (bits < MIN_RSA_BITS) {
    throw new KubepkiError(
      "WEAK_KEY",
      `RSA key of ${bits} bits: at least ${MIN_RSA_BITS} bits are required (make a new one, e.g. "openssl genrsa 2048")`,
    );
  }
  return bits;
}

const RSA_ALGORITHM_IDENTIFIER = sequence([oid(OID.rsaEncryption), NULL]);

/** RSA keys are imported for RSASSA-PKCS1-v1_5 with SHA-256: what kubeadm signs with for every size. */
const RSA_IMPORT: RsaHashedImportParams = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };

/** An INTEGER's magnitude bytes as a BigInt (re-encoding has already refused negative ones). */
function bigint(value: Uint8Array): bigint {
  const hex = toHex(value);
  return hex.length === 0 ? 0n : BigInt(`0x${hex}`);
}

/** RSAPrivateKey (RFC 8017 A.1.2) as read: n, e, d, p, q, dp, dq, qinv. */
type RsaMembers = readonly [
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
];

function readRsaPrivateKey(der: Uint8Array): RsaMembers {
  const what = "RSA private key (PKCS#1)";
  const fields = sequenceFields(der, what);
  const version = smallIntegerField(fields[0], what, "the version");
  // Version 1 is multi-prime (otherPrimeInfos follows the nine INTEGERs).
  if (version === 1 || (version === 0 && fields.length === 10)) {
    throw new KubepkiError("UNSUPPORTED_ALGORITHM", "Multi-prime RSA keys are not supported: use a two-prime RSA key");
  }
  if (version !== 0 || fields.length !== 9) throw invalid(what, "expected version 0 and eight INTEGERs");
  const names = ["the modulus", "the public exponent", "d", "p", "q", "dp", "dq", "qinv"];
  const members = names.map((name, i) => integerField(fields[i + 1], what, name)) as unknown as RsaMembers;
  checkCanonical(der, sequence([smallInteger(0), ...members.map((member) => unsignedInteger(member))]), what);
  return members;
}

/**
 * Checks that the CRT parameters of an RSA private key agree with each other (what
 * `openssl rsa -check` does, minus primality). WebCrypto on Node does not: it imports a file with
 * a corrupted prime or exponent and OpenSSL's fault fallback then hides the damage, while
 * BoringSSL (browsers) refuses the same file. Checking here gives one answer everywhere.
 */
function checkRsaConsistency(members: RsaMembers): void {
  const [n, e, d, p, q, dp, dq, qinv] = members.map(bigint) as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  const consistent =
    e > 1n &&
    p > 1n &&
    q > 1n &&
    p * q === n &&
    d % (p - 1n) === dp &&
    d % (q - 1n) === dq &&
    (e * dp) % (p - 1n) === 1n &&
    (e * dq) % (q - 1n) === 1n &&
    (q * qinv) % p === 1n;
  if (!consistent) {
    throw new KubepkiError(
      "INVALID_DER",
      "RSA private key is inconsistent (its primes and exponents do not belong together): the file is corrupt",
    );
  }
}

function rsaMaterial(pkcs1: Uint8Array, pkcs8: () => Uint8Array): PrivateKeyMaterial {
  const members = readRsaPrivateKey(pkcs1);
  checkRsaConsistency(members);
  const [n, e, d, p, q, dp, dq, qi] = members;
  const bits = checkedRsaBits(n);
  // Named by its exact size, as keyAlgorithmOf: a 16384-bit key is RSA-16384, not RSA-4096.
  const algorithm = rsaKeyAlgorithm(bits) as KeyAlgorithm;
  const jwk = (): JsonWebKey => ({
    kty: "RSA",
    n: jwkInteger(n),
    e: jwkInteger(e),
    d: jwkInteger(d),
    p: jwkInteger(p),
    q: jwkInteger(q),
    dp: jwkInteger(dp),
    dq: jwkInteger(dq),
    qi: jwkInteger(qi),
  });
  const publicKeyInfo = sequence([
    RSA_ALGORITHM_IDENTIFIER,
    bitString(sequence([unsignedInteger(n), unsignedInteger(e)])),
  ]);
  return { algorithm, pkcs8, importParams: RSA_IMPORT, jwk, publicKeyInfo };
}

/** Left-pads an EC private scalar to the curve length (some old writers dropped leading zeros). */
function fixedScalar(scalar: Uint8Array, curve: Curve): Uint8Array {
  let start = 0;
  while (start < scalar.length && scalar[start] === 0) start++;
  const significant = scalar.subarray(start);
  if (significant.length === 0 || significant.length > curve.scalarBytes) {
    throw new KubepkiError("INVALID_DER", `EC private key scalar does not fit curve ${curve.namedCurve}`);
  }
  const out = new Uint8Array(curve.scalarBytes);
  out.set(significant, curve.scalarBytes - significant.length);
  return out;
}

/**
 * The stored public point must be SEC1 §2.3.3 uncompressed (04 || x || y, what Go and WebCrypto
 * write) or compressed (02/03 || x). The hybrid form (06/07) is refused: nobody writes it, and
 * OpenSSL accepting it means a flipped bit in the 04 prefix would otherwise go unnoticed.
 */
function checkedPoint(point: Uint8Array, curve: Curve): Uint8Array {
  const prefix = point[0];
  const length = prefix === 4 ? 1 + 2 * curve.scalarBytes : prefix === 2 || prefix === 3 ? 1 + curve.scalarBytes : -1;
  if (point.length !== length) {
    throw new KubepkiError(
      "INVALID_DER",
      `EC public key in the private key file is not a valid ${curve.namedCurve} point`,
    );
  }
  return point;
}

/** ECPrivateKey (RFC 5915 §3) as read. `curve` is set when [0] is a named curve, `explicitCurve` when it is anything else. */
interface EcPrivateKeyFields {
  readonly version: number;
  readonly scalar: Uint8Array;
  readonly hasParameters: boolean;
  readonly curveOid?: string;
  readonly publicKey?: Uint8Array;
}

function readEcPrivateKey(der: Uint8Array, what: string): EcPrivateKeyFields {
  const fields = sequenceFields(der, what);
  const [versionField, scalarField, ...optional] = fields;
  const version = smallIntegerField(versionField, what, "the version");
  if (scalarField?.tag !== 0x04) throw invalid(what, "the private key is not an OCTET STRING");
  const parameters = optional[0]?.tag === 0xa0 ? optional.shift() : undefined;
  const publicKeyField = optional[0]?.tag === 0xa1 ? optional.shift() : undefined;
  if (optional.length > 0) throw invalid(what, "unexpected fields after the key");
  let curveOid: string | undefined;
  if (parameters) {
    const [inner, ...more] = elementsOf(der, parameters, what);
    if (!inner || more.length > 0) throw invalid(what, "[0] must hold one ECParameters");
    curveOid = oidField(der, inner, what);
    // A specifiedCurve (SEQUENCE) or implicitCurve (NULL) is refused by curveByOid below.
    if (curveOid === undefined && inner.tag !== 0x30 && inner.tag !== 0x05) {
      throw invalid(what, "[0] is not ECParameters");
    }
  }
  let publicKey: Uint8Array | undefined;
  if (publicKeyField) {
    const [bits, ...more] = elementsOf(der, publicKeyField, what);
    if (bits?.tag !== 0x03 || bits.value.length < 1 || more.length > 0) {
      throw invalid(what, "[1] must hold the public key as a BIT STRING");
    }
    publicKey = bits.value.subarray(1);
    if (bits.value[0] !== 0) throw invalid(what, "the public key BIT STRING has unused bits");
  }
  if (version < 0) throw invalid(what, "the version is not a small INTEGER");
  if (curveOid !== undefined || !parameters) {
    checkCanonical(
      der,
      sequence([
        smallInteger(version),
        octetString(scalarField.value),
        ...(curveOid === undefined ? [] : [explicit(0, oid(curveOid))]),
        ...(publicKey ? [explicit(1, bitString(publicKey))] : []),
      ]),
      what,
    );
  }
  return {
    version,
    scalar: scalarField.value,
    hasParameters: parameters !== undefined,
    ...(curveOid === undefined ? {} : { curveOid }),
    ...(publicKey ? { publicKey } : {}),
  };
}

/**
 * The ECPrivateKey that goes inside PKCS#8: without the [0] parameters (they are in the
 * AlgorithmIdentifier, RFC 5915 §3) and with the [1] public key when the file had one. This is
 * the shape OpenSSL and BoringSSL export, so every WebCrypto accepts it.
 */
function ecMaterial(key: EcPrivateKeyFields, curve: Curve): PrivateKeyMaterial {
  if (key.version !== 1) {
    throw new KubepkiError("INVALID_DER", `EC private key has version ${key.version}; RFC 5915 requires 1`);
  }
  const point = key.publicKey ? checkedPoint(key.publicKey, curve) : undefined;
  const scalar = fixedScalar(key.scalar, curve);
  const identifier = sequence([oid(OID.ecPublicKey), oid(curve.oid)]);
  const pkcs8 = () => {
    const inner = sequence([smallInteger(1), octetString(scalar), ...(point ? [explicit(1, bitString(point))] : [])]);
    return sequence([smallInteger(0), identifier, octetString(inner)]);
  };
  const importParams = { name: "ECDSA", namedCurve: curve.namedCurve };
  if (point?.[0] !== 4) return { algorithm: curve.algorithm, pkcs8, importParams };
  const jwk = (): JsonWebKey => ({
    kty: "EC",
    crv: curve.namedCurve,
    d: toBase64Url(scalar),
    x: toBase64Url(point.subarray(1, 1 + curve.scalarBytes)),
    y: toBase64Url(point.subarray(1 + curve.scalarBytes)),
  });
  return {
    algorithm: curve.algorithm,
    pkcs8,
    importParams,
    jwk,
    publicKeyInfo: sequence([identifier, bitString(point)]),
  };
}

/** Reads a PKCS#1 `RSA PRIVATE KEY` and wraps it as PKCS#8. */
export function readPkcs1PrivateKey(der: Uint8Array): PrivateKeyMaterial {
  return rsaMaterial(der, () => sequence([smallInteger(0), RSA_ALGORITHM_IDENTIFIER, octetString(der)]));
}

/** Reads a SEC1 `EC PRIVATE KEY` (which must name its curve) and wraps it as PKCS#8. */
export function readSec1PrivateKey(der: Uint8Array): PrivateKeyMaterial {
  const key = readEcPrivateKey(der, "EC private key (SEC1)");
  if (!key.hasParameters) {
    throw new KubepkiError(
      "INVALID_DER",
      "EC private key (SEC1) does not name its curve (no [0] parameters); re-export it with openssl ec",
    );
  }
  return ecMaterial(key, curveByOid(key.curveOid));
}

/** Reads a PKCS#8 `PRIVATE KEY`, checking the algorithm, size and curve, and normalising EC keys. */
export function readPkcs8PrivateKey(der: Uint8Array): PrivateKeyMaterial {
  const what = "private key (PKCS#8)";
  const fields = sequenceFields(der, what);
  const [versionField, algorithmField, keyField, ...optional] = fields;
  const version = smallIntegerField(versionField, what, "the version");
  if (algorithmField?.tag !== 0x30) throw invalid(what, "the algorithm is not an AlgorithmIdentifier");
  if (keyField?.tag !== 0x04) throw invalid(what, "the private key is not an OCTET STRING");
  const attributes = optional[0]?.tag === 0xa0 ? optional.shift() : undefined;
  if (optional.length > 0) throw invalid(what, "unexpected fields after the key");
  const [algorithmOidField, parameters, ...extra] = elementsOf(der, algorithmField, what);
  const algorithmOid = oidField(der, algorithmOidField, what);
  if (algorithmOid === undefined || extra.length > 0) throw invalid(what, "malformed AlgorithmIdentifier");
  if (version !== 0) {
    throw new KubepkiError(
      "INVALID_DER",
      `Private key (PKCS#8) has version ${version < 0 ? "that is not 0" : version}; only version 0 (v1) is read`,
    );
  }
  // Written back with the parameters and attributes as they were (their lengths are checked).
  checkCanonical(
    der,
    sequence([
      smallInteger(0),
      sequence([oid(algorithmOid), ...(parameters ? [der.subarray(parameters.start, parameters.end)] : [])]),
      octetString(keyField.value),
      ...(attributes ? [der.subarray(attributes.start, attributes.end)] : []),
    ]),
    what,
  );
  const inner = keyField.value;
  switch (algorithmOid) {
    case OID.rsaEncryption:
      // RFC 3279 §2.3.1: the parameters are NULL.
      if (parameters && (parameters.tag !== 0x05 || parameters.value.length !== 0)) {
        throw new KubepkiError("INVALID_DER", "RSA private key (PKCS#8) has algorithm parameters other than NULL");
      }
      return rsaMaterial(inner, () => der);
    case OID.ecPublicKey: {
      const curve = curveByOid(oidField(der, parameters, what));
      const key = readEcPrivateKey(inner, "EC private key inside PKCS#8");
      if (key.hasParameters && key.curveOid !== curve.oid) {
        throw new KubepkiError("INVALID_DER", "PKCS#8 EC key names two different curves");
      }
      return ecMaterial(key, curve);
    }
    case OID.ed25519:
      // RFC 8410 §3: no parameters; §7: CurvePrivateKey ::= OCTET STRING of the 32-byte seed.
      if (parameters !== undefined || inner.length !== 34 || inner[0] !== 0x04 || inner[1] !== 32) {
        throw new KubepkiError("INVALID_DER", "Ed25519 private key (PKCS#8) must hold a 32-byte seed");
      }
      return { algorithm: "Ed25519", pkcs8: () => der, importParams: { name: "Ed25519" } };
    case OID.rsassaPss:
      throw new KubepkiError(
        "UNSUPPORTED_ALGORITHM",
        'RSASSA-PSS-only keys are not supported: kubeadm uses plain RSA keys ("openssl genrsa")',
      );
    default:
      throw new KubepkiError(
        "UNSUPPORTED_ALGORITHM",
        `Private key algorithm ${algorithmOid} is not supported: use RSA (≥ ${MIN_RSA_BITS} bits), ECDSA P-256/P-384 or Ed25519`,
      );
  }
}

/** Reads a PKCS#1 `RSA PUBLIC KEY` (n, e), refusing weak moduli; returns the two INTEGERs' bytes. */
export function readRsaPublicKey(der: Uint8Array, what = "RSA public key (PKCS#1)"): readonly [Uint8Array, Uint8Array] {
  const fields = sequenceFields(der, what);
  if (fields.length !== 2) throw invalid(what, "expected SEQUENCE { modulus, publicExponent }");
  const modulus = integerField(fields[0], what, "the modulus");
  const exponent = integerField(fields[1], what, "the public exponent");
  checkCanonical(der, sequence([unsignedInteger(modulus), unsignedInteger(exponent)]), what);
  return [modulus, exponent];
}

/** Wraps a PKCS#1 `RSA PUBLIC KEY` as SubjectPublicKeyInfo, refusing weak moduli. */
export function rsaPublicKeyToSpki(der: Uint8Array): Uint8Array {
  const [modulus] = readRsaPublicKey(der);
  checkedRsaBits(modulus);
  return sequence([RSA_ALGORITHM_IDENTIFIER, bitString(der)]);
}

/** The curve OID of a JWK `crv`, for the curves WebCrypto generates. */
const JWK_CURVES: Readonly<Record<string, string>> = {
  "P-256": OID.secp256r1,
  "P-384": OID.secp384r1,
  "P-521": OID.secp521r1,
};

/**
 * PKCS#1 `RSAPrivateKey` (RFC 8017 A.1.2: version 0, n, e, d, p, q, dp, dq, qinv) from a private
 * JWK export. This is byte for byte what a WebCrypto PKCS#8 export wraps, written instead of read
 * back out of the PKCS#8: the write path never parses what WebCrypto just made.
 */
export function pkcs1FromJwk(jwk: JsonWebKey): Uint8Array {
  if (jwk.kty !== "RSA") {
    throw new KubepkiError("INVALID_ARGUMENT", `PKCS#1 holds RSA keys only; this key is ${String(jwk.kty)}`);
  }
  const members = ["n", "e", "d", "p", "q", "dp", "dq", "qi"] as const;
  return sequence([smallInteger(0), ...members.map((member) => unsignedInteger(fromBase64Url(jwk[member], member)))]);
}

/**
 * SEC1 in the form `openssl ec` and Go's MarshalECPrivateKey write: version 1, the scalar, [0]
 * namedCurve, [1] public key, from a private JWK export (whose `d` is the fixed-length scalar of
 * RFC 5915 §3). The [0] curve is what lets Go's x509.ParseECPrivateKey and `openssl ec` read the
 * file on its own.
 */
export function sec1FromJwk(jwk: JsonWebKey): Uint8Array {
  const curveOid = jwk.kty === "EC" ? JWK_CURVES[jwk.crv ?? ""] : undefined;
  if (jwk.kty !== "EC") throw new KubepkiError("INVALID_ARGUMENT", "SEC1 holds EC keys only");
  if (!curveOid) throw new KubepkiError("UNSUPPORTED_ALGORITHM", `EC key on unknown curve ${String(jwk.crv)}`);
  return sequence([
    smallInteger(1),
    octetString(fromBase64Url(jwk.d, "d")),
    explicit(0, oid(curveOid)),
    explicit(1, bitString(uncompressedPoint(fromBase64Url(jwk.x, "x"), fromBase64Url(jwk.y, "y")))),
  ]);
}

/** The uncompressed point 04 || x || y (SEC1 §2.3.3) from JWK coordinates. */
export function uncompressedPoint(x: Uint8Array, y: Uint8Array): Uint8Array {
  return concatBytes([Uint8Array.of(4), x, y]);
}
