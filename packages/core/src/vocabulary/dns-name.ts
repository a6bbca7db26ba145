import { KubepkiError } from "./errors.js";

/**
 * RFC 1123 host names as Kubernetes validates them (`IsDNS1123Subdomain`: lowercase
 * alphanumerics and `-`, dot-separated labels of ≤ 63, total ≤ 253), plus a leading `*.` label
 * where wildcards are allowed (`IsWildcardDNS1123Subdomain`).
 */

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * True for a valid lowercase RFC 1123 subdomain.
 *
 * @example
 * ```ts
 * import { isDnsName } from "@kubepki/core";
 *
 * console.log(isDnsName("kubernetes.default.svc"), isDnsName("bad_name")); // true false
 * ```
 */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split(".").every((label) => LABEL.test(label));
}

/**
 * True for `*.` followed by a valid subdomain of at least two labels (kubeadm's wildcard rule).
 *
 * @example
 * ```ts
 * import { isWildcardDnsName } from "@kubepki/core";
 *
 * console.log(isWildcardDnsName("*.apps.example.com"), isWildcardDnsName("*.com")); // true false
 * ```
 */
export function isWildcardDnsName(name: string): boolean {
  return name.startsWith("*.") && name.slice(2).includes(".") && isDnsName(name.slice(2));
}

/**
 * Checks a DNS name and returns it lowercased (DNS is case-insensitive; Go compares SANs
 * lowercased). Throws `INVALID_DNS_NAME` with the reason otherwise. With `foldCase: false` an
 * upper-case letter is refused, as Kubernetes validates names in its configuration
 * (`IsDNS1123Subdomain`: the kubelet's `clusterDomain`, the apiserver's `--service-dns-domain`…);
 * `field` names the setting in the message and in `details.field`.
 *
 * @example
 * ```ts
 * import { checkDnsName } from "@kubepki/core";
 *
 * console.log(checkDnsName("K8S-API.Example.com")); // "k8s-api.example.com"
 * ```
 */
export function checkDnsName(
  name: string,
  options: { allowWildcard?: boolean; foldCase?: boolean; field?: string } = {},
): string {
  const checked = options.foldCase === false ? name : name.toLowerCase();
  if (isDnsName(checked) || (options.allowWildcard !== false && isWildcardDnsName(checked))) return checked;
  const { field } = options;
  throw new KubepkiError(
    "INVALID_DNS_NAME",
    `${field === undefined ? "" : `${field} `}${JSON.stringify(name)} is not a valid DNS name: use lowercase letters, digits, '-' and '.', labels of at most 63 characters${options.allowWildcard === false ? "" : ", and '*.' only as the whole first label"}`,
    { details: field === undefined ? { value: name } : { field, value: name } },
  );
}
