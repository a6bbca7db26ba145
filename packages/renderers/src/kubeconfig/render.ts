import { KubepkiError, toBase64 } from "@kubepki/core/vocabulary";
import { stringify } from "yaml";
import { compareGoYamlPairs } from "../lib/go-yaml-order.js";
import { NOT_PLAIN, writePlainBlockYaml } from "../lib/plain-block-yaml.js";
import type { Kubeconfig, KubeconfigExtension, PemOrPath } from "./types.js";
import { validateKubeconfig } from "./validate.js";

type Json = Record<string, unknown>;

// The v1 field names are fixed by client-go tools/clientcmd/api/v1/types.go; note `tokenFile` is
// the one camelCase key.
function putPemOrPath(out: Json, value: PemOrPath | undefined, pathKey: string): void {
  if (value === undefined) return;
  if ("pem" in value) out[`${pathKey}-data`] = toBase64(new TextEncoder().encode(value.pem));
  else out[pathKey] = value.path;
}

function putIfDefined(out: Json, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

function extensionsOf(list: readonly KubeconfigExtension[] | undefined): unknown {
  return list?.map((e) => ({ name: e.name, extension: e.extension }));
}

/** The plain JSON object kubectl would marshal for `config` (before YAML conversion). */
export function kubeconfigToJson(config: Kubeconfig): Json {
  const clusters = config.clusters.map((c) => {
    const cluster: Json = {};
    putIfDefined(cluster, "server", c.server);
    putIfDefined(cluster, "tls-server-name", c.tlsServerName);
    putIfDefined(cluster, "insecure-skip-tls-verify", c.insecureSkipTlsVerify);
    putPemOrPath(cluster, c.certificateAuthority, "certificate-authority");
    putIfDefined(cluster, "proxy-url", c.proxyUrl);
    putIfDefined(cluster, "disable-compression", c.disableCompression);
    putIfDefined(cluster, "extensions", extensionsOf(c.extensions));
    return { name: c.name, cluster };
  });
  const users = config.users.map((u) => {
    const user: Json = {};
    putPemOrPath(user, u.clientCertificate, "client-certificate");
    putPemOrPath(user, u.clientKey, "client-key");
    putIfDefined(user, "token", u.token);
    putIfDefined(user, "tokenFile", u.tokenFile);
    putIfDefined(user, "as", u.impersonate);
    putIfDefined(user, "as-uid", u.impersonateUid);
    putIfDefined(user, "as-groups", u.impersonateGroups);
    putIfDefined(user, "as-user-extra", u.impersonateUserExtra);
    putIfDefined(user, "username", u.username);
    putIfDefined(user, "password", u.password);
    putIfDefined(user, "auth-provider", u.authProvider);
    putIfDefined(user, "exec", u.exec);
    putIfDefined(user, "extensions", extensionsOf(u.extensions));
    return { name: u.name, user };
  });
  const contexts = config.contexts.map((c) => {
    const context: Json = { cluster: c.cluster, user: c.user };
    putIfDefined(context, "namespace", c.namespace);
    putIfDefined(context, "extensions", extensionsOf(c.extensions));
    return { name: c.name, context };
  });
  const out: Json = { apiVersion: "v1", kind: "Config", clusters, contexts, users };
  putIfDefined(out, "current-context", config.currentContext);
  putIfDefined(out, "preferences", config.preferences);
  return out;
}

/**
 * Renders a kubeconfig as YAML in the layout kubectl writes (`kubectl config view --raw`): keys in
 * go-yaml order (apiVersion, clusters, contexts, current-context, kind, preferences, users),
 * sequences not indented, no line folding. Embedded PEMs become `*-data` fields holding base64 of
 * the PEM text, as kubeadm's `kubeconfigutil.CreateWithCerts` writes them (reference §3); paths
 * become `certificate-authority` / `client-certificate` / `client-key`.
 *
 * Strings are emitted for YAML 1.1 readers (go-yaml v2, which kubectl uses), so a user called
 * `on` or a token `0123` is quoted rather than turned into a boolean/number.
 *
 * @throws {KubepkiError} `INVALID_ARGUMENT` for what kubectl would refuse: duplicate names, a
 * context naming an unknown cluster/user, an unknown current-context, a certificate without a key,
 * both token and basic auth, both exec and auth-provider.
 * @example
 * ```ts
 * import { renderKubeconfig } from "@kubepki/renderers";
 *
 * const yaml = renderKubeconfig({
 *   clusters: [{ name: "kubernetes", server: "https://127.0.0.1:6443", certificateAuthority: { path: "/etc/kubernetes/pki/ca.crt" } }],
 *   users: [{ name: "dev", token: "abc" }],
 *   contexts: [{ name: "dev@kubernetes", cluster: "kubernetes", user: "dev", namespace: "dev" }],
 *   currentContext: "dev@kubernetes",
 * });
 * ```
 */
export function renderKubeconfig(config: Kubeconfig): string {
  if (config === null || typeof config !== "object" || !Array.isArray(config.clusters)) {
    throw new KubepkiError("INVALID_ARGUMENT", "renderKubeconfig needs { clusters, users, contexts }", {});
  }
  if (!Array.isArray(config.users) || !Array.isArray(config.contexts)) {
    throw new KubepkiError("INVALID_ARGUMENT", "renderKubeconfig needs users and contexts arrays (may be empty)", {});
  }
  validateKubeconfig(config, "INVALID_ARGUMENT");
  const json = kubeconfigToJson(config);
  // kubeadm's kubeconfigs are plain words all through: written directly, byte for byte as below.
  const plain = writePlainBlockYaml(json);
  if (plain !== NOT_PLAIN) return plain;
  return stringify(json, {
    version: "1.1",
    sortMapEntries: compareGoYamlPairs,
    lineWidth: 0,
    indentSeq: false,
  });
}
