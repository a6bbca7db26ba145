import { canonicalIp, ipFamily, KubepkiError } from "@kubepki/core/vocabulary";
import { argumentsToCommand, type FlagArg, requirePaths } from "./args.js";

/** `host:port` for URLs, with IPv6 literals bracketed (RFC 3986 §3.2.2; kubeadm `util/endpoint.go`). */
function hostPort(host: string, port: number): string {
  return ipFamily(host) === 6 ? `[${canonicalIp(host)}]:${port}` : `${host}:${port}`;
}

/**
 * Files etcd reads (kubeadm layout: `/etc/kubernetes/pki/etcd/{server,peer,ca}.{crt,key}`,
 * data in `/var/lib/etcd`). Passed explicitly: renderers has no default layout.
 *
 * @example
 * ```ts
 * import type { EtcdPaths } from "@kubepki/renderers";
 *
 * const paths: EtcdPaths = {
 *   certFile: "/etc/kubernetes/pki/etcd/server.crt",
 *   keyFile: "/etc/kubernetes/pki/etcd/server.key",
 *   trustedCaFile: "/etc/kubernetes/pki/etcd/ca.crt",
 *   peerCertFile: "/etc/kubernetes/pki/etcd/peer.crt",
 *   peerKeyFile: "/etc/kubernetes/pki/etcd/peer.key",
 *   peerTrustedCaFile: "/etc/kubernetes/pki/etcd/ca.crt",
 *   dataDir: "/var/lib/etcd",
 * };
 * ```
 */
export interface EtcdPaths {
  readonly certFile: string;
  readonly keyFile: string;
  readonly trustedCaFile: string;
  readonly peerCertFile: string;
  readonly peerKeyFile: string;
  readonly peerTrustedCaFile: string;
  readonly dataDir: string;
}

/**
 * A member of `--initial-cluster`.
 *
 * @example
 * ```ts
 * import type { EtcdMember } from "@kubepki/renderers";
 *
 * const member: EtcdMember = { name: "cp-2", address: "192.168.10.12" };
 * ```
 */
export interface EtcdMember {
  readonly name: string;
  /** IP or host name of the member; IPv6 is bracketed in the URL. */
  readonly address: string;
  /** Peer port (default 2380). */
  readonly peerPort?: number;
}

/**
 * Input of {@link etcdFlags}.
 *
 * @example
 * ```ts
 * import type { EtcdFlagsOptions } from "@kubepki/renderers";
 *
 * const p = (file: string) => `/etc/kubernetes/pki/etcd/${file}`;
 * const paths: EtcdFlagsOptions["paths"] = {
 *   certFile: p("server.crt"),
 *   keyFile: p("server.key"),
 *   trustedCaFile: p("ca.crt"),
 *   peerCertFile: p("peer.crt"),
 *   peerKeyFile: p("peer.key"),
 *   peerTrustedCaFile: p("ca.crt"),
 *   dataDir: "/var/lib/etcd",
 * };
 * const options: EtcdFlagsOptions = { nodeName: "cp-1", advertiseAddress: "192.168.10.11", paths };
 * ```
 */
export interface EtcdFlagsOptions {
  /** `--name`; kubeadm uses the node name (also the CN of etcd's server/peer certs). */
  readonly nodeName: string;
  /** This member's IP (kubeadm `localAPIEndpoint.advertiseAddress`). */
  readonly advertiseAddress: string;
  readonly paths: EtcdPaths;
  /** Client port (default 2379). */
  readonly clientPort?: number;
  /** Peer port (default 2380). */
  readonly peerPort?: number;
  /** Plain-HTTP metrics/health port on loopback (default 2381). */
  readonly metricsPort?: number;
  /**
   * All members including this one, for joining an existing cluster. Omitted: a one-member
   * `--initial-cluster=<nodeName>=https://<advertise>:2380` (kubeadm init).
   */
  readonly initialCluster?: readonly EtcdMember[];
  /** `--initial-cluster-state`; default: `existing` when `initialCluster` is given (kubeadm join), unset otherwise. */
  readonly initialClusterState?: "new" | "existing";
  /**
   * etcd minor version the flags are for (default `"3.5"`): 3.6 renamed the experimental flags
   * kubeadm sets (`--feature-gates=InitialCorruptCheck=true`, `--watch-progress-notify-interval`).
   * `"3.4"` uses the 3.5 spelling, which 3.4 also accepts.
   */
  readonly etcdVersion?: "3.4" | "3.5" | "3.6";
  /** `--snapshot-count` (default 10000, kubeadm). */
  readonly snapshotCount?: number;
  readonly extraArgs?: readonly FlagArg[];
}

function port(value: number | undefined, fallback: number, field: string): number {
  const p = value ?? fallback;
  if (!Number.isInteger(p) || p < 1 || p > 65535) {
    throw new KubepkiError("INVALID_ARGUMENT", `${field} must be a TCP port (1-65535), got ${String(value)}`, {
      details: { field },
    });
  }
  return p;
}

/**
 * etcd flags for a stacked control-plane member, as kubeadm's `getEtcdCommand`
 * (`phases/etcd/local.go`, reference §5.4) writes them: client and peer TLS with
 * `--client-cert-auth=true` / `--peer-client-cert-auth=true` (so only certificates from the etcd CA
 * get in — the reason for a separate etcd CA, reference §6), client URLs on loopback (127.0.0.1 or
 * ::1 by the advertise address's family) and the advertise address, IPv6 bracketed, metrics on
 * plain HTTP loopback for probes. Sorted by flag name like kubeadm.
 *
 * @throws {KubepkiError} `INVALID_ARGUMENT` for a missing path, name or bad port; `INVALID_IP`
 * when `advertiseAddress` is not an IP.
 * @example
 * ```ts
 * import { etcdFlags } from "@kubepki/renderers";
 *
 * const flags = etcdFlags({
 *   nodeName: "cp-1",
 *   advertiseAddress: "192.168.10.11",
 *   paths: {
 *     certFile: "/etc/kubernetes/pki/etcd/server.crt",
 *     keyFile: "/etc/kubernetes/pki/etcd/server.key",
 *     trustedCaFile: "/etc/kubernetes/pki/etcd/ca.crt",
 *     peerCertFile: "/etc/kubernetes/pki/etcd/peer.crt",
 *     peerKeyFile: "/etc/kubernetes/pki/etcd/peer.key",
 *     peerTrustedCaFile: "/etc/kubernetes/pki/etcd/ca.crt",
 *     dataDir: "/var/lib/etcd",
 *   },
 * });
 * console.log(flags[0]); // "--advertise-client-urls=https://192.168.10.11:2379"
 * console.log(flags.includes("--client-cert-auth=true")); // true
 * ```
 */
export function etcdFlags(options: EtcdFlagsOptions): string[] {
  const paths = requirePaths(
    options?.paths,
    ["certFile", "keyFile", "trustedCaFile", "peerCertFile", "peerKeyFile", "peerTrustedCaFile", "dataDir"],
    "etcdFlags",
  );
  if (typeof options.nodeName !== "string" || options.nodeName === "") {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      "etcdFlags: nodeName is required (the member name, kubeadm uses the node name)",
      {
        details: { field: "nodeName" },
      },
    );
  }
  const family = ipFamily(options.advertiseAddress);
  if (family === undefined) {
    throw new KubepkiError(
      "INVALID_IP",
      `etcdFlags: advertiseAddress "${options.advertiseAddress}" must be an IP address`,
      {
        details: { field: "advertiseAddress" },
      },
    );
  }
  const advertise = canonicalIp(options.advertiseAddress);
  const clientPort = port(options.clientPort, 2379, "clientPort");
  const peerPort = port(options.peerPort, 2380, "peerPort");
  const metricsPort = port(options.metricsPort, 2381, "metricsPort");
  const loopback = family === 6 ? "::1" : "127.0.0.1";
  const clientUrl = `https://${hostPort(advertise, clientPort)}`;
  const peerUrl = `https://${hostPort(advertise, peerPort)}`;
  const localClientUrl = `https://${hostPort(loopback, clientPort)}`;
  // kubeadm lists loopback then the advertise address; when they are the same address etcd would
  // try to bind it twice, so list it once.
  const listenClientUrls = localClientUrl === clientUrl ? clientUrl : `${localClientUrl},${clientUrl}`;
  const version = options.etcdVersion ?? "3.5";
  const args: FlagArg[] = [
    { name: "name", value: options.nodeName },
    { name: "listen-client-urls", value: listenClientUrls },
    { name: "advertise-client-urls", value: clientUrl },
    { name: "listen-peer-urls", value: peerUrl },
    { name: "initial-advertise-peer-urls", value: peerUrl },
    { name: "data-dir", value: paths.dataDir },
    { name: "cert-file", value: paths.certFile },
    { name: "key-file", value: paths.keyFile },
    { name: "trusted-ca-file", value: paths.trustedCaFile },
    { name: "client-cert-auth", value: "true" },
    { name: "peer-cert-file", value: paths.peerCertFile },
    { name: "peer-key-file", value: paths.peerKeyFile },
    { name: "peer-trusted-ca-file", value: paths.peerTrustedCaFile },
    { name: "peer-client-cert-auth", value: "true" },
    { name: "snapshot-count", value: String(options.snapshotCount ?? 10000) },
    { name: "listen-metrics-urls", value: `http://${hostPort(loopback, metricsPort)}` },
  ];
  if (version === "3.6") {
    args.push(
      { name: "feature-gates", value: "InitialCorruptCheck=true" },
      { name: "watch-progress-notify-interval", value: "5s" },
    );
  } else {
    args.push(
      { name: "experimental-initial-corrupt-check", value: "true" },
      { name: "experimental-watch-progress-notify-interval", value: "5s" },
    );
  }
  if (options.initialCluster === undefined || options.initialCluster.length === 0) {
    args.push({ name: "initial-cluster", value: `${options.nodeName}=${peerUrl}` });
    if (options.initialClusterState !== undefined)
      args.push({ name: "initial-cluster-state", value: options.initialClusterState });
  } else {
    const members = options.initialCluster.map((m) => {
      if (typeof m?.name !== "string" || m.name === "" || typeof m.address !== "string" || m.address === "") {
        throw new KubepkiError(
          "INVALID_ARGUMENT",
          "etcdFlags: every initialCluster member needs a name and an address",
          {
            details: { field: "initialCluster" },
          },
        );
      }
      const host = ipFamily(m.address) === undefined ? m.address : canonicalIp(m.address);
      return `${m.name}=https://${hostPort(host, port(m.peerPort, 2380, "initialCluster.peerPort"))}`;
    });
    args.push({ name: "initial-cluster", value: members.join(",") });
    args.push({ name: "initial-cluster-state", value: options.initialClusterState ?? "existing" });
  }
  return argumentsToCommand(args, options.extraArgs);
}
