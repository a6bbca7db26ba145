import { AsnSerializer } from "@peculiar/asn1-schema";
import { KubepkiError } from "../errors.js";
import { parseDer } from "../lib/asn1-parse.js";
import { bytesEqual } from "../lib/bytes.js";

/**
 * parseDer, then insists the bytes are the DER of what was read. asn1js matches some tags by
 * number only (a SEQUENCE whose tag byte is 0xb0 or 0xa0 instead of 0x30 parses), so without this a
 * damaged key file can still "parse". Key files are small and read once, so re-encoding is cheap;
 * Go's encoding/asn1, which kubeadm uses, is just as strict.
 */
export function parseStrictDer<T>(der: Uint8Array, schema: new () => T, what: string): T {
  const value = parseDer(der, schema, what);
  let encoded: Uint8Array;
  try {
    encoded = new Uint8Array(AsnSerializer.serialize(value));
  } catch (cause) {
    throw new KubepkiError("INVALID_DER", `Cannot read ${what}: it does not re-encode`, { cause });
  }
  if (!bytesEqual(encoded, der)) {
    throw new KubepkiError(
      "INVALID_DER",
      `Cannot read ${what}: it is not valid DER (wrong tag or non-canonical encoding)`,
    );
  }
  return value;
}
