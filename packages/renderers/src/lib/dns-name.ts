import { RendererError } from "../errors.js";

// RFC 1123 DNS subdomain as Kubernetes validates it (`IsDNS1123Subdomain` in
// apimachinery/pkg/util/validation): lower-case labels of [a-z0-9-], not starting or ending
// with '-', each ≤ 63 characters, the whole name ≤ 253.
const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** True when `name` is a valid RFC 1123 subdomain. */
export function isDnsSubdomain(name: string): boolean {
  return name.length > 0 && name.length <= 253 && name.split(".").every((label) => LABEL.test(label));
}

/** Throws `INVALID_DNS_NAME` naming `field` when `name` is not an RFC 1123 subdomain. */
export function assertDnsSubdomain(name: string, field: string): void {
  if (!isDnsSubdomain(name)) {
    throw new RendererError(
      "INVALID_DNS_NAME",
      `${field} "${name}" is not a valid DNS name: use lower-case labels of a-z, 0-9 and '-', separated by dots (e.g. "cluster.local")`,
      { details: { field, value: name } },
    );
  }
}
