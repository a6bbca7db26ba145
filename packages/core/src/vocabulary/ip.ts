import { KubepkiError } from "./errors.js";

/**
 * IP address text ↔ bytes, strict (no leading zeros in IPv4 octets, as Go's net/netip), with
 * IPv6 in its RFC 5952 canonical text form on output. The one reading of an address for every
 * package (SAN encoding and parsing, name matching, cluster config, renderers' flags and
 * kubeconfigs), so that an address compares equal whatever way it was written.
 */

const IPV4_OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Parses dotted-quad IPv4 text to 4 bytes, or returns undefined. */
export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] as string;
    if (!IPV4_OCTET.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

/** Parses IPv6 text (with `::`, optional embedded IPv4 tail, no zone) to 16 bytes, or undefined. */
export function parseIpv6(text: string): Uint8Array | undefined {
  if (text.length < 2 || text.length > 45 || text.includes("%")) return undefined;
  let head = text;
  let tail4: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    tail4 = parseIpv4(text.slice(lastColon + 1));
    if (!tail4) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const doubleColon = head.indexOf("::");
  if (doubleColon !== head.lastIndexOf("::")) return undefined;
  const toGroups = (part: string): number[] | undefined => {
    if (part === "") return [];
    const groups: number[] = [];
    for (const group of part.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
      groups.push(Number.parseInt(group, 16));
    }
    return groups;
  };
  let groups: number[];
  if (doubleColon >= 0) {
    const left = toGroups(head.slice(0, doubleColon));
    const right = toGroups(head.slice(doubleColon + 2));
    if (!left || !right || left.length + right.length > 7) return undefined;
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else {
    const all = toGroups(head);
    if (all?.length !== 8) return undefined;
    groups = all;
  }
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  if (tail4) bytes.set(tail4, 12);
  return bytes;
}

/**
 * Parses IPv4 or IPv6 text (IPv6 may be bracketed) to 4 or 16 bytes, or returns undefined.
 *
 * @example
 * ```ts
 * import { parseIp } from "@kubepki/core";
 *
 * console.log(parseIp("10.96.0.1")); // Uint8Array [10, 96, 0, 1]
 * console.log(parseIp("10.96.0.300")); // undefined
 * ```
 */
export function parseIp(text: string): Uint8Array | undefined {
  const unbracketed = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  return unbracketed.includes(":") ? parseIpv6(unbracketed) : parseIpv4(unbracketed);
}

/** Like {@link parseIp} but throws `INVALID_IP` naming the text. */
export function ipToBytes(text: string): Uint8Array {
  const bytes = parseIp(text);
  if (!bytes) {
    throw new KubepkiError("INVALID_IP", `${JSON.stringify(text)} is not a valid IPv4 or IPv6 address`, {
      details: { value: text },
    });
  }
  return bytes;
}

/**
 * True when `text` is an IPv4 or IPv6 address.
 *
 * @example
 * ```ts
 * import { isIp } from "@kubepki/core";
 *
 * console.log(isIp("fd00:10:96::1"), isIp("k8s-api.example.com")); // true false
 * ```
 */
export function isIp(text: string): boolean {
  return parseIp(text) !== undefined;
}

/**
 * The address family of an IP address, or `undefined` when `text` is not one.
 *
 * @example
 * ```ts
 * import { ipFamily } from "@kubepki/core";
 *
 * console.log(ipFamily("192.168.10.11"), ipFamily("::1"), ipFamily("kubernetes")); // 4 6 undefined
 * ```
 */
export function ipFamily(text: string): 4 | 6 | undefined {
  const bytes = parseIp(text);
  return bytes === undefined ? undefined : bytes.length === 4 ? 4 : 6;
}

/**
 * Formats 4 or 16 bytes as IPv4 dotted quad or RFC 5952 IPv6 text.
 *
 * @example
 * ```ts
 * import { formatIp } from "@kubepki/core";
 *
 * console.log(formatIp(Uint8Array.of(0xfd, 0, 0, 0x10, 0, 0x96, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1))); // "fd00:10:96::1"
 * ```
 */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join(".");
  if (bytes.length !== 16) {
    throw new KubepkiError("INVALID_IP", `An IP address has 4 or 16 bytes, not ${bytes.length}`);
  }
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  // RFC 5952 §4.2: compress the longest run (≥ 2) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/**
 * Canonical text of an IP address (`10.096.0.1` is refused; `FD00::0:1` becomes `fd00::1`).
 *
 * @example
 * ```ts
 * import { canonicalIp } from "@kubepki/core";
 *
 * console.log(canonicalIp("FD00:0:0::0:1")); // "fd00::1"
 * ```
 */
export function canonicalIp(text: string): string {
  return formatIp(ipToBytes(text));
}
