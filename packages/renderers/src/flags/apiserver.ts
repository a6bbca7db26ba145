import { canonicalIp, checkDnsName, ipFamily, KubepkiError, parseCidr } from "@kubepki/core/vocabulary";
import { argumentsToCommand, type FlagArg, requirePaths, subnetList } from "./args.js";

/**
 * Files kube-apiserver reads. The comment on each field is the flag it feeds and kubeadm's file
 * under `/etc/kubernetes/pki` (reference §5.1).
 *
 * @example
 * ```ts
 * import type { ApiserverPaths } from "@kubepki/renderers";
 *
 * const pki = "/etc/kubernetes/pki";
 * const paths: ApiserverPaths = {
 *   clientCaFile: `${pki}/ca.crt`,
 *   tlsCertFile: `${pki}/apiserver.crt`,
 *   tlsPrivateKeyFile: `${pki}/apiserver.key`,
 *   etcdCaFile: `${pki}/etcd/ca.crt`,
 *   etcdCertFile: `${pki}/apiserver-etcd-client.crt`,
 *   etcdKeyFile: `${pki}/apiserver-etcd-client.key`,
 *   kubeletClientCertificate: `${pki}/apiserver-kubelet-client.crt`,
 *   kubeletClientKey: `${pki}/apiserver-kubelet-client.key`,
 *   serviceAccountKeyFile: `${pki}/sa.pub`,
 *   serviceAccountSigningKeyFile: `${pki}/sa.key`,
 *   proxyClientCertFile: `${pki}/front-proxy-client.crt`,
 *   proxyClientKeyFile: `${pki}/front-proxy-client.key`,
 *   requestheaderClientCaFile: `${pki}/front-proxy-ca.crt`,
 * };
 * ```
 */
export interface ApiserverPaths {
  /** `--client-ca-file` (ca.crt). */
  readonly clientCaFile: string;
  /** `--tls-cert-file` (apiserver.crt). */
  readonly tlsCertFile: string;
  /** `--tls-private-key-file` (apiserver.key). */
  readonly tlsPrivateKeyFile: string;
  /** `--etcd-cafile` (etcd/ca.crt) — not the tutorial's `--etcd-ca-file`. */
  readonly etcdCaFile: string;
  /** `--etcd-certfile` (apiserver-etcd-client.crt). */
  readonly etcdCertFile: string;
  /** `--etcd-keyfile` (apiserver-etcd-client.key). */
  readonly etcdKeyFile: string;
  /** `--kubelet-client-certificate` (apiserver-kubelet-client.crt) — not `--kubelet-certfile`. */
  readonly kubeletClientCertificate: string;
  /** `--kubelet-client-key` (apiserver-kubelet-client.key) — not `--kubelet-keyfile`. */
  readonly kubeletClientKey: string;
  /** `--service-account-key-file` (sa.pub): verifies service-account tokens. */
  readonly serviceAccountKeyFile: string;
  /** `--service-account-signing-key-file` (sa.key): signs service-account tokens. */
  readonly serviceAccountSigningKeyFile: string;
  /** `--proxy-client-cert-file` (front-proxy-client.crt). */
  readonly proxyClientCertFile: string;
  /** `--proxy-client-key-file` (front-proxy-client.key). */
  readonly proxyClientKeyFile: string;
  /** `--requestheader-client-ca-file` (front-proxy-ca.crt). */
  readonly requestheaderClientCaFile: string;
  /**
   * `--kubelet-certificate-authority` — not `--kubelet-ca-file`. Only rendered with
   * `kubeletServingCertificates: "ca-signed"`; see {@link ApiserverFlagsOptions.kubeletServingCertificates}.
   */
  readonly kubeletCertificateAuthority?: string;
}

/**
 * Input of {@link apiserverFlags}.
 *
 * @example
 * ```ts
 * import type { ApiserverFlagsOptions } from "@kubepki/renderers";
 *
 * const p = (file: string) => `/etc/kubernetes/pki/${file}`;
 * const paths: ApiserverFlagsOptions["paths"] = {
 *   clientCaFile: p("ca.crt"),
 *   tlsCertFile: p("apiserver.crt"),
 *   tlsPrivateKeyFile: p("apiserver.key"),
 *   etcdCaFile: p("etcd/ca.crt"),
 *   etcdCertFile: p("apiserver-etcd-client.crt"),
 *   etcdKeyFile: p("apiserver-etcd-client.key"),
 *   kubeletClientCertificate: p("apiserver-kubelet-client.crt"),
 *   kubeletClientKey: p("apiserver-kubelet-client.key"),
 *   serviceAccountKeyFile: p("sa.pub"),
 *   serviceAccountSigningKeyFile: p("sa.key"),
 *   proxyClientCertFile: p("front-proxy-client.crt"),
 *   proxyClientKeyFile: p("front-proxy-client.key"),
 *   requestheaderClientCaFile: p("front-proxy-ca.crt"),
 * };
 * const options: ApiserverFlagsOptions = { advertiseAddress: "192.168.10.11", serviceSubnets: "10.96.0.0/12", paths };
 * ```
 */
export interface ApiserverFlagsOptions {
  /** `--advertise-address` (an IP). */
  readonly advertiseAddress: string;
  /** `--secure-port` (default 6443, kubeadm bindPort). */
  readonly securePort?: number;
  /** `--service-cluster-ip-range`: one CIDR or a dual-stack pair, as "a,b" or a list. */
  readonly serviceSubnets: string | readonly string[];
  /** Cluster DNS domain (default `cluster.local`): gives `--service-account-issuer=https://kubernetes.default.svc.<dnsDomain>`. */
  readonly dnsDomain?: string;
  /** `--service-account-issuer` override. */
  readonly serviceAccountIssuer?: string;
  /** `--etcd-servers`; default the stacked member on loopback: `https://127.0.0.1:2379` (`https://[::1]:2379` for an IPv6 advertise address). */
  readonly etcdServers?: readonly string[];
  readonly paths: ApiserverPaths;
  /**
   * How the kubelets' serving certificates are made (default `"self-signed"`).
   *
   * `"self-signed"` — kubeadm's default: each kubelet self-signs its serving cert at start-up
   * (reference §4.2), so no CA can verify it and `--kubelet-certificate-authority` is left unset,
   * as kubeadm does. Setting it anyway (the tutorial does, as `--kubelet-ca-file`) makes
   * `kubectl logs/exec/port-forward` fail with x509 errors (reference §7 item 21).
   *
   * `"ca-signed"` — kubelets serve certificates signed by a CA (`serverTLSBootstrap: true`, or
   * static certs with IP SANs for the addresses in `--kubelet-preferred-address-types`): then
   * `--kubelet-certificate-authority=paths.kubeletCertificateAuthority` makes the apiserver verify
   * them.
   */
  readonly kubeletServingCertificates?: "self-signed" | "ca-signed";
  readonly extraArgs?: readonly FlagArg[];
}

/**
 * kube-apiserver flags as kubeadm's `getAPIServerCommand` (`phases/controlplane/manifests.go`,
 * reference §5.1) writes them, with the correct names where the tutorial invented some
 * (`--etcd-cafile`, `--kubelet-client-certificate`, `--kubelet-client-key`,
 * `--kubelet-certificate-authority`; reference §7 item 17) and the flags it forgot (service-account
 * key pair and issuer, front-proxy `--requestheader-*` / `--proxy-client-*`,
 * `--authorization-mode=Node,RBAC`, `--enable-admission-plugins=NodeRestriction`; item 22).
 *
 * @throws {KubepkiError} `INVALID_ARGUMENT` for missing paths or options, `INVALID_IP` for a bad
 * advertise address or service CIDR, `INVALID_DNS_NAME` for a bad dnsDomain.
 * @example
 * ```ts
 * import { apiserverFlags } from "@kubepki/renderers";
 *
 * const pki = "/etc/kubernetes/pki";
 * const paths = {
 *   clientCaFile: `${pki}/ca.crt`,
 *   tlsCertFile: `${pki}/apiserver.crt`,
 *   tlsPrivateKeyFile: `${pki}/apiserver.key`,
 *   etcdCaFile: `${pki}/etcd/ca.crt`,
 *   etcdCertFile: `${pki}/apiserver-etcd-client.crt`,
 *   etcdKeyFile: `${pki}/apiserver-etcd-client.key`,
 *   kubeletClientCertificate: `${pki}/apiserver-kubelet-client.crt`,
 *   kubeletClientKey: `${pki}/apiserver-kubelet-client.key`,
 *   serviceAccountKeyFile: `${pki}/sa.pub`,
 *   serviceAccountSigningKeyFile: `${pki}/sa.key`,
 *   proxyClientCertFile: `${pki}/front-proxy-client.crt`,
 *   proxyClientKeyFile: `${pki}/front-proxy-client.key`,
 *   requestheaderClientCaFile: `${pki}/front-proxy-ca.crt`,
 * };
 * const flags = apiserverFlags({ advertiseAddress: "192.168.10.11", serviceSubnets: "10.96.0.0/12", paths });
 * console.log(flags.includes("--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt")); // true
 * console.log(flags.includes("--service-account-issuer=https://kubernetes.default.svc.cluster.local")); // true
 * console.log(flags.some((flag) => flag.startsWith("--kubelet-certificate-authority="))); // false
 * ```
 */
export function apiserverFlags(options: ApiserverFlagsOptions): string[] {
  const serving = options?.kubeletServingCertificates ?? "self-signed";
  const required: (keyof ApiserverPaths & string)[] = [
    "clientCaFile",
    "tlsCertFile",
    "tlsPrivateKeyFile",
    "etcdCaFile",
    "etcdCertFile",
    "etcdKeyFile",
    "kubeletClientCertificate",
    "kubeletClientKey",
    "serviceAccountKeyFile",
    "serviceAccountSigningKeyFile",
    "proxyClientCertFile",
    "proxyClientKeyFile",
    "requestheaderClientCaFile",
  ];
  if (serving === "ca-signed") required.push("kubeletCertificateAuthority");
  else if (serving !== "self-signed") {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `kubeletServingCertificates must be "self-signed" or "ca-signed", got "${String(serving)}"`,
      {
        details: { field: "kubeletServingCertificates" },
      },
    );
  }
  const paths = requirePaths(options?.paths, required, "apiserverFlags");
  const family = ipFamily(options.advertiseAddress);
  if (family === undefined) {
    throw new KubepkiError(
      "INVALID_IP",
      `apiserverFlags: advertiseAddress "${String(options.advertiseAddress)}" must be an IP address`,
      {
        details: { field: "advertiseAddress" },
      },
    );
  }
  const subnets = subnetList(options.serviceSubnets, "serviceSubnets", "apiserverFlags").map((s) => {
    parseCidr(s);
    return s;
  });
  const dnsDomain = options.dnsDomain ?? "cluster.local";
  checkDnsName(dnsDomain, { allowWildcard: false, foldCase: false, field: "dnsDomain" });
  const securePort = options.securePort ?? 6443;
  if (!Number.isInteger(securePort) || securePort < 1 || securePort > 65535) {
    throw new KubepkiError("INVALID_ARGUMENT", `securePort must be a TCP port, got ${String(options.securePort)}`, {
      details: { field: "securePort" },
    });
  }
  // kubeadm: the stacked etcd listens on loopback of the advertise address's family.
  const etcdServers = options.etcdServers ?? [family === 6 ? "https://[::1]:2379" : "https://127.0.0.1:2379"];
  if (etcdServers.length === 0) {
    throw new KubepkiError("INVALID_ARGUMENT", "etcdServers must list at least one https:// URL", {
      details: { field: "etcdServers" },
    });
  }
  const args: FlagArg[] = [
    { name: "advertise-address", value: canonicalIp(options.advertiseAddress) },
    { name: "allow-privileged", value: "true" },
    { name: "authorization-mode", value: "Node,RBAC" },
    { name: "client-ca-file", value: paths.clientCaFile },
    { name: "enable-admission-plugins", value: "NodeRestriction" },
    { name: "enable-bootstrap-token-auth", value: "true" },
    { name: "etcd-cafile", value: paths.etcdCaFile },
    { name: "etcd-certfile", value: paths.etcdCertFile },
    { name: "etcd-keyfile", value: paths.etcdKeyFile },
    { name: "etcd-servers", value: etcdServers.join(",") },
    { name: "kubelet-client-certificate", value: paths.kubeletClientCertificate },
    { name: "kubelet-client-key", value: paths.kubeletClientKey },
    { name: "kubelet-preferred-address-types", value: "InternalIP,ExternalIP,Hostname" },
    { name: "proxy-client-cert-file", value: paths.proxyClientCertFile },
    { name: "proxy-client-key-file", value: paths.proxyClientKeyFile },
    { name: "requestheader-allowed-names", value: "front-proxy-client" },
    { name: "requestheader-client-ca-file", value: paths.requestheaderClientCaFile },
    { name: "requestheader-extra-headers-prefix", value: "X-Remote-Extra-" },
    { name: "requestheader-group-headers", value: "X-Remote-Group" },
    { name: "requestheader-username-headers", value: "X-Remote-User" },
    { name: "secure-port", value: String(securePort) },
    {
      name: "service-account-issuer",
      value: options.serviceAccountIssuer ?? `https://kubernetes.default.svc.${dnsDomain}`,
    },
    { name: "service-account-key-file", value: paths.serviceAccountKeyFile },
    { name: "service-account-signing-key-file", value: paths.serviceAccountSigningKeyFile },
    { name: "service-cluster-ip-range", value: subnets.join(",") },
    { name: "tls-cert-file", value: paths.tlsCertFile },
    { name: "tls-private-key-file", value: paths.tlsPrivateKeyFile },
  ];
  if (serving === "ca-signed") {
    args.push({ name: "kubelet-certificate-authority", value: paths.kubeletCertificateAuthority! });
  }
  return argumentsToCommand(args, options.extraArgs);
}
