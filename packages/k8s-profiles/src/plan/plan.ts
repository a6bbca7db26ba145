import { cidrAddress } from "@kubepki/core/names";
import {
  type ClusterConfig,
  findNode,
  initNode,
  joinHostPort,
  type ResolvedClusterConfig,
  type ResolvedNode,
  resolveClusterConfig,
} from "../config/resolve.js";
import { markValidated, type validatedBy } from "../config/validated.js";
import {
  CERT_BASE_NAMES,
  CLUSTER_DNS_SERVICE_IP_INDEX,
  FILE_EXTENSIONS,
  KUBECONFIG_FILES,
  KUBELET_CONFIG_FILE,
  NODE_DIRS,
  NODES_DIR,
  PKI_DIR,
} from "../roles/constants.js";
import {
  type CertSpec,
  certSpecWithWarnings,
  nodeDir,
  ROLE_PROFILES,
  type Role,
  roleApplies,
  type ServiceAccountKeySpec,
  serviceAccountKeySpec,
} from "../roles/profiles.js";
import type { PlanWarning } from "./sans.js";

/**
 * One kubeconfig to write, with its embedded client certificate named by `certificateId`
 * (reference §3: cluster = clusterName, user = the client CN, context `<user>@<cluster>`).
 *
 * @example
 * ```ts
 * import { planCluster } from "@kubepki/k8s-profiles";
 *
 * const admin = planCluster({}).kubeconfigs.find((kubeconfig) => kubeconfig.path === "admin.conf");
 * console.log(admin?.contextName, admin?.server); // "kubernetes-admin@kubernetes" "https://10.0.0.10:6443"
 * ```
 */
export interface KubeconfigSpec {
  /** `<file name>` for cluster-wide ones (`super-admin.conf`), `<file name>:<node>` per node. */
  readonly id: string;
  /** Output-relative path. */
  readonly path: string;
  readonly clusterName: string;
  /** `https://host:port`, IPv6 bracketed. */
  readonly server: string;
  readonly userName: string;
  readonly contextName: string;
  /** The {@link CertSpec} id of the client certificate. */
  readonly certificateId: string;
  readonly node?: string;
}

/**
 * The certificate-related part of a node's KubeletConfiguration (reference §4.3), with the
 * paths as they are on the node.
 *
 * `tlsCertFile`/`tlsPrivateKeyFile` point at `/etc/kubernetes/pki/kubelet.crt|key`, the node's
 * CA-signed serving pair (`nodes/<name>/pki/kubelet.*` in the output), rather than the kubelet's
 * cert dir `/var/lib/kubelet/pki/`: everything kubepki writes for a node then installs under
 * `/etc/kubernetes` by one rule, and the kubelet's own self-signed `kubelet.crt` is never overwritten.
 *
 * @example
 * ```ts
 * import { planCluster } from "@kubepki/k8s-profiles";
 *
 * const [kubelet] = planCluster({}).kubeletConfigs;
 * console.log(kubelet?.clusterDNS); // ["10.96.0.10"]
 * ```
 */
export interface KubeletConfigSpec {
  /** `kubelet-config:<node>`. */
  readonly id: string;
  readonly node: string;
  /** Output-relative: `nodes/<name>/kubelet-config.yaml`, installed as `/var/lib/kubelet/config.yaml`. */
  readonly path: string;
  /** `authentication.x509.clientCAFile`. */
  readonly clientCAFile: string;
  readonly clusterDomain: string;
  /** Index 10 of the first service CIDR (kubeadm `GetDNSIP`). */
  readonly clusterDNS: readonly string[];
  readonly tlsCertFile: string;
  readonly tlsPrivateKeyFile: string;
  /** kubeadm forces `rotateCertificates: true` (client certificate rotation through CSRs). */
  readonly rotateCertificates: boolean;
  /** The certificate id of the serving pair. */
  readonly servingCertificateId: string;
}

/**
 * The files of one control-plane node that component flags refer to (reference §5), by kind:
 * each applicable role's certificate, key and kubeconfig, the service-account pair, the kubelet
 * config. Derived from the plan's entries, so it can never disagree with them.
 *
 * @example
 * ```ts
 * import { planCluster } from "@kubepki/k8s-profiles";
 *
 * const { onNode } = planCluster({}).paths;
 * console.log(onNode.certificates["etcd-ca"]?.cert, onNode.serviceAccount.publicKey);
 * // "/etc/kubernetes/pki/etcd/ca.crt" "/etc/kubernetes/pki/sa.pub"
 * ```
 */
export interface NodeFilePaths {
  /** Per role; roles the config does not call for (etcd with external etcd, kube-proxy) are absent. */
  readonly certificates: Readonly<Partial<Record<Role, CertificatePaths>>>;
  readonly serviceAccount: { readonly privateKey: string; readonly publicKey: string };
  readonly kubeletConfig: string;
}

/**
 * Where one certificate's files are. For kubeconfig identities `cert`/`key` are the standalone
 * `users/` copies and `kubeconfig` the file that embeds them.
 *
 * @example
 * ```ts
 * import { planCluster } from "@kubepki/k8s-profiles";
 *
 * console.log(planCluster({}).paths.output.certificates.admin);
 * // { cert: "users/admin.crt", key: "users/admin.key", kubeconfig: "admin.conf" }
 * ```
 */
export interface CertificatePaths {
  readonly cert: string;
  readonly key: string;
  readonly kubeconfig?: string;
}

/**
 * A file to put on a node: where it is in the output, where it goes on the node, and whether it
 * is shared cluster material copied from the output root (CAs, `sa.*`, `kube-proxy.conf`).
 *
 * @example
 * ```ts
 * import { planCluster } from "@kubepki/k8s-profiles";
 *
 * const [file] = planCluster({}).paths.nodes[0]?.files ?? [];
 * console.log(file); // { output: "pki/ca.crt", onNode: "/etc/kubernetes/pki/ca.crt", shared: true }
 * ```
 */
export interface NodeFile {
  readonly output: string;
  readonly onNode: string;
  readonly shared: boolean;
}

/**
 * Everything one node needs, as an install list (each `onNode` path once).
 *
 * @example
 * ```ts
 * import { planCluster } from "@kubepki/k8s-profiles";
 *
 * const node = planCluster({}).paths.nodes[0];
 * console.log(node?.node, node?.dir); // "control-plane-1" "nodes/control-plane-1/"
 * ```
 */
export interface NodeFiles {
  readonly node: string;
  readonly role: ResolvedNode["role"];
  /** The node's own output directory, `nodes/<name>/`. */
  readonly dir: string;
  readonly files: readonly NodeFile[];
}

/**
 * File paths of a plan. `onNode` are the absolute paths component flags use on a control-plane
 * node (kubeadm layout: `/etc/kubernetes/pki/ca.crt` …; the same on every control-plane node);
 * `output` are the first control-plane node's files, relative to the output root. `copies` are
 * files to duplicate into node directories (each node's `pki/ca.crt`, its kubelet's `clientCAFile`).
 *
 * @example
 * ```ts
 * import { planCluster } from "@kubepki/k8s-profiles";
 *
 * const { paths } = planCluster({});
 * console.log(paths.output.certificates.apiserver?.cert, paths.onNode.certificates.apiserver?.cert);
 * // "pki/apiserver.crt" "/etc/kubernetes/pki/apiserver.crt"
 * ```
 */
export interface ClusterPaths {
  readonly onNode: NodeFilePaths;
  readonly output: NodeFilePaths;
  readonly copies: readonly { readonly from: string; readonly to: string }[];
  readonly nodes: readonly NodeFiles[];
}

/**
 * A whole cluster's PKI as data: what to issue, where it goes, which kubeconfigs and kubelet
 * configs to write. See {@link planCluster}.
 *
 * @example
 * ```ts
 * import { planCluster } from "@kubepki/k8s-profiles";
 *
 * const plan = planCluster({});
 * console.log(plan.certificates.length, plan.kubeconfigs.length); // 16 6
 * ```
 */
export interface ClusterPlan {
  /**
   * The mark `planCluster` sets (not enumerable): `generateCluster` takes a plan that carries it
   * as it is. A copy (`{ ...plan, certificates }`) loses it and is checked again.
   */
  readonly [validatedBy]: "planCluster";
  readonly config: ResolvedClusterConfig;
  /** CAs first, then every leaf (each after its signer), per node in node order. */
  readonly certificates: readonly CertSpec[];
  readonly serviceAccountKey: ServiceAccountKeySpec;
  readonly kubeconfigs: readonly KubeconfigSpec[];
  readonly kubeletConfigs: readonly KubeletConfigSpec[];
  readonly paths: ClusterPaths;
  readonly warnings: readonly PlanWarning[];
}

/**
 * Plans a cluster's PKI: pure, synchronous, no keys generated.
 *
 * Output layout (each directory mirrors `/etc/kubernetes` on its node):
 *
 * - the **root** is the first control-plane node's control plane, as kubeadm lays it out: the
 *   shared CAs and `sa.*` and that node's leaves under `pki/`, plus `admin.conf`,
 *   `super-admin.conf`, `controller-manager.conf`, `scheduler.conf`, `kubelet.conf` (the same
 *   file as `nodes/<first>/kubelet.conf`) and `kube-proxy.conf` when used;
 * - **`nodes/<name>/`** for every node, the first included: its `kubelet.conf`,
 *   `kubelet-config.yaml` (→ `/var/lib/kubelet/config.yaml`), `pki/ca.crt` (copy),
 *   `pki/kubelet.crt|key` (serving pair); for the other control-plane nodes also their own
 *   `pki/apiserver*`, `pki/front-proxy-client.*`, `pki/etcd/{server,peer,healthcheck-client}.*`,
 *   `admin.conf`, `controller-manager.conf`, `scheduler.conf` (kubeadm `join --control-plane`
 *   writes those three per node). Shared files (CAs, `sa.*`) stay only at the root; `paths.nodes`
 *   lists, per node, everything to install, shared files included;
 * - **`users/`** (root or node directory): standalone copies of kubeconfig client pairs.
 *
 * Kubeconfig servers (reference §3): `admin.conf`/`super-admin.conf` and workers' `kubelet.conf`
 * use the controlPlaneEndpoint, else the first control-plane node's `advertise:bindPort` (an
 * extra control-plane node's `admin.conf`: its own); `controller-manager.conf`/`scheduler.conf`
 * and control-plane `kubelet.conf` use the node's local `advertise:bindPort` (kubelet: v1.33+
 * `ControlPlaneKubeletLocalMode` default).
 *
 * @throws KubepkiError from {@link resolveClusterConfig} for invalid input.
 *
 * @example
 * ```ts
 * import { planCluster } from "@kubepki/k8s-profiles";
 *
 * const plan = planCluster({
 *   controlPlaneEndpoint: "k8s-api.example.com:6443",
 *   nodes: [
 *     { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] },
 *     { name: "worker-1", role: "worker", addresses: ["192.168.10.21"] },
 *   ],
 * });
 * console.log(plan.certificates.map((spec) => spec.id).slice(0, 4));
 * // ["ca", "etcd-ca", "front-proxy-ca", "apiserver:cp-1"]
 * ```
 */
export function planCluster(input: ClusterConfig | ResolvedClusterConfig = {}): ClusterPlan {
  const config = resolveClusterConfig(input);
  const { certificates, warnings } = planCertificates(config);
  const serviceAccountKey = serviceAccountKeySpec(config);
  const kubeconfigs = planKubeconfigs(config, certificates);
  const kubeletConfigs = planKubeletConfigs(config);
  warnings.push(...endpointWarnings(config));
  return markValidated<ClusterPlan>(
    {
      config,
      certificates,
      serviceAccountKey,
      kubeconfigs,
      kubeletConfigs,
      paths: planPaths(config, certificates, serviceAccountKey, kubeletConfigs),
      warnings,
    },
    "planCluster",
  );
}

/** One spec per role and owner, in the table's order (CAs first, every leaf after its signer), with the SAN warnings once each. */
function planCertificates(config: ResolvedClusterConfig): { certificates: CertSpec[]; warnings: PlanWarning[] } {
  const warnings: PlanWarning[] = [];
  const addWarnings = (more: readonly PlanWarning[]) => {
    for (const warning of more) {
      // certSANs apply to every control-plane node: report each skipped entry once.
      if (!warnings.some((seen) => seen.field === warning.field && seen.message === warning.message)) {
        warnings.push(warning);
      }
    }
  };

  const certificates: CertSpec[] = [];
  for (const profile of ROLE_PROFILES) {
    if (!roleApplies(config, profile.role)) continue;
    const owners: (ResolvedNode | undefined)[] =
      profile.scope === "cluster"
        ? [undefined]
        : config.nodes.filter((node) => profile.scope === "node" || node.role === "control-plane");
    for (const owner of owners) {
      const { spec, warnings: more } = certSpecWithWarnings(config, profile.role, owner);
      certificates.push(spec);
      addWarnings(more);
    }
  }
  return { certificates, warnings };
}

/** A kubeconfig per kubeconfig identity, with the server each one dials (kubeadm's choice per file). */
function planKubeconfigs(config: ResolvedClusterConfig, certificates: readonly CertSpec[]): KubeconfigSpec[] {
  const first = initNode(config);
  const shared = config.endpoint && joinHostPort(config.endpoint.host, config.endpoint.port);
  const local = (node: ResolvedNode) => joinHostPort(node.advertiseAddress, config.bindPort);
  const serverFor = (spec: CertSpec): string => {
    const owner = spec.node === undefined ? undefined : findNode(config, spec.node);
    switch (spec.role) {
      case "controller-manager":
      case "scheduler":
        return local(owner as ResolvedNode);
      case "kubelet-client":
        return owner?.role === "control-plane" ? local(owner) : (shared ?? local(first));
      case "admin":
        return shared ?? local(owner ?? first);
      default:
        return shared ?? local(first);
    }
  };
  const kubeconfigs: KubeconfigSpec[] = certificates
    .filter((spec) => spec.kubeconfig !== undefined)
    .map((spec) => {
      const file = (spec.kubeconfig as string).split("/").pop() as string;
      return {
        id: spec.node ? `${file}:${spec.node}` : file,
        path: spec.kubeconfig as string,
        clusterName: config.clusterName,
        server: `https://${serverFor(spec)}`,
        userName: spec.subject.commonName,
        contextName: `${spec.subject.commonName}@${config.clusterName}`,
        certificateId: spec.id,
        ...(spec.node ? { node: spec.node } : {}),
      };
    });

  // kubeadm writes the init node's kubelet.conf to /etc/kubernetes/kubelet.conf, which the root
  // mirrors; nodes/<first>/kubelet.conf is the same file in that node's own install set.
  const firstKubelet = kubeconfigs.find(
    (kubeconfig) => kubeconfig.node === first.name && kubeconfig.path.endsWith(`/${KUBECONFIG_FILES.kubelet}`),
  );
  if (firstKubelet) kubeconfigs.push({ ...firstKubelet, id: KUBECONFIG_FILES.kubelet, path: KUBECONFIG_FILES.kubelet });
  return kubeconfigs;
}

/** Every node's KubeletConfiguration. */
function planKubeletConfigs(config: ResolvedClusterConfig): KubeletConfigSpec[] {
  const onNodeCert = (base: string, extension: string) => `${NODE_DIRS.certificates}/${base}${extension}`;
  const [firstServiceCidr] = config.serviceCidrs;
  // The same address for every node: computed once (BigInt arithmetic), not per node.
  const clusterDns = firstServiceCidr ? cidrAddress(firstServiceCidr, CLUSTER_DNS_SERVICE_IP_INDEX) : undefined;
  const kubeletConfigs: KubeletConfigSpec[] = config.nodes.map((node) => ({
    id: `kubelet-config:${node.name}`,
    node: node.name,
    path: `${nodeDir(node.name)}${KUBELET_CONFIG_FILE}`,
    clientCAFile: onNodeCert(CERT_BASE_NAMES.ca, FILE_EXTENSIONS.certificate),
    clusterDomain: config.dnsDomain,
    clusterDNS: clusterDns === undefined ? [] : [clusterDns],
    tlsCertFile: onNodeCert(CERT_BASE_NAMES.kubeletServing, FILE_EXTENSIONS.certificate),
    tlsPrivateKeyFile: onNodeCert(CERT_BASE_NAMES.kubeletServing, FILE_EXTENSIONS.privateKey),
    rotateCertificates: true,
    servingCertificateId: `kubelet-serving:${node.name}`,
  }));
  return kubeletConfigs;
}

/** An endpoint port that overrides bindPort, an HA cluster without an endpoint. */
function endpointWarnings(config: ResolvedClusterConfig): PlanWarning[] {
  const first = initNode(config);
  const warnings: PlanWarning[] = [];
  if (config.endpoint?.portGiven && config.endpoint.port !== config.bindPort) {
    warnings.push({
      code: "ENDPOINT_PORT_OVERRIDES_BIND_PORT",
      field: "controlPlaneEndpoint",
      message: `controlPlaneEndpoint: port ${config.endpoint.port} differs from bindPort ${config.bindPort}; kubeconfigs use ${config.endpoint.port}`,
    });
  }
  const controlPlaneCount = config.nodes.filter((node) => node.role === "control-plane").length;
  if (!config.endpoint && controlPlaneCount > 1) {
    warnings.push({
      code: "NO_CONTROL_PLANE_ENDPOINT",
      field: "controlPlaneEndpoint",
      message: `controlPlaneEndpoint: not set, so kubeconfigs point at ${first.name} only (not highly available)`,
    });
  }
  return warnings;
}

/**
 * Where an output path lands on its node: `nodes/<name>/X` and root `X` both go to
 * `/etc/kubernetes/X`, except `kubelet-config.yaml` (→ `/var/lib/kubelet/config.yaml`).
 *
 * @internal
 */
export function outputPathOnNode(output: string): string {
  // nodes/<name>/<relative>: what follows the node's directory (a split and join per file was a
  // fifth of planning a 1000-node cluster).
  const relative = output.startsWith(`${NODES_DIR}/`)
    ? output.slice(output.indexOf("/", NODES_DIR.length + 1) + 1 || output.length)
    : output;
  if (relative === KUBELET_CONFIG_FILE) return NODE_DIRS.kubeletConfig;
  return `${NODE_DIRS.kubernetes}/${relative}`;
}

function planPaths(
  config: ResolvedClusterConfig,
  certificates: readonly CertSpec[],
  serviceAccountKey: ServiceAccountKeySpec,
  kubeletConfigs: readonly KubeletConfigSpec[],
): ClusterPaths {
  const { output, onNode } = firstNodePaths(config, certificates, serviceAccountKey, kubeletConfigs);
  const caCert = output.certificates.ca?.cert as string;
  const copies = config.nodes.map((node) => ({
    from: caCert,
    to: `${nodeDir(node.name)}${PKI_DIR}/${CERT_BASE_NAMES.ca}${FILE_EXTENSIONS.certificate}`,
  }));
  const nodes = nodeInstallSets(config, certificates, serviceAccountKey, kubeletConfigs, copies);
  return { onNode, output, copies, nodes };
}

/** The first control-plane node's paths: in the output tree, and where they land on that node. */
function firstNodePaths(
  config: ResolvedClusterConfig,
  certificates: readonly CertSpec[],
  serviceAccountKey: ServiceAccountKeySpec,
  kubeletConfigs: readonly KubeletConfigSpec[],
): { output: NodeFilePaths; onNode: NodeFilePaths } {
  const first = initNode(config);
  const ofNode = (spec: CertSpec, node: string) => spec.node === undefined || spec.node === node;

  const certificatePaths: Partial<Record<Role, CertificatePaths>> = {};
  for (const spec of certificates) {
    if (!ofNode(spec, first.name)) continue;
    certificatePaths[spec.role] = {
      cert: spec.certPath,
      key: spec.keyPath,
      ...(spec.kubeconfig ? { kubeconfig: spec.kubeconfig } : {}),
    };
  }
  const output: NodeFilePaths = {
    certificates: certificatePaths,
    serviceAccount: { privateKey: serviceAccountKey.privateKeyPath, publicKey: serviceAccountKey.publicKeyPath },
    kubeletConfig: kubeletConfigs.find((kubelet) => kubelet.node === first.name)?.path as string,
  };
  const onNodeCertificates: Partial<Record<Role, CertificatePaths>> = {};
  for (const [role, paths] of Object.entries(certificatePaths) as [Role, CertificatePaths][]) {
    onNodeCertificates[role] = {
      cert: outputPathOnNode(paths.cert),
      key: outputPathOnNode(paths.key),
      ...(paths.kubeconfig ? { kubeconfig: outputPathOnNode(paths.kubeconfig) } : {}),
    };
  }
  const onNode: NodeFilePaths = {
    certificates: onNodeCertificates,
    serviceAccount: {
      privateKey: outputPathOnNode(output.serviceAccount.privateKey),
      publicKey: outputPathOnNode(output.serviceAccount.publicKey),
    },
    kubeletConfig: outputPathOnNode(output.kubeletConfig),
  };
  return { output, onNode };
}

/** What each node installs: its own files, plus the cluster-wide material a control-plane node needs. */
function nodeInstallSets(
  config: ResolvedClusterConfig,
  certificates: readonly CertSpec[],
  serviceAccountKey: ServiceAccountKeySpec,
  kubeletConfigs: readonly KubeletConfigSpec[],
  copies: ClusterPaths["copies"],
): NodeFiles[] {
  const first = initNode(config);
  // Cluster-wide material every control-plane node needs (kubeadm SharedCertificateExists + sa).
  const sharedCertificates = certificates.filter((spec) => spec.isCa);
  const kubeProxy = certificates.find((spec) => spec.role === "kube-proxy");
  // Indexed by node once: looking them up per node would make planning quadratic in the node count.
  const certificatesByNode = new Map<string, CertSpec[]>();
  for (const spec of certificates) {
    if (spec.node === undefined) continue;
    const list = certificatesByNode.get(spec.node) ?? [];
    list.push(spec);
    certificatesByNode.set(spec.node, list);
  }
  const copyByNode = new Map(config.nodes.map((node, index) => [node.name, copies[index]]));
  const kubeletByNode = new Map(kubeletConfigs.map((kubelet) => [kubelet.node, kubelet]));
  const superAdmin = certificates.find((spec) => spec.role === "super-admin");
  const nodes: NodeFiles[] = config.nodes.map((node) => {
    const files: NodeFile[] = [];
    const seen = new Set<string>();
    const add = (path: string, shared: boolean) => {
      const target = outputPathOnNode(path);
      if (seen.has(target)) return;
      seen.add(target);
      files.push({ output: path, onNode: target, shared });
    };
    if (node.role === "control-plane") {
      for (const spec of sharedCertificates) {
        add(spec.certPath, true);
        add(spec.keyPath, true);
      }
      add(serviceAccountKey.privateKeyPath, true);
      add(serviceAccountKey.publicKeyPath, true);
    }
    if (kubeProxy?.kubeconfig) add(kubeProxy.kubeconfig, true);
    const copy = copyByNode.get(node.name);
    if (copy) add(copy.to, false);
    for (const spec of certificatesByNode.get(node.name) ?? []) {
      // kubeconfig identities are embedded in their .conf; the users/ copies are not installed.
      if (spec.kubeconfig) add(spec.kubeconfig, false);
      else {
        add(spec.certPath, false);
        add(spec.keyPath, false);
      }
    }
    if (node.name === first.name && superAdmin?.kubeconfig) add(superAdmin.kubeconfig, false);
    const kubelet = kubeletByNode.get(node.name);
    if (kubelet) add(kubelet.path, false);
    return { node: node.name, role: node.role, dir: nodeDir(node.name), files };
  });
  return nodes;
}
