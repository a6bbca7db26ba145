import { fromHex, toHex } from "../lib/bytes.js";
import { callCrypto } from "../lib/crypto.js";
import { checkDerStructure, childrenOf, readTlvHeader, type TlvChild } from "../lib/der-guard.js";
import { OID } from "../lib/oids.js";
import type { SignatureAlgorithm } from "../lib/signature.js";
import { KubepkiError } from "../vocabulary/errors.js";
import { type KeyAlgorithm, rsaKeyAlgorithm } from "./algorithm.js";

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

/** DER encodings (tag, length, content) of the OIDs an SPKI may name, mapped back to their text. */
const KNOWN_OIDS: Readonly<Record<string, string>> = {
  "06092a864886f70d010101": OID.rsaEncryption,
  "06072a8648ce3d0201": OID.ecPublicKey,
  "06032b6570": OID.ed25519,
  "06082a8648ce3d030107": OID.secp256r1,
  "06052b81040022": OID.secp384r1,
  "06052b81040023": OID.secp521r1,
};

const WHAT = "SubjectPublicKeyInfo";

function fail(reason: string): never {
  throw new KubepkiError("INVALID_DER", `Cannot read ${WHAT}: ${reason}`);
}

function oidText(der: Uint8Array, child: TlvChild | undefined): string {
  if (child?.tag !== 0x06) fail("expected an OBJECT IDENTIFIER");
  const known = KNOWN_OIDS[toHex(der.subarray(child.start, child.end))];
  if (known) return known;
  // Any other OID, spelled out for the error message (X.690 §8.19: base-128 arcs, first = 40·a + b).
  const header = readTlvHeader(der, child.start, child.end, WHAT);
  const arcs: number[] = [];
  let value = 0;
  for (let i = header.valueStart; i < header.end; i++) {
    value = value * 128 + ((der[i] as number) & 0x7f);
    if (!((der[i] as number) & 0x80)) {
      if (arcs.length === 0)
        arcs.push(Math.min(2, Math.floor(value / 40)), value - Math.min(2, Math.floor(value / 40)) * 40);
      else arcs.push(value);
      value = 0;
    }
  }
  return arcs.join(".");
}

type FixedLayout = readonly [header: Uint8Array, length: number, description: PublicKeyDescription];

let fixedLayouts: readonly FixedLayout[] | undefined;

/**
 * EC and Ed25519 SubjectPublicKeyInfos have one fixed layout per curve: every length in them is
 * fixed, so a key whose bytes start with that header and have that total length is that
 * structure, and needs no walk through the DER. Certificate writing describes every key it
 * embeds; this is the common case there. Built on first use (no work at import).
 */
function fixedLayout(spkiDer: Uint8Array): PublicKeyDescription | undefined {
  const header = (hex: string) => fromHex(hex) as Uint8Array;
  fixedLayouts ??= [
    [
      header("3059301306072a8648ce3d020106082a8648ce3d030107034200"),
      91,
      { algorithm: "ECDSA-P256", bits: 256, oid: OID.ecPublicKey, curveOid: OID.secp256r1 },
    ],
    [
      header("3076301006072a8648ce3d020106052b81040022036200"),
      120,
      { algorithm: "ECDSA-P384", bits: 384, oid: OID.ecPublicKey, curveOid: OID.secp384r1 },
    ],
    [header("302a300506032b6570032100"), 44, { algorithm: "Ed25519", bits: 256, oid: OID.ed25519 }],
  ];
  search: for (const [prefix, length, description] of fixedLayouts) {
    if (spkiDer.length !== length) continue;
    for (let i = 0; i < prefix.length; i++) if (spkiDer[i] !== prefix[i]) continue search;
    return description;
  }
  return undefined;
}

/** Bits of an unsigned big-endian INTEGER's content (leading zero octets ignored). */
function integerBits(der: Uint8Array, child: TlvChild | undefined): number {
  if (child?.tag !== 0x02) fail("expected an INTEGER in the RSA public key");
  const header = readTlvHeader(der, child.start, child.end, WHAT);
  let i = header.valueStart;
  while (i < header.end && der[i] === 0) i++;
  if (i === header.end) return 0;
  return (header.end - i) * 8 - (Math.clz32(der[i] as number) - 24);
}

/**
 * Describes a SubjectPublicKeyInfo (key type and size) without importing it. A strict walk over
 * the DER headers (the same guard the parsers use) rather than a schema: the write path calls
 * this for every CSR and SPKI it signs, and should not need an ASN.1 library to do so.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, describePublicKeyInfo, generateKeyPair, parseCertificate } from "@kubepki/core";
 *
 * const { pem } = await createSelfSignedCa({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=kubernetes" });
 * const { algorithm, bits } = describePublicKeyInfo(parseCertificate(pem).publicKeyInfo);
 * console.log(algorithm, bits); // "ECDSA-P256" 256
 * ```
 */
export function describePublicKeyInfo(spkiDer: Uint8Array): PublicKeyDescription {
  const fixed = fixedLayout(spkiDer);
  if (fixed) return { ...fixed };
  checkDerStructure(spkiDer, WHAT);
  const [algorithmIdentifier, subjectPublicKey, ...extra] = childrenOf(spkiDer, WHAT);
  if (algorithmIdentifier?.tag !== 0x30 || subjectPublicKey?.tag !== 0x03 || extra.length) {
    fail("expected SEQUENCE { AlgorithmIdentifier, BIT STRING }");
  }
  const identifier = spkiDer.subarray(algorithmIdentifier.start, algorithmIdentifier.end);
  const [algorithmOid, parameters] = childrenOf(identifier, WHAT);
  const oid = oidText(identifier, algorithmOid);
  if (oid === OID.rsaEncryption) {
    const bitString = readTlvHeader(spkiDer, subjectPublicKey.start, subjectPublicKey.end, WHAT);
    // Skip the unused-bits octet; what follows is RSAPublicKey ::= SEQUENCE { modulus, exponent }.
    const rsaKey = spkiDer.subarray(bitString.valueStart + 1, bitString.end);
    checkDerStructure(rsaKey, "RSA public key");
    const [modulus, exponent] = childrenOf(rsaKey, "RSA public key");
    if (!exponent) fail("RSA public key without an exponent");
    const bits = integerBits(rsaKey, modulus);
    const algorithm: KeyAlgorithm | undefined = rsaKeyAlgorithm(bits);
    return { algorithm, bits, oid };
  }
  if (oid === OID.ecPublicKey) {
    const curveOid = parameters?.tag === 0x06 ? oidText(identifier, parameters) : "unknown";
    if (curveOid === OID.secp256r1) return { algorithm: "ECDSA-P256", bits: 256, oid, curveOid };
    if (curveOid === OID.secp384r1) return { algorithm: "ECDSA-P384", bits: 384, oid, curveOid };
    if (curveOid === OID.secp521r1) return { algorithm: undefined, bits: 521, oid, curveOid };
    return { algorithm: undefined, bits: 0, oid, curveOid };
  }
  if (oid === OID.ed25519) return { algorithm: "Ed25519", bits: 256, oid };
  return { algorithm: undefined, bits: 0, oid };
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
