/**
 * A distinguished name as Kubernetes reads it: the user is the CN, the groups are every O.
 * Arrays keep their order (several O values are several groups). Attributes beyond these are not
 * produced by kubepki; when a parsed certificate carries others they are kept in `others`.
 *
 * @example
 * ```ts
 * import { type DistinguishedName, formatName } from "@kubepki/core";
 *
 * const admin: DistinguishedName = { commonName: "kubernetes-admin", organizations: ["kubeadm:cluster-admins"] };
 * console.log(formatName(admin)); // "/O=kubeadm:cluster-admins/CN=kubernetes-admin"
 * ```
 */
export interface DistinguishedName {
  /** CN: the Kubernetes user name. */
  commonName?: string;
  /** O: the Kubernetes groups, in order. */
  organizations?: readonly string[];
  /** OU: ignored by Kubernetes (the seed tutorial's "OU" is a mistake for O). */
  organizationalUnits?: readonly string[];
  /** C (two letters). */
  countries?: readonly string[];
  /** ST. */
  provinces?: readonly string[];
  /** L. */
  localities?: readonly string[];
  /** Attributes kubepki does not model, as `{ oid, value }`, only ever filled by parsing. */
  others?: readonly { readonly oid: string; readonly value: string }[];
}

/**
 * Something that names a subject: an object, or openssl `-subj` text such as `/CN=x/O=y`.
 *
 * @example
 * ```ts
 * import { formatName, type NameInput, normalizeName } from "@kubepki/core";
 *
 * const asText: NameInput = "/CN=system:node:worker-1/O=system:nodes";
 * const asObject: NameInput = { commonName: "system:node:worker-1", organizations: ["system:nodes"] };
 * console.log(formatName(normalizeName(asText)) === formatName(normalizeName(asObject))); // true
 * ```
 */
export type NameInput = DistinguishedName | string;
