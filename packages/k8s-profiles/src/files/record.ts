import { KubepkiError } from "@kubepki/core/names";
import { parseClusterRecord } from "@kubepki/renderers";
import type { ClusterConfig, ResolvedClusterConfig } from "../config/resolve.js";

/**
 * Where a tree keeps the cluster it was made for, relative to its root: `init` writes it, every
 * day-2 command reads it (kubeadm keeps the same in its `kubeadm-config` ConfigMap).
 *
 * @example
 * ```ts
 * import { CLUSTER_RECORD_PATH } from "@kubepki/k8s-profiles";
 *
 * console.log(CLUSTER_RECORD_PATH); // "kubepki.yaml"
 * ```
 */
export const CLUSTER_RECORD_PATH = "kubepki.yaml";

/**
 * The fields of a resolved config as a plain {@link ClusterConfig}, every default spelled out and
 * nothing derived (`endpoint`, `serviceCidrs`) or secret: what the cluster record holds.
 * Resolving it again gives the same config. An external etcd's CA PEM is left out (it is in
 * `pki/etcd/ca.crt`).
 *
 * @example
 * ```ts
 * import { clusterRecord, resolveClusterConfig } from "@kubepki/k8s-profiles";
 *
 * const record = clusterRecord(resolveClusterConfig({ validity: { leafDays: 90 } }));
 * console.log(record.validity, record.nodes?.length); // { caDays: 3650, leafDays: 90 } 1
 * ```
 */
export function clusterRecord(config: ResolvedClusterConfig): ClusterConfig {
  const { etcd } = config;
  return {
    clusterName: config.clusterName,
    ...(config.controlPlaneEndpoint === undefined ? {} : { controlPlaneEndpoint: config.controlPlaneEndpoint }),
    serviceSubnets: [...config.serviceSubnets],
    dnsDomain: config.dnsDomain,
    nodes: config.nodes.map((node) => ({ name: node.name, role: node.role, addresses: [...node.addresses] })),
    certSANs: [...config.certSANs],
    etcd:
      etcd.type === "local"
        ? { type: "local", serverCertSANs: [...etcd.serverCertSANs], peerCertSANs: [...etcd.peerCertSANs] }
        : { type: "external", endpoints: [...etcd.endpoints] },
    keyAlgorithm: config.keyAlgorithm,
    validity: { caDays: config.validity.caDays, leafDays: config.validity.leafDays },
    kubeProxy: config.kubeProxy,
    bindPort: config.bindPort,
    keyEncipherment: config.keyEncipherment,
    dualStackApiserverSan: config.dualStackApiserverSan,
  };
}

/**
 * The cluster record of a tree ({@link CLUSTER_RECORD_PATH}), as the unvalidated
 * {@link ClusterConfig} it holds (validate it with `resolveClusterConfig`), or `undefined` when
 * the tree has none (made by kubeadm, openssl, or a kubepki before 0.x).
 *
 * @throws KubepkiError `INVALID_CONFIG` when the record is not a YAML mapping;
 * `INVALID_ARGUMENT` when `files` is not a file map.
 *
 * @example
 * ```ts
 * import { readClusterRecord } from "@kubepki/k8s-profiles";
 *
 * console.log(readClusterRecord({ "kubepki.yaml": "clusterName: prod\n" })); // { clusterName: "prod" }
 * console.log(readClusterRecord({})); // undefined
 * ```
 */
export function readClusterRecord(
  files: ReadonlyMap<string, string | Uint8Array> | Readonly<Record<string, string | Uint8Array>>,
): ClusterConfig | undefined {
  const contents = recordContents(files);
  if (contents === undefined) return undefined;
  const text = typeof contents === "string" ? contents : new TextDecoder().decode(contents);
  const fields = parseClusterRecord(text, CLUSTER_RECORD_PATH);
  if (fields.etcd !== undefined && (typeof fields.etcd !== "object" || fields.etcd === null)) {
    throw new KubepkiError("INVALID_CONFIG", `${CLUSTER_RECORD_PATH}: etcd must be a mapping`, {
      details: { path: CLUSTER_RECORD_PATH, field: "etcd" },
    });
  }
  return fields as ClusterConfig;
}

/** The record's contents in a file map, under its path as any caller may spell it (`./kubepki.yaml`). */
function recordContents(
  files: ReadonlyMap<string, string | Uint8Array> | Readonly<Record<string, string | Uint8Array>>,
): string | Uint8Array | undefined {
  if (typeof files !== "object" || files === null || Array.isArray(files)) {
    throw new KubepkiError("INVALID_ARGUMENT", "files: expected a Map or an object of path → contents", {
      details: { field: "files" },
    });
  }
  const entries: Iterable<[string, unknown]> = files instanceof Map ? files.entries() : Object.entries(files);
  for (const [path, contents] of entries) {
    if (path.replace(/^(?:\.?\/)+/, "") !== CLUSTER_RECORD_PATH) continue;
    if (typeof contents === "string" || contents instanceof Uint8Array) return contents;
  }
  return undefined;
}
