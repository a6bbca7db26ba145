import { cidrAddress, KubepkiError, parseCidr } from "@kubepki/core";
import { type ClusterConfig, type NodeConfig, resolveClusterConfig } from "../../config/resolve.js";
import { type ClusterFiles, readTree } from "../../files/read-files.js";
import { readClusterRecord } from "../../files/record.js";
import { APISERVER_SERVICE_IP_INDEX, DEFAULT_NODE, KUBECONFIG_FILES } from "../../roles/constants.js";
import { withExtraSans } from "./extra-sans.js";
import { keyAlgorithmFrom, validityFrom } from "./facts.js";
import { clusterNameFrom, dnsDomainFrom, endpointFrom, etcdFrom, serviceSubnetsFrom } from "./network.js";
import { buildNodes, findControlPlanes } from "./nodes.js";
import { inFolder, readFacts, sharedServer, type TreeFacts } from "./read.js";

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
  // admin.conf and its kind first: they name the endpoint, which is no node's name.
  const planes = findControlPlanes(facts, sharedServer(facts, [])?.server.host);
  // Then a worker's kubelet.conf, which dials the endpoint too (a control plane's dials itself).
  const planeNames = new Set(planes.flatMap((plane) => [plane.dir, plane.name]));
  const workerDirs = [
    ...new Set(
      facts.certificates.flatMap((item) => (item.dir === undefined || planeNames.has(item.dir) ? [] : [item.dir])),
    ),
  ];
  const shared = sharedServer(facts, workerDirs);
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
