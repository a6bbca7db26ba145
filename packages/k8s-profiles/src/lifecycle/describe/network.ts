/**
 * Where the cluster is reached and what it is called, from the tree's kubeconfigs, flags and API
 * server certificate: DNS domain, service CIDRs, bindPort and endpoint, cluster name, etcd.
 *
 * @internal
 */

import { cidrAddress, ipFamily, isDnsName, parseCidr, type SubjectAltName } from "@kubepki/core";
import { type EtcdConfig, joinHostPort, resolveClusterConfig } from "../../config/resolve.js";
import {
  APISERVER_SERVICE_FQDN_PREFIX,
  APISERVER_SERVICE_IP_INDEX,
  KUBEADM_DEFAULTS,
  KUBECONFIG_FILES,
} from "../../roles/constants.js";
import { serviceCidrFor } from "./facts.js";
import { type ControlPlane, LOOPBACKS } from "./nodes.js";
import { APISERVER_FLAGS_PATH, clusterNameOf, type Server, serverOf, type TreeFacts } from "./read.js";

// The cluster name rule of resolveClusterConfig: a kubeconfig cluster name, used in context names.
const CLUSTER_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export function dnsDomainFrom(facts: TreeFacts, sans: readonly SubjectAltName[], notes: string[]): string {
  const prefix = `${APISERVER_SERVICE_FQDN_PREFIX}.`;
  const fqdn = sans.find((san) => san.type === "dns" && san.value.startsWith(prefix))?.value;
  const domain = fqdn?.slice(prefix.length);
  if (domain !== undefined && isDnsName(domain)) return domain;
  const issuer = facts.flags.get("--service-account-issuer");
  const fromIssuer = issuer?.startsWith(`https://${prefix}`) ? issuer.slice(`https://${prefix}`.length) : undefined;
  if (fromIssuer !== undefined && isDnsName(fromIssuer)) return fromIssuer;
  notes.push(
    `dnsDomain: no ${prefix}<domain> SAN on the API server certificate; assumed ${KUBEADM_DEFAULTS.dnsDomain}`,
  );
  return KUBEADM_DEFAULTS.dnsDomain;
}

/**
 * `--service-cluster-ip-range` when the flags file has it; else the CIDR of the API server's
 * service IP(s): the IP SANs before the node's advertise address (kubeadm's order).
 */
export function serviceSubnetsFrom(
  facts: TreeFacts,
  first: ControlPlane | undefined,
  notes: string[],
): { subnets: string[]; ips: string[] } {
  const range = facts.flags.get("--service-cluster-ip-range");
  if (range !== undefined) {
    try {
      const subnets = range.split(",").map((text) => parseCidr(text.trim(), "--service-cluster-ip-range").text);
      resolveClusterConfig({ serviceSubnets: subnets });
      return { subnets, ips: subnets.map((subnet) => cidrAddress(subnet, APISERVER_SERVICE_IP_INDEX)) };
    } catch {
      notes.push(
        `serviceSubnets: ${APISERVER_FLAGS_PATH} has an unusable --service-cluster-ip-range=${range}; ignored`,
      );
    }
  }
  const ips = first === undefined ? [] : ipSansOf(first);
  const at = first?.advertise === undefined ? -1 : ips.indexOf(first.advertise);
  // Before the advertise address: one service IP, or two of different families (dual-stack SAN).
  let candidates = at > 0 ? ips.slice(0, Math.min(at, 2)) : ips.slice(0, 1);
  if (candidates.length === 2 && ipFamily(candidates[0] as string) === ipFamily(candidates[1] as string)) {
    candidates = candidates.slice(0, 1);
  }
  const subnets: string[] = [];
  const found: string[] = [];
  for (const ip of candidates) {
    const cidr = serviceCidrFor(ip);
    if (cidr !== undefined) {
      subnets.push(cidr);
      found.push(ip);
    }
  }
  if (subnets.length === 0) {
    notes.push(
      `serviceSubnets: neither ${APISERVER_FLAGS_PATH} nor a service IP on the API server certificate; assumed ${KUBEADM_DEFAULTS.serviceSubnet}`,
    );
    return { subnets: [KUBEADM_DEFAULTS.serviceSubnet], ips: [] };
  }
  notes.push(
    `serviceSubnets: no ${APISERVER_FLAGS_PATH}; ${subnets.join(", ")} guessed from the API server's service IP ${found.join(", ")} (only its first and tenth addresses reach the certificates and the kubelet config; a second, dual-stack range shows only with dualStackApiserverSan)`,
  );
  return { subnets, ips: found };
}

function ipSansOf(plane: ControlPlane): string[] {
  return plane.apiserver.entry.certificate.subjectAltNames.flatMap((san) => (san.type === "ip" ? [san.value] : []));
}

/**
 * bindPort from the local kubeconfigs (controller-manager, scheduler, a control-plane kubelet), then
 * `--secure-port`; the endpoint from the shared kubeconfigs' server when it is not the first node's
 * `advertise:bindPort`.
 */
export function endpointFrom(
  facts: TreeFacts,
  first: ControlPlane | undefined,
  shared: { server: Server; file: string } | undefined,
  notes: string[],
): { bindPort: number; endpoint: string | undefined } {
  const dir = first?.dir;
  const local = [KUBECONFIG_FILES.controllerManager, KUBECONFIG_FILES.scheduler, KUBECONFIG_FILES.kubelet]
    .map((file) =>
      serverOf(
        facts.tree.kubeconfigs.find((k) => k.file === (dir === undefined ? file : `nodes/${dir}/${file}`))?.config,
      ),
    )
    .find((server) => server !== undefined && (first?.advertise === undefined || server.host === first.advertise));
  const securePort = Number(facts.flags.get("--secure-port"));
  let bindPort: number;
  if (local) bindPort = local.port;
  else if (Number.isInteger(securePort) && securePort >= 1 && securePort <= 65535) bindPort = securePort;
  else if (shared && shared.server.host === first?.advertise) bindPort = shared.server.port;
  else {
    bindPort = KUBEADM_DEFAULTS.bindPort;
    notes.push(`bindPort: no local kubeconfig and no --secure-port; assumed ${bindPort}`);
  }
  if (shared === undefined) {
    notes.push(
      "controlPlaneEndpoint: no admin.conf (or other shared kubeconfig) to read it from; assumed none (a DNS endpoint on the API server certificate becomes a certSAN)",
    );
    return { bindPort, endpoint: undefined };
  }
  const { host, port } = shared.server;
  if (host === first?.advertise && port === bindPort) return { bindPort, endpoint: undefined };
  if (ipFamily(host) === undefined && !isDnsName(host)) {
    notes.push(
      `controlPlaneEndpoint: ${shared.file}'s server host ${JSON.stringify(host)} is not usable; assumed none`,
    );
    return { bindPort, endpoint: undefined };
  }
  notes.push(
    `controlPlaneEndpoint: from ${shared.file}, with its port spelled out (the certificates are the same without it)`,
  );
  return { bindPort, endpoint: joinHostPort(host, port) };
}

export function clusterNameFrom(facts: TreeFacts, notes: string[]): string {
  const ordered = [...facts.tree.kubeconfigs].sort(
    (a, b) => Number(b.file === KUBECONFIG_FILES.admin) - Number(a.file === KUBECONFIG_FILES.admin),
  );
  for (const { config } of ordered) {
    const name = clusterNameOf(config);
    if (name !== undefined && CLUSTER_NAME.test(name)) return name;
  }
  notes.push(`clusterName: no kubeconfig names the cluster; assumed ${KUBEADM_DEFAULTS.clusterName}`);
  return KUBEADM_DEFAULTS.clusterName;
}

/** Local when the etcd CA and the first node's etcd server certificate exist; external from `--etcd-servers`. */
export function etcdFrom(facts: TreeFacts, first: ControlPlane | undefined, notes: string[]): EtcdConfig {
  const hasCa = facts.certificates.some((item) => item.role === "etcd-ca");
  if (first?.etcdServer !== undefined) {
    if (!hasCa) notes.push("etcd: an etcd server certificate but no etcd CA; assumed local etcd");
    return { type: "local" };
  }
  const servers = facts.flags.get("--etcd-servers");
  const endpoints =
    servers
      ?.split(",")
      .map((url) => url.trim())
      .filter((url) => url !== "") ?? [];
  const loopback = endpoints.every((url) => {
    try {
      return LOOPBACKS.has(new URL(url).hostname.replace(/^\[|\]$/g, "")) || new URL(url).hostname === "localhost";
    } catch {
      return false;
    }
  });
  if (endpoints.length > 0 && !loopback) {
    try {
      const etcd: EtcdConfig = { type: "external", endpoints };
      resolveClusterConfig({ etcd });
      return etcd;
    } catch {
      notes.push(`etcd: --etcd-servers=${servers} is not a list of http(s) URLs; ignored`);
    }
  }
  notes.push("etcd: no etcd server certificate and no external --etcd-servers; assumed local etcd");
  return { type: "local" };
}
