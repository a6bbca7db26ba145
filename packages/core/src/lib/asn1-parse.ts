import { AsnParser, AsnSerializer } from "@peculiar/asn1-schema";
import { KubepkiError } from "../errors.js";
import { bytesEqual, toArrayBuffer } from "./bytes.js";
import { checkDerStructure } from "./der-guard.js";

/**
 * Decodes DER with an @peculiar/asn1-schema class, turning every failure (truncation, wrong tag,
 * trailing garbage, absurd lengths) into `INVALID_DER` naming what was being read. Parsing is
 * done by asn1-schema only; kubepki's own DER code writes, it never reads.
 */
export function parseDer<T>(der: Uint8Array, schema: new () => T, what: string): T {
  if (!(der instanceof Uint8Array) || der.length === 0) {
    throw new KubepkiError("INVALID_DER", `Cannot read ${what}: no bytes`);
  }
  try {
    return AsnParser.parse(toArrayBuffer(der), schema);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new KubepkiError("INVALID_DER", `Cannot read ${what}: ${reason}`, { cause });
  }
}

/**
 * The parser for every DER kubepki reads from outside: {@link checkDerStructure} (definite,
 * minimal lengths, no trailing bytes, bounded nesting: what Go's cryptobyte accepts) and then
 * asn1-schema. With `canonical`, the value must also re-encode to the very same bytes: asn1js
 * matches some tags by number only (a SEQUENCE tagged 0xb0 or 0xa0 parses), so key files, which
 * are small and read once, are held to Go's encoding/asn1 strictness. Certificates are not
 * re-encoded: equivalent encodings from other tools (string types, for one) must still parse.
 */
export function parseStrictDer<T>(
  der: Uint8Array,
  schema: new () => T,
  what: string,
  options: { canonical?: boolean } = {},
): T {
  checkDerStructure(der, what);
  const value = parseDer(der, schema, what);
  if (options.canonical) {
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
  }
  return value;
}
