import type { NameAttributes } from "../certificate/read-certificate.js";
import { OID } from "../lib/oids.js";
import type { DistinguishedName } from "./distinguished-name.js";
import { formatRdns, NAME_LABELS } from "./subject.js";

/**
 * Reading names (RFC 5280 §4.1.2.4): the attributes `readNameAttributes` (names/read-name.ts)
 * takes from a Name's DER → {@link DistinguishedName}, and the openssl-style one-line text used
 * for `subjectText` / `issuerText`.
 */

/**
 * The {@link DistinguishedName} of a Name's attributes (CN, every O, OU, C, ST, L; the rest in
 * `others`).
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
 * The openssl-style one-line text of a Name's attributes, in encoded order (`/O=a+O=b/CN=c`).
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
