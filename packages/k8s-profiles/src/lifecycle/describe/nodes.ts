/**
 * The nodes of a tree: control-plane nodes from the API server serving certificates (the tree
 * root's is the first), workers from `nodes/<name>/` folders (or node identities) with kubelet
 * certificates and no API server. Names and addresses come from the most exact source the files
 * offer; what could not be known is noted.
 *
 * @internal
 */

import { ipFamily, isDnsName } from "@kubepki/core";
import type { NodeConfig } from "../../config/resolve.js";
import {
  APISERVER_SERVICE_FQDN_PREFIX,
  APISERVER_SERVICE_NAMES,
  DEFAULT_NODE,
  KUBECONFIG_FILES,
} from "../../roles/constants.js";
import {
  type Classified,
  dnsSans,
  inFolder,
  ipSans,
  kubeconfigAt,
  kubeletIdentity,
  serverOf,
  type TreeFacts,
} from "./read.js";

/** The loopbacks kubeadm adds to every etcd certificate: never a node's address. */
export const LOOPBACKS = new Set(["127.0.0.1", "::1"]);

/** The API server's own service names (`kubernetes`, … `kubernetes.default.svc.<domain>`): no node's. */
function isServiceName(name: string): boolean {
  return (
    (APISERVER_SERVICE_NAMES as readonly string[]).includes(name) ||
    name.startsWith(`${APISERVER_SERVICE_FQDN_PREFIX}.`)
  );
}

/** A control-plane node as its folder shows it, before the service IPs are known. */
export interface ControlPlane {
  /** `nodes/<dir>/`, or undefined for the tree root. */
  readonly dir: string | undefined;
  readonly apiserver: Classified;
  readonly etcdServer: Classified | undefined;
  readonly etcdPeer: Classified | undefined;
  readonly name: string | undefined;
  /** From etcd or a local kubeconfig (never from the API server's own SANs). */
  readonly advertise: string | undefined;
}

/**
 * The API server certificates, the root's first then the node folders' by name, each with its
 * node's name and (when etcd or a local kubeconfig says) advertise address.
 */
export function findControlPlanes(facts: TreeFacts, endpointHost: string | undefined): ControlPlane[] {
  const apiservers = facts.certificates.filter((item) => item.role === "apiserver");
  // The root first (Array#sort would put undefined last whatever the comparator), then by name.
  const named = [...new Set(apiservers.flatMap((item) => (item.dir === undefined ? [] : [item.dir])))].sort();
  const dirs = apiservers.some((item) => item.dir === undefined) ? [undefined, ...named] : named;
  // DNS SANs every API server carries are shared (endpoint, certSANs), not a node's name.
  const shared = (name: string) =>
    dirs.length > 1 &&
    dirs.every((dir) => inFolder(facts, "apiserver", dir).some((item) => dnsSans(item).includes(name)));
  const taken = new Set<string>();
  return dirs.map((dir): ControlPlane => {
    const apiserver = inFolder(facts, "apiserver", dir)[0] as Classified;
    const etcdServer = inFolder(facts, "etcd-server", dir)[0];
    const etcdPeer = inFolder(facts, "etcd-peer", dir)[0];
    const fromSan = dnsSans(apiserver).filter((name) => !isServiceName(name) && name !== endpointHost && !shared(name));
    const candidates = [
      kubeletIdentity(facts, dir),
      dir,
      etcdServer?.entry.certificate.subject.commonName,
      etcdPeer?.entry.certificate.subject.commonName,
      ...(fromSan.length === 1 ? fromSan : []),
    ];
    const name = candidates.find(
      (candidate) => candidate !== undefined && isDnsName(candidate) && !taken.has(candidate),
    );
    if (name !== undefined) taken.add(name);
    const local = [KUBECONFIG_FILES.kubelet, KUBECONFIG_FILES.controllerManager, KUBECONFIG_FILES.scheduler]
      .map((file) => serverOf(kubeconfigAt(facts, dir, file))?.host)
      .find((host) => host !== undefined && ipFamily(host) !== undefined);
    const advertise = [...ipSans(etcdServer), ...ipSans(etcdPeer)].find((ip) => !LOOPBACKS.has(ip)) ?? local;
    return { dir, apiserver, etcdServer, etcdPeer, name, advertise };
  });
}

/**
 * Every node: the control planes (addresses completed from the API server SANs that are neither
 * service IPs nor the endpoint, then the kubelet serving certificate's), then the workers by name.
 */
export function buildNodes(
  facts: TreeFacts,
  controlPlanes: readonly ControlPlane[],
  serviceIps: readonly string[],
  endpointHost: string | undefined,
  notes: string[],
): NodeConfig[] {
  const used = new Set<string>();
  // Indexed once: a thousand workers would make a search per node quadratic.
  const servingByNode = new Map<string, Classified>();
  for (const item of facts.certificates) {
    if (item.role === "kubelet-serving" && item.node !== undefined && !servingByNode.has(item.node)) {
      servingByNode.set(item.node, item);
    }
  }
  const serving = (name: string) => servingByNode.get(name);
  const nodes: NodeConfig[] = [];
  controlPlanes.forEach((plane, i) => {
    const where = plane.dir === undefined ? "the tree root" : `nodes/${plane.dir}/`;
    let name = plane.name;
    if (name === undefined) {
      name =
        i === 0 && !controlPlanes.some((other) => other.name === DEFAULT_NODE.name) ? DEFAULT_NODE.name : undefined;
      if (name === undefined) {
        notes.push(`nodes: the API server certificate of ${where} names no node; left out`);
        return;
      }
      notes.push(`nodes[0].name: nothing in ${where} names the first control-plane node; assumed ${name}`);
    }
    const advertise =
      plane.advertise ??
      ipSans(plane.apiserver).find((ip) => !serviceIps.includes(ip) && ip !== endpointHost && !used.has(ip));
    const servingIps = ipSans(serving(name));
    let addresses: string[];
    if (advertise === undefined) {
      const fallback = servingIps[0] ?? DEFAULT_NODE.addresses[0];
      notes.push(`nodes: no certificate or kubeconfig of ${where} gives ${name}'s address; assumed ${fallback}`);
      addresses = [fallback, ...servingIps.filter((ip) => ip !== fallback)];
    } else {
      addresses = servingIps.includes(advertise)
        ? [advertise, ...servingIps.filter((ip) => ip !== advertise)]
        : [advertise];
    }
    addNode(nodes, used, { name, role: "control-plane", addresses }, notes);
  });

  const names = new Set(nodes.map((node) => node.name));
  const workers = new Set<string>();
  for (const item of facts.certificates) {
    if (item.role !== "kubelet-client" && item.role !== "kubelet-serving") continue;
    const name = item.dir ?? item.node;
    if (name !== undefined && !names.has(name) && isDnsName(name)) workers.add(name);
  }
  for (const name of [...workers].sort()) {
    const addresses = ipSans(serving(name));
    if (addresses.length === 0) {
      notes.push(`nodes: worker ${name} has no kubelet serving certificate with an address; left out`);
      continue;
    }
    addNode(nodes, used, { name, role: "worker", addresses }, notes);
  }
  if (nodes.length > 1) {
    notes.push(
      "nodes: the first control-plane node first, then the others as the tree lists them (by name): a tree does not keep the config's order",
    );
  }
  if (!facts.certificates.some((item) => item.dir !== undefined)) {
    // kubeadm's /etc/kubernetes is one node's: the others' certificates live on those nodes.
    notes.push("nodes: the tree has no nodes/<name>/ folders, so only the nodes its own certificates name are known");
  }
  return nodes;
}

/** Adds a node unless an address of it is another node's (resolveClusterConfig refuses that). */
function addNode(nodes: NodeConfig[], used: Set<string>, node: NodeConfig, notes: string[]): void {
  const clash = node.addresses.find((address) => used.has(address));
  if (clash !== undefined) {
    notes.push(`nodes: ${node.name}'s address ${clash} is another node's already; ${node.name} left out`);
    return;
  }
  for (const address of node.addresses) used.add(address);
  nodes.push(node);
}
