import { fromGoBase64, KubepkiError } from "@kubepki/core/vocabulary";
import { parse } from "yaml";
import { NOT_PLAIN, readPlainBlockYaml } from "../lib/plain-block-yaml.js";
import { redactSecrets } from "../lib/redact.js";
import type {
  Kubeconfig,
  KubeconfigCluster,
  KubeconfigContext,
  KubeconfigExtension,
  KubeconfigUser,
  PemOrPath,
} from "./types.js";
import { validateKubeconfig } from "./validate.js";

type Json = Record<string, unknown>;

function bad(message: string, details: Record<string, unknown> = {}, cause?: unknown): never {
  throw new KubepkiError("INVALID_KUBECONFIG", message, { details, cause });
}

// A mapping is a plain object: YAML 1.1 also reads `2001-12-14` as a Date and `!!binary …` as a
// Uint8Array, which are objects too but scalars to kubectl (it refuses them where a mapping goes).
const isObject = (v: unknown): v is Json => {
  if (v === null || typeof v !== "object") return false;
  const prototype: unknown = Object.getPrototypeOf(v);
  return prototype === Object.prototype || prototype === null;
};

/** What a YAML value is, in words, for a message ("a list", "a timestamp scalar"…). */
function yamlKind(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v instanceof Date) return "a timestamp scalar";
  if (v instanceof Uint8Array) return "a binary scalar";
  return `a ${typeof v} scalar`;
}

/** The text of UTF-8 bytes, or `undefined` when they are not valid UTF-8 (kubeadm's `*-data` is base64 of PEM text). */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

// clientcmd decodes into typed Go structs: a value of the wrong JSON type is an error
// ("cannot unmarshal number into Go struct field ..."), a null is the zero value.
function str(obj: Json, key: string, where: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") bad(`${where}.${key} must be a string, found ${typeof v}`, { field: `${where}.${key}` });
  return v;
}

function bool(obj: Json, key: string, where: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") bad(`${where}.${key} must be true or false`, { field: `${where}.${key}` });
  return v;
}

function opaqueObject(obj: Json, key: string, where: string): Json | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) bad(`${where}.${key} must be a mapping`, { field: `${where}.${key}` });
  return v;
}

function list(obj: Json, key: string, where: string): unknown[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) bad(`${where}${key} must be a list`, { field: `${where}${key}` });
  return v;
}

/** Reads `<key>` (a path) and `<key>-data` (base64 of PEM text). kubectl refuses both at once. */
function pemOrPath(obj: Json, key: string, where: string): PemOrPath | undefined {
  const path = str(obj, key, where);
  const data = str(obj, `${key}-data`, where);
  if (path !== undefined && path !== "" && data !== undefined && data !== "") {
    bad(`${where}: both ${key} and ${key}-data are set; kubectl refuses this (keep only one)`, {
      field: `${where}.${key}`,
    });
  }
  if (data !== undefined && data !== "") {
    const bytes = fromGoBase64(data);
    if (!(bytes instanceof Uint8Array)) {
      bad(`${where}.${key}-data is not valid base64 (illegal base64 data at input byte ${bytes.badByte})`, {
        field: `${where}.${key}-data`,
      });
    }
    const pem = decodeUtf8(bytes);
    if (pem === undefined)
      bad(`${where}.${key}-data does not decode to PEM text (not UTF-8)`, { field: `${where}.${key}-data` });
    return { pem };
  }
  if (path !== undefined && path !== "") return { path };
  return undefined;
}

function extensions(obj: Json, where: string): KubeconfigExtension[] | undefined {
  if (obj.extensions === undefined || obj.extensions === null) return undefined;
  return list(obj, "extensions", `${where}.`).map((e, i) => {
    if (!isObject(e)) bad(`${where}.extensions[${i}] must be a mapping`);
    return { name: str(e, "name", `${where}.extensions[${i}]`) ?? "", extension: e.extension ?? null };
  });
}

function stringList(obj: Json, key: string, where: string): string[] | undefined {
  if (obj[key] === undefined || obj[key] === null) return undefined;
  return list(obj, key, `${where}.`).map((v) => {
    if (typeof v !== "string") bad(`${where}.${key} must be a list of strings`);
    return v;
  });
}

// Only keys that are present in the file appear in the result, so that
// parseKubeconfig(renderKubeconfig(x)) deep-equals x.
function assign<T extends object>(target: T, key: keyof T, value: unknown): void {
  if (value !== undefined) (target as Record<keyof T, unknown>)[key] = value;
}

function named(entry: unknown, inner: string, where: string): { name: string; body: Json } {
  if (!isObject(entry)) bad(`${where} must be a mapping with name and ${inner}`);
  const name = str(entry, "name", where) ?? "";
  const body = entry[inner] ?? {};
  if (!isObject(body)) bad(`${where}.${inner} must be a mapping`, { name });
  return { name, body };
}

function readCluster(entry: unknown, i: number): KubeconfigCluster {
  const { name, body } = named(entry, "cluster", `clusters[${i}]`);
  const where = `cluster "${name}"`;
  const cluster: { -readonly [K in keyof KubeconfigCluster]: KubeconfigCluster[K] } = { name };
  assign(cluster, "server", str(body, "server", where));
  assign(cluster, "certificateAuthority", pemOrPath(body, "certificate-authority", where));
  assign(cluster, "tlsServerName", str(body, "tls-server-name", where));
  assign(cluster, "proxyUrl", str(body, "proxy-url", where));
  assign(cluster, "insecureSkipTlsVerify", bool(body, "insecure-skip-tls-verify", where));
  assign(cluster, "disableCompression", bool(body, "disable-compression", where));
  assign(cluster, "extensions", extensions(body, where));
  return cluster;
}

function readUser(entry: unknown, i: number): KubeconfigUser {
  const { name, body } = named(entry, "user", `users[${i}]`);
  const where = `user "${name}"`;
  const user: { -readonly [K in keyof KubeconfigUser]: KubeconfigUser[K] } = { name };
  assign(user, "clientCertificate", pemOrPath(body, "client-certificate", where));
  assign(user, "clientKey", pemOrPath(body, "client-key", where));
  assign(user, "token", str(body, "token", where));
  assign(user, "tokenFile", str(body, "tokenFile", where));
  assign(user, "impersonate", str(body, "as", where));
  assign(user, "impersonateUid", str(body, "as-uid", where));
  assign(user, "impersonateGroups", stringList(body, "as-groups", where));
  const extra = opaqueObject(body, "as-user-extra", where);
  if (extra !== undefined) {
    const out: Record<string, string[]> = {};
    for (const key of Object.keys(extra)) out[key] = stringList(extra, key, `${where}.as-user-extra`) ?? [];
    user.impersonateUserExtra = out;
  }
  assign(user, "username", str(body, "username", where));
  assign(user, "password", str(body, "password", where));
  assign(user, "authProvider", opaqueObject(body, "auth-provider", where));
  assign(user, "exec", opaqueObject(body, "exec", where));
  assign(user, "extensions", extensions(body, where));
  return user;
}

function readContext(entry: unknown, i: number): KubeconfigContext {
  const { name, body } = named(entry, "context", `contexts[${i}]`);
  const where = `context "${name}"`;
  const context: { -readonly [K in keyof KubeconfigContext]: KubeconfigContext[K] } = {
    name,
    cluster: str(body, "cluster", where) ?? "",
    user: str(body, "user", where) ?? "",
  };
  assign(context, "namespace", str(body, "namespace", where));
  assign(context, "extensions", extensions(body, where));
  return context;
}

/**
 * Options of {@link parseKubeconfig}.
 *
 * @example
 * ```ts
 * import { parseKubeconfig } from "@kubepki/renderers";
 *
 * // Written by `kubectl config set-context later --cluster=not-yet` before the cluster exists.
 * const text = "contexts:\n- name: later\n  context: {cluster: not-yet, user: ''}\n";
 * console.log(parseKubeconfig(text, { strict: false }).contexts.length); // 1
 * ```
 */
export interface ParseKubeconfigOptions {
  /**
   * Check that contexts name existing clusters/users and that current-context exists (default
   * `true`). kubectl loads such files but fails when it uses them; pass `false` to read a file that
   * is still being assembled (e.g. after `kubectl config set-context` but before `set-cluster`).
   */
  readonly strict?: boolean;
}

/**
 * Parses a kubeconfig (YAML or JSON — JSON is YAML) into the same shape {@link renderKubeconfig}
 * takes; `parseKubeconfig(renderKubeconfig(x))` deep-equals `x`. Reads embedded (`*-data`) and
 * by-path credentials, tokens, basic auth, impersonation, and keeps `exec` / `auth-provider`
 * users opaque. YAML is read with YAML 1.1 rules, as go-yaml v2 (and so kubectl) reads it
 * (`yes`/`on` are booleans). A missing `kind`/`apiVersion` and an empty file are accepted, like
 * kubectl does.
 *
 * @throws {KubepkiError} `INVALID_KUBECONFIG` for text kubectl would reject: not YAML/JSON, not a
 * mapping, kind other than `Config` or apiVersion other than `v1`, wrongly typed fields, bad
 * base64, both a path and `-data` for the same credential, duplicate names, and (unless
 * `strict: false`) unknown cluster/user/current-context references.
 * @example
 * ```ts
 * import { parseKubeconfig } from "@kubepki/renderers";
 *
 * const config = parseKubeconfig(`
 * apiVersion: v1
 * kind: Config
 * clusters:
 * - name: kubernetes
 *   cluster: {server: "https://127.0.0.1:6443", certificate-authority: /etc/kubernetes/pki/ca.crt}
 * users:
 * - name: dev
 *   user: {token: abc}
 * contexts:
 * - name: dev@kubernetes
 *   context: {cluster: kubernetes, user: dev}
 * current-context: dev@kubernetes
 * `);
 * console.log(config.users[0]?.token); // "abc"
 * ```
 */
export function parseKubeconfig(text: string, options: ParseKubeconfigOptions = {}): Kubeconfig {
  if (typeof text !== "string") bad("parseKubeconfig expects the kubeconfig text as a string");
  // Files in the plain block style kubectl and kubeadm write take the fast path; anything else
  // (or anything it is not sure of) goes to the real YAML parser.
  let doc: unknown = readPlainBlockYaml(text);
  try {
    // logLevel "error": yaml's warnings would go to process.emitWarning (stderr) with a frame of the
    // source line, which in a kubeconfig is the key; kubectl's go-yaml has no warnings either.
    if (doc === NOT_PLAIN)
      doc = parse(text, { version: "1.1", uniqueKeys: true, prettyErrors: true, logLevel: "error" });
  } catch (error) {
    // The YAML error quotes the source (an unresolved alias is the whole key): redacted, and not
    // kept as the cause, so nothing that prints the cause chain prints the key.
    const position = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    bad(
      `not a kubeconfig: the text is not valid YAML or JSON (${redactSecrets((error as Error).message.split("\n")[0] as string)})`,
      position ? { line: position.line, column: position.col } : {},
    );
  }
  // An empty file or a lone `null` is an empty kubeconfig, as kubectl's clientcmd.Load reads it.
  if (doc === null || doc === undefined) doc = {};
  if (!isObject(doc)) {
    // kubectl refuses a scalar or a list: "couldn't get version/kind; json parse error: json:
    // cannot unmarshal string into Go value of type struct { APIVersion …; Kind … }".
    bad(
      `not a kubeconfig: the document is ${yamlKind(doc)}; it must be a mapping with apiVersion: v1 and kind: Config`,
    );
  }
  const apiVersion = doc.apiVersion ?? "";
  const kind = doc.kind ?? "";
  if (!(apiVersion === "" || apiVersion === "v1") || !(kind === "" || kind === "Config")) {
    bad(
      `not a kubeconfig: found kind "${String(kind)}" apiVersion "${String(apiVersion)}", expected kind: Config, apiVersion: v1`,
      {
        kind,
        apiVersion,
      },
    );
  }
  const config: { -readonly [K in keyof Kubeconfig]: Kubeconfig[K] } = {
    clusters: list(doc, "clusters", "").map(readCluster),
    users: list(doc, "users", "").map(readUser),
    contexts: list(doc, "contexts", "").map(readContext),
  };
  const current = str(doc, "current-context", "kubeconfig");
  if (current !== undefined && current !== "") config.currentContext = current;
  const preferences = opaqueObject(doc, "preferences", "kubeconfig");
  if (preferences !== undefined) config.preferences = preferences;
  validateKubeconfig(config, "INVALID_KUBECONFIG", options.strict ?? true);
  return config;
}
