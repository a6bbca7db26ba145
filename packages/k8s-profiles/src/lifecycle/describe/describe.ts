import { cidrAddress, ipFamily, isDnsName, KubepkiError, parseCidr, type SubjectAltName } from "@kubepki/core";
import {
  type ClusterConfig,
  type EtcdConfig,
  joinHostPort,
  type NodeConfig,
  type ResolvedClusterConfig,
  resolveClusterConfig,
} from "../../config/resolve.js";
import { type ClusterFiles, readTree } from "../../files/read-files.js";
import { readClusterRecord } from "../../files/record.js";
import { apiserverSans, etcdSans } from "../../plan/sans.js";
import {
  APISERVER_SERVICE_FQDN_PREFIX,
  APISERVER_SERVICE_IP_INDEX,
  DEFAULT_NODE,
  KUBEADM_DEFAULTS,
  KUBECONFIG_FILES,
} from "../../roles/constants.js";
import { keyAlgorithmFrom, serviceCidrFor, validityFrom } from "./facts.js";
import { buildNodes, type ControlPlane, findControlPlanes, LOOPBACKS } from "./nodes.js";
import {
  APISERVER_FLAGS_PATH,
  clusterNameOf,
  inFolder,
  readFacts,
  type Server,
  serverOf,
  sharedServer,
  type TreeFacts,
} from "./read.js";

/**
 * What {@link describeTree} found: the cluster a tree was made for, what it had to assume, and
 * where the answer came from (the tree's `kubepki.yaml`, or its certificates).
 *
 * @example
 * ```ts
 * import type { TreeDescription } from "@kubepki/k8s-profiles";
 *
 * const described: TreeDescription = { config: {}, notes: [], record: "certificates" };
 * ```
 */
export interface TreeDescription {
  /** A valid `ClusterConfig` (`resolveClusterConfig` accepts it) with every field spelled out. */
  readonly config: ClusterConfig;
  /** What could not be known from the files, and what was assumed instead; empty for a record. */
  readonly notes: string[];
  /** `kubepki.yaml` when the tree keeps its cluster record, `certificates` when it was inferred. */
  readonly record: "kubepki.yaml" | "certificates";
}

// The cluster name rule of resolveClusterConfig: a kubeconfig cluster name, used in context names.
const CLUSTER_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * The cluster a tree was made for. A tree that keeps its record (`kubepki.yaml`, written by
 * `init`) returns it as it is. A tree without one (made by kubeadm, by openssl, by an older
 * kubepki) is described from its certificates, kubeconfigs and flags, each field as exactly as
 * the files allow: nodes from the API server, etcd and kubelet certificates and `kubelet.conf`
 * identities, the endpoint and port from the kubeconfigs' servers, service CIDRs from
 * `flags/kube-apiserver.txt` or the API server's service IP, `certSANs` and etcd's extra SANs as
 * what the certificates carry beyond what kubepki computes for that config, validity from the
 * certificates' lifetimes. Whatever had to be assumed is said in `notes`; planning the returned
 * config gives the tree's certificates (subjects, SANs, usages, paths).
 *
 * @throws KubepkiError `NOT_A_TREE` when the files hold no API server certificate and no
 * kubeconfig to learn from; `INVALID_ARGUMENT` when `files` is not a file map; `INVALID_CONFIG`
 * for a `kubepki.yaml` that is not a mapping.
 *
 * @example
 * ```ts
 * import { describeTree } from "@kubepki/k8s-profiles";
 *
 * // A tree that keeps its record gives it back; one without (kubeadm's, openssl's) is inferred
 * // from its certificates, and `notes` say what had to be assumed.
 * const { config, notes, record } = describeTree({ "kubepki.yaml": "clusterName: prod\n" });
 * console.log(record, config, notes); // "kubepki.yaml" { clusterName: "prod" } []
 * ```
 */
export function describeTree(files: ClusterFiles): TreeDescription {
  const recorded = readClusterRecord(files);
  if (recorded !== undefined) return { config: recorded, notes: [], record: "kubepki.yaml" };
  const facts = readFacts(readTree(files));
  if (!facts.certificates.some((item) => item.role === "apiserver") && facts.tree.kubeconfigs.length === 0) {
    throw new KubepkiError(
      "NOT_A_TREE",
      "A directory that holds no cluster PKI kubepki can read (no CA, no apiserver certificate)",
      { details: { files: facts.tree.texts.size } },
    );
  }
  const notes: string[] = [];
  const config = inferConfig(facts, notes);
  // Everything above keeps to what resolveClusterConfig accepts; this is the proof.
  resolveClusterConfig(config);
  return { config, notes, record: "certificates" };
}

/** Every ClusterConfig field, in the record's order. */
function inferConfig(facts: TreeFacts, notes: string[]): ClusterConfig {
  const workerDirs = [...new Set(facts.certificates.flatMap((item) => (item.dir === undefined ? [] : [item.dir])))];
  const shared = sharedServer(facts, workerDirs);
  const planes = findControlPlanes(facts, shared?.server.host);
  const rootApiserver = planes[0]?.apiserver;
  const dnsDomain = dnsDomainFrom(facts, rootApiserver?.entry.certificate.subjectAltNames ?? [], notes);
  const services = serviceSubnetsFrom(facts, planes[0], notes);
  const { bindPort, endpoint } = endpointFrom(facts, planes[0], shared, notes);
  const endpointHost = endpoint === undefined ? undefined : shared?.server.host;
  let nodes = buildNodes(facts, planes, services.ips, endpointHost, notes);
  if (!nodes.some((node) => node.role === "control-plane")) {
    notes.push("nodes: no API server certificate names a control-plane node; assumed kubeadm's default node");
    const fallback: NodeConfig = {
      name: DEFAULT_NODE.name,
      role: "control-plane",
      addresses: [...DEFAULT_NODE.addresses],
    };
    nodes = [
      fallback,
      ...nodes.filter(
        (node) => node.name !== fallback.name && !node.addresses.some((ip) => fallback.addresses.includes(ip)),
      ),
    ];
  }
  const leaves = facts.certificates
    .filter((item) => !item.entry.certificate.isCa)
    .map((item) => item.entry.certificate);
  const keyAlgorithm = keyAlgorithmFrom(leaves);
  notes.push(...keyAlgorithm.notes);
  const ca = inFolder(facts, "ca", undefined)[0] ?? facts.certificates.find((item) => item.role === "ca");
  const validity = validityFrom(ca?.entry.certificate, rootApiserver?.entry.certificate);
  notes.push(...validity.notes);
  const usages = rootApiserver?.entry.certificate.keyUsages;
  const keyEncipherment = !(
    usages !== undefined &&
    !usages.includes("keyEncipherment") &&
    keyAlgorithm.value.startsWith("ECDSA")
  );
  const kubeProxy =
    facts.certificates.some((item) => item.role === "kube-proxy") ||
    facts.tree.kubeconfigs.some((kubeconfig) => kubeconfig.file === KUBECONFIG_FILES.kubeProxy)
      ? "certificate"
      : "service-account";
  const secondary = services.subnets[1];
  const dualStackApiserverSan =
    secondary !== undefined &&
    (rootApiserver?.entry.certificate.subjectAltNames ?? []).some(
      (san) => san.type === "ip" && san.value === cidrAddress(parseCidr(secondary), APISERVER_SERVICE_IP_INDEX),
    );
  const base: ClusterConfig = {
    clusterName: clusterNameFrom(facts, notes),
    ...(endpoint === undefined ? {} : { controlPlaneEndpoint: endpoint }),
    serviceSubnets: services.subnets,
    dnsDomain,
    nodes,
    certSANs: [],
    etcd: etcdFrom(facts, planes[0], notes),
    keyAlgorithm: keyAlgorithm.value,
    validity: validity.value,
    kubeProxy,
    bindPort,
    keyEncipherment,
    dualStackApiserverSan,
  };
  return withExtraSans(base, planes, notes);
}

function dnsDomainFrom(facts: TreeFacts, sans: readonly SubjectAltName[], notes: string[]): string {
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
function serviceSubnetsFrom(
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
function endpointFrom(
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

function clusterNameFrom(facts: TreeFacts, notes: string[]): string {
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
function etcdFrom(facts: TreeFacts, first: ControlPlane | undefined, notes: string[]): EtcdConfig {
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

/**
 * certSANs and etcd's extra SANs: what the first node's certificates carry beyond what kubepki
 * computes for the config inferred so far, in the certificate's order.
 */
function withExtraSans(base: ClusterConfig, planes: readonly ControlPlane[], notes: string[]): ClusterConfig {
  const first = planes[0];
  if (first === undefined) return base;
  const resolved: ResolvedClusterConfig = resolveClusterConfig(base);
  const name = resolved.nodes[0]?.name as string;
  if (!resolved.nodes.some((node) => node.name === name && node.role === "control-plane")) return base;
  const extra = (carried: readonly SubjectAltName[], computed: readonly SubjectAltName[]) => {
    const known = new Set(computed.map((san) => `${san.type}:${san.value}`));
    return carried.flatMap((san) =>
      (san.type === "dns" || san.type === "ip") && !known.has(`${san.type}:${san.value}`) ? [san.value] : [],
    );
  };
  const certSANs = extra(first.apiserver.entry.certificate.subjectAltNames, apiserverSans(resolved, name).sans);
  if (certSANs.length > 1) {
    notes.push("certSANs: in the certificate's order (DNS names sorted, then IPs); the config's own order is not kept");
  }
  let etcd = base.etcd as EtcdConfig;
  if (etcd.type === "local") {
    const serverCertSANs = extra(
      first.etcdServer?.entry.certificate.subjectAltNames ?? [],
      etcdSans(resolved, name, "server").sans,
    );
    const peerCertSANs = first.etcdPeer
      ? extra(first.etcdPeer.entry.certificate.subjectAltNames, etcdSans(resolved, name, "peer").sans)
      : [];
    etcd = { type: "local", serverCertSANs, peerCertSANs };
  }
  return { ...base, certSANs, etcd };
}
