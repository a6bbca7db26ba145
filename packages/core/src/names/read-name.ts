import type { NameAttributes } from "../certificate/read-certificate.js";
import { checkDerStructure, readOid, readTlvHeader, type TlvHeader } from "../lib/der-guard.js";
import { KubepkiError } from "../vocabulary/errors.js";

/**
 * A DER `Name` (RDNSequence) read straight from its bytes with the strict TLV walker: every RDN
 * in order, each attribute as (type OID, value text). Both certificate parse paths and the CSR
 * parser read names here, so a name reads the same wherever it comes from. DirectoryString
 * types decode to text (UTF8String strictly — invalid UTF-8 is refused, as Go refuses it —,
 * Printable/IA5/Numeric/Visible as ASCII, TeletexString as Latin-1, BMPString as UTF-16,
 * UniversalString as UTF-32); any other value type is refused, as Go's `parseName` refuses it.
 */

const UTF8_STRING = 0x0c;
const NUMERIC_STRING = 0x12;
const PRINTABLE_STRING = 0x13;
const TELETEX_STRING = 0x14;
const IA5_STRING = 0x16;
const VISIBLE_STRING = 0x1a;
const UNIVERSAL_STRING = 0x1c;
const BMP_STRING = 0x1e;

function fail(what: string, reason: string): never {
  throw new KubepkiError("INVALID_DER", `Cannot read ${what}: ${reason}`);
}

function children(der: Uint8Array, parent: TlvHeader, what: string): TlvHeader[] {
  const out: TlvHeader[] = [];
  for (let position = parent.valueStart; position < parent.end; ) {
    const child = readTlvHeader(der, position, parent.end, what);
    out.push(child);
    position = child.end;
  }
  return out;
}

// One decoder for every name: constructing a TextDecoder costs more than decoding a short name.
const utf8 = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Each byte as the character of that code (T.61 read as Latin-1, as Go does). */
function latin1Text(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i] as number);
  return text;
}

function valueText(der: Uint8Array, value: TlvHeader, what: string): string {
  const bytes = der.subarray(value.valueStart, value.end);
  switch (value.tag) {
    case UTF8_STRING:
      try {
        return utf8.decode(bytes);
      } catch {
        return fail(what, "a UTF8String is not valid UTF-8");
      }
    case PRINTABLE_STRING:
    case IA5_STRING:
    case NUMERIC_STRING:
    case VISIBLE_STRING:
      // Indexed loops and one decoder call: iterating the bytes allocates in code V8 has not
      // optimised yet, and an audit reads every name of thousands of certificates.
      for (let i = 0; i < bytes.length; i++) {
        if ((bytes[i] as number) >= 0x80) fail(what, "non-ASCII byte in an ASCII string type");
      }
      // ASCII is valid UTF-8 with the same characters.
      return utf8.decode(bytes);
    case TELETEX_STRING:
      return latin1Text(bytes);
    case BMP_STRING: {
      if (bytes.length % 2 !== 0) fail(what, "a BMPString of odd length");
      let text = "";
      for (let i = 0; i < bytes.length; i += 2)
        text += String.fromCharCode(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
      return text;
    }
    case UNIVERSAL_STRING: {
      if (bytes.length % 4 !== 0) fail(what, "a UniversalString whose length is not a multiple of 4");
      let text = "";
      for (let i = 0; i < bytes.length; i += 4) {
        const code =
          (((bytes[i] as number) << 24) |
            ((bytes[i + 1] as number) << 16) |
            ((bytes[i + 2] as number) << 8) |
            (bytes[i + 3] as number)) >>>
          0;
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
          fail(what, "a UniversalString with an invalid character");
        text += String.fromCodePoint(code);
      }
      return text;
    }
    default:
      // Go's parseName refuses any other value type ("unsupported string type"), and so do we.
      return fail(what, `an attribute value of unsupported type (tag 0x${value.tag.toString(16)})`);
  }
}

/**
 * The attributes of a DER Name, in encoded order.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair } from "@kubepki/core";
 * import { readNameAttributes } from "./read-name.js";
 *
 * const ca = await createSelfSignedCa({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/O=ops/CN=kubernetes" });
 * console.log(readNameAttributes(ca.subjectDer, "subject")); // [[{ type: "2.5.4.10", value: "ops" }], [{ type: "2.5.4.3", value: "kubernetes" }]]
 * ```
 */
export function readNameAttributes(der: Uint8Array, what: string): NameAttributes {
  checkDerStructure(der, what);
  const name = readTlvHeader(der, 0, der.length, what);
  if (name.tag !== 0x30) fail(what, "a Name is a SEQUENCE");
  return children(der, name, what).map((rdn) => {
    if (rdn.tag !== 0x31) fail(what, "a relative distinguished name is a SET");
    return children(der, rdn, what).map((attribute) => {
      if (attribute.tag !== 0x30) fail(what, "an attribute is a SEQUENCE");
      const fields = children(der, attribute, what);
      const type = fields[0];
      const value = fields[1];
      if (!type || !value || fields.length > 2) fail(what, "an attribute is SEQUENCE { type, value }");
      return { type: readOid(der, type, what), value: valueText(der, value, what) };
    });
  });
}
