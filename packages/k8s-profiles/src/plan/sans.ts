import { cidrAddress, formatIp, isDnsName, isWildcardDnsName, parseIp, type SubjectAltName } from "@kubepki/core/names";
import { controlPlaneNode, fail, findNode, type ResolvedClusterConfig, type ResolvedNode } from "../config/resolve.js";
import {
  APISERVER_SERVICE_FQDN_PREFIX,
  APISERVER_SERVICE_IP_INDEX,
  APISERVER_SERVICE_NAMES,
  ETCD_LOOPBACK_SANS,
} from "../roles/constants.js";

/**
 * Something kubepki noticed but did not refuse, in the spirit of kubeadm's `klog.Warningf`.
 * `code` is stable; `field` names the config field when there is one.
 *
 * @example
 * ```ts
 * import { apiserverSans, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * const config = resolveClusterConfig({ certSANs: ["bad_name"] });
 * const [warning] = apiserverSans(config, "control-plane-1").warnings;
 * console.log(warning?.code, warning?.field); // "SAN_SKIPPED" "certSANs[0]"
 * ```
 */
export interface PlanWarning {
  readonly code: PlanWarningCode;
  /** The config field concerned, for example `certSANs[3]`. */
  readonly field?: string;
  readonly message: string;
}

/**
 * Kinds of {@link PlanWarning}:
 * - `SAN_SKIPPED`: an extra SAN is neither an IP nor a (wildcard) DNS name and was left out
 *   (kubeadm does the same, reference §2.1 item 6).
 * - `ENDPOINT_PORT_OVERRIDES_BIND_PORT`: the controlPlaneEndpoint port differs from bindPort; the
 *   endpoint's wins for clients (reference §3).
 * - `NO_CONTROL_PLANE_ENDPOINT`: several control-plane nodes but no shared endpoint, so
 *   kubeconfigs point at the first node only.
 *
 * @example
 * ```ts
 * import type { PlanWarningCode } from "@kubepki/k8s-profiles";
 *
 * const code: PlanWarningCode = "SAN_SKIPPED";
 * ```
 */
export type PlanWarningCode = "SAN_SKIPPED" | "ENDPOINT_PORT_OVERRIDES_BIND_PORT" | "NO_CONTROL_PLANE_ENDPOINT";

/**
 * SANs computed for one certificate, normalised as kubeadm does, with what was skipped.
 *
 * @example
 * ```ts
 * import { etcdSans, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * const { sans, warnings } = etcdSans(resolveClusterConfig({}), "control-plane-1");
 * console.log(sans.length, warnings.length); // 5 0
 * ```
 */
export interface SanResult {
  /** DNS names (sorted, unique) then IP addresses (unique by canonical text, first-seen order). */
  readonly sans: readonly SubjectAltName[];
  readonly warnings: readonly PlanWarning[];
}

/**
 * The SANs of a control-plane node's `apiserver.crt`, exactly as kubeadm's
 * `pkiutil.GetAPIServerAltNames` (reference §2.1):
 *
 * 1. DNS: the node name; `kubernetes`, `kubernetes.default`, `kubernetes.default.svc`,
 *    `kubernetes.default.svc.<dnsDomain>`;
 * 2. IP: index 1 of the **first** service CIDR only (`GetAPIServerVirtualIP`) — plus index 1 of
 *    the second when `dualStackApiserverSan` is set —, then the node's advertise address;
 * 3. the controlPlaneEndpoint host, port stripped, as an IP or DNS SAN;
 * 4. `certSANs`, each an IP, a DNS name or a `*.` wildcard; anything else is skipped with a
 *    `SAN_SKIPPED` warning (kubeadm: a warning, not an error).
 *
 * No `localhost`/loopback and no other control-plane node's names: each node has its own
 * certificate. The result is in Go's encoding order (DNS names, then IPs: `crypto/x509`
 * `marshalSANs`), DNS names sorted and de-duplicated, IPs de-duplicated by canonical text keeping
 * first-seen order (`RemoveDuplicateAltNames`).
 *
 * Extra-SAN text that looks like an address but is not strictly one — `010.96.0.1`,
 * `[fd00::1]`, `1.2.3` — is skipped with a warning instead of being read Go's sloppy way
 * (`010` as decimal 10) or taken for a DNS name: leading zeros mean octal to other parsers.
 *
 * @throws KubepkiError `INVALID_ARGUMENT` (field `node`) when the node is unknown or a worker.
 *
 * @example
 * ```ts
 * import { apiserverSans, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * const config = resolveClusterConfig({
 *   nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] }],
 *   controlPlaneEndpoint: "k8s-api.example.com:6443",
 * });
 * console.log(apiserverSans(config, "cp-1").sans.map((san) => san.value));
 * // ["cp-1", "k8s-api.example.com", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
 * //  "kubernetes.default.svc.cluster.local", "10.96.0.1", "192.168.10.11"]
 * ```
 */
export function apiserverSans(config: ResolvedClusterConfig, node: string | ResolvedNode): SanResult {
  const member = controlPlaneNode(config, node, "apiserver");
  const dns: string[] = [
    member.name,
    ...APISERVER_SERVICE_NAMES,
    `${APISERVER_SERVICE_FQDN_PREFIX}.${config.dnsDomain}`,
  ];
  const [primary, secondary] = config.serviceCidrs;
  const ips: string[] = [];
  if (primary) ips.push(cidrAddress(primary, APISERVER_SERVICE_IP_INDEX));
  if (secondary && config.dualStackApiserverSan) ips.push(cidrAddress(secondary, APISERVER_SERVICE_IP_INDEX));
  ips.push(member.advertiseAddress);
  if (config.endpoint) (config.endpoint.hostType === "ip" ? ips : dns).push(config.endpoint.host);
  const extra = classifySans(config.certSANs, "certSANs");
  return { sans: normalizeSans([...dns, ...extra.dns], [...ips, ...extra.ips]), warnings: extra.warnings };
}

/**
 * The SANs of a control-plane node's `etcd/server.crt` (`kind: "server"`, the default) or
 * `etcd/peer.crt` (`kind: "peer"`), as kubeadm's `GetEtcdAltNames` / `GetEtcdPeerAltNames`
 * (reference §2.2): DNS the node name and `localhost`; IP the advertise address, `127.0.0.1` and
 * `::1` (both loopbacks whatever the family); then `etcd.serverCertSANs` or `etcd.peerCertSANs`,
 * classified and normalised like {@link apiserverSans}.
 *
 * @throws KubepkiError `INVALID_ARGUMENT` for a worker/unknown node (field `node`) or external etcd (field `etcd.type`).
 *
 * @example
 * ```ts
 * import { etcdSans, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * const config = resolveClusterConfig({ etcd: { type: "local", peerCertSANs: ["etcd.internal"] } });
 * console.log(etcdSans(config, "control-plane-1", "peer").sans.map((san) => san.value));
 * // ["control-plane-1", "etcd.internal", "localhost", "10.0.0.10", "127.0.0.1", "::1"]
 * ```
 */
export function etcdSans(
  config: ResolvedClusterConfig,
  node: string | ResolvedNode,
  kind: "server" | "peer" = "server",
): SanResult {
  const member = controlPlaneNode(config, node, `etcd ${kind}`);
  if (config.etcd.type !== "local") {
    throw fail("INVALID_ARGUMENT", "etcd.type", "etcd certificates exist only with local etcd");
  }
  const field = kind === "server" ? "serverCertSANs" : "peerCertSANs";
  const extra = classifySans(config.etcd[field], `etcd.${field}`);
  return {
    sans: normalizeSans(
      [member.name, ...ETCD_LOOPBACK_SANS.dns, ...extra.dns],
      [member.advertiseAddress, ...ETCD_LOOPBACK_SANS.ips, ...extra.ips],
    ),
    warnings: extra.warnings,
  };
}

/**
 * The SANs of a node's kubelet serving certificate: its name as DNS and every address as IP —
 * what the `kubernetes.io/kubelet-serving` signer expects from node status addresses (reference
 * §4.2), and what the API server needs to verify the kubelet with `--kubelet-certificate-authority`
 * when it dials the InternalIP (`--kubelet-preferred-address-types=InternalIP,…`).
 *
 * @throws KubepkiError `INVALID_ARGUMENT` (field `node`) for a node the config does not list.
 *
 * @example
 * ```ts
 * import { kubeletServingSans, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(kubeletServingSans(resolveClusterConfig({}), "control-plane-1").sans);
 * // [{ type: "dns", value: "control-plane-1" }, { type: "ip", value: "10.0.0.10" }]
 * ```
 */
export function kubeletServingSans(config: ResolvedClusterConfig, node: string | ResolvedNode): SanResult {
  const member = findNode(config, node);
  return { sans: normalizeSans([member.name], member.addresses), warnings: [] };
}

/**
 * Sorts extra SAN strings into IPs and DNS names the way kubeadm does for `certSANs` (IP first,
 * then RFC 1123 subdomain, then `*.` wildcard), skipping — with a `SAN_SKIPPED` warning naming
 * `<field>[i]` — what is neither. IPs come back in canonical text.
 *
 * @internal
 */
export function classifySans(
  values: readonly string[],
  field: string,
): { dns: string[]; ips: string[]; warnings: PlanWarning[] } {
  const dns: string[] = [];
  const ips: string[] = [];
  const warnings: PlanWarning[] = [];
  values.forEach((value, i) => {
    const at = `${field}[${i}]`;
    const skip = (why: string) =>
      warnings.push({ code: "SAN_SKIPPED", field: at, message: `${at}: skipped ${JSON.stringify(value)}: ${why}` });
    const bytes = value.startsWith("[") ? undefined : parseIp(value);
    if (bytes) ips.push(formatIp(bytes));
    else if (/^[0-9.]+$/.test(value) || value.includes(":") || value.startsWith("[")) {
      skip("not a valid IP address (no leading zeros, no brackets)");
    } else if (isDnsName(value) || isWildcardDnsName(value)) dns.push(value);
    else skip("neither an IP address nor a DNS name");
  });
  return { dns, ips, warnings };
}

/**
 * kubeadm's `RemoveDuplicateAltNames` plus Go's encoding order: DNS names de-duplicated and
 * sorted (bytewise, as Go's `sort.Strings`), then IPs de-duplicated by canonical text in first-seen order.
 *
 * @internal
 */
export function normalizeSans(dns: readonly string[], ips: readonly string[]): SubjectAltName[] {
  const sortedDns = [...new Set(dns)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const seen = new Set<string>();
  const uniqueIps: string[] = [];
  for (const ip of ips) {
    const bytes = parseIp(ip);
    const canonical = bytes ? formatIp(bytes) : ip;
    if (!seen.has(canonical)) {
      seen.add(canonical);
      uniqueIps.push(canonical);
    }
  }
  return [
    ...sortedDns.map((value): SubjectAltName => ({ type: "dns", value })),
    ...uniqueIps.map((value): SubjectAltName => ({ type: "ip", value })),
  ];
}
