/**
 * A PEM document given inline (rendered base64-encoded into a `*-data` field, as kubeadm does) or
 * a file path (rendered into the path field, as hand-made and kubelet-rotated kubeconfigs do).
 *
 * @example
 * ```ts
 * import type { PemOrPath } from "@kubepki/renderers";
 *
 * const embedded: PemOrPath = { pem: "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n" };
 * const byPath: PemOrPath = { path: "/etc/kubernetes/pki/ca.crt" };
 * ```
 */
export type PemOrPath = { readonly pem: string } | { readonly path: string };

/**
 * A named extension entry (`extensions: [{name, extension}]`); the value is kept opaque.
 *
 * @example
 * ```ts
 * import type { KubeconfigExtension } from "@kubepki/renderers";
 *
 * const ext: KubeconfigExtension = { name: "client.authentication.k8s.io/exec", extension: { audience: "x" } };
 * ```
 */
export interface KubeconfigExtension {
  readonly name: string;
  readonly extension: unknown;
}

/**
 * One entry of `clusters:` (clientcmd v1 `Cluster`).
 *
 * @example
 * ```ts
 * import type { KubeconfigCluster } from "@kubepki/renderers";
 *
 * const cluster: KubeconfigCluster = {
 *   name: "kubernetes",
 *   server: "https://127.0.0.1:6443",
 *   certificateAuthority: { path: "/etc/kubernetes/pki/ca.crt" },
 * };
 * ```
 */
export interface KubeconfigCluster {
  readonly name: string;
  /** `server:`; kubectl loads a cluster without one but refuses to use it. */
  readonly server?: string;
  /** `certificate-authority-data` (`{pem}`) or `certificate-authority` (`{path}`). */
  readonly certificateAuthority?: PemOrPath;
  /** `tls-server-name`: the name to verify the server certificate against instead of the URL host. */
  readonly tlsServerName?: string;
  /** `proxy-url`. */
  readonly proxyUrl?: string;
  /** `insecure-skip-tls-verify`. */
  readonly insecureSkipTlsVerify?: boolean;
  /** `disable-compression`. */
  readonly disableCompression?: boolean;
  readonly extensions?: readonly KubeconfigExtension[];
}

/**
 * One entry of `users:` (clientcmd v1 `AuthInfo`). `exec` and `authProvider` are kept as opaque
 * JSON objects: kubepki renders and round-trips them but does not interpret them.
 *
 * @example
 * ```ts
 * import type { KubeconfigUser } from "@kubepki/renderers";
 *
 * const admin: KubeconfigUser = {
 *   name: "kubernetes-admin",
 *   clientCertificate: { path: "/etc/kubernetes/pki/admin.crt" },
 *   clientKey: { path: "/etc/kubernetes/pki/admin.key" },
 * };
 * ```
 */
export interface KubeconfigUser {
  readonly name: string;
  /** `client-certificate-data` (`{pem}`) or `client-certificate` (`{path}`). */
  readonly clientCertificate?: PemOrPath;
  /** `client-key-data` (`{pem}`) or `client-key` (`{path}`). */
  readonly clientKey?: PemOrPath;
  /** `token` (bearer token). */
  readonly token?: string;
  /** `tokenFile` (clientcmd spells this one in camelCase). */
  readonly tokenFile?: string;
  /** `username` (basic auth). */
  readonly username?: string;
  /** `password` (basic auth). */
  readonly password?: string;
  /** `as`. */
  readonly impersonate?: string;
  /** `as-uid`. */
  readonly impersonateUid?: string;
  /** `as-groups`. */
  readonly impersonateGroups?: readonly string[];
  /** `as-user-extra`. */
  readonly impersonateUserExtra?: Readonly<Record<string, readonly string[]>>;
  /** `exec` credential plugin config, opaque. */
  readonly exec?: Readonly<Record<string, unknown>>;
  /** `auth-provider` config, opaque. */
  readonly authProvider?: Readonly<Record<string, unknown>>;
  readonly extensions?: readonly KubeconfigExtension[];
}

/**
 * One entry of `contexts:`.
 *
 * @example
 * ```ts
 * import type { KubeconfigContext } from "@kubepki/renderers";
 *
 * const context: KubeconfigContext = { name: "kubernetes-admin@kubernetes", cluster: "kubernetes", user: "kubernetes-admin" };
 * ```
 */
export interface KubeconfigContext {
  readonly name: string;
  readonly cluster: string;
  /** The user (AuthInfo) name; `""` means no credentials. */
  readonly user: string;
  readonly namespace?: string;
  readonly extensions?: readonly KubeconfigExtension[];
}

/**
 * A whole kubeconfig (`apiVersion: v1`, `kind: Config`).
 *
 * @example
 * ```ts
 * import type { Kubeconfig } from "@kubepki/renderers";
 *
 * const config: Kubeconfig = {
 *   clusters: [{ name: "kubernetes", server: "https://127.0.0.1:6443" }],
 *   users: [{ name: "dev", token: "abc" }],
 *   contexts: [{ name: "dev@kubernetes", cluster: "kubernetes", user: "dev" }],
 *   currentContext: "dev@kubernetes",
 * };
 * ```
 */
export interface Kubeconfig {
  readonly clusters: readonly KubeconfigCluster[];
  readonly users: readonly KubeconfigUser[];
  readonly contexts: readonly KubeconfigContext[];
  /** `current-context`; absent (or `""` in the file) means none. */
  readonly currentContext?: string;
  /** `preferences`, opaque; kubectl writes `preferences: {}`. */
  readonly preferences?: Readonly<Record<string, unknown>>;
}
