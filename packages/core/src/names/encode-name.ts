import { concatBytes } from "../lib/bytes.js";
import { compareBytes, oid, sequence, string, Tag, tlv } from "../lib/der.js";
import type { DistinguishedName } from "./distinguished-name.js";
import { nameToRdns } from "./subject.js";

/**
 * PrintableString's alphabet as Go's encoding/asn1 `isPrintable` defines it for marshalling
 * (X.680 §41.4 minus `*` and `&`, which Go refuses in PrintableString). Go picks PrintableString
 * when every character is in it and UTF8String otherwise; `:` is allowed, so `system:nodes`
 * is a PrintableString exactly as in kubeadm's certificates.
 */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** The ASN.1 string tag Go would use for `value` in a name. */
export function directoryStringTag(value: string): number {
  return PRINTABLE.test(value) ? Tag.PRINTABLE_STRING : Tag.UTF8_STRING;
}

/** A name's DER and the same name with its values in the order that DER holds them. */
export interface EncodedName {
  readonly der: Uint8Array;
  /**
   * The name as a parser will read it back: several values of one type share a SET, and DER
   * sorts a SET's members by their encoding (X.690 §11.6, Go since 1.15), so `["system:nodes",
   * "ops"]` comes back as `["ops", "system:nodes"]`. Kubernetes groups are a set; reporting the
   * encoded order keeps a created certificate equal to its parsed self.
   */
  readonly name: DistinguishedName;
}

/**
 * DER `Name` (RDNSequence) for a validated name, in Go's attribute order, several values of one
 * type in one SET (DER-sorted).
 */
export function encodeName(name: DistinguishedName): EncodedName {
  const ordered: Record<string, unknown> = {};
  const rdns = nameToRdns(name).map((rdn) => {
    const members = rdn
      .map((attribute) => ({
        attribute,
        der: sequence([oid(attribute.oid), string(directoryStringTag(attribute.value), attribute.value)]),
      }))
      .sort((a, b) => compareBytes(a.der, b.der));
    for (const { attribute } of members) {
      const key = attribute.key;
      if (key === "commonName") ordered.commonName = attribute.value;
      else if (key === "others")
        ordered.others = [...((ordered.others as unknown[]) ?? []), { oid: attribute.oid, value: attribute.value }];
      else ordered[key] = [...((ordered[key] as string[]) ?? []), attribute.value];
    }
    return tlv(Tag.SET, concatBytes(members.map((member) => member.der)));
  });
  return { der: sequence(rdns), name: ordered as DistinguishedName };
}
