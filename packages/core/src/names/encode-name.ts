import { oid, sequence, setOf, string, Tag } from "../lib/der.js";
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

/**
 * DER `Name` (RDNSequence) for a validated name, in Go's attribute order, several values of one
 * type in one SET (DER-sorted).
 */
export function encodeName(name: DistinguishedName): Uint8Array {
  return sequence(
    nameToRdns(name).map((rdn) =>
      setOf(
        rdn.map((attribute) =>
          sequence([oid(attribute.oid), string(directoryStringTag(attribute.value), attribute.value)]),
        ),
      ),
    ),
  );
}
