import { bytesEqual } from "../lib/bytes.js";
import { parseIp } from "../vocabulary/ip.js";
import type { SubjectAltName } from "../vocabulary/subject-alt-name.js";

/**
 * Host name matching as Go's `x509.Certificate.VerifyHostname` (crypto/x509/verify.go), which is
 * what the apiserver, kubelet and kubectl apply: DNS names compare ASCII-case-insensitively, a
 * wildcard is only a whole leftmost `*` label and stands for exactly one label, IP addresses match
 * only IP SANs (RFC 6125 Appendix B.2) and the subject CN is never consulted (Go ≥ 1.15).
 */

/** ASCII-only lowercase (RFC 6125 §6.4.1): no Unicode case folding on DNS labels. */
function lowerAscii(text: string): string {
  return text.replace(/[A-Z]/g, (character) => character.toLowerCase());
}

/**
 * Go's `validHostname`: non-empty labels of letters, digits, `_` and non-leading `-`; a pattern may
 * start with a whole `*` label; input may end with one dot.
 */
function validHostname(host: string, isPattern: boolean): boolean {
  const name = isPattern ? host : host.endsWith(".") ? host.slice(0, -1) : host;
  if (name.length === 0) return false;
  return name.split(".").every((label, index) => {
    if (label === "") return false;
    if (isPattern && index === 0 && label === "*") return true;
    return /^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(label);
  });
}

function matchExactly(a: string, b: string): boolean {
  if (a === "" || a === "." || b === "" || b === ".") return false;
  return lowerAscii(a) === lowerAscii(b);
}

function matchPattern(pattern: string, host: string): boolean {
  const patternLabels = lowerAscii(pattern).split(".");
  const hostLabels = lowerAscii(host.endsWith(".") ? host.slice(0, -1) : host).split(".");
  if (patternLabels.length !== hostLabels.length) return false;
  return patternLabels.every((label, index) => (index === 0 && label === "*") || label === hostLabels[index]);
}

/**
 * True when a DNS SAN of `sans` covers `host`. Valid host names get wildcard and trailing-dot
 * handling; anything else must match a SAN exactly, as Go does for non-hostname inputs.
 *
 * @example
 * ```ts
 * import { matchesDnsName } from "./match-hostname.js";
 *
 * console.log(matchesDnsName([{ type: "dns", value: "*.example.com" }], "api.example.com")); // true
 * console.log(matchesDnsName([{ type: "dns", value: "*.example.com" }], "a.b.example.com")); // false
 * ```
 */
export function matchesDnsName(sans: readonly SubjectAltName[], host: string): boolean {
  const validHost = validHostname(host, false);
  return sans.some(
    (san) =>
      san.type === "dns" &&
      (validHost && validHostname(san.value, true) ? matchPattern(san.value, host) : matchExactly(san.value, host)),
  );
}

/**
 * True when an IP SAN of `sans` equals the address `ip` (4 or 16 bytes). Addresses compare by
 * bytes after parsing, so `fd00::1` and `FD00:0::1` are the same; an IPv4 address and its
 * IPv4-mapped IPv6 form (`::ffff:10.0.0.1`) are different addresses here.
 *
 * @example
 * ```ts
 * import { parseIp } from "../vocabulary/ip.js";
 * import { matchesIpAddress } from "./match-hostname.js";
 *
 * console.log(matchesIpAddress([{ type: "ip", value: "10.96.0.1" }], parseIp("10.96.0.1") ?? new Uint8Array())); // true
 * ```
 */
export function matchesIpAddress(sans: readonly SubjectAltName[], ip: Uint8Array): boolean {
  return sans.some((san) => {
    if (san.type !== "ip") return false;
    const bytes = parseIp(san.value);
    return bytes !== undefined && bytesEqual(bytes, ip);
  });
}
