import { asciiString, implicitPrimitive, sequence } from "../lib/der.js";
import { checkDnsName } from "../vocabulary/dns-name.js";
import { KubepkiError } from "../vocabulary/errors.js";
import { canonicalIp, ipToBytes, isIp } from "../vocabulary/ip.js";
import type { SubjectAltName, SubjectAltNameInput } from "../vocabulary/subject-alt-name.js";

/**
 * subjectAltName entries: classification of plain strings, validation, and encoding as
 * GeneralNames (RFC 5280 §4.2.1.6).
 */

// Anything that is not printable ASCII cannot go into an IA5String SAN.
const IA5 = /^[\x21-\x7e]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]+$/;

function classify(text: string): SubjectAltName {
  if (isIp(text)) return { type: "ip", value: text };
  if (text.includes("://")) return { type: "uri", value: text };
  if (text.includes("@")) return { type: "email", value: text };
  return { type: "dns", value: text };
}

/** Validates one SAN and returns its canonical form (IP canonical text, DNS lowercased). */
function normalizeOne(input: SubjectAltNameInput, index: number): SubjectAltName {
  const entry = typeof input === "string" ? classify(input) : input;
  if (entry === null || typeof entry !== "object" || typeof entry.value !== "string") {
    throw new KubepkiError("INVALID_SAN", `SAN #${index} must be a string or { type, value }`, {
      details: { field: `sans[${index}]` },
    });
  }
  switch (entry.type) {
    case "dns":
      return { type: "dns", value: checkDnsName(entry.value) };
    case "ip":
      return { type: "ip", value: canonicalIp(entry.value) };
    case "email":
      if (!EMAIL.test(entry.value) || !IA5.test(entry.value)) {
        throw new KubepkiError("INVALID_SAN", `${JSON.stringify(entry.value)} is not a valid e-mail address SAN`);
      }
      return entry;
    case "uri":
      if (!URI.test(entry.value) || !IA5.test(entry.value)) {
        throw new KubepkiError(
          "INVALID_SAN",
          `${JSON.stringify(entry.value)} is not a valid URI SAN (it needs a scheme, e.g. spiffe://cluster.local/ns/x)`,
        );
      }
      return entry;
    default:
      throw new KubepkiError(
        "INVALID_SAN",
        `SAN type ${JSON.stringify((entry as { type: unknown }).type)} is not supported: use dns, ip, uri or email`,
      );
  }
}

/** Go writes SANs grouped by type in this order (crypto/x509 `marshalSANs`). */
const TYPE_ORDER: readonly SubjectAltName["type"][] = ["dns", "email", "ip", "uri"];

/**
 * Classifies, validates and canonicalises SANs, drops exact duplicates, and orders them as Go
 * writes them (DNS, e-mail, IP, URI; input order kept within a type). The result is exactly what
 * a certificate made from it carries, in the same order.
 *
 * @example
 * ```ts
 * import { normalizeSubjectAltNames } from "@kubepki/core";
 *
 * console.log(normalizeSubjectAltNames(["10.96.0.1", "Kubernetes.Default", "FD00::0:1"]));
 * // [{ type: "dns", value: "kubernetes.default" }, { type: "ip", value: "10.96.0.1" }, { type: "ip", value: "fd00::1" }]
 * ```
 */
export function normalizeSubjectAltNames(input: readonly SubjectAltNameInput[]): SubjectAltName[] {
  if (!Array.isArray(input)) {
    throw new KubepkiError("INVALID_SAN", "SANs must be an array of strings or { type, value } objects");
  }
  const seen = new Set<string>();
  const unique: SubjectAltName[] = [];
  input.forEach((entry, index) => {
    const normalized = normalizeOne(entry, index);
    const key = `${normalized.type}:${normalized.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    unique.push(normalized);
  });
  return TYPE_ORDER.flatMap((type) => unique.filter((entry) => entry.type === type));
}

/** DER GeneralNames for already-normalised SANs. */
export function encodeGeneralNames(sans: readonly SubjectAltName[]): Uint8Array {
  return sequence(
    sans.map((san) => {
      switch (san.type) {
        // IA5 (ASCII) values: normalisation has already refused anything else.
        case "email":
          return asciiString(0x81, san.value);
        case "dns":
          return asciiString(0x82, san.value);
        case "uri":
          return asciiString(0x86, san.value);
        default:
          return implicitPrimitive(7, ipToBytes(san.value));
      }
    }),
  );
}
