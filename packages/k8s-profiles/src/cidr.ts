import { formatIp, KubepkiError, parseIp } from "@kubepki/core/names";

/**
 * A validated CIDR block: canonical network address, prefix length and family.
 *
 * @example
 * ```ts
 * import { parseCidr } from "@kubepki/k8s-profiles";
 *
 * const cidr = parseCidr("10.96.0.0/12");
 * console.log(cidr.family, cidr.prefix, cidr.text); // 4 12 "10.96.0.0/12"
 * ```
 */
export interface Cidr {
  /** Canonical text, `network/prefix` (IPv6 in RFC 5952 form). */
  readonly text: string;
  /** Canonical network address text. */
  readonly network: string;
  /** Prefix length. */
  readonly prefix: number;
  /** Address family. */
  readonly family: 4 | 6;
}

/**
 * Parses `address/prefix`. The address must be written strictly (no leading zeros, as Go's
 * `net/netip`) and must be the network address: `10.96.0.5/12` is refused rather than silently
 * masked (Go's `ParseCIDR` masks it), because a host address there is almost always a typo.
 *
 * @param text - CIDR text such as `10.96.0.0/12` or `fd00:10:96::/112`.
 * @param field - Config field named in the error, for example `serviceSubnets[0]`.
 * @throws KubepkiError `INVALID_IP` with `details.field`.
 *
 * @example
 * ```ts
 * import { parseCidr } from "@kubepki/k8s-profiles";
 *
 * console.log(parseCidr("FD00:10:96:0::/112").text); // "fd00:10:96::/112"
 * ```
 */
export function parseCidr(text: string, field = "cidr"): Cidr {
  const invalid = (why: string) =>
    new KubepkiError("INVALID_IP", `${field}: ${JSON.stringify(text)} is not a valid CIDR (${why})`, {
      details: { field, value: text },
    });
  if (typeof text !== "string") throw invalid("expected a string like 10.96.0.0/12");
  const slash = text.indexOf("/");
  if (slash < 0 || slash !== text.lastIndexOf("/")) throw invalid("expected address/prefix");
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (address.startsWith("[")) throw invalid("no brackets around an IPv6 network");
  const bytes = parseIp(address);
  if (!bytes) throw invalid(`${JSON.stringify(address)} is not an IP address`);
  const bits = bytes.length * 8;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > bits) {
    throw invalid(`prefix must be an integer from 0 to ${bits}`);
  }
  const prefix = Number(prefixText);
  const network = toBigInt(bytes);
  if (network & hostMask(bits, prefix)) {
    const masked = formatIp(fromBigInt(network & ~hostMask(bits, prefix), bytes.length));
    throw invalid(`host bits are set; the network is ${masked}/${prefix}`);
  }
  const canonical = formatIp(bytes);
  return { text: `${canonical}/${prefix}`, network: canonical, prefix, family: bytes.length === 4 ? 4 : 6 };
}

/**
 * Number of addresses in the block (`2^(bits − prefix)`), as a bigint (an IPv6 /64 overflows a number).
 *
 * @example
 * ```ts
 * import { cidrSize, parseCidr } from "@kubepki/k8s-profiles";
 *
 * console.log(cidrSize(parseCidr("10.96.0.0/28"))); // 16n
 * ```
 */
export function cidrSize(cidr: Cidr): bigint {
  return 1n << BigInt(familyBits(cidr.family) - cidr.prefix);
}

/**
 * The address at `index` inside the block (`GetIndexedIP` in k8s.io/utils/net): index 1 is the
 * API server's ClusterIP, index 10 the cluster DNS (reference §2.1, §4.3).
 *
 * @throws KubepkiError `INVALID_ARGUMENT` when the block has no such address.
 *
 * @example
 * ```ts
 * import { cidrAddress, parseCidr } from "@kubepki/k8s-profiles";
 *
 * console.log(cidrAddress(parseCidr("fd00:10:96::/112"), 10)); // "fd00:10:96::a"
 * ```
 */
export function cidrAddress(cidr: Cidr, index: number): string {
  if (!Number.isInteger(index) || index < 0 || BigInt(index) >= cidrSize(cidr)) {
    throw new KubepkiError("INVALID_ARGUMENT", `${cidr.text} has no address at index ${index}`, {
      details: { field: "index", cidr: cidr.text, index },
    });
  }
  const bytes = parseIp(cidr.network) as Uint8Array;
  return formatIp(fromBigInt(toBigInt(bytes) + BigInt(index), bytes.length));
}

/**
 * The highest index a Service may use: Kubernetes' ClusterIP allocator skips the network address
 * and, in IPv4, the broadcast address (`pkg/registry/core/service/ipallocator`).
 *
 * @example
 * ```ts
 * import { lastUsableIndex, parseCidr } from "@kubepki/k8s-profiles";
 *
 * console.log(lastUsableIndex(parseCidr("10.96.0.0/28"))); // 14n
 * ```
 */
export function lastUsableIndex(cidr: Cidr): bigint {
  return cidrSize(cidr) - (cidr.family === 4 ? 2n : 1n);
}

function familyBits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

function hostMask(bits: number, prefix: number): bigint {
  return (1n << BigInt(bits - prefix)) - 1n;
}

function toBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function fromBigInt(value: bigint, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}
