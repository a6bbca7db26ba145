import type { Name } from "@peculiar/asn1-x509";
import type { DistinguishedName } from "./distinguished-name.js";

/** OWNER: parse/verify helper (stub). asn1-schema Name → DistinguishedName. */
export function decodeName(name: Name): DistinguishedName {
  void name;
  throw new Error("not implemented: decodeName");
}
