import { boolean, implicitPrimitive, namedBits, octetString, oid, sequence, smallInteger } from "../lib/der.js";
import { boundedMemo } from "../lib/memo.js";
import { OID } from "../lib/oids.js";
import { encodeGeneralNames } from "../names/san.js";
import { KubepkiError } from "../vocabulary/errors.js";
import { EXT_KEY_USAGE_OIDS, type ExtKeyUsage, KEY_USAGES, type KeyUsage } from "../vocabulary/key-usages.js";
import type { SubjectAltName } from "../vocabulary/subject-alt-name.js";

/**
 * The five extensions kubepki writes (RFC 5280 §4.2), with criticality as Go's crypto/x509 sets
 * it: keyUsage and basicConstraints critical, extKeyUsage/SKI/AKI not, subjectAltName critical
 * only when the subject is empty (§4.2.1.6).
 */

/** What goes into a certificate's (or CSR's) extensions. */
export interface ExtensionValues {
  readonly keyUsages?: readonly KeyUsage[];
  readonly extKeyUsages?: readonly ExtKeyUsage[];
  /** Present → basicConstraints is written. */
  readonly basicConstraints?: { readonly isCa: boolean; readonly pathLength?: number };
  readonly subjectKeyIdentifier?: Uint8Array;
  readonly authorityKeyIdentifier?: Uint8Array;
  readonly subjectAltNames?: readonly SubjectAltName[];
  /** True when the subject is empty, which makes the SAN extension critical. */
  readonly subjectIsEmpty?: boolean;
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? sequence([oid(id), boolean(true), octetString(value)]) : sequence([oid(id), octetString(value)]);
}

/** Validates key usage names (they come from plain data and may be misspelt). */
export function checkKeyUsages(usages: readonly KeyUsage[]): readonly KeyUsage[] {
  for (const usage of usages) {
    if (!(KEY_USAGES as readonly string[]).includes(usage)) {
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        `Unknown key usage ${JSON.stringify(usage)}: use one of ${KEY_USAGES.join(", ")}`,
      );
    }
  }
  return usages;
}

/** Validates extended key usage names. */
export function checkExtKeyUsages(usages: readonly ExtKeyUsage[]): readonly ExtKeyUsage[] {
  for (const usage of usages) {
    if (!Object.hasOwn(EXT_KEY_USAGE_OIDS, usage)) {
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        `Unknown extended key usage ${JSON.stringify(usage)}: use one of ${Object.keys(EXT_KEY_USAGE_OIDS).join(", ")}`,
      );
    }
  }
  return usages;
}

/** Encoded extensions that repeat from certificate to certificate (see lib/memo.ts). */
const repeated = /* @__PURE__ */ boundedMemo<Uint8Array>(256);

/** The list without repeats, first occurrences in order (a fresh array, as a certificate keeps it). */
export function distinct<T>(list: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = list[i] as T;
    if (!out.includes(item)) out.push(item);
  }
  return out;
}

/**
 * The DER `Extension` elements, in the order Go emits them (reference §1.2: keyUsage,
 * extKeyUsage, basicConstraints, SKI, AKI, SAN). Empty lists write no extension.
 */
export function encodeExtensions(values: ExtensionValues): Uint8Array[] {
  const out: Uint8Array[] = [];
  const keyUsages = values.keyUsages;
  if (keyUsages && keyUsages.length > 0) {
    // The set of usages as a bit mask: the memo key, with no list or string made per certificate.
    // The names were checked where they entered (checkKeyUsages, or a plan), not again here.
    let mask = 0;
    for (let i = 0; i < keyUsages.length; i++) mask |= 1 << KEY_USAGES.indexOf(keyUsages[i] as KeyUsage);
    out.push(
      repeated(`ku ${mask}`, () => {
        const bits = KEY_USAGES.map((_, bit) => bit).filter((bit) => mask & (1 << bit));
        return extension(OID.keyUsage, true, namedBits(bits));
      }),
    );
  }
  if (values.extKeyUsages && values.extKeyUsages.length > 0) {
    const usages = distinct(values.extKeyUsages);
    out.push(
      repeated(`eku ${usages.join(",")}`, () => {
        const oids = usages.map((usage) => oid(EXT_KEY_USAGE_OIDS[usage]));
        return extension(OID.extKeyUsage, false, sequence(oids));
      }),
    );
  }
  if (values.basicConstraints) {
    const { isCa, pathLength } = values.basicConstraints;
    out.push(
      repeated(`bc ${isCa} ${pathLength}`, () => {
        const fields: Uint8Array[] = [];
        // DER omits DEFAULT FALSE, so CA:FALSE is an empty SEQUENCE (as Go writes it).
        if (isCa) fields.push(boolean(true));
        if (isCa && pathLength !== undefined) fields.push(smallInteger(pathLength));
        return extension(OID.basicConstraints, true, sequence(fields));
      }),
    );
  }
  if (values.subjectKeyIdentifier) {
    out.push(extension(OID.subjectKeyIdentifier, false, octetString(values.subjectKeyIdentifier)));
  }
  const authorityKeyIdentifier = values.authorityKeyIdentifier;
  if (authorityKeyIdentifier) {
    out.push(extension(OID.authorityKeyIdentifier, false, sequence([implicitPrimitive(0, authorityKeyIdentifier)])));
  }
  if (values.subjectAltNames && values.subjectAltNames.length > 0) {
    out.push(extension(OID.subjectAltName, values.subjectIsEmpty === true, encodeGeneralNames(values.subjectAltNames)));
  }
  return out;
}
