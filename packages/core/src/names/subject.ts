import { OID } from "../lib/oids.js";
import { KubepkiError } from "../vocabulary/errors.js";
import type { DistinguishedName, NameInput } from "./distinguished-name.js";

/**
 * Distinguished names: the openssl `-subj` text form, validation, and the attribute order kubepki
 * writes. The order is Go's `pkix.Name.ToRDNSequence` (C, ST, L, O, OU, CN, then others), so a
 * kubepki certificate's subject reads like a kubeadm one (`O = system:nodes, CN = system:node:w1`).
 * Several values of one attribute share one multi-valued RDN, as Go writes them (reference §1.2);
 * Kubernetes reads every O as a group whatever the RDN layout.
 */

/** One attribute of a name: its short label (`CN`, `O`…), OID and value. */
export interface NameAttribute {
  /** The DistinguishedName field the value came from. */
  readonly key: keyof DistinguishedName;
  readonly label: string;
  readonly oid: string;
  readonly value: string;
}

/** The attributes kubepki models, in the order Go writes them. */
const ATTRIBUTES = [
  { key: "countries", label: "C", oid: OID.country },
  { key: "provinces", label: "ST", oid: OID.province },
  { key: "localities", label: "L", oid: OID.locality },
  { key: "organizations", label: "O", oid: OID.organization },
  { key: "organizationalUnits", label: "OU", oid: OID.organizationalUnit },
] as const;

/** `-subj` attribute names (case-insensitive) → the DistinguishedName field they fill. */
const SUBJ_KEYS: Record<string, keyof DistinguishedName> = {
  cn: "commonName",
  commonname: "commonName",
  o: "organizations",
  organizationname: "organizations",
  ou: "organizationalUnits",
  organizationalunitname: "organizationalUnits",
  c: "countries",
  countryname: "countries",
  st: "provinces",
  stateorprovincename: "provinces",
  l: "localities",
  localityname: "localities",
};

/** Short labels for OIDs, for the text form of names (also of attributes kubepki does not model). */
export const NAME_LABELS: Readonly<Record<string, string>> = {
  [OID.commonName]: "CN",
  [OID.country]: "C",
  [OID.province]: "ST",
  [OID.locality]: "L",
  [OID.organization]: "O",
  [OID.organizationalUnit]: "OU",
  "2.5.4.5": "serialNumber",
  "2.5.4.9": "street",
  "2.5.4.17": "postalCode",
  "1.2.840.113549.1.9.1": "emailAddress",
  "0.9.2342.19200300.100.1.25": "DC",
  "0.9.2342.19200300.100.1.1": "UID",
};

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === "\\" && i + 1 < text.length) {
      current += text[++i];
    } else if (char === separator) {
      parts.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/**
 * Parses openssl `-subj` text: `/TYPE=value/TYPE=value…`, with `+` joining the values of a
 * multi-valued RDN and `\` escaping `/`, `+` and `\`. Accepted types: CN, O, OU, C, ST, L (and
 * their long names, any case).
 *
 * @example
 * ```ts
 * import { parseSubject } from "@kubepki/core";
 *
 * console.log(parseSubject("/CN=kube-admin/O=system:masters"));
 * // { commonName: "kube-admin", organizations: ["system:masters"] }
 * ```
 */
export function parseSubject(text: string): DistinguishedName {
  if (typeof text !== "string" || !text.startsWith("/")) {
    throw new KubepkiError(
      "INVALID_SUBJECT",
      `Subject ${JSON.stringify(text)} must be in openssl -subj form, starting with "/", e.g. "/CN=kube-admin/O=system:masters"`,
    );
  }
  const fields: Record<string, string[]> = {};
  let commonName: string | undefined;
  for (const rdn of splitUnescaped(text.slice(1), "/")) {
    if (rdn === "") continue; // tolerate a trailing "/" as openssl does
    for (const attribute of splitRdn(rdn)) {
      const equals = attribute.indexOf("=");
      const type = equals > 0 ? attribute.slice(0, equals).trim() : "";
      const value = equals > 0 ? attribute.slice(equals + 1) : "";
      const field = SUBJ_KEYS[type.toLowerCase()];
      if (!field) {
        throw new KubepkiError(
          "INVALID_SUBJECT",
          `Unknown or missing attribute type in ${JSON.stringify(attribute)} of subject ${JSON.stringify(text)}: use CN, O, OU, C, ST or L`,
        );
      }
      if (value === "") {
        throw new KubepkiError("INVALID_SUBJECT", `Attribute ${type} of subject ${JSON.stringify(text)} has no value`);
      }
      if (field === "commonName") {
        if (commonName !== undefined) {
          throw new KubepkiError("INVALID_SUBJECT", `Subject ${JSON.stringify(text)} has more than one CN`);
        }
        commonName = value;
      } else {
        fields[field] ??= [];
        fields[field].push(value);
      }
    }
  }
  const name: DistinguishedName = { ...(commonName === undefined ? {} : { commonName }), ...fields };
  return normalizeName(name);
}

/** Splits one RDN on unescaped `+`, keeping escapes of other separators for the outer split. */
function splitRdn(rdn: string): string[] {
  return splitUnescaped(rdn.replace(/\\\//g, "\u0000"), "+").map((part) => part.replace(/\u0000/g, "/"));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkValue(field: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new KubepkiError("INVALID_SUBJECT", `Subject ${field} must be a non-empty string`, { details: { field } });
  }
  // A lone surrogate cannot be written as UTF-8 (Go refuses it too: "asn1: string not valid UTF-8").
  if (LONE_SURROGATE.test(value)) {
    throw new KubepkiError("INVALID_SUBJECT", `Subject ${field} is not valid Unicode (lone surrogate)`, {
      details: { field },
    });
  }
  if (value.includes("\u0000")) {
    throw new KubepkiError("INVALID_SUBJECT", `Subject ${field} contains a NUL character`, { details: { field } });
  }
  return value;
}

/**
 * Validates a name given as an object or as `-subj` text and returns it as an object with only
 * the fields that have values (arrays copied, so later mutation of the input changes nothing).
 *
 * @example
 * ```ts
 * import { normalizeName } from "@kubepki/core";
 *
 * console.log(normalizeName("/CN=system:node:worker-1/O=system:nodes"));
 * // { commonName: "system:node:worker-1", organizations: ["system:nodes"] }
 * ```
 */
export function normalizeName(input: NameInput): DistinguishedName {
  if (typeof input === "string") return parseSubject(input);
  if (input === null || typeof input !== "object") {
    throw new KubepkiError(
      "INVALID_SUBJECT",
      "A subject must be an object like { commonName, organizations } or -subj text",
    );
  }
  const out: { -readonly [K in keyof DistinguishedName]: DistinguishedName[K] } = {};
  if (input.commonName !== undefined) out.commonName = checkValue("commonName", input.commonName);
  for (const { key } of ATTRIBUTES) {
    const values = input[key];
    if (values === undefined) continue;
    if (!Array.isArray(values)) {
      throw new KubepkiError("INVALID_SUBJECT", `Subject ${key} must be an array of strings`, {
        details: { field: key },
      });
    }
    if (values.length > 0) out[key] = values.map((value, i) => checkValue(`${key}[${i}]`, value));
  }
  if (input.others !== undefined && input.others.length > 0) {
    out.others = input.others.map((other, i) => ({
      oid: checkOid(other?.oid, `others[${i}].oid`),
      value: checkValue(`others[${i}].value`, other?.value),
    }));
  }
  return out;
}

function checkOid(value: unknown, field: string): string {
  if (typeof value !== "string" || !/^[0-2](\.(0|[1-9][0-9]*))+$/.test(value)) {
    throw new KubepkiError("INVALID_SUBJECT", `Subject ${field} must be a dotted OID`, { details: { field } });
  }
  return value;
}

/**
 * The RDNs of a name in the order kubepki encodes them: one RDN per attribute type, holding all
 * of that type's values (Go's layout).
 */
export function nameToRdns(name: DistinguishedName): NameAttribute[][] {
  const rdns: NameAttribute[][] = [];
  for (const { key, label, oid } of ATTRIBUTES) {
    const values = name[key];
    if (values && values.length > 0) rdns.push(values.map((value) => ({ key, label, oid, value })));
  }
  if (name.commonName !== undefined)
    rdns.push([{ key: "commonName", label: "CN", oid: OID.commonName, value: name.commonName }]);
  for (const other of name.others ?? []) {
    rdns.push([{ key: "others", label: NAME_LABELS[other.oid] ?? other.oid, oid: other.oid, value: other.value }]);
  }
  return rdns;
}

const escapeValue = (value: string) => value.replace(/[\\/+]/g, (char) => `\\${char}`);

/**
 * The one-line text of a list of RDNs, openssl `-subj` style: `/O=a+O=b/CN=c`. Parsed
 * certificates and created ones are printed by this same function.
 */
export function formatRdns(rdns: readonly (readonly Pick<NameAttribute, "label" | "value">[])[]): string {
  return rdns
    .map((rdn) => `/${rdn.map((attribute) => `${attribute.label}=${escapeValue(attribute.value)}`).join("+")}`)
    .join("");
}

/**
 * openssl-style one-line text of a name in kubepki's encoding order.
 *
 * @example
 * ```ts
 * import { formatName } from "@kubepki/core";
 *
 * console.log(formatName({ commonName: "kubernetes-admin", organizations: ["kubeadm:cluster-admins"] }));
 * // "/O=kubeadm:cluster-admins/CN=kubernetes-admin"
 * ```
 */
export function formatName(name: DistinguishedName): string {
  return formatRdns(nameToRdns(name));
}
