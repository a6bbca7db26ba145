import { bytesEqual } from "../lib/bytes.js";
import { callCrypto } from "../lib/crypto.js";
import { NULL, octetString, oid, sequence, smallInteger } from "../lib/der.js";
import { checkDerStructure, type DerElement, elementsOf, readElement, readOid } from "../lib/der-guard.js";
import { KubepkiError } from "../vocabulary/errors.js";

/**
 * PKCS#8 `EncryptedPrivateKeyInfo` (RFC 5958 §3) with PBES2 (RFC 8018 §6.2): PBKDF2 (§5.2, A.2)
 * derives an AES-CBC key (RFC 3565 §4.1 for the AES identifiers) from a passphrase. This module
 * is the DER, written with lib/der and read with lib/der-guard as strictly as the other key
 * readers (every length checked first, then written back and compared), and the key derivation
 * both directions share; encrypt.ts and decrypt.ts hold the rest. It is what `openssl pkcs8 -topk8 -v2 aes-256-cbc
 * -v2prf hmacWithSHA256` writes, and what openssl writes with any `-v2 aes-*-cbc` and `-v2prf`.
 */

const PBES2 = "1.2.840.113549.1.5.13";
const PBKDF2 = "1.2.840.113549.1.5.12";

/** PBKDF2's PRFs (RFC 8018 B.1.2), with the WebCrypto hash each stands for. */
export const PBKDF2_PRFS = {
  "1.2.840.113549.2.7": { name: "hmacWithSHA1", hash: "SHA-1" },
  "1.2.840.113549.2.9": { name: "hmacWithSHA256", hash: "SHA-256" },
  "1.2.840.113549.2.10": { name: "hmacWithSHA384", hash: "SHA-384" },
  "1.2.840.113549.2.11": { name: "hmacWithSHA512", hash: "SHA-512" },
} as const;

/** PBKDF2-params' `prf DEFAULT algid-hmacWithSHA1` (RFC 8018 A.2): omitted in DER when it is SHA-1. */
const DEFAULT_PRF = "1.2.840.113549.2.7";

/** The ciphers read, by OID, with their key length in bytes (their IV is one 16-byte block). */
export const AES_CBC_CIPHERS = {
  "2.16.840.1.101.3.4.1.2": { name: "aes-128-cbc", keyBytes: 16 },
  "2.16.840.1.101.3.4.1.22": { name: "aes-192-cbc", keyBytes: 24 },
  "2.16.840.1.101.3.4.1.42": { name: "aes-256-cbc", keyBytes: 32 },
} as const;

export type PrfOid = keyof typeof PBKDF2_PRFS;
export type CipherOid = keyof typeof AES_CBC_CIPHERS;

/** What kubepki writes: AES-256-CBC keyed by PBKDF2-HMAC-SHA256. */
export const WRITTEN_PRF: PrfOid = "1.2.840.113549.2.9";
export const WRITTEN_CIPHER: CipherOid = "2.16.840.1.101.3.4.1.42";

/**
 * Above this PBKDF2 iteration count a file is refused rather than read: 10 million rounds of
 * HMAC-SHA-512 already take seconds, and a hostile file asking for 2^31 would hold the process for
 * minutes. 16× OWASP's 2023 figure for PBKDF2-HMAC-SHA256 (600,000) leaves room for careful users.
 */
export const MAX_ITERATIONS = 10_000_000;

/** Names of the schemes people meet that kubepki refuses, so the error says which one it was. */
const REFUSED_SCHEMES: Readonly<Record<string, string>> = {
  "1.2.840.113549.1.5.1": "PBES1 pbeWithMD2AndDES-CBC",
  "1.2.840.113549.1.5.3": "PBES1 pbeWithMD5AndDES-CBC",
  "1.2.840.113549.1.5.10": "PBES1 pbeWithSHA1AndDES-CBC",
  "1.2.840.113549.1.12.1.1": "PKCS#12 pbeWithSHAAnd128BitRC4",
  "1.2.840.113549.1.12.1.3": "PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC (openssl -v1 PBE-SHA1-3DES)",
  "1.2.840.113549.1.12.1.5": "PKCS#12 pbeWithSHAAnd128BitRC2-CBC",
  "1.2.840.113549.1.12.1.6": "PKCS#12 pbeWithSHAAnd40BitRC2-CBC",
  "1.3.6.1.4.1.11591.4.11": "scrypt (openssl -scrypt)",
  "1.2.840.113549.3.7": "des-ede3-cbc",
  "1.3.14.3.2.7": "des-cbc",
  "1.2.840.113549.3.2": "rc2-cbc",
  "2.16.840.1.101.3.4.1.6": "aes-128-gcm",
  "2.16.840.1.101.3.4.1.46": "aes-256-gcm",
  "1.2.840.113549.2.5": "hmacWithMD5",
  "1.2.840.113549.2.8": "hmacWithSHA224",
  "1.2.840.113549.2.12": "hmacWithSHA512-224",
  "1.2.840.113549.2.13": "hmacWithSHA512-256",
};

/** The parameters of one PBES2 encryption, as read from a file or chosen for writing. */
export interface Pbes2Parameters {
  readonly salt: Uint8Array;
  readonly iterations: number;
  readonly prf: PrfOid;
  readonly cipher: CipherOid;
  readonly iv: Uint8Array;
  /** PBKDF2-params' optional keyLength, kept when a file has it (written back as read). */
  readonly keyLength?: number;
}

const WHAT = "encrypted private key (PKCS#8 EncryptedPrivateKeyInfo)";

function invalid(reason: string): KubepkiError {
  return new KubepkiError("INVALID_DER", `Cannot read ${WHAT}: ${reason}`);
}

function unsupported(scheme: string): KubepkiError {
  return new KubepkiError(
    "UNSUPPORTED_KEY_ENCRYPTION",
    `The private key is encrypted with ${scheme}, which kubepki does not read: only PBES2 with PBKDF2 (hmacWithSHA1/256/384/512) and AES-128/192/256-CBC. Re-encrypt it, e.g. "openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -in key.pem -out encrypted.pem"`,
    { details: { scheme } },
  );
}

const schemeName = (dotted: string) => REFUSED_SCHEMES[dotted] ?? `the scheme ${dotted}`;

/** `SEQUENCE { OID, parameters? }`: the OID and the (optional) parameters element. */
function algorithmIdentifier(der: Uint8Array, field: DerElement | undefined, name: string) {
  if (field?.tag !== 0x30) throw invalid(`${name} is not an AlgorithmIdentifier`);
  const [oidField, parameters, ...extra] = elementsOf(der, field, WHAT);
  if (oidField?.tag !== 0x06 || extra.length > 0) throw invalid(`${name} is not an AlgorithmIdentifier`);
  return { oid: readOid(der, oidField, WHAT), parameters };
}

/** A non-negative INTEGER that fits a number (any longer one is refused before it is used). */
function positiveInteger(field: DerElement | undefined, name: string): number {
  if (field?.tag !== 0x02 || field.value.length === 0) throw invalid(`${name} is not an INTEGER`);
  if ((field.value[0] as number) & 0x80) throw invalid(`${name} is negative`);
  // Five content octets hold up to 2^39: enough to tell "too many iterations" from garbage.
  if (field.value.length > 5) return Number.POSITIVE_INFINITY;
  let value = 0;
  for (const byte of field.value) value = value * 256 + byte;
  return value;
}

/** The PBES2 parameters and the ciphertext of an `ENCRYPTED PRIVATE KEY` block's DER. */
export function readEncryptedPrivateKeyInfo(der: Uint8Array): {
  parameters: Pbes2Parameters;
  ciphertext: Uint8Array;
} {
  checkDerStructure(der, WHAT);
  const outer = readElement(der, 0, der.length, WHAT);
  if (outer.tag !== 0x30) throw invalid("expected a SEQUENCE");
  const [schemeField, dataField, ...extra] = elementsOf(der, outer, WHAT);
  if (dataField?.tag !== 0x04 || extra.length > 0) {
    throw invalid("expected SEQUENCE { AlgorithmIdentifier, OCTET STRING }");
  }
  const scheme = algorithmIdentifier(der, schemeField, "the encryption algorithm");
  if (scheme.oid !== PBES2) throw unsupported(schemeName(scheme.oid));
  if (scheme.parameters?.tag !== 0x30) throw invalid("PBES2-params is not a SEQUENCE");
  const [kdfField, cipherField, ...extraParams] = elementsOf(der, scheme.parameters, WHAT);
  if (extraParams.length > 0) throw invalid("unexpected fields in PBES2-params");
  const kdf = algorithmIdentifier(der, kdfField, "the key derivation function");
  if (kdf.oid !== PBKDF2) throw unsupported(`PBES2 with ${schemeName(kdf.oid)} key derivation`);
  const cipher = algorithmIdentifier(der, cipherField, "the encryption scheme");
  if (!(cipher.oid in AES_CBC_CIPHERS)) throw unsupported(`PBES2 with the cipher ${schemeName(cipher.oid)}`);
  if (cipher.parameters?.tag !== 0x04 || cipher.parameters.value.length !== 16) {
    throw invalid("the AES-CBC IV is not a 16-byte OCTET STRING");
  }
  if (kdf.parameters?.tag !== 0x30) throw invalid("PBKDF2-params is not a SEQUENCE");
  const [saltField, iterationsField, ...rest] = elementsOf(der, kdf.parameters, WHAT);
  // salt CHOICE { specified OCTET STRING, otherSource AlgorithmIdentifier }: only `specified` is in use.
  if (saltField?.tag !== 0x04 || saltField.value.length === 0) throw invalid("the PBKDF2 salt is not an OCTET STRING");
  const iterations = positiveInteger(iterationsField, "the PBKDF2 iteration count");
  if (iterations < 1) throw invalid("the PBKDF2 iteration count is 0");
  if (iterations > MAX_ITERATIONS) {
    throw new KubepkiError(
      "UNSUPPORTED_KEY_ENCRYPTION",
      `The private key asks for ${Number.isFinite(iterations) ? iterations.toLocaleString("en-US") : "more than 2^39"} PBKDF2 iterations; kubepki reads at most ${MAX_ITERATIONS.toLocaleString("en-US")} (a hostile file could otherwise hold the process for minutes)`,
      { details: { scheme: "PBES2", iterations } },
    );
  }
  const keyLengthField = rest[0]?.tag === 0x02 ? rest.shift() : undefined;
  const keyLength = keyLengthField ? positiveInteger(keyLengthField, "the PBKDF2 key length") : undefined;
  const prfField = rest.shift();
  if (rest.length > 0) throw invalid("unexpected fields in PBKDF2-params");
  const prf = prfField
    ? algorithmIdentifier(der, prfField, "the PBKDF2 PRF")
    : { oid: DEFAULT_PRF, parameters: undefined };
  if (!(prf.oid in PBKDF2_PRFS)) throw unsupported(`PBKDF2 with ${schemeName(prf.oid)}`);
  const cipherOid = cipher.oid as CipherOid;
  if (keyLength !== undefined && keyLength !== AES_CBC_CIPHERS[cipherOid].keyBytes) {
    throw invalid(`the PBKDF2 key length ${keyLength} does not fit ${AES_CBC_CIPHERS[cipherOid].name}`);
  }
  // The prf's parameters are NULL or absent (RFC 8018 B.1.2 says NULL; both are seen).
  if (prf.parameters && !(prf.parameters.tag === 0x05 && prf.parameters.value.length === 0)) {
    throw invalid("the PBKDF2 PRF has parameters other than NULL");
  }
  const parameters: Pbes2Parameters = {
    salt: saltField.value,
    iterations,
    prf: prf.oid as PrfOid,
    cipher: cipherOid,
    iv: cipher.parameters.value,
    ...(keyLength !== undefined ? { keyLength } : {}),
  };
  const ciphertext = dataField.value;
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw invalid("the encrypted data is not a whole number of AES blocks");
  }
  const rewritten = writeEncryptedPrivateKeyInfo(parameters, ciphertext, {
    prfWritten: prfField !== undefined,
    prfNull: prf.parameters !== undefined,
  });
  if (!bytesEqual(rewritten, der)) throw invalid("it is not valid DER (wrong tag or non-canonical encoding)");
  return { parameters, ciphertext };
}

/**
 * `EncryptedPrivateKeyInfo` in DER. The PRF is written as openssl writes it (with NULL
 * parameters), and left out when it is the default hmacWithSHA1 unless `layout` says the file
 * being checked had it.
 */
export function writeEncryptedPrivateKeyInfo(
  parameters: Pbes2Parameters,
  ciphertext: Uint8Array,
  layout: { prfWritten: boolean; prfNull: boolean } = { prfWritten: parameters.prf !== DEFAULT_PRF, prfNull: true },
): Uint8Array {
  const prf = layout.prfWritten ? [sequence([oid(parameters.prf), ...(layout.prfNull ? [NULL] : [])])] : [];
  const pbkdf2Params = sequence([
    octetString(parameters.salt),
    smallInteger(parameters.iterations),
    ...(parameters.keyLength !== undefined ? [smallInteger(parameters.keyLength)] : []),
    ...prf,
  ]);
  const pbes2Params = sequence([
    sequence([oid(PBKDF2), pbkdf2Params]),
    sequence([oid(parameters.cipher), octetString(parameters.iv)]),
  ]);
  return sequence([sequence([oid(PBES2), pbes2Params]), octetString(ciphertext)]);
}

/** The passphrase's bytes: a string is taken as UTF-8, as openssl takes what is typed or in a file. */
export function passphraseBytes(passphrase: unknown, what: string): Uint8Array<ArrayBuffer> {
  if (typeof passphrase === "string") return new TextEncoder().encode(passphrase);
  if (passphrase instanceof Uint8Array) return Uint8Array.from(passphrase);
  throw new KubepkiError("INVALID_ARGUMENT", `${what} needs the passphrase as a string or a Uint8Array`);
}

/** PBKDF2 (RFC 8018 §5.2) with the file's PRF, salt and count, as an AES-CBC key for `usage`. */
export async function deriveAesKey(
  crypto: Crypto,
  passphrase: Uint8Array<ArrayBuffer>,
  parameters: Pbes2Parameters,
  usage: "encrypt" | "decrypt",
): Promise<CryptoKey> {
  const { keyBytes } = AES_CBC_CIPHERS[parameters.cipher];
  const bits = await callCrypto("deriveBits(PBKDF2)", async () => {
    const material = await crypto.subtle.importKey("raw", passphrase, "PBKDF2", false, ["deriveBits"]);
    return crypto.subtle.deriveBits(
      {
        name: "PBKDF2",
        salt: Uint8Array.from(parameters.salt),
        iterations: parameters.iterations,
        hash: PBKDF2_PRFS[parameters.prf].hash,
      },
      material,
      keyBytes * 8,
    );
  });
  return callCrypto("importKey(AES-CBC)", () => crypto.subtle.importKey("raw", bits, "AES-CBC", false, [usage]));
}
