import { AsnParser } from "@peculiar/asn1-schema";
import { KubepkiError } from "../vocabulary/errors.js";
import { toArrayBuffer } from "./bytes.js";
import { checkDerStructure } from "./der-guard.js";

/**
 * Decodes DER with an @peculiar/asn1-schema class, turning every failure (truncation, wrong tag,
 * trailing garbage, absurd lengths) into `INVALID_DER` naming what was being read. Parsing is
 * done by asn1-schema here; key files and the hot paths have kubepki's own strict readers.
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
 * The parser for the certificates and CSRs kubepki reads from outside: {@link checkDerStructure}
 * (definite, minimal lengths, no trailing bytes, bounded nesting: what Go's cryptobyte accepts)
 * and then asn1-schema. Values are not re-encoded: equivalent encodings from other tools (string
 * types, for one) must still parse. Key files, which must be exactly DER, have their own readers
 * (keys/private-key-der.ts) that write back what they read and compare.
 */
export function parseStrictDer<T>(der: Uint8Array, schema: new () => T, what: string): T {
  checkDerStructure(der, what);
  return parseDer(der, schema, what);
}
