import { KubepkiError } from "@kubepki/core/names";
import { apiserverFlags, controllerManagerFlags, type EtcdMember, etcdFlags, schedulerFlags } from "@kubepki/renderers";
import type { ResolvedNode } from "../config/resolve.js";
import type { ClusterPki } from "../generate/generate.js";
import type { CertificatePaths } from "../plan/plan.js";
import { CERT_BASE_NAMES, FILE_EXTENSIONS, NODE_DIRS } from "../roles/constants.js";
import type { Role } from "../roles/profiles.js";

/** kubeadm's etcd `--data-dir` (reference §5.4). */
export const ETCD_DATA_DIR = "/var/lib/etcd";

/**
 * How a control-plane node's etcd member starts: alone (`undefined`: the default layout's one-member
 * `--initial-cluster` of the init node) or with every member listed and `--initial-cluster-state=new`
 * (the per-node layout), and for which etcd minor the flags are spelled.
 */
export interface EtcdStart {
  readonly members?: readonly EtcdMember[];
  readonly etcdVersion?: "3.5" | "3.6";
}

/**
 * Each component's flags on one control-plane node (`node`), with the paths as they are on a
 * control-plane node (`plan.paths.onNode`: the same on every control-plane node, only the advertise
 * address and the etcd member differ). One list, used by the default layout's `flags/` (the first
 * node, etcd alone) and by the per-node layout's flags and static Pods (every node, every member).
 */
export function componentFlags(
  plan: ClusterPki["plan"],
  caKeyWritten: boolean,
  node: ResolvedNode,
  etcd: EtcdStart = {},
): [component: "kube-apiserver" | "etcd" | "kube-controller-manager" | "kube-scheduler", render: () => string[]][] {
  const { config } = plan;
  const paths = componentPaths(plan);
  const { onNode, pathsOf, localEtcd, ca, frontProxyCa, etcdCa, etcdClient } = paths;
  const flags: ReturnType<typeof componentFlags> = [
    [
      "kube-apiserver",
      () =>
        apiserverFlags({
          advertiseAddress: node.advertiseAddress,
          securePort: config.bindPort,
          serviceSubnets: config.serviceSubnets,
          dnsDomain: config.dnsDomain,
          ...(config.etcd.type === "external" ? { etcdServers: config.etcd.endpoints } : {}),
          kubeletServingCertificates: "ca-signed",
          paths: {
            clientCaFile: ca.cert,
            tlsCertFile: pathsOf("apiserver").cert,
            tlsPrivateKeyFile: pathsOf("apiserver").key,
            etcdCaFile: etcdCa,
            etcdCertFile: etcdClient.cert,
            etcdKeyFile: etcdClient.key,
            kubeletClientCertificate: pathsOf("apiserver-kubelet-client").cert,
            kubeletClientKey: pathsOf("apiserver-kubelet-client").key,
            serviceAccountKeyFile: onNode.serviceAccount.publicKey,
            serviceAccountSigningKeyFile: onNode.serviceAccount.privateKey,
            proxyClientCertFile: pathsOf("front-proxy-client").cert,
            proxyClientKeyFile: pathsOf("front-proxy-client").key,
            requestheaderClientCaFile: frontProxyCa.cert,
            kubeletCertificateAuthority: ca.cert,
          },
        }),
    ],
  ];
  if (localEtcd) {
    flags.push([
      "etcd",
      () =>
        etcdFlags({
          nodeName: node.name,
          advertiseAddress: node.advertiseAddress,
          ...(etcd.etcdVersion ? { etcdVersion: etcd.etcdVersion } : {}),
          ...(etcd.members ? { initialCluster: etcd.members, initialClusterState: "new" as const } : {}),
          paths: {
            certFile: pathsOf("etcd-server").cert,
            keyFile: pathsOf("etcd-server").key,
            trustedCaFile: etcdCa,
            peerCertFile: pathsOf("etcd-peer").cert,
            peerKeyFile: pathsOf("etcd-peer").key,
            peerTrustedCaFile: etcdCa,
            dataDir: ETCD_DATA_DIR,
          },
        }),
    ]);
  }
  flags.push(
    [
      "kube-controller-manager",
      () =>
        controllerManagerFlags({
          clusterName: config.clusterName,
          externalCa: !caKeyWritten,
          paths: {
            kubeconfig: pathsOf("controller-manager").kubeconfig as string,
            clientCaFile: ca.cert,
            requestheaderClientCaFile: frontProxyCa.cert,
            rootCaFile: ca.cert,
            serviceAccountPrivateKeyFile: onNode.serviceAccount.privateKey,
            ...(caKeyWritten ? { clusterSigningCertFile: ca.cert, clusterSigningKeyFile: ca.key } : {}),
          },
        }),
    ],
    ["kube-scheduler", () => schedulerFlags({ paths: { kubeconfig: pathsOf("scheduler").kubeconfig as string } })],
  );
  return flags;
}

/** The paths the control-plane components are given, as they are on a control-plane node. */
function componentPaths(plan: ClusterPki["plan"]) {
  const { config } = plan;
  const onNode = plan.paths.onNode;
  const pathsOf = (role: Role): CertificatePaths => {
    const paths = onNode.certificates[role];
    if (!paths) {
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        `pki: plan.paths.onNode has no ${role}; pass the result of generateCluster`,
        {
          details: { field: "pki" },
        },
      );
    }
    return paths;
  };
  const onNodePki = (base: string, extension: string) => `${NODE_DIRS.certificates}/${base}${extension}`;
  const localEtcd = config.etcd.type === "local";
  return {
    onNode,
    pathsOf,
    localEtcd,
    ca: pathsOf("ca"),
    frontProxyCa: pathsOf("front-proxy-ca"),
    // External etcd: kubeadm's documented places for the external etcd's CA and client pair.
    etcdCa: localEtcd ? pathsOf("etcd-ca").cert : onNodePki(CERT_BASE_NAMES.etcdCa, FILE_EXTENSIONS.certificate),
    etcdClient: localEtcd
      ? pathsOf("apiserver-etcd-client")
      : {
          cert: onNodePki(CERT_BASE_NAMES.apiserverEtcdClient, FILE_EXTENSIONS.certificate),
          key: onNodePki(CERT_BASE_NAMES.apiserverEtcdClient, FILE_EXTENSIONS.privateKey),
        },
  };
}
