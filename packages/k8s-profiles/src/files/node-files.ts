import { KubepkiError } from "@kubepki/core/names";
import { type EtcdMember, kubernetesRelease, renderStaticPodManifest } from "@kubepki/renderers";
import type { ClusterPki } from "../generate/generate.js";
import { NODE_DIRS } from "../roles/constants.js";
import { componentFlags, ETCD_DATA_DIR } from "./component-flags.js";
import {
  type KubeadmFile,
  type KubeadmFilesOptions,
  MODE,
  rendered,
  STATIC_POD_PATH,
  toKubeadmFiles,
} from "./kubeadm-files.js";
import { CLUSTER_RECORD_PATH } from "./record.js";

/**
 * Options of {@link toNodeFiles}: those of `toKubeadmFiles`, and the Kubernetes version the static
 * Pods run.
 *
 * @example
 * ```ts
 * import type { NodeFilesOptions } from "@kubepki/k8s-profiles";
 *
 * const options: NodeFilesOptions = { kubernetesVersion: "v1.33.2" };
 * ```
 */
export interface NodeFilesOptions extends KubeadmFilesOptions {
  /** `1.30` … `1.34` (default {@link DEFAULT_KUBERNETES_VERSION}): the images' tags and etcd's flag spelling. */
  readonly kubernetesVersion?: string;
}

/**
 * The Kubernetes version the per-node static Pods run unless told: the newest one the reference
 * (`docs/reference/kubeadm-pki.md`, v1.30 to v1.34) covers.
 *
 * @example
 * ```ts
 * import { DEFAULT_KUBERNETES_VERSION } from "@kubepki/k8s-profiles";
 *
 * console.log(DEFAULT_KUBERNETES_VERSION); // "1.34"
 * ```
 */
export const DEFAULT_KUBERNETES_VERSION = "1.34";

/**
 * The operator's folder of the per-node layout.
 *
 * @example
 * ```ts
 * import { ADMIN_DIR } from "@kubepki/k8s-profiles";
 *
 * console.log(`${ADMIN_DIR}/admin.conf`); // "admin/admin.conf"
 * ```
 */
export const ADMIN_DIR = "admin";
/**
 * Where the per-node layout puts a control-plane node's component flags, one `--flag=value` per line.
 *
 * @example
 * ```ts
 * import { NODE_FLAGS_DIR } from "@kubepki/k8s-profiles";
 *
 * console.log(`cp-1${NODE_FLAGS_DIR}/etcd.txt`); // "cp-1/etc/kubernetes/flags/etcd.txt"
 * ```
 */
export const NODE_FLAGS_DIR = `${NODE_DIRS.kubernetes}/flags`;

/**
 * The per-node layout: a generated cluster as one folder per node holding exactly what that node
 * gets, at its absolute path (`<node>/etc/kubernetes/…`, `<node>/var/lib/kubelet/config.yaml`), so
 * that `rsync -a DIR/<node>/ root@node:/` is the deployment; pure, like `toKubeadmFiles`, whose
 * files (and so its chains, modes and kubeconfigs) it places, not renders again.
 *
 * - a **control-plane** node: the shared CA certificates and keys (`ca`, `front-proxy-ca`,
 *   `etcd/ca`: kubeadm `copycerts` `certsToTransfer`; a key only where the cluster has it, none of
 *   an external CA's), `sa.key`/`sa.pub`, its own API server, kubelet-client, etcd-client,
 *   front-proxy-client and etcd server/peer/healthcheck-client pairs, its kubeconfigs
 *   (`kubelet.conf` to its own API server: `ControlPlaneKubeletLocalMode`; `controller-manager.conf`,
 *   `scheduler.conf` local; `admin.conf`; `super-admin.conf` on the first node only), its kubelet
 *   serving pair and `/var/lib/kubelet/config.yaml`, `manifests/` (kube-apiserver, etcd,
 *   kube-controller-manager, kube-scheduler static Pods, 0600) and the same flags as text under
 *   `etc/kubernetes/flags/` (etcd's `--initial-cluster` lists every control-plane member,
 *   `--initial-cluster-state=new`);
 * - a **worker**: `pki/ca.crt`, `kubelet.conf`, its kubelet serving pair and
 *   `/var/lib/kubelet/config.yaml` (and `kube-proxy.conf` when kube-proxy has a certificate), no
 *   other key;
 * - **`admin/`**: the operator's `admin.conf` (to the control-plane endpoint), `pki/ca.crt` (to
 *   check the API server's certificate) and `kubepki.yaml` (the cluster record).
 *
 * @throws KubepkiError `INVALID_ARGUMENT` as `toKubeadmFiles`, for a Kubernetes version outside
 * v1.30 … v1.34, or a node named `admin`.
 * @example
 * ```ts
 * import { generateCluster, toNodeFiles } from "@kubepki/k8s-profiles";
 *
 * const nodes = [
 *   { name: "cp-1", role: "control-plane" as const, addresses: ["192.168.10.11"] },
 *   { name: "worker-1", role: "worker" as const, addresses: ["192.168.10.21"] },
 * ];
 * const files = generateCluster({ keyAlgorithm: "ECDSA-P256", nodes }).then((pki) => toNodeFiles(pki));
 * files.then((list) => list.filter((file) => file.path.startsWith("worker-1/")).map((file) => file.path));
 * // ["worker-1/etc/kubernetes/pki/ca.crt", "worker-1/etc/kubernetes/pki/kubelet.crt", …]
 * ```
 */
export function toNodeFiles(pki: ClusterPki, options: NodeFilesOptions = {}): KubeadmFile[] {
  const release = kubernetesRelease(options?.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
  const cluster = toKubeadmFiles(pki, options);
  const { plan } = pki;
  const { config } = plan;
  if (config.nodes.some((node) => node.name === ADMIN_DIR)) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `a node named "${ADMIN_DIR}" would share the operator's ${ADMIN_DIR}/ folder; rename it`,
      {
        details: { field: "nodes", node: ADMIN_DIR },
      },
    );
  }
  const byPath = new Map(cluster.map((file) => [file.path, file]));
  const files: KubeadmFile[] = [];
  const copy = (to: string, from: string) => {
    const source = byPath.get(from);
    if (!source)
      throw new KubepkiError("INVALID_ARGUMENT", `pki: ${to} copies ${from}, which is not written`, {
        details: { field: "pki" },
      });
    files.push({ path: to, contents: source.contents, mode: source.mode });
  };
  const caKey = plan.paths.output.certificates.ca?.key as string;
  const caKeyWritten = byPath.has(caKey);
  const members: EtcdMember[] = config.nodes
    .filter((node) => node.role === "control-plane")
    .map((node) => ({ name: node.name, address: node.advertiseAddress }));
  const etcdVersion = release.minor === "1.34" ? "3.6" : "3.5";
  const nodesByName = new Map(config.nodes.map((node) => [node.name, node]));
  for (const install of plan.paths.nodes) {
    for (const file of install.files) {
      // A shared file toKubeadmFiles left out is an external CA's key: it stays with its owner.
      if (file.shared && !byPath.has(file.output)) continue;
      copy(`${install.node}${file.onNode}`, file.output);
    }
    if (install.role !== "control-plane") continue;
    const node = nodesByName.get(install.node);
    if (!node) continue;
    for (const [component, render] of componentFlags(plan, caKeyWritten, node, { members, etcdVersion })) {
      const flagsPath = `${install.node}${NODE_FLAGS_DIR}/${component}.txt`;
      const flags = rendered(flagsPath, render);
      files.push({ path: flagsPath, contents: `${flags.join("\n")}\n`, mode: MODE.public });
      const manifestPath = `${install.node}${STATIC_POD_PATH}/${component}.yaml`;
      const manifest = rendered(manifestPath, () =>
        renderStaticPodManifest({
          component,
          flags,
          kubernetesVersion: release.tag,
          advertiseAddress: node.advertiseAddress,
          securePort: config.bindPort,
          certificatesDir: NODE_DIRS.certificates,
          etcdDataDir: ETCD_DATA_DIR,
          ...(component === "kube-controller-manager" || component === "kube-scheduler"
            ? {
                kubeconfig: plan.paths.onNode.certificates[
                  component === "kube-scheduler" ? "scheduler" : "controller-manager"
                ]?.kubeconfig as string,
              }
            : {}),
        }),
      );
      // kubeadm writes static Pod manifests 0600 (staticpodutil.WriteStaticPodToDisk).
      files.push({ path: manifestPath, contents: manifest, mode: MODE.secret });
    }
  }
  const admin = plan.paths.output.certificates.admin?.kubeconfig;
  if (admin) copy(`${ADMIN_DIR}/${admin}`, admin);
  copy(
    `${ADMIN_DIR}/${plan.paths.output.certificates.ca?.cert as string}`,
    plan.paths.output.certificates.ca?.cert as string,
  );
  copy(`${ADMIN_DIR}/${CLUSTER_RECORD_PATH}`, CLUSTER_RECORD_PATH);
  return files;
}
