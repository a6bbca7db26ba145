import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  ExtendedKeyUsage,
  type Extension,
  KeyUsage as KeyUsageBits,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
} from "@peculiar/asn1-x509";
import { KubepkiError } from "../errors.js";
import { parseStrictDer } from "../lib/asn1-parse.js";
import { toHex } from "../lib/bytes.js";
import { OID } from "../lib/oids.js";
import { formatIp, parseIp } from "../names/ip.js";
import type { SubjectAltName } from "../names/subject-alt-name.js";
import { EXT_KEY_USAGE_OIDS, type ExtKeyUsage, KEY_USAGES, type KeyUsage } from "./usages.js";

/** The extensions a Kubernetes operator looks at, decoded (shared by certificates and CSRs). */
export interface DecodedExtensions {
  subjectAltNames: SubjectAltName[];
  keyUsages: KeyUsage[] | undefined;
  extKeyUsages: (ExtKeyUsage | string)[] | undefined;
  isCa: boolean;
  pathLength: number | undefined;
  subjectKeyIdentifier: string | undefined;
  authorityKeyIdentifier: string | undefined;
}

let ekuNames: Map<string, ExtKeyUsage> | undefined;
function ekuName(oid: string): ExtKeyUsage | string {
  // Built on first use: no work at import time.
  ekuNames ??= new Map(Object.entries(EXT_KEY_USAGE_OIDS).map(([name, value]) => [value, name as ExtKeyUsage]));
  return ekuNames.get(oid) ?? oid;
}

/**
 * keyUsage bits in RFC 5280 §4.2.1.3 order: bit 0 (digitalSignature) is the most significant
 * bit of the first content byte. Bits past decipherOnly are ignored, as Go does.
 */
function decodeKeyUsage(value: Uint8Array, what: string): KeyUsage[] {
  const bits = parseStrictDer(value, KeyUsageBits, `${what} keyUsage`);
  const bytes = new Uint8Array(bits.value);
  const usages: KeyUsage[] = [];
  KEY_USAGES.forEach((usage, bit) => {
    const byte = bytes[bit >> 3];
    if (byte !== undefined && byte & (0x80 >> (bit & 7))) usages.push(usage);
  });
  return usages;
}

function decodeSubjectAltNames(value: Uint8Array, what: string): SubjectAltName[] {
  const names = parseStrictDer(value, SubjectAlternativeName, `${what} subjectAltName`);
  const out: SubjectAltName[] = [];
  for (const name of names) {
    if (name.dNSName !== undefined) out.push({ type: "dns", value: name.dNSName });
    else if (name.iPAddress !== undefined) {
      // asn1-x509 hands IP SANs over as text; going through our strict parser both canonicalises
      // IPv6 (RFC 5952) and rejects lengths other than 4 or 16 (Go: "cannot parse IP address of
      // length N"; 8- and 32-byte values are name-constraint ranges, not addresses).
      const bytes = parseIp(name.iPAddress);
      if (!bytes) {
        throw new KubepkiError("INVALID_DER", `Cannot read ${what} subjectAltName: bad IP address ${name.iPAddress}`);
      }
      out.push({ type: "ip", value: formatIp(bytes) });
    } else if (name.uniformResourceIdentifier !== undefined) {
      out.push({ type: "uri", value: name.uniformResourceIdentifier });
    } else if (name.rfc822Name !== undefined) out.push({ type: "email", value: name.rfc822Name });
    // otherName, x400Address, directoryName, ediPartyName and registeredID are skipped, as Go
    // skips SAN types it does not model.
  }
  return out;
}

/**
 * Decodes the extensions kubepki models. Duplicates are refused (RFC 5280 §4.2: "A certificate
 * MUST NOT include more than one instance of a particular extension"; Go rejects them too).
 * Unknown extensions are ignored here.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair } from "@kubepki/core";
 * import { AsnParser } from "@peculiar/asn1-schema";
 * import { Certificate } from "@peculiar/asn1-x509";
 * import { decodeExtensions } from "./decode-extensions.js";
 *
 * const ca = await createSelfSignedCa({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=kubernetes" });
 * const asn = AsnParser.parse(ca.der, Certificate);
 * const { isCa, keyUsages } = decodeExtensions(asn.tbsCertificate.extensions, "certificate");
 * console.log(isCa, keyUsages); // true ["digitalSignature", "keyCertSign"]
 * ```
 */
export function decodeExtensions(extensions: readonly Extension[] | undefined, what: string): DecodedExtensions {
  const result: DecodedExtensions = {
    subjectAltNames: [],
    keyUsages: undefined,
    extKeyUsages: undefined,
    isCa: false,
    pathLength: undefined,
    subjectKeyIdentifier: undefined,
    authorityKeyIdentifier: undefined,
  };
  const seen = new Set<string>();
  for (const extension of extensions ?? []) {
    if (seen.has(extension.extnID)) {
      throw new KubepkiError("INVALID_DER", `Cannot read ${what}: extension ${extension.extnID} appears twice`);
    }
    seen.add(extension.extnID);
    const value = new Uint8Array(extension.extnValue.buffer);
    switch (extension.extnID) {
      case OID.subjectAltName:
        result.subjectAltNames = decodeSubjectAltNames(value, what);
        break;
      case OID.keyUsage:
        result.keyUsages = decodeKeyUsage(value, what);
        break;
      case OID.extKeyUsage:
        result.extKeyUsages = Array.from(parseStrictDer(value, ExtendedKeyUsage, `${what} extKeyUsage`), ekuName);
        break;
      case OID.basicConstraints: {
        const constraints = parseStrictDer(value, BasicConstraints, `${what} basicConstraints`);
        result.isCa = constraints.cA === true;
        const pathLength = constraints.pathLenConstraint;
        if (pathLength !== undefined) {
          if (!Number.isSafeInteger(pathLength) || pathLength < 0) {
            throw new KubepkiError("INVALID_DER", `Cannot read ${what}: basicConstraints pathLen ${pathLength}`);
          }
          // Go ignores pathLen on a non-CA certificate (MaxPathLen only means something with IsCA).
          if (result.isCa) result.pathLength = pathLength;
        }
        break;
      }
      case OID.subjectKeyIdentifier:
        result.subjectKeyIdentifier = toHex(
          new Uint8Array(parseStrictDer(value, SubjectKeyIdentifier, `${what} subjectKeyIdentifier`).buffer),
        );
        break;
      case OID.authorityKeyIdentifier: {
        const aki = parseStrictDer(value, AuthorityKeyIdentifier, `${what} authorityKeyIdentifier`);
        if (aki.keyIdentifier) result.authorityKeyIdentifier = toHex(new Uint8Array(aki.keyIdentifier.buffer));
        break;
      }
    }
  }
  return result;
}
