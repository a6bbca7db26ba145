import { KubepkiError } from "./errors.js";
import { formatIp, parseIp } from "./ip.js";

/**
 * A CIDR block: canonical network address (host bits cleared), prefix length and family. What
 * {@link parseCidr} returns, and what {@link cidrAddress}, {@link cidrSize} and
 * {@link lastUsableIndex} take.
 *
 * @example
 * ```ts
 * import { type Cidr, parseCidr } from "@kubepki/core";
 *
 * const cidr: Cidr = parseCidr("10.96.0.0/12");
 * console.log(cidr.family, cidr.prefix, cidr.network, cidr.text); // 4 12 "10.96.0.0" "10.96.0.0/12"
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

const PREFIX = /^(0|[1-9][0-9]{0,2})$/;

/**
 * Parses `address/prefix` and clears the host bits, as kubeadm reads a CIDR: its
 * `ValidateIPNetFromString` (cmd/kubeadm/app/apis/kubeadm/validation/validation.go) accepts what
 * Go's `net.ParseCIDR` accepts, and that returns the masked network, so `10.96.0.5/12` is the
 * block `10.96.0.0/12` (whose index 1, the `kubernetes` Service VIP, is `10.96.0.1`). The address
 * is written strictly (no leading zeros, no brackets, no zone), as `net.ParseCIDR` since Go 1.17.
 *
 * @param text - CIDR text such as `10.96.0.0/12` or `fd00:10:96::/112`.
 * @param field - Config field named in the error, for example `serviceSubnets[0]`.
 * @throws KubepkiError `INVALID_IP` with `details.field` and `details.value`.
 *
 * @example
 * ```ts
 * import { parseCidr } from "@kubepki/core";
 *
 * console.log(parseCidr("FD00:10:96:0::/112").text); // "fd00:10:96::/112"
 * console.log(parseCidr("10.96.0.5/12").text); // "10.96.0.0/12"
 * ```
 */
export function parseCidr(text: string, field = "cidr"): Cidr {
  const invalid = (why: string) =>
    new KubepkiError(
      "INVALID_IP",
      `${field}: ${JSON.stringify(text)} is not a valid CIDR (${why}); write it like 10.96.0.0/12 or fd00::/108`,
      { details: { field, value: text } },
    );
  if (typeof text !== "string") throw invalid("expected a string");
  const slash = text.indexOf("/");
  if (slash < 0 || slash !== text.lastIndexOf("/")) throw invalid("expected address/prefix");
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (address.startsWith("[")) throw invalid("no brackets around an IPv6 network");
  const bytes = parseIp(address);
  if (!bytes) throw invalid(`${JSON.stringify(address)} is not an IP address`);
  const bits = bytes.length * 8;
  if (!PREFIX.test(prefixText) || Number(prefixText) > bits) {
    throw invalid(`prefix must be an integer from 0 to ${bits}`);
  }
  const prefix = Number(prefixText);
  const network = formatIp(fromBigInt(toBigInt(bytes) & ~hostMask(bits, prefix), bytes.length));
  return { text: `${network}/${prefix}`, network, prefix, family: bytes.length === 4 ? 4 : 6 };
}

/**
 * Number of addresses in the block (`2^(bits − prefix)`), as a bigint (an IPv6 /64 overflows a number).
 *
 * @example
 * ```ts
 * import { cidrSize, parseCidr } from "@kubepki/core";
 *
 * console.log(cidrSize(parseCidr("10.96.0.0/28"))); // 16n
 * ```
 */
export function cidrSize(cidr: Cidr): bigint {
  return 1n << BigInt(familyBits(cidr.family) - cidr.prefix);
}

/**
 * The address at `index` inside the block, counted from the network address (`GetIndexedIP` in
 * k8s.io/utils/net): index 1 is the API server's `kubernetes` Service VIP
 * (`constants.GetAPIServerVirtualIP`), index 10 the cluster DNS (`constants.GetDNSIP`).
 *
 * @param cidr - A parsed block, or CIDR text (parsed with {@link parseCidr}).
 * @throws KubepkiError `INVALID_IP` for bad CIDR text, `INVALID_ARGUMENT` when the block has no such address.
 *
 * @example
 * ```ts
 * import { cidrAddress, parseCidr } from "@kubepki/core";
 *
 * console.log(cidrAddress(parseCidr("fd00:10:96::/112"), 10)); // "fd00:10:96::a"
 * console.log(cidrAddress("10.96.0.0/12", 1)); // "10.96.0.1"
 * ```
 */
export function cidrAddress(cidr: Cidr | string, index: number): string {
  const block = typeof cidr === "string" ? parseCidr(cidr) : cidr;
  if (!Number.isSafeInteger(index) || index < 0 || BigInt(index) >= cidrSize(block)) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `${block.text} has no address at index ${index} (${cidrSize(block)} addresses); use a larger service CIDR`,
      { details: { field: "index", cidr: block.text, index } },
    );
  }
  const bytes = parseIp(block.network) as Uint8Array;
  return formatIp(fromBigInt(toBigInt(bytes) + BigInt(index), bytes.length));
}

/**
 * The highest index a Service may use: Kubernetes' ClusterIP allocator skips the network address
 * and, in IPv4, the broadcast address (`pkg/registry/core/service/ipallocator`).
 *
 * @example
 * ```ts
 * import { lastUsableIndex, parseCidr } from "@kubepki/core";
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
