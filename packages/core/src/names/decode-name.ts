import type { AttributeValue, Name } from "@peculiar/asn1-x509";
import type { NameAttributes } from "../certificate/read-certificate.js";
import { toHex } from "../lib/bytes.js";
import { OID } from "../lib/oids.js";
import type { DistinguishedName } from "./distinguished-name.js";
import { formatRdns, NAME_LABELS } from "./subject.js";

/**
 * Reading names (RFC 5280 §4.1.2.4): asn1-schema `Name` → {@link DistinguishedName}, and the
 * openssl-style one-line text used for `subjectText` / `issuerText`.
 */

// Universal string tags asn1-x509's AttributeValue CHOICE does not list (they land in `anyValue`).
const NUMERIC_STRING = 0x12;
const VISIBLE_STRING = 0x1a;

/**
 * The text of an attribute value (e.g. `"system:nodes"` for an O attribute). DirectoryString (RFC 5280 §4.1.2.4) may be any of its string
 * types; a CA may also use IA5String (emailAddress, DC) or, rarely, NumericString/VisibleString.
 * Anything else is shown as `#` + hex of its DER, as RFC 4514 §2.4 does.
 *
 * @example
 * ```ts
 * import { AttributeValue } from "@peculiar/asn1-x509";
 * import { attributeValueText } from "./decode-name.js";
 *
 * console.log(attributeValueText(new AttributeValue({ utf8String: "system:nodes" }))); // "system:nodes"
 * // A value of a type it does not read: its DER in hex (an INTEGER 5 here).
 * console.log(attributeValueText(new AttributeValue({ anyValue: Uint8Array.of(0x02, 0x01, 0x05).buffer }))); // "#020105"
 * ```
 */
export function attributeValueText(value: AttributeValue): string {
  const strings = [
    value.utf8String,
    value.printableString,
    value.ia5String,
    value.bmpString,
    value.universalString,
    value.teletexString,
  ];
  for (const text of strings) if (typeof text === "string") return text;
  if (value.anyValue) {
    const der = new Uint8Array(value.anyValue);
    const tag = der[0];
    // Short-form length only: a name attribute longer than 127 bytes is shown as hex.
    const length = der[1];
    if ((tag === NUMERIC_STRING || tag === VISIBLE_STRING) && length !== undefined && length + 2 === der.length) {
      return String.fromCharCode(...der.subarray(2));
    }
    return `#${toHex(der)}`;
  }
  return "";
}

/**
 * Decodes an asn1-schema `Name` into a {@link DistinguishedName}. Every O is kept, in DER order,
 * whether the O values share one multi-valued RDN (Go's encoding) or sit in separate RDNs
 * (OpenSSL's): the apiserver reads them all as groups. With several CNs the last one wins, as
 * Go's `pkix.Name.FillFromRDNSequence` does. Attribute types kubepki does not model go to `others`.
 *
 * @example
 * ```ts
 * import { AsnParser } from "@peculiar/asn1-schema";
 * import { Name } from "@peculiar/asn1-x509";
 * import { decodeName } from "./decode-name.js";
 * import { encodeName } from "./encode-name.js";
 *
 * const { der } = encodeName({ commonName: "system:node:w1", organizations: ["system:nodes"] });
 * const name = decodeName(AsnParser.parse(der, Name));
 * console.log(name.commonName, name.organizations); // "system:node:w1" ["system:nodes"]
 * ```
 */
export function decodeName(name: Name): DistinguishedName {
  return decodeNameAttributes(nameAttributes(name));
}

/**
 * A parsed Name as (type OID, value text) per RDN, in encoded order: the one shape both the
 * asn1-schema path and the fast path of `parseCertificate` produce.
 *
 * @example
 * ```ts
 * import { AsnParser } from "@peculiar/asn1-schema";
 * import { Name } from "@peculiar/asn1-x509";
 * import { nameAttributes } from "./decode-name.js";
 * import { encodeName } from "./encode-name.js";
 *
 * const { der } = encodeName({ commonName: "kubernetes" });
 * console.log(nameAttributes(AsnParser.parse(der, Name))); // [[{ type: "2.5.4.3", value: "kubernetes" }]]
 * ```
 */
export function nameAttributes(name: Name): NameAttributes {
  return Array.from(name, (rdn) =>
    Array.from(rdn, (attribute) => ({ type: attribute.type, value: attributeValueText(attribute.value) })),
  );
}

/**
 * {@link decodeName} of {@link nameAttributes}.
 *
 * @example
 * ```ts
 * import { decodeNameAttributes } from "./decode-name.js";
 *
 * console.log(
 *   decodeNameAttributes([[{ type: "2.5.4.10", value: "system:nodes" }], [{ type: "2.5.4.3", value: "system:node:n1" }]]),
 * );
 * // { commonName: "system:node:n1", organizations: ["system:nodes"] }
 * ```
 */
export function decodeNameAttributes(name: NameAttributes): DistinguishedName {
  let commonName: string | undefined;
  const organizations: string[] = [];
  const organizationalUnits: string[] = [];
  const countries: string[] = [];
  const provinces: string[] = [];
  const localities: string[] = [];
  const others: { oid: string; value: string }[] = [];
  for (const rdn of name) {
    for (const attribute of rdn) {
      const value = attribute.value;
      switch (attribute.type) {
        case OID.commonName:
          commonName = value;
          break;
        case OID.organization:
          organizations.push(value);
          break;
        case OID.organizationalUnit:
          organizationalUnits.push(value);
          break;
        case OID.country:
          countries.push(value);
          break;
        case OID.province:
          provinces.push(value);
          break;
        case OID.locality:
          localities.push(value);
          break;
        default:
          others.push({ oid: attribute.type, value });
      }
    }
  }
  const result: {
    -readonly [K in keyof DistinguishedName]: DistinguishedName[K];
  } = {};
  if (commonName !== undefined) result.commonName = commonName;
  if (organizations.length > 0) result.organizations = organizations;
  if (organizationalUnits.length > 0) result.organizationalUnits = organizationalUnits;
  if (countries.length > 0) result.countries = countries;
  if (provinces.length > 0) result.provinces = provinces;
  if (localities.length > 0) result.localities = localities;
  if (others.length > 0) result.others = others;
  return result;
}

/**
 * Formats a `Name` as openssl's one-line text in DER order: `/O=system:nodes/CN=system:node:w1`.
 * Attributes of one multi-valued RDN are joined with `+` (`/O=a+O=b/CN=x`, Go's layout for several
 * groups); `/`, `+` and `\` inside values are escaped with a backslash; attribute types without a
 * short label are written as their dotted OID (which `openssl req -subj` also accepts). The text
 * comes from the same `formatRdns` the write path uses, so a created certificate and the same
 * certificate parsed back print alike.
 *
 * @example
 * ```ts
 * import { createCsr, generateKeyPair } from "@kubepki/core";
 * import { AsnParser } from "@peculiar/asn1-schema";
 * import { CertificationRequest } from "@peculiar/asn1-csr";
 * import { formatNameText } from "./decode-name.js";
 *
 * const keyPair = await generateKeyPair("ECDSA-P256");
 * const csr = await createCsr({ keyPair, subject: { commonName: "system:node:w1", organizations: ["system:nodes"] } });
 * const asn = AsnParser.parse(csr.der, CertificationRequest);
 * console.log(formatNameText(asn.certificationRequestInfo.subject)); // "/O=system:nodes/CN=system:node:w1"
 * ```
 */
export function formatNameText(name: Name): string {
  return formatNameAttributes(nameAttributes(name));
}

/**
 * {@link formatNameText} of {@link nameAttributes}.
 *
 * @example
 * ```ts
 * import { formatNameAttributes } from "./decode-name.js";
 *
 * console.log(formatNameAttributes([[{ type: "2.5.4.3", value: "kubernetes" }]])); // "/CN=kubernetes"
 * ```
 */
export function formatNameAttributes(name: NameAttributes): string {
  const rdns = name
    .map((rdn) =>
      rdn.map((attribute) => ({ label: NAME_LABELS[attribute.type] ?? attribute.type, value: attribute.value })),
    )
    .filter((rdn) => rdn.length > 0);
  return formatRdns(rdns);
}
