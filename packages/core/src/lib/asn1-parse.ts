import { AsnParser } from "@peculiar/asn1-schema";
import { KubepkiError } from "../errors.js";
import { toArrayBuffer } from "./bytes.js";

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
