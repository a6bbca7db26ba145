import { RendererError } from "./errors.js";

// Small, dependency-free IP/CIDR arithmetic: just what kubeadm's defaults need (the 10th address
// of the first service CIDR for clusterDNS, `constants.GetDNSIP`; the 1st for the apiserver VIP,
// `constants.GetAPIServerVirtualIP`; IPv6 brackets in URLs, `util/endpoint.go`).

/** A parsed IP address: its family and its value as an unsigned integer. */
interface IpValue {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/**
 * A parsed CIDR block with its network address (host bits cleared, as Go's `net.ParseCIDR` does).
 *
 * @example
 * ```ts
 * import { type Cidr, parseCidr } from "@kubepki/renderers";
 *
 * const cidr: Cidr = parseCidr("10.96.0.0/12");
 * console.log(cidr.network); // "10.96.0.0"
 * console.log(cidr.prefixLength); // 12
 * ```
 */
export interface Cidr {
  readonly family: 4 | 6;
  /** Network address in canonical text form (RFC 5952 for IPv6). */
  readonly network: string;
  readonly prefixLength: number;
  /** Number of addresses in the block (2^(bits − prefix)). */
  readonly size: bigint;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // Leading zeros are refused: "010" is octal to some parsers and decimal to others.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    // Replace the dotted quad by two placeholder groups, overwritten by its value below.
    head = text.slice(0, lastColon + 1) + "0:0";
  }
  const doubleColon = head.indexOf("::");
  if (doubleColon !== head.lastIndexOf("::")) return undefined;
  const splitGroups = (s: string): string[] => (s === "" ? [] : s.split(":"));
  let groups: string[];
  if (doubleColon >= 0) {
    const left = splitGroups(head.slice(0, doubleColon));
    const right = splitGroups(head.slice(doubleColon + 2));
    const missing = 8 - left.length - right.length;
    if (missing < 1) return undefined;
    groups = [...left, ...Array<string>(missing).fill("0"), ...right];
  } else {
    groups = head.split(":");
  }
  if (groups.length !== 8) return undefined;
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

function parseIp(text: string): IpValue | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  if (!text.includes(":")) return undefined;
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

function formatIp(ip: IpValue): string {
  if (ip.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((ip.value >> shift) & 255n)).join(".");
  }
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((ip.value >> shift) & 0xffffn));
  // RFC 5952 §4.2: compress the longest run (≥ 2) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/**
 * True when `text` is an IPv4 address (dotted quad) or an IPv6 address (no zone, no brackets).
 *
 * @example
 * ```ts
 * import { isIpAddress } from "@kubepki/renderers";
 *
 * isIpAddress("fd00::1"); // true
 * isIpAddress("kubernetes"); // false
 * ```
 */
export function isIpAddress(text: string): boolean {
  return parseIp(text) !== undefined;
}

/**
 * The address family of an IP address, or `undefined` when `text` is not one.
 *
 * @example
 * ```ts
 * import { ipFamily } from "@kubepki/renderers";
 *
 * ipFamily("192.168.10.11"); // 4
 * ipFamily("::1"); // 6
 * ```
 */
export function ipFamily(text: string): 4 | 6 | undefined {
  return parseIp(text)?.family;
}

/**
 * Canonical text of an IP address (RFC 5952 lower-case compressed form for IPv6).
 *
 * @throws {RendererError} `INVALID_IP` when `text` is not an address.
 * @example
 * ```ts
 * import { canonicalIp } from "@kubepki/renderers";
 *
 * canonicalIp("FD00:0:0:0:0:0:0:A"); // "fd00::a"
 * ```
 */
export function canonicalIp(text: string): string {
  const ip = parseIp(text);
  if (ip === undefined) {
    throw new RendererError("INVALID_IP", `"${text}" is not an IPv4 or IPv6 address`, { details: { value: text } });
  }
  return formatIp(ip);
}

/**
 * Parses `address/prefix` (IPv4 or IPv6) and clears the host bits, like Go's `net.ParseCIDR`.
 *
 * @throws {RendererError} `INVALID_IP` when the text is not a CIDR.
 * @example
 * ```ts
 * import { parseCidr } from "@kubepki/renderers";
 *
 * parseCidr("fd00:10:96::/112").network; // "fd00:10:96::"
 * ```
 */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf("/");
  const fail = (why: string): never => {
    throw new RendererError(
      "INVALID_IP",
      `"${text}" is not a CIDR (${why}); write it like 10.96.0.0/12 or fd00::/108`,
      {
        details: { value: text },
      },
    );
  };
  if (slash < 0) return fail("missing /prefix");
  const ip = parseIp(text.slice(0, slash));
  if (ip === undefined) return fail("bad address");
  const prefixText = text.slice(slash + 1);
  const bits = ip.family === 4 ? 32 : 128;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > bits) {
    return fail(`prefix must be 0..${bits}`);
  }
  const prefixLength = Number(prefixText);
  const hostBits = BigInt(bits - prefixLength);
  const network = (ip.value >> hostBits) << hostBits;
  return {
    family: ip.family,
    network: formatIp({ family: ip.family, value: network }),
    prefixLength,
    size: 1n << hostBits,
  };
}

/**
 * The `index`-th address of a CIDR block counted from its network address (kubeadm's
 * `GetIndexedIP`): index 1 is the apiserver's `kubernetes` Service VIP, index 10 the cluster DNS.
 *
 * @throws {RendererError} `INVALID_IP` for a bad CIDR, `INVALID_ARGUMENT` when the block is too small.
 * @example
 * ```ts
 * import { cidrAddress } from "@kubepki/renderers";
 *
 * cidrAddress("10.96.0.0/12", 10); // "10.96.0.10"
 * cidrAddress("fd00:10:96::/112", 10); // "fd00:10:96::a"
 * ```
 */
export function cidrAddress(cidr: string, index: number): string {
  const parsed = parseCidr(cidr);
  if (!Number.isSafeInteger(index) || index < 0 || BigInt(index) >= parsed.size) {
    throw new RendererError(
      "INVALID_ARGUMENT",
      `address #${index} is outside ${cidr} (${parsed.size} addresses); use a larger service CIDR`,
      { details: { cidr, index } },
    );
  }
  const base = parseIp(parsed.network)!;
  return formatIp({ family: base.family, value: base.value + BigInt(index) });
}

/** `host:port` for URLs, with IPv6 literals bracketed (RFC 3986 §3.2.2; kubeadm `util/endpoint.go`). */
export function hostPort(host: string, port: number): string {
  return ipFamily(host) === 6 ? `[${canonicalIp(host)}]:${port}` : `${host}:${port}`;
}
