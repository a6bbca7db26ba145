// Key strength and type, and the serial number Go refuses (reference §1.3, RFC 5280 §4.1.2.2).
import { describePublicKeyInfo } from "@kubepki/core";
import type { CertificateRule } from "./context.js";

/** Key strength and type, and a negative serial: for any certificate, role known or not. */
export const checkKey: CertificateRule = (ctx, add) => {
  const cert = ctx.entry.certificate;
  // Key strength and type (reference §1.3: RSA ≥ 2048, P-256/P-384; Ed25519 is refused by kubeadm).
  // core leaves keyAlgorithm undefined for RSA < 2048, so the size is read from the SPKI itself.
  if (rsaBits(cert.publicKeyInfo) < 2048) {
    add(
      "error",
      "WEAK_KEY",
      `RSA key of ${cert.keyBits} bits, below the 2048-bit minimum (NIST SP 800-131A; kubeadm only makes RSA-2048 or larger, and openssl verify -auth_level 2 refuses it: "EE certificate key too weak"): whoever factors it can impersonate this certificate`,
      "generate a new key: openssl genrsa -out <name>.key 2048 (or ECDSA P-256), then re-issue",
      "§1.3",
    );
  } else if (cert.keyAlgorithm === undefined || cert.keyAlgorithm === "Ed25519") {
    add(
      "warning",
      "UNSUPPORTED_KEY",
      `public key ${cert.keyAlgorithm ?? "of an unknown type"} is not one Kubernetes loads (RSA or ECDSA P-256/P-384)`,
      "re-issue with an RSA-2048 or ECDSA-P256 key",
      "§1.3",
    );
  }
  const negative = negativeSerial(cert.tbsDer);
  if (negative !== undefined) {
    add(
      "error",
      "NEGATIVE_SERIAL",
      `serial number ${negative} is negative: Go ≥ 1.23 refuses to parse the certificate ("x509: negative serial number", crypto/x509/parser.go; only GODEBUG=x509negativeserial=1 lets it through), so no Kubernetes component loads it`,
      "re-issue it with a positive serial: openssl x509 -req … -CAcreateserial (or -set_serial 0x<random hex>)",
      "RFC 5280 §4.1.2.2",
    );
  }
};

const RSA_ENCRYPTION = "1.2.840.113549.1.1.1";

/** The modulus size of an RSA public key, Infinity for any other key (or one that does not read). */
export function rsaBits(publicKeyInfo: Uint8Array): number {
  try {
    const key = describePublicKeyInfo(publicKeyInfo);
    return key.oid === RSA_ENCRYPTION ? key.bits : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** A DER length at `at`: the value's start and length. */
function derLength(der: Uint8Array, at: number): { start: number; length: number } | undefined {
  const first = der[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return { start: at + 1, length: first };
  const count = first & 0x7f;
  if (count === 0 || count > 4) return undefined;
  let length = 0;
  for (let i = 1; i <= count; i++) length = length * 256 + (der[at + i] ?? 0);
  return { start: at + 1 + count, length };
}

/**
 * The serial number when it is negative (a two's-complement INTEGER whose first octet has the high
 * bit set), read from the TBSCertificate: `Certificate.serialNumber` is the unsigned hex form.
 */
export function negativeSerial(tbs: Uint8Array): bigint | undefined {
  const outer = tbs[0] === 0x30 ? derLength(tbs, 1) : undefined;
  if (!outer) return undefined;
  let at = outer.start;
  if (tbs[at] === 0xa0) {
    const version = derLength(tbs, at + 1);
    if (!version) return undefined;
    at = version.start + version.length;
  }
  const serial = tbs[at] === 0x02 ? derLength(tbs, at + 1) : undefined;
  if (!serial || serial.length === 0 || ((tbs[serial.start] as number) & 0x80) === 0) return undefined;
  let value = 0n;
  for (let i = 0; i < serial.length; i++) value = (value << 8n) | BigInt(tbs[serial.start + i] ?? 0);
  return value - (1n << BigInt(8 * serial.length));
}
