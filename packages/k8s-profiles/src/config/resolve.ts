import {
  type Cidr,
  formatIp,
  isDnsName,
  KUBEADM_KEY_ALGORITHMS,
  KubepkiError,
  type KubepkiErrorCode,
  lastUsableIndex,
  parseCidr,
  parseIp,
} from "@kubepki/core/names";
import {
  CLUSTER_DNS_SERVICE_IP_INDEX,
  DEFAULT_NODE,
  KUBEADM_DEFAULTS,
  MAX_SERVICE_SUBNET_HOST_BITS,
} from "../roles/constants.js";
import { unknownFieldMessage } from "./unknown-field.js";
import { isValidated, markValidated, type validatedBy } from "./validated.js";

/**
 * kubeadm's `encryptionAlgorithm` values (reference §1.3): the key algorithms a cluster accepts.
 * Ed25519, which `@kubepki/core` also generates, is refused by kubeadm and by Kubernetes' key loaders.
 *
 * @example
 * ```ts
 * import type { ClusterKeyAlgorithm } from "@kubepki/k8s-profiles";
 *
 * const algorithm: ClusterKeyAlgorithm = "ECDSA-P256";
 * ```
 */
// Spelled out: core's KeyAlgorithm also names odd RSA sizes of existing keys (RSA-16384), which
// describe a key but are not a choice for a new cluster.
export type ClusterKeyAlgorithm = "RSA-2048" | "RSA-3072" | "RSA-4096" | "ECDSA-P256" | "ECDSA-P384";

/**
 * What a node does. Control-plane nodes run kube-apiserver, controller-manager, scheduler and
 * (with local etcd) an etcd member; workers only run the kubelet (and kube-proxy).
 *
 * @example
 * ```ts
 * import type { NodeRole } from "@kubepki/k8s-profiles";
 *
 * const role: NodeRole = "worker";
 * ```
 */
export type NodeRole = "control-plane" | "worker";

/**
 * One node as the caller describes it.
 *
 * @example
 * ```ts
 * import type { NodeConfig } from "@kubepki/k8s-profiles";
 *
 * const node: NodeConfig = { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] };
 * ```
 */
export interface NodeConfig {
  /** The Node object name (`nodeRegistration.name`): a lowercase RFC 1123 subdomain. */
  name: string;
  /** Control plane or worker. */
  role: NodeRole;
  /**
   * The node's IP addresses, at least one. The first is its advertise address
   * (`localAPIEndpoint.advertiseAddress`); all of them go into its kubelet serving certificate.
   */
  addresses: readonly string[];
}

/**
 * Where etcd runs: stacked on the control-plane nodes (kubeadm `etcd.local`) or elsewhere
 * (`etcd.external`, in which case kubepki issues no etcd certificates: reference §1.1 note).
 *
 * @example
 * ```ts
 * import type { EtcdConfig } from "@kubepki/k8s-profiles";
 *
 * const etcd: EtcdConfig = { type: "external", endpoints: ["https://etcd-0.example.com:2379"] };
 * ```
 */
export type EtcdConfig =
  | {
      type: "local";
      /** Extra SANs of every etcd server certificate (`etcd.local.serverCertSANs`). */
      serverCertSANs?: readonly string[];
      /** Extra SANs of every etcd peer certificate (`etcd.local.peerCertSANs`). */
      peerCertSANs?: readonly string[];
    }
  | {
      type: "external";
      /** Client URLs of the external etcd members. */
      endpoints: readonly string[];
      /** PEM of the external etcd's CA, when known (it is not generated). */
      caCertPem?: string;
    };

/**
 * A cluster description: the subset of kubeadm's ClusterConfiguration/InitConfiguration that
 * decides the PKI. Every field is optional and defaults as kubeadm does (see
 * {@link resolveClusterConfig}).
 *
 * @example
 * ```ts
 * import type { ClusterConfig } from "@kubepki/k8s-profiles";
 *
 * const config: ClusterConfig = {
 *   controlPlaneEndpoint: "k8s-api.example.com:6443",
 *   nodes: [
 *     { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] },
 *     { name: "worker-1", role: "worker", addresses: ["192.168.10.21"] },
 *   ],
 * };
 * ```
 */
export interface ClusterConfig {
  /** `clusterName`; names the cluster in every kubeconfig. Default `kubernetes`. */
  clusterName?: string;
  /** `controlPlaneEndpoint`: host or host:port, DNS name or IP, IPv6 in brackets when a port follows. */
  controlPlaneEndpoint?: string;
  /**
   * `networking.serviceSubnet`: one CIDR, or two of different families (dual-stack). A
   * kubeadm-style comma-separated string is accepted too. Default `["10.96.0.0/12"]`.
   */
  serviceSubnets?: string | readonly string[];
  /** `networking.dnsDomain`. Default `cluster.local`. */
  dnsDomain?: string;
  /**
   * The nodes. The first control-plane node is the one `kubeadm init` would run on. Default: one
   * control-plane node {@link DEFAULT_NODE} (`control-plane-1` at `10.0.0.10`).
   */
  nodes?: readonly NodeConfig[];
  /** `apiServer.certSANs`: extra API server SANs (IP, DNS or `*.` wildcard; invalid ones are skipped with a warning). */
  certSANs?: readonly string[];
  /** `etcd`. Default `{ type: "local" }`. */
  etcd?: EtcdConfig;
  /** `encryptionAlgorithm`. Default `RSA-2048`. */
  keyAlgorithm?: ClusterKeyAlgorithm;
  /** Validity in days: `caCertificateValidityPeriod` (3650) and `certificateValidityPeriod` (365). */
  validity?: { caDays?: number; leafDays?: number };
  /**
   * How kube-proxy authenticates. kubeadm uses a service account (default); `"certificate"` issues
   * a `system:kube-proxy` client certificate and `kube-proxy.conf`, as hand-made clusters do.
   */
  kubeProxy?: "certificate" | "service-account";
  /** `localAPIEndpoint.bindPort`. Default 6443. */
  bindPort?: number;
  /**
   * Set keyEncipherment in every keyUsage, as kubeadm does even for ECDSA keys (reference §1.2).
   * Default `true`; may be turned off only with an ECDSA `keyAlgorithm` (RFC 8813 §3).
   */
  keyEncipherment?: boolean;
  /**
   * Also put the second service CIDR's first address into the API server certificate. kubeadm
   * does not (reference §2.1 item 3); opt in when clients reach the API by the secondary-family
   * ClusterIP. Default `false`.
   */
  dualStackApiserverSan?: boolean;
}

/**
 * A node after validation: addresses in canonical text, advertise address picked.
 *
 * @example
 * ```ts
 * import { resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * const [node] = resolveClusterConfig({}).nodes;
 * console.log(node?.advertiseAddress); // "10.0.0.10"
 * ```
 */
export interface ResolvedNode {
  readonly name: string;
  readonly role: NodeRole;
  /** Canonical IP texts, in the given order. */
  readonly addresses: readonly string[];
  /** `addresses[0]`. */
  readonly advertiseAddress: string;
}

/**
 * The control-plane endpoint, split and classified.
 *
 * @example
 * ```ts
 * import { resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * const { endpoint } = resolveClusterConfig({ controlPlaneEndpoint: "[FD00::1]:6443" });
 * console.log(endpoint); // { host: "fd00::1", hostType: "ip", port: 6443, portGiven: true }
 * ```
 */
export interface ControlPlaneEndpoint {
  /** Host without brackets; IPs in canonical text. */
  readonly host: string;
  /** Whether the host is an IP address or a DNS name (decides the SAN type: reference §2.1 item 5). */
  readonly hostType: "ip" | "dns";
  /** The port clients use: the endpoint's own, else `bindPort`. */
  readonly port: number;
  /** Whether the endpoint text carried a port. */
  readonly portGiven: boolean;
}

/**
 * Etcd settings after validation.
 *
 * @example
 * ```ts
 * import { resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(resolveClusterConfig({}).etcd); // { type: "local", serverCertSANs: [], peerCertSANs: [] }
 * ```
 */
export type ResolvedEtcdConfig =
  | { readonly type: "local"; readonly serverCertSANs: readonly string[]; readonly peerCertSANs: readonly string[] }
  | { readonly type: "external"; readonly endpoints: readonly string[]; readonly caCertPem: string | undefined };

/**
 * A validated cluster description with every default filled in. It is itself a valid
 * {@link ClusterConfig} (resolving it again gives an equal value), plus two derived fields,
 * `endpoint` and `serviceCidrs`.
 *
 * @example
 * ```ts
 * import { resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * const config = resolveClusterConfig({ serviceSubnets: ["10.96.0.0/16", "fd00:10:96::/112"] });
 * console.log(config.serviceCidrs.map((cidr) => cidr.family)); // [4, 6]
 * ```
 */
export interface ResolvedClusterConfig {
  /**
   * The mark `resolveClusterConfig` sets (not enumerable): `planCluster` takes a config that
   * carries it as it is. A copy (`{ ...config }`) loses it and is resolved again.
   */
  readonly [validatedBy]: "resolveClusterConfig";
  readonly clusterName: string;
  /** Canonical endpoint text (IPv6 bracketed when a port follows), or undefined. */
  readonly controlPlaneEndpoint: string | undefined;
  /** Canonical CIDR texts. */
  readonly serviceSubnets: readonly string[];
  readonly dnsDomain: string;
  readonly nodes: readonly ResolvedNode[];
  /** As given: they are classified (and bad ones reported) when SANs are computed. */
  readonly certSANs: readonly string[];
  readonly etcd: ResolvedEtcdConfig;
  readonly keyAlgorithm: ClusterKeyAlgorithm;
  readonly validity: { readonly caDays: number; readonly leafDays: number };
  readonly kubeProxy: "certificate" | "service-account";
  readonly bindPort: number;
  readonly keyEncipherment: boolean;
  readonly dualStackApiserverSan: boolean;
  /** Derived: `controlPlaneEndpoint` split and classified. */
  readonly endpoint: ControlPlaneEndpoint | undefined;
  /** Derived: `serviceSubnets` parsed. */
  readonly serviceCidrs: readonly Cidr[];
}

const CONFIG_KEYS = new Set([
  "clusterName",
  "controlPlaneEndpoint",
  "serviceSubnets",
  "dnsDomain",
  "nodes",
  "certSANs",
  "etcd",
  "keyAlgorithm",
  "validity",
  "kubeProxy",
  "bindPort",
  "keyEncipherment",
  "dualStackApiserverSan",
  // Derived fields of a ResolvedClusterConfig: accepted so that resolving is idempotent, recomputed.
  "endpoint",
  "serviceCidrs",
]);
/** The fields a person writes (the suggestions for a misspelt one): not the derived ones. */
const INPUT_KEYS = [...CONFIG_KEYS].filter((key) => key !== "endpoint" && key !== "serviceCidrs");
const NODE_KEYS: readonly string[] = ["name", "role", "addresses", "advertiseAddress"];

/**
 * Validates a cluster description and fills kubeadm's defaults. Everything that would make a
 * broken PKI is refused here, once, with a {@link KubepkiError} whose `details.field` names the
 * offending field (`nodes[1].addresses[0]`, `serviceSubnets[1]`, …) and whose message names it too.
 *
 * Codes: `INVALID_IP` (addresses, CIDRs, IP endpoints), `INVALID_DNS_NAME` (node names, DNS
 * endpoints, dnsDomain), `INVALID_ARGUMENT` (everything else).
 *
 * @throws KubepkiError
 *
 * @example
 * ```ts
 * import { resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * const config = resolveClusterConfig({ nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] }] });
 * console.log(config.serviceSubnets, config.bindPort); // ["10.96.0.0/12"] 6443
 * ```
 */
export function resolveClusterConfig(input: ClusterConfig = {}): ResolvedClusterConfig {
  // Its own output is taken as it is: validated once, where it entered.
  if (isValidated(input, "resolveClusterConfig")) return input as ResolvedClusterConfig;
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw fail("INVALID_ARGUMENT", "config", "expected an object");
  }
  for (const key of Object.keys(input)) {
    if (!CONFIG_KEYS.has(key)) throw fail("INVALID_ARGUMENT", key, unknownFieldMessage(key, INPUT_KEYS));
  }

  const clusterName = optionalString(input.clusterName, "clusterName") ?? KUBEADM_DEFAULTS.clusterName;
  // Used as a kubeconfig cluster name and in context names `<user>@<cluster>`.
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(clusterName)) {
    throw fail("INVALID_ARGUMENT", "clusterName", `${JSON.stringify(clusterName)} is not a valid cluster name`);
  }

  const dnsDomain = optionalString(input.dnsDomain, "dnsDomain") ?? KUBEADM_DEFAULTS.dnsDomain;
  if (!isDnsName(dnsDomain)) {
    throw fail("INVALID_DNS_NAME", "dnsDomain", `${JSON.stringify(dnsDomain)} is not a lowercase RFC 1123 domain`);
  }

  const bindPort = input.bindPort ?? KUBEADM_DEFAULTS.bindPort;
  if (!isPort(bindPort)) throw fail("INVALID_ARGUMENT", "bindPort", `${String(bindPort)} is not a port (1–65535)`);

  const keyAlgorithm = input.keyAlgorithm ?? (KUBEADM_DEFAULTS.keyAlgorithm as ClusterKeyAlgorithm);
  if (!(KUBEADM_KEY_ALGORITHMS as readonly unknown[]).includes(keyAlgorithm)) {
    throw fail(
      "INVALID_ARGUMENT",
      "keyAlgorithm",
      `${JSON.stringify(keyAlgorithm)} is not one of ${KUBEADM_KEY_ALGORITHMS.join(", ")}`,
    );
  }

  const keyEncipherment = optionalBoolean(input.keyEncipherment, "keyEncipherment") ?? true;
  // RFC 8813 §3 forbids keyEncipherment with ECDSA keys, but kubeadm sets it anyway (reference
  // §1.2). For RSA it is what TLS 1.2 RSA key exchange needs, so only ECDSA may drop it.
  if (!keyEncipherment && !keyAlgorithm.startsWith("ECDSA")) {
    throw fail("INVALID_ARGUMENT", "keyEncipherment", "can only be turned off with ECDSA keys");
  }

  const dualStackApiserverSan = optionalBoolean(input.dualStackApiserverSan, "dualStackApiserverSan") ?? false;

  const kubeProxy = input.kubeProxy ?? "service-account";
  if (kubeProxy !== "certificate" && kubeProxy !== "service-account") {
    throw fail(
      "INVALID_ARGUMENT",
      "kubeProxy",
      `${JSON.stringify(kubeProxy)} is neither "certificate" nor "service-account"`,
    );
  }

  const validity = resolveValidity(input.validity);
  const serviceCidrs = resolveServiceSubnets(input.serviceSubnets);
  const nodes = resolveNodes(input.nodes);
  const endpoint = resolveEndpoint(input.controlPlaneEndpoint, bindPort);
  const certSANs = stringList(input.certSANs, "certSANs");
  const etcd = resolveEtcd(input.etcd);

  return markValidated<ResolvedClusterConfig>(
    {
      clusterName,
      controlPlaneEndpoint: endpoint && formatEndpoint(endpoint),
      serviceSubnets: serviceCidrs.map((cidr) => cidr.text),
      dnsDomain,
      nodes,
      certSANs,
      etcd,
      keyAlgorithm,
      validity,
      kubeProxy,
      bindPort,
      keyEncipherment,
      dualStackApiserverSan,
      endpoint,
      serviceCidrs,
    },
    "resolveClusterConfig",
  );
}

/**
 * The key of a resolved config's node index (not enumerable, like its mark): made once by
 * resolveClusterConfig, which has just checked the names are unique. A copy loses it with the
 * mark, and findNode then searches its nodes.
 */
const nodesByName: unique symbol = Symbol();

/**
 * Finds a node of the config by name (or checks a node object belongs to it).
 *
 * @throws KubepkiError `INVALID_ARGUMENT` (field `node`) for a name the config does not list.
 *
 * @example
 * ```ts
 * import { findNode, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(findNode(resolveClusterConfig({}), "control-plane-1").role); // "control-plane"
 * ```
 */
export function findNode(config: ResolvedClusterConfig, node: string | ResolvedNode): ResolvedNode {
  if (typeof node !== "string" && (typeof node !== "object" || node === null || typeof node.name !== "string")) {
    throw fail("INVALID_ARGUMENT", "node", "a node name (or a node of the resolved config) is required");
  }
  const name = typeof node === "string" ? node : node.name;
  // Indexed once per resolved config: presets look nodes up per certificate, and a linear search
  // each time made planning a 1000-node cluster quadratic.
  const index = (config as { [nodesByName]?: ReadonlyMap<string, ResolvedNode> })[nodesByName];
  const found = index ? index.get(name) : config.nodes.find((candidate) => candidate.name === name);
  if (!found) {
    throw fail("INVALID_ARGUMENT", "node", `${JSON.stringify(name)} is not one of the cluster's nodes`);
  }
  return found;
}

/**
 * The node `kubeadm init` would run on: the first control-plane node. Its files form the output
 * root; cluster-wide material (CAs, `sa.*`, `super-admin.conf`) lives there.
 *
 * @example
 * ```ts
 * import { initNode, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * console.log(initNode(resolveClusterConfig({})).name); // "control-plane-1"
 * ```
 */
export function initNode(config: ResolvedClusterConfig): ResolvedNode {
  // resolveClusterConfig guarantees one exists.
  return config.nodes.find((node) => node.role === "control-plane") as ResolvedNode;
}

/**
 * `host:port` for a URL, IPv6 hosts in brackets (reference §3).
 *
 * @internal
 */
export function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

// ---------------------------------------------------------------------------------------------

/**
 * The package's one way to refuse input: a KubepkiError whose message starts with the field and
 * whose `details.field` names it.
 *
 * @internal Not re-exported from the index.
 */
export function fail(code: KubepkiErrorCode, field: string, message: string): KubepkiError {
  return new KubepkiError(code, `${field}: ${message}`, { details: { field } });
}

/**
 * {@link findNode}, refusing workers: for certificates that only control-plane nodes have.
 *
 * @internal Not re-exported from the index.
 */
export function controlPlaneNode(
  config: ResolvedClusterConfig,
  node: string | ResolvedNode,
  role: string,
): ResolvedNode {
  const member = findNode(config, node);
  if (member.role !== "control-plane") {
    throw fail(
      "INVALID_ARGUMENT",
      "node",
      `${member.name} is a worker; ${role} certificates are for control-plane nodes`,
    );
  }
  return member;
}

function isPort(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw fail("INVALID_ARGUMENT", field, "expected a string");
  return value;
}

function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw fail("INVALID_ARGUMENT", field, "expected true or false");
  return value;
}

function stringList(value: unknown, field: string): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw fail("INVALID_ARGUMENT", field, "expected a list of strings");
  value.forEach((item, i) => {
    if (typeof item !== "string") throw fail("INVALID_ARGUMENT", `${field}[${i}]`, "expected a string");
  });
  return [...value];
}

function resolveValidity(value: ClusterConfig["validity"]): ResolvedClusterConfig["validity"] {
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw fail("INVALID_ARGUMENT", "validity", "expected { caDays, leafDays }");
  }
  const days = (field: "caDays" | "leafDays", fallback: number): number => {
    const v = value?.[field] ?? fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
      throw fail("INVALID_ARGUMENT", `validity.${field}`, `${String(v)} is not a positive integer`);
    }
    return v;
  };
  const caDays = days("caDays", KUBEADM_DEFAULTS.caDays);
  const leafDays = days("leafDays", KUBEADM_DEFAULTS.leafDays);
  // A leaf outliving its CA fails verification after the CA expires (core: VALIDITY_EXCEEDS_ISSUER).
  if (leafDays > caDays) {
    throw fail("INVALID_ARGUMENT", "validity.leafDays", `exceeds validity.caDays (${caDays})`);
  }
  return { caDays, leafDays };
}

function resolveServiceSubnets(value: ClusterConfig["serviceSubnets"]): readonly Cidr[] {
  const list =
    value === undefined
      ? [KUBEADM_DEFAULTS.serviceSubnet]
      : typeof value === "string"
        ? value.split(",").map((part) => part.trim())
        : stringList(value, "serviceSubnets");
  if (list.length < 1 || list.length > 2) {
    throw fail("INVALID_ARGUMENT", "serviceSubnets", `expected one CIDR or two (dual-stack), got ${list.length}`);
  }
  const cidrs = list.map((text, i) => {
    const field = `serviceSubnets[${i}]`;
    const cidr = parseCidr(text, field);
    const hostBits = (cidr.family === 4 ? 32 : 128) - cidr.prefix;
    // kubeadm `ValidateServiceSubnetSize`: at most 20 host bits (/12 IPv4, /108 IPv6).
    if (hostBits > MAX_SERVICE_SUBNET_HOST_BITS) {
      throw fail(
        "INVALID_ARGUMENT",
        field,
        `${cidr.text} is too large: the mask must be at least /${(cidr.family === 4 ? 32 : 128) - MAX_SERVICE_SUBNET_HOST_BITS}`,
      );
    }
    // The API server takes index 1 and cluster DNS index 10 (kubeadm MinimumAddressesInServiceSubnet);
    // with the allocator skipping network and IPv4 broadcast, that needs /28 (IPv4) or /124 (IPv6).
    if (lastUsableIndex(cidr) < BigInt(CLUSTER_DNS_SERVICE_IP_INDEX)) {
      throw fail("INVALID_ARGUMENT", field, `${cidr.text} is too small to hold the cluster DNS address (index 10)`);
    }
    return cidr;
  });
  if (cidrs.length === 2 && cidrs[0]?.family === cidrs[1]?.family) {
    throw fail("INVALID_ARGUMENT", "serviceSubnets[1]", "dual-stack needs one IPv4 and one IPv6 CIDR");
  }
  return cidrs;
}

function resolveNodes(value: ClusterConfig["nodes"]): readonly ResolvedNode[] {
  if (value === undefined) {
    return [
      {
        name: DEFAULT_NODE.name,
        role: DEFAULT_NODE.role,
        addresses: [...DEFAULT_NODE.addresses],
        advertiseAddress: DEFAULT_NODE.addresses[0],
      },
    ];
  }
  if (!Array.isArray(value)) throw fail("INVALID_ARGUMENT", "nodes", "expected a list of nodes");
  const byName = new Map<string, ResolvedNode>();
  const byAddress = new Map<string, string>();
  const nodes = value.map((node: NodeConfig, i): ResolvedNode => {
    const resolved = resolveNode(node, i, byName, byAddress);
    byName.set(resolved.name, resolved);
    return resolved;
  });
  if (!nodes.some((node) => node.role === "control-plane")) {
    throw fail("INVALID_ARGUMENT", "nodes", 'at least one node must have role "control-plane"');
  }
  return nodes;
}

/** One node: its name, role and addresses, unique among the nodes before it. */
function resolveNode(
  node: NodeConfig,
  i: number,
  byName: ReadonlyMap<string, ResolvedNode>,
  byAddress: Map<string, string>,
): ResolvedNode {
  const at = `nodes[${i}]`;
  if (typeof node !== "object" || node === null)
    throw fail("INVALID_ARGUMENT", at, "expected { name, role, addresses }");
  for (const key of Object.keys(node)) {
    if (!NODE_KEYS.includes(key)) {
      throw fail("INVALID_ARGUMENT", `${at}.${key}`, unknownFieldMessage(key, NODE_KEYS));
    }
  }
  const name = node.name;
  // The Node object name: kubeadm validates nodeRegistration.name as an RFC 1123 subdomain. It
  // also becomes a DNS SAN and a directory name (`nodes/<name>/`), so nothing else is safe.
  if (typeof name !== "string" || !isDnsName(name)) {
    throw fail("INVALID_DNS_NAME", `${at}.name`, `${JSON.stringify(name)} is not a lowercase RFC 1123 name`);
  }
  if (node.role !== "control-plane" && node.role !== "worker") {
    throw fail(
      "INVALID_ARGUMENT",
      `${at}.role`,
      `${JSON.stringify(node.role)} is neither "control-plane" nor "worker"`,
    );
  }
  const previous = byName.get(name);
  if (previous) {
    // Also catches a worker named like a control-plane node: one Node object, one kubelet identity.
    throw fail("INVALID_ARGUMENT", `${at}.name`, `${JSON.stringify(name)} is already a ${previous.role} node's name`);
  }
  const addresses = resolveAddresses(node.addresses, at, name, byAddress);
  // A ResolvedNode carries advertiseAddress; accept it back only when it agrees with addresses[0].
  const given = (node as { advertiseAddress?: unknown }).advertiseAddress;
  if (
    given !== undefined &&
    (typeof given !== "string" ||
      parseIp(given) === undefined ||
      formatIp(parseIp(given) as Uint8Array) !== addresses[0])
  ) {
    throw fail(
      "INVALID_ARGUMENT",
      `${at}.advertiseAddress`,
      "must equal addresses[0] (the advertise address is the first address)",
    );
  }
  return { name, role: node.role, addresses, advertiseAddress: addresses[0] as string };
}

/** A node's addresses, canonical, each owned by one node only. */
function resolveAddresses(value: unknown, at: string, name: string, byAddress: Map<string, string>): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw fail("INVALID_ARGUMENT", `${at}.addresses`, "expected at least one IP address");
  }
  return value.map((address: unknown, j) => {
    const field = `${at}.addresses[${j}]`;
    const bytes = typeof address === "string" ? parseIp(address) : undefined;
    if (!bytes || (typeof address === "string" && address.startsWith("["))) {
      throw fail("INVALID_IP", field, `${JSON.stringify(address)} is not an IPv4 or IPv6 address`);
    }
    const canonical = formatIp(bytes);
    const owner = byAddress.get(canonical);
    if (owner !== undefined) {
      throw fail("INVALID_ARGUMENT", field, `${canonical} is already an address of ${owner}`);
    }
    byAddress.set(canonical, name);
    return canonical;
  });
}

function resolveEndpoint(value: unknown, bindPort: number): ControlPlaneEndpoint | undefined {
  const field = "controlPlaneEndpoint";
  const text = optionalString(value, field);
  if (text === undefined || text === "") return undefined;
  const bad = (why: string) => fail("INVALID_ARGUMENT", field, `${JSON.stringify(text)} is malformed: ${why}`);
  if (text.includes("/")) throw bad("expected host or host:port, no scheme");

  let host: string;
  let portText: string | undefined;
  let bracketed = false;
  if (text.startsWith("[")) {
    // `[v6]` or `[v6]:port` (net.SplitHostPort's form).
    const match = /^\[([^\]]*)\](?::([^:]*))?$/.exec(text);
    if (!match) throw bad("expected [IPv6] or [IPv6]:port");
    host = match[1] as string;
    portText = match[2];
    bracketed = true;
  } else {
    const colons = text.split(":").length - 1;
    if (colons === 1) {
      [host, portText] = text.split(":") as [string, string];
    } else {
      // No colon: a bare host. Several: kubeadm's ParseHostPort falls back to a bare IPv6 host.
      host = text;
    }
  }

  let port = bindPort;
  if (portText !== undefined) {
    if (!/^[1-9][0-9]{0,4}$/.test(portText) || !isPort(Number(portText))) {
      throw bad(`${JSON.stringify(portText)} is not a port (1–65535)`);
    }
    port = Number(portText);
  }

  const bytes = parseIp(host);
  if (bytes) {
    if (bracketed && bytes.length === 4) throw bad("only IPv6 addresses go in brackets");
    return { host: formatIp(bytes), hostType: "ip", port, portGiven: portText !== undefined };
  }
  // Address-shaped text is a broken IP, not a host name.
  const ipLike = bracketed || /^[0-9.]+$/.test(host) || host.includes(":");
  if (ipLike || !isDnsName(host)) {
    throw fail(
      ipLike ? "INVALID_IP" : "INVALID_DNS_NAME",
      field,
      `${JSON.stringify(host)} is not a valid ${ipLike ? "IP address" : "lowercase DNS name"}`,
    );
  }
  return { host, hostType: "dns", port, portGiven: portText !== undefined };
}

function formatEndpoint(endpoint: ControlPlaneEndpoint): string {
  if (endpoint.portGiven) return joinHostPort(endpoint.host, endpoint.port);
  return endpoint.host;
}

function resolveEtcd(value: ClusterConfig["etcd"]): ResolvedEtcdConfig {
  if (value === undefined) return { type: "local", serverCertSANs: [], peerCertSANs: [] };
  if (typeof value !== "object" || value === null) throw fail("INVALID_ARGUMENT", "etcd", "expected { type, … }");
  const allowed =
    value.type === "local"
      ? ["type", "serverCertSANs", "peerCertSANs"]
      : value.type === "external"
        ? ["type", "endpoints", "caCertPem"]
        : undefined;
  if (!allowed)
    throw fail("INVALID_ARGUMENT", "etcd.type", `${JSON.stringify(value.type)} is neither "local" nor "external"`);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw fail(
        "INVALID_ARGUMENT",
        `etcd.${key}`,
        unknownFieldMessage(key, allowed, `unknown field for ${value.type} etcd`),
      );
    }
  }
  if (value.type === "local") {
    return {
      type: "local",
      serverCertSANs: stringList(value.serverCertSANs, "etcd.serverCertSANs"),
      peerCertSANs: stringList(value.peerCertSANs, "etcd.peerCertSANs"),
    };
  }
  const endpoints = stringList(value.endpoints, "etcd.endpoints");
  if (endpoints.length === 0)
    throw fail("INVALID_ARGUMENT", "etcd.endpoints", "external etcd needs at least one endpoint");
  endpoints.forEach((url, i) => {
    // The apiserver's --etcd-servers takes URLs; `URL` is a web-platform global, not a Node built-in.
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== "https:" && parsed.protocol !== "http:") || parsed.hostname === "") {
      throw fail("INVALID_ARGUMENT", `etcd.endpoints[${i}]`, `${JSON.stringify(url)} is not an http(s) URL`);
    }
  });
  // Only type-checked: parsing PEM would pull ASN.1 code into this package (checked when used).
  return { type: "external", endpoints, caCertPem: optionalString(value.caCertPem, "etcd.caCertPem") };
}
