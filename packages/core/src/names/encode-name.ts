import { asciiString, compareBytes, constructedSet, oid, sequence, string, Tag } from "../lib/der.js";
import type { DistinguishedName } from "./distinguished-name.js";
import { formatRdns, type NameAttribute, nameToRdns } from "./subject.js";

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

/** A name's DER, the same name with its values in the order that DER holds them, and its text. */
export interface EncodedName {
  readonly der: Uint8Array;
  /**
   * The name as a parser will read it back: several values of one type share a SET, and DER
   * sorts a SET's members by their encoding (X.690 §11.6, Go since 1.15), so `["system:nodes",
   * "ops"]` comes back as `["ops", "system:nodes"]`. Kubernetes groups are a set; reporting the
   * encoded order keeps a created certificate equal to its parsed self.
   */
  readonly name: DistinguishedName;
  /** `formatName(name)`: the openssl-style one-line text, made while encoding. */
  readonly text: string;
}

/** One AttributeTypeAndValue: SEQUENCE { type OID, value DirectoryString }. */
function attributeTypeAndValue(attribute: NameAttribute): Uint8Array {
  const value = attribute.value;
  const tag = directoryStringTag(value);
  // A PrintableString is ASCII: its bytes are its character codes, no UTF-8 encoder needed.
  return sequence([oid(attribute.oid), tag === Tag.PRINTABLE_STRING ? asciiString(tag, value) : string(tag, value)]);
}

/**
 * DER `Name` (RDNSequence) for a validated name, in Go's attribute order, several values of one
 * type in one SET (DER-sorted).
 */
export function encodeName(name: DistinguishedName): EncodedName {
  const ordered: Record<string, unknown> = {};
  const sets: Uint8Array[] = [];
  const text: string[] = [];
  for (const rdn of nameToRdns(name)) {
    let members: NameAttribute[] = rdn;
    let ders: Uint8Array[];
    if (rdn.length === 1) ders = [attributeTypeAndValue(rdn[0] as NameAttribute)];
    else {
      const pairs = rdn
        .map((attribute) => ({ attribute, der: attributeTypeAndValue(attribute) }))
        .sort((a, b) => compareBytes(a.der, b.der));
      members = pairs.map((pair) => pair.attribute);
      ders = pairs.map((pair) => pair.der);
    }
    for (const attribute of members) {
      const key = attribute.key;
      if (key === "commonName") {
        ordered.commonName = attribute.value;
        continue;
      }
      const value = key === "others" ? { oid: attribute.oid, value: attribute.value } : attribute.value;
      const list = ordered[key] as unknown[] | undefined;
      if (list) list.push(value);
      else ordered[key] = [value];
    }
    sets.push(constructedSet(ders));
    text.push(formatRdns([members]));
  }
  return { der: sequence(sets), name: ordered as DistinguishedName, text: text.join("") };
}
