// The hosts clients dial and the names certificates carry: one reading of a URL's host and one
// SAN match, for every rule that asks "does this certificate serve that address" (kubeconfig
// `server:`, `--etcd-servers`, a live endpoint).
import { type Certificate, formatIp, parseIp } from "@kubepki/core";

/**
 * The host (an IPv6 address without its brackets), port and scheme of a URL; undefined for text
 * that is not a URL. `port` is `"443"` for an https URL without one, as a client dials it.
 */
export function urlHost(text: string): { host: string; port: string; protocol: string } | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const port = url.port !== "" ? url.port : url.protocol === "https:" ? "443" : "";
  return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port, protocol: url.protocol };
}

/**
 * Whether a host (DNS name or IP) a client dials is a SAN of one of the certificates: an IP SAN
 * equal to it, or a DNS SAN equal to it (case and a trailing dot aside, as Go's `VerifyHostname`)
 * or a `*.` wildcard over one label.
 */
export function hostCovered(host: string, certificates: readonly Certificate[]): boolean {
  const ip = parseIp(host);
  const wanted = ip ? formatIp(ip) : host.toLowerCase().replace(/\.$/, "");
  return certificates.some((cert) =>
    cert.subjectAltNames.some((san) => {
      if (ip) {
        const sanIp = san.type === "ip" ? parseIp(san.value) : undefined;
        return sanIp !== undefined && formatIp(sanIp) === wanted;
      }
      if (san.type !== "dns") return false;
      const name = san.value.toLowerCase();
      if (name === wanted) return true;
      return (
        name.startsWith("*.") && wanted.indexOf(".") > 0 && wanted.slice(wanted.indexOf(".") + 1) === name.slice(2)
      );
    }),
  );
}
