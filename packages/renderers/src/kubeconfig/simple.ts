import { KubepkiError } from "@kubepki/core/vocabulary";
import { renderKubeconfig } from "./render.js";
import type { Kubeconfig, KubeconfigCluster, KubeconfigContext, KubeconfigUser, PemOrPath } from "./types.js";

/**
 * The one user of a {@link SimpleKubeconfigOptions}: client certificate + key, or a bearer token
 * (e.g. a bootstrap token, as in kubeadm's `bootstrap-kubelet.conf`).
 *
 * @example
 * ```ts
 * import type { SimpleKubeconfigUser } from "@kubepki/renderers";
 *
 * const bootstrap: SimpleKubeconfigUser = { name: "tls-bootstrap-token-user", token: "abcdef.0123456789abcdef" };
 * ```
 */
export type SimpleKubeconfigUser =
  | { readonly name: string; readonly clientCertificate: PemOrPath; readonly clientKey: PemOrPath }
  | { readonly name: string; readonly token: string };

/**
 * Input of {@link simpleKubeconfig} / {@link renderSimpleKubeconfig}.
 *
 * @example
 * ```ts
 * import type { SimpleKubeconfigOptions } from "@kubepki/renderers";
 *
 * const options: SimpleKubeconfigOptions = {
 *   server: "https://127.0.0.1:6443",
 *   caCertificate: { path: "/etc/kubernetes/pki/ca.crt" },
 *   user: { name: "dev", token: "abc" },
 * };
 * ```
 */
export interface SimpleKubeconfigOptions {
  /** Cluster name; kubeadm's `clusterName` default is `kubernetes`. */
  readonly clusterName?: string;
  /** API server URL, e.g. `https://10.0.0.10:6443` (IPv6 hosts bracketed). */
  readonly server: string;
  readonly caCertificate: PemOrPath;
  readonly user: SimpleKubeconfigUser;
  readonly namespace?: string;
  readonly tlsServerName?: string;
  readonly proxyUrl?: string;
}

/**
 * Builds the one-cluster, one-user, one-context {@link Kubeconfig} kubeadm writes
 * (`kubeconfigutil.CreateWithCerts`, reference §3): context `<user>@<cluster>` (e.g.
 * `kubernetes-admin@kubernetes`), `current-context` set to it, and `preferences: {}` as kubectl
 * writes it.
 *
 * @throws {KubepkiError} `INVALID_ARGUMENT` for an empty name or a server that is not an
 * `https://` / `http://` URL.
 * @example
 * ```ts
 * import { simpleKubeconfig } from "@kubepki/renderers";
 *
 * const config = simpleKubeconfig({
 *   server: "https://127.0.0.1:6443",
 *   caCertificate: { path: "/etc/kubernetes/pki/ca.crt" },
 *   user: { name: "dev", token: "abc" },
 * });
 * console.log(config.currentContext); // "dev@kubernetes"
 * ```
 */
export function simpleKubeconfig(options: SimpleKubeconfigOptions): Kubeconfig {
  const clusterName = options.clusterName ?? "kubernetes";
  const { user } = options;
  if (typeof clusterName !== "string" || clusterName === "") {
    throw new KubepkiError("INVALID_ARGUMENT", "clusterName must be a non-empty string (kubeadm default: kubernetes)", {
      details: { field: "clusterName" },
    });
  }
  if (user === undefined || typeof user.name !== "string" || user.name === "") {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      "user.name must be a non-empty string (it is the client certificate's CN)",
      {
        details: { field: "user.name" },
      },
    );
  }
  if (typeof options.server !== "string" || !/^https?:\/\/[^/\s]+/.test(options.server)) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `server "${String(options.server)}" must be a URL like https://10.0.0.10:6443 (bracket IPv6: https://[fd00::1]:6443)`,
      { details: { field: "server" } },
    );
  }
  const cluster: { -readonly [K in keyof KubeconfigCluster]: KubeconfigCluster[K] } = {
    name: clusterName,
    server: options.server,
    certificateAuthority: options.caCertificate,
  };
  if (options.tlsServerName !== undefined) cluster.tlsServerName = options.tlsServerName;
  if (options.proxyUrl !== undefined) cluster.proxyUrl = options.proxyUrl;
  const kubeconfigUser: KubeconfigUser =
    "token" in user
      ? { name: user.name, token: user.token }
      : { name: user.name, clientCertificate: user.clientCertificate, clientKey: user.clientKey };
  const contextName = `${user.name}@${clusterName}`;
  const context: KubeconfigContext =
    options.namespace === undefined
      ? { name: contextName, cluster: clusterName, user: user.name }
      : { name: contextName, cluster: clusterName, user: user.name, namespace: options.namespace };
  return {
    clusters: [cluster],
    users: [kubeconfigUser],
    contexts: [context],
    currentContext: contextName,
    preferences: {},
  };
}

/**
 * {@link simpleKubeconfig} rendered to YAML with {@link renderKubeconfig}: the one call that
 * writes an `admin.conf`-style file.
 *
 * @example
 * ```ts
 * import { renderSimpleKubeconfig } from "@kubepki/renderers";
 *
 * const caPem = "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n";
 * const adminConf = renderSimpleKubeconfig({
 *   server: "https://10.0.0.10:6443",
 *   caCertificate: { pem: caPem },
 *   user: { name: "kubernetes-admin", clientCertificate: { path: "admin.crt" }, clientKey: { path: "admin.key" } },
 * });
 * console.log(adminConf.includes("current-context: kubernetes-admin@kubernetes")); // true
 * console.log(adminConf.includes("certificate-authority-data: LS0tLS1CRUdJTi")); // true
 * ```
 */
export function renderSimpleKubeconfig(options: SimpleKubeconfigOptions): string {
  return renderKubeconfig(simpleKubeconfig(options));
}
