import { canonicalIp, checkDnsName, cidrAddress, isIp, KubepkiError } from "@kubepki/core/vocabulary";
import { stringify } from "yaml";
import { compareGoYamlPairs } from "../lib/go-yaml-order.js";
import { NOT_PLAIN, writePlainBlockYaml } from "../lib/plain-block-yaml.js";

/**
 * Input of {@link renderKubeletConfig}.
 *
 * @example
 * ```ts
 * import type { KubeletConfigOptions } from "@kubepki/renderers";
 *
 * const options: KubeletConfigOptions = { clientCAFile: "/etc/kubernetes/pki/ca.crt", tls: "serverTLSBootstrap" };
 * ```
 */
export interface KubeletConfigOptions {
  /** `authentication.x509.clientCAFile`: the CA that signs clients of the kubelet API (the cluster CA). */
  readonly clientCAFile: string;
  /**
   * `clusterDomain` (default `cluster.local`). Must equal the apiserver's dnsDomain: see the remark
   * on {@link renderKubeletConfig}.
   */
  readonly clusterDomain?: string;
  /** `clusterDNS`; default: the 10th address of the first of `serviceSubnets` (kubeadm). */
  readonly clusterDNS?: readonly string[];
  /** Service CIDR(s), as one comma-separated string or a list; default `10.96.0.0/12`. Only the first is used. */
  readonly serviceSubnets?: string | readonly string[];
  /**
   * Serving certificate: static files (`tlsCertFile`/`tlsPrivateKeyFile`), or `"serverTLSBootstrap"`
   * to request a `kubernetes.io/kubelet-serving` certificate through the CSR API. Omitted: the
   * kubelet self-signs at start-up (kubeadm's default, reference §4.2).
   */
  readonly tls?: { readonly certFile: string; readonly keyFile: string } | "serverTLSBootstrap";
  /** `rotateCertificates` (default `true`: kubeadm forces it, reference §4.3). */
  readonly rotateCertificates?: boolean;
  /** `staticPodPath`, e.g. `/etc/kubernetes/manifests` on control-plane nodes. */
  readonly staticPodPath?: string;
  /** `resolvConf`, e.g. `/run/systemd/resolve/resolv.conf` with systemd-resolved. */
  readonly resolvConf?: string;
  /** `cgroupDriver` (kubeadm: `systemd` when empty). */
  readonly cgroupDriver?: "systemd" | "cgroupfs";
  /** Further KubeletConfiguration fields, merged last (they may override the above). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

function splitSubnets(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return ["10.96.0.0/12"];
  const list = typeof value === "string" ? value.split(",") : [...value];
  return list.map((s) => s.trim()).filter((s) => s !== "");
}

/**
 * Renders a `kubelet.config.k8s.io/v1beta1` `KubeletConfiguration` with kubeadm's security
 * settings (reference §4.3, kubeadm `componentconfigs/kubelet.go`): x509 client authentication
 * against `clientCAFile`, webhook authentication on, anonymous off, `authorization.mode: Webhook`,
 * `rotateCertificates: true`, `clusterDNS` = 10th address of the first service CIDR
 * (`10.96.0.0/12` → `10.96.0.10`; IPv6 `fd00:10:96::/112` → `fd00:10:96::a`), and either static
 * serving-certificate files or `serverTLSBootstrap: true`. Keys are in go-yaml order, like the
 * `/var/lib/kubelet/config.yaml` kubeadm writes.
 *
 * @remarks
 * `clusterDomain` is validated as a DNS name but cannot be checked against the rest of the
 * cluster here, so watch for typos: the tutorial's `clusterDomain: "cluser.local"` (reference §7
 * item 31) is one. The kubelet writes `search <ns>.svc.<clusterDomain> svc.<clusterDomain>
 * <clusterDomain>` into every pod's resolv.conf; it must match the CoreDNS zone
 * (`networking.dnsDomain`) and the apiserver certificate's `kubernetes.default.svc.<domain>` SAN,
 * otherwise in-cluster names such as `my-svc.my-ns.svc.cluster.local` stop resolving from pods.
 *
 * @throws {KubepkiError} `INVALID_DNS_NAME` for a bad clusterDomain, `INVALID_IP` for a bad
 * service CIDR or clusterDNS address, `INVALID_ARGUMENT` for empty paths.
 * @example
 * ```ts
 * import { renderKubeletConfig } from "@kubepki/renderers";
 *
 * const yaml = renderKubeletConfig({
 *   clientCAFile: "/etc/kubernetes/pki/ca.crt",
 *   serviceSubnets: "10.96.0.0/12",
 *   tls: "serverTLSBootstrap",
 *   staticPodPath: "/etc/kubernetes/manifests",
 * });
 * // clusterDNS: [10.96.0.10], clusterDomain: cluster.local, serverTLSBootstrap: true
 * ```
 */
export function renderKubeletConfig(options: KubeletConfigOptions): string {
  if (typeof options?.clientCAFile !== "string" || options.clientCAFile === "") {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      "clientCAFile is required: the kubelet needs the cluster CA to authenticate the apiserver's client certificate (e.g. /etc/kubernetes/pki/ca.crt)",
      { details: { field: "clientCAFile" } },
    );
  }
  const clusterDomain = options.clusterDomain ?? "cluster.local";
  checkDnsName(clusterDomain, { allowWildcard: false, foldCase: false, field: "clusterDomain" });
  let clusterDNS: string[];
  if (options.clusterDNS !== undefined) {
    clusterDNS = options.clusterDNS.map((ip) => {
      if (!isIp(ip)) {
        throw new KubepkiError("INVALID_IP", `clusterDNS entry "${ip}" is not an IP address`, {
          details: { field: "clusterDNS" },
        });
      }
      return canonicalIp(ip);
    });
  } else {
    const subnets = splitSubnets(options.serviceSubnets);
    if (subnets.length === 0) {
      throw new KubepkiError("INVALID_ARGUMENT", "serviceSubnets is empty; give the service CIDR, e.g. 10.96.0.0/12", {
        details: { field: "serviceSubnets" },
      });
    }
    // kubeadm constants.GetDNSIP: index 10 of the FIRST service CIDR only (dual-stack: primary family).
    clusterDNS = [cidrAddress(subnets[0]!, 10)];
  }
  const config: Record<string, unknown> = {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: options.clientCAFile },
    },
    authorization: { mode: "Webhook" },
    clusterDomain,
    clusterDNS,
    rotateCertificates: options.rotateCertificates ?? true,
  };
  const { tls } = options;
  if (tls === "serverTLSBootstrap") {
    config.serverTLSBootstrap = true;
  } else if (tls !== undefined) {
    if (
      typeof tls.certFile !== "string" ||
      tls.certFile === "" ||
      typeof tls.keyFile !== "string" ||
      tls.keyFile === ""
    ) {
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        'tls needs both certFile and keyFile (or use tls: "serverTLSBootstrap")',
        {
          details: { field: "tls" },
        },
      );
    }
    config.tlsCertFile = tls.certFile;
    config.tlsPrivateKeyFile = tls.keyFile;
  }
  if (options.staticPodPath !== undefined) config.staticPodPath = options.staticPodPath;
  if (options.resolvConf !== undefined) config.resolvConf = options.resolvConf;
  if (options.cgroupDriver !== undefined) config.cgroupDriver = options.cgroupDriver;
  Object.assign(config, options.extra);
  const plain = writePlainBlockYaml(config);
  if (plain !== NOT_PLAIN) return plain;
  return stringify(config, { version: "1.1", sortMapEntries: compareGoYamlPairs, lineWidth: 0, indentSeq: false });
}
