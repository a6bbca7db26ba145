/**
 * The extra SANs of a config (certSANs, etcd's serverCertSANs and peerCertSANs): what the
 * certificates carry beyond what kubepki computes for the rest of the config.
 *
 * @internal
 */

import type { SubjectAltName } from "@kubepki/core";
import {
  type ClusterConfig,
  type EtcdConfig,
  type ResolvedClusterConfig,
  resolveClusterConfig,
} from "../../config/resolve.js";
import { apiserverSans, etcdSans } from "../../plan/sans.js";
import type { ControlPlane } from "./nodes.js";

/**
 * certSANs and etcd's extra SANs: what the first node's certificates carry beyond what kubepki
 * computes for the config inferred so far, in the certificate's order.
 */
export function withExtraSans(base: ClusterConfig, planes: readonly ControlPlane[], notes: string[]): ClusterConfig {
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
