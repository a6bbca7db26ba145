// The API server's --etcd-servers: each host it dials must be a SAN of an etcd server certificate of
// the tree, or the API server refuses etcd (reference §2.2, §5.1).
import { basename } from "../../files/read-files.js";
import type { Finding } from "../findings.js";
import { hostCovered, urlHost } from "../hosts.js";
import type { TreeRule } from "./context.js";

/** Where the tree states the API server's flags: kubepki's flags file, or the static Pod manifest (per-node layout). */
const APISERVER_FLAG_FILES = ["kube-apiserver.txt", "kube-apiserver.yaml"];

/** The `--etcd-servers` value of a flags file or manifest (`--flag=value`, `- --flag=value`, quoted or not). */
function etcdServers(text: string): string | undefined {
  return /(?:^|\s|["'])--etcd-servers=([^\s"']+)/m.exec(text)?.[1];
}

/**
 * Each host of `--etcd-servers` (in `flags/kube-apiserver.txt` or `manifests/kube-apiserver.yaml`)
 * is a SAN of some etcd server certificate of the tree: `https` endpoints only, and only when the
 * tree holds etcd server certificates (an external etcd's are not there to check).
 */
export const etcdServerFindings: TreeRule = ({ tree, matches }) => {
  const servers = tree.certificates
    .filter((entry) => matches.get(entry)?.role === "etcd-server")
    .map((entry) => entry.certificate);
  if (servers.length === 0) return [];
  const findings: Finding[] = [];
  for (const [path, text] of tree.texts) {
    const name = basename(path);
    if (!APISERVER_FLAG_FILES.includes(name) || !/(^|\/)(flags|manifests)\/[^/]+$/.test(path)) continue;
    const value = etcdServers(text);
    if (value === undefined) continue;
    for (const endpoint of value.split(",")) {
      if (!endpoint.startsWith("https://")) continue;
      const host = urlHost(endpoint)?.host || undefined;
      if (host === undefined || hostCovered(host, servers)) continue;
      findings.push({
        severity: "error",
        code: "SERVER_NAME_MISMATCH",
        file: path,
        role: "etcd-server",
        message: `--etcd-servers: ${endpoint} — ${host} is not a SAN of any etcd server certificate in the tree, so the API server cannot verify etcd ("x509: certificate is valid for …, not ${host}") and does not start`,
        fix: `add ${host} to the etcd server certificate of that member (etcd.local.serverCertSANs), or point --etcd-servers at a name it carries`,
        reference: "§2.2, §5.1",
      });
    }
  }
  return findings;
};
