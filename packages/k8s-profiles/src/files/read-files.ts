/**
 * Reading a certificate tree given as plain data (path → contents): which files are
 * certificates, keys, CSRs and kubeconfigs, how kubeconfig file references resolve inside the
 * tree, and which Kubernetes role each certificate plays. Shared by the audit, check-expiration
 * and renewal. Nothing here throws on file contents: what does not parse is returned as
 * `unreadable`, so that callers can report it as a finding.
 *
 * @internal Only the {@link ClusterFiles} type is re-exported from the index.
 */

import {
  type Certificate,
  type CertificationRequest,
  decodePemBlocks,
  KubepkiError,
  parseCertificate,
  parseCertificates,
  parseCsr,
} from "@kubepki/core";
import { type Kubeconfig, parseKubeconfig, redactSecrets } from "@kubepki/renderers";
import { NODE_DIRS, NODE_USER_PREFIX, NODES_DIR, PKI_DIR, USERS_DIR } from "../roles/constants.js";
import { ROLE_PROFILES, type Role, roleProfile } from "../roles/profiles.js";

/**
 * A certificate tree as plain data: paths relative to the tree root (kubeadm layout `pki/ca.crt`,
 * `pki/etcd/server.key`, `admin.conf`, kubepki's `nodes/<name>/pki/kubelet.crt`, or any flat
 * directory such as the one the seed tutorial leaves) mapped to the file contents, text or bytes.
 * kubepki never reads the disk itself: the CLI (or the caller) builds this map.
 *
 * @example
 * ```ts
 * import type { ClusterFiles } from "@kubepki/k8s-profiles";
 *
 * const files: ClusterFiles = { "pki/ca.crt": "-----BEGIN CERTIFICATE-----\n…" };
 * ```
 */
export type ClusterFiles = ReadonlyMap<string, string | Uint8Array> | Readonly<Record<string, string | Uint8Array>>;

/** Where a private key was found: its own file, or embedded in a kubeconfig. */
export interface KeyLocation {
  readonly file: string;
  readonly pem: string;
  /** True when the PEM lives inside a kubeconfig (`client-key-data`). */
  readonly embedded: boolean;
}

/** One certificate of the tree, with where it and its key live. */
export interface TreeCertificate {
  /** The file holding it: a certificate file, or the kubeconfig that embeds it. */
  readonly file: string;
  readonly source: "file" | "kubeconfig";
  /** For kubeconfig-embedded certificates: the user entry. */
  readonly kubeconfigUser?: string;
  readonly certificate: Certificate;
  /** Further certificates of a bundle file (intermediates), in file order. */
  readonly chain: readonly Certificate[];
  readonly key: KeyLocation | undefined;
  /** Where the key was looked for (for messages). */
  readonly keyPath: string;
  /** Kubeconfigs whose user refers to this certificate file by path. */
  readonly referencedBy: readonly string[];
}

/** A kubeconfig path reference (`certificate-authority`, `client-certificate`, `client-key`). */
export interface TreeReference {
  readonly kubeconfig: string;
  readonly field: "certificate-authority" | "client-certificate" | "client-key";
  readonly path: string;
  /** The tree file it resolves to, when it does. */
  readonly resolved: string | undefined;
  /** How it was resolved. */
  readonly how: string | undefined;
}

/** The tree after reading. */
export interface Tree {
  readonly texts: ReadonlyMap<string, string>;
  readonly certificates: readonly TreeCertificate[];
  readonly csrs: readonly { readonly file: string; readonly csr: CertificationRequest }[];
  readonly kubeconfigs: readonly { readonly file: string; readonly config: Kubeconfig }[];
  readonly keys: ReadonlyMap<string, string>;
  readonly references: readonly TreeReference[];
  readonly unreadable: readonly { readonly file: string; readonly message: string }[];
  /**
   * `parseCertificates` memoised by PEM text: a tree repeats the same certificates many times
   * (each node's copy of ca.crt, every kubeconfig's certificate-authority-data, client
   * certificates kept both as files and embedded), and each distinct one is parsed once.
   * Entries of the same text share the same Certificate objects; a failure is remembered too.
   */
  readonly parseCertificates: (pem: string) => Certificate[];
}

const CERTIFICATE_EXTENSIONS = [".crt", ".pem", ".cer", ".cert", ".der"];
const KUBECONFIG_EXTENSIONS = [".conf", ".kubeconfig"];

/**
 * Validates and normalises the input map: `./` and leading `/` are dropped, backslashes become
 * slashes, bytes are kept as bytes.
 *
 * @throws KubepkiError `INVALID_ARGUMENT` when `files` is not a Map or a plain object of strings/bytes.
 */
export function normalizeFiles(files: ClusterFiles): Map<string, string | Uint8Array> {
  if (typeof files !== "object" || files === null || Array.isArray(files)) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      "files: expected a Map or an object of path → contents (string or Uint8Array)",
      { details: { field: "files" } },
    );
  }
  const entries: Iterable<[string, unknown]> =
    files instanceof Map ? (files as ReadonlyMap<string, unknown>).entries() : Object.entries(files);
  const out = new Map<string, string | Uint8Array>();
  for (const [rawPath, contents] of entries) {
    if (typeof rawPath !== "string" || (typeof contents !== "string" && !(contents instanceof Uint8Array))) {
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        `files: ${JSON.stringify(String(rawPath))} must map to a string or a Uint8Array`,
        { details: { field: "files", path: rawPath } },
      );
    }
    out.set(normalizePath(rawPath), contents);
  }
  return out;
}

/** `./a//b/../c` → `a/c`; leading `/` dropped. */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, "/").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

function dirname(path: string): string {
  const at = path.lastIndexOf("/");
  return at < 0 ? "" : path.slice(0, at + 1);
}

/** The last path component. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function extension(path: string): string {
  const base = basename(path);
  const at = base.lastIndexOf(".");
  return at <= 0 ? "" : base.slice(at).toLowerCase();
}

/** Strips the extension of the last component. */
export function stripExtension(path: string): string {
  const ext = extension(path);
  return ext ? path.slice(0, -ext.length) : path;
}

function asText(contents: string | Uint8Array): string {
  return typeof contents === "string" ? contents : new TextDecoder("utf-8", { fatal: false }).decode(contents);
}

/** An error's message, with any key material it quotes redacted (it is shown to people). */
export function errorMessage(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error));
}

function looksLikeKubeconfig(path: string, text: string): boolean {
  if (KUBECONFIG_EXTENSIONS.includes(extension(path))) return true;
  if (![".yaml", ".yml", ".json", ""].includes(extension(path))) return false;
  return /^\s*"?kind"?\s*:\s*"?Config"?\s*,?\s*$/m.test(text);
}

function isDer(contents: string | Uint8Array): contents is Uint8Array {
  return contents instanceof Uint8Array && contents[0] === 0x30;
}

/** The private key PEM blocks of a text (PKCS#8, PKCS#1, SEC1, encrypted). */
function hasPrivateKey(text: string): boolean {
  return /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(text);
}

/** Paths where the key of a certificate file is conventionally kept, most likely first. */
function keyCandidates(certPath: string): string[] {
  const stem = stripExtension(certPath);
  return [`${stem}.key`, `${stem}-key.pem`, `${stem}.key.pem`, `${stem}-key.key`];
}

/**
 * Resolves a kubeconfig's file reference inside the tree: relative to the kubeconfig's
 * directory; `/etc/kubernetes/<rest>` to `<rest>` under the kubeconfig's node directory (the
 * tree mirrors `/etc/kubernetes`); otherwise a file with the same name in the kubeconfig's
 * directory (hand-made trees, like the tutorial's, keep everything in one place).
 */
function resolveReference(
  kubeconfig: string,
  ref: string,
  exists: (path: string) => boolean,
): { resolved: string; how: string } | undefined {
  const dir = dirname(kubeconfig);
  if (!ref.startsWith("/")) {
    const path = normalizePath(`${dir}${ref}`);
    return exists(path) ? { resolved: path, how: "relative to the kubeconfig" } : undefined;
  }
  const etc = `${NODE_DIRS.kubernetes}/`;
  if (ref.startsWith(etc)) {
    const rest = ref.slice(etc.length);
    const nodeRoot = /^nodes\/[^/]+\//.exec(kubeconfig)?.[0] ?? "";
    for (const candidate of [normalizePath(`${nodeRoot}${rest}`), normalizePath(rest)]) {
      if (exists(candidate)) return { resolved: candidate, how: `${etc} mapped to the tree root` };
    }
  }
  const sameName = normalizePath(`${dir}${basename(ref)}`);
  if (exists(sameName)) return { resolved: sameName, how: "same file name next to the kubeconfig" };
  return undefined;
}

/** What one pass over the files finds, before kubeconfigs and certificates are tied to their keys. */
interface FilesRead {
  readonly unreadable: { file: string; message: string }[];
  readonly keys: Map<string, string>;
  readonly csrs: { file: string; csr: CertificationRequest }[];
  readonly fileCerts: { file: string; certificates: Certificate[]; ownKey: string | undefined }[];
  readonly kubeconfigs: { file: string; config: Kubeconfig }[];
}

/** Parses each distinct PEM text once per tree (a CA copied into every node's directory is one parse). */
function certificateParserOnce(): (pem: string) => Certificate[] {
  const parsed = new Map<string, { certificates: Certificate[] } | { error: unknown }>();
  return (pem) => {
    let entry = parsed.get(pem);
    if (entry === undefined) {
      try {
        entry = { certificates: parseCertificates(pem) };
      } catch (error) {
        entry = { error };
      }
      parsed.set(pem, entry);
    }
    if ("error" in entry) throw entry.error;
    return entry.certificates;
  };
}

/**
 * Reads every certificate, key, CSR and kubeconfig of the tree. Files that look like one of
 * these (by extension or PEM label) but do not parse go to `unreadable`; other files are ignored.
 */
export function readTree(input: ClusterFiles): Tree {
  const files = normalizeFiles(input);
  const parseCertificatesOnce = certificateParserOnce();
  const texts = new Map<string, string>();
  for (const [path, contents] of files) texts.set(path, asText(contents));
  const read = readFiles(files, texts, parseCertificatesOnce);
  const { references, referencedBy, embedded } = readKubeconfigs(read, files, texts, parseCertificatesOnce);
  const certificates = fileCertificates(read, referencedBy);
  certificates.push(...embedded);
  const { csrs, kubeconfigs, keys, unreadable } = read;
  return {
    texts,
    certificates,
    csrs,
    kubeconfigs,
    keys,
    references,
    unreadable,
    parseCertificates: parseCertificatesOnce,
  };
}

/** Sorts each file by what it holds: kubeconfig, CSR, certificate(s), key; what does not parse is unreadable. */
function readFiles(
  files: ReadonlyMap<string, string | Uint8Array>,
  texts: ReadonlyMap<string, string>,
  parseCertificatesOnce: (pem: string) => Certificate[],
): FilesRead {
  const read: FilesRead = { unreadable: [], keys: new Map(), csrs: [], fileCerts: [], kubeconfigs: [] };
  const { unreadable, keys, csrs, fileCerts, kubeconfigs } = read;
  for (const [path, contents] of files) {
    const text = texts.get(path) as string;
    const ext = extension(path);
    if (ext === ".pub") continue;
    if (looksLikeKubeconfig(path, text)) {
      try {
        kubeconfigs.push({ file: path, config: parseKubeconfig(text, { strict: false }) });
      } catch (error) {
        unreadable.push({ file: path, message: `not a readable kubeconfig: ${errorMessage(error)}` });
      }
      continue;
    }
    if (ext === ".csr" || text.includes("CERTIFICATE REQUEST-----")) {
      try {
        csrs.push({ file: path, csr: parseCsr(isDer(contents) ? contents : text) });
      } catch (error) {
        unreadable.push({ file: path, message: `not a readable certificate request: ${errorMessage(error)}` });
      }
      continue;
    }
    const pemCertificate = text.includes("-----BEGIN CERTIFICATE-----");
    if (pemCertificate || CERTIFICATE_EXTENSIONS.includes(ext)) {
      if (!pemCertificate && hasPrivateKey(text)) {
        keys.set(path, text);
        continue;
      }
      try {
        const certificates = isDer(contents) ? [parseCertificate(contents)] : parseCertificatesOnce(text);
        if (certificates.length === 0) throw new Error("no CERTIFICATE block");
        fileCerts.push({ file: path, certificates, ownKey: hasPrivateKey(text) ? text : undefined });
      } catch (error) {
        unreadable.push({ file: path, message: `not a readable certificate: ${errorMessage(error)}` });
      }
      continue;
    }
    if (ext === ".key" || hasPrivateKey(text)) keys.set(path, text);
  }
  return read;
}

/** Each kubeconfig's references (resolved in the tree or not) and its embedded client certificates, with their keys. */
function readKubeconfigs(
  read: FilesRead,
  files: ReadonlyMap<string, string | Uint8Array>,
  texts: ReadonlyMap<string, string>,
  parseCertificatesOnce: (pem: string) => Certificate[],
): { references: TreeReference[]; referencedBy: Map<string, string[]>; embedded: TreeCertificate[] } {
  const { kubeconfigs, keys, unreadable } = read;
  const exists = (path: string) => files.has(path);
  const references: TreeReference[] = [];
  const referencedBy = new Map<string, string[]>();
  const embedded: TreeCertificate[] = [];
  for (const { file, config } of kubeconfigs) {
    const addReference = (field: TreeReference["field"], ref: string) => {
      const found = resolveReference(file, ref, exists);
      references.push({ kubeconfig: file, field, path: ref, resolved: found?.resolved, how: found?.how });
      if (found && field === "client-certificate") {
        referencedBy.set(found.resolved, [...(referencedBy.get(found.resolved) ?? []), file]);
      }
      return found?.resolved;
    };
    for (const cluster of config.clusters) {
      const ca = cluster.certificateAuthority;
      if (ca && "path" in ca) addReference("certificate-authority", ca.path);
    }
    for (const user of config.users) {
      const cert = user.clientCertificate;
      const key = user.clientKey;
      let keyLocation: KeyLocation | undefined;
      if (key && "pem" in key) keyLocation = { file, pem: key.pem, embedded: true };
      else if (key && "path" in key) {
        const resolved = addReference("client-key", key.path);
        if (resolved !== undefined) {
          keyLocation = { file: resolved, pem: texts.get(resolved) as string, embedded: false };
          keys.set(resolved, texts.get(resolved) as string);
        }
      }
      if (cert && "path" in cert) addReference("client-certificate", cert.path);
      if (!cert || !("pem" in cert)) continue;
      try {
        const [certificate, ...chain] = parseCertificatesOnce(cert.pem);
        if (!certificate) throw new Error("no CERTIFICATE block");
        embedded.push({
          file,
          source: "kubeconfig",
          kubeconfigUser: user.name,
          certificate,
          chain,
          key: keyLocation,
          keyPath: keyLocation?.file ?? file,
          referencedBy: [],
        });
      } catch (error) {
        unreadable.push({
          file,
          message: `user ${JSON.stringify(user.name)}: client-certificate-data is not a readable certificate: ${errorMessage(error)}`,
        });
      }
    }
  }
  return { references, referencedBy, embedded };
}

/** The certificates of certificate files, each with its key: in the same file, or the kubeadm-named file next to it. */
function fileCertificates(read: FilesRead, referencedBy: ReadonlyMap<string, string[]>): TreeCertificate[] {
  const { keys } = read;
  return read.fileCerts.map(({ file, certificates: [first, ...chain], ownKey }) => {
    const keyFile = ownKey === undefined ? keyCandidates(file).find((candidate) => keys.has(candidate)) : file;
    const key: KeyLocation | undefined =
      ownKey !== undefined
        ? { file, pem: ownKey, embedded: false }
        : keyFile !== undefined
          ? { file: keyFile, pem: keys.get(keyFile) as string, embedded: false }
          : undefined;
    return {
      file,
      source: "file",
      certificate: first as Certificate,
      chain,
      key,
      keyPath: keyFile ?? (keyCandidates(file)[0] as string),
      referencedBy: referencedBy.get(file) ?? [],
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------------------------

/** Which role a certificate plays, for which node, and which rule said so. */
export interface RoleMatch {
  readonly role: Role;
  readonly node: string | undefined;
  /** The rule that matched, for people: `kubeadm path pki/apiserver.crt`, `subject CN system:node:node01`… */
  readonly heuristic: string;
}

interface PathRule {
  readonly role: Role;
  /** Path below the node root. */
  readonly path: string;
}

// kubeadm's layout, derived from the preset table (not spelled out a second time): `pki/<base>.crt`,
// kubeconfigs at the root, kubepki's `users/<conf>.crt` copies.
const PATH_RULES: readonly PathRule[] = ROLE_PROFILES.flatMap((profile): PathRule[] => {
  const rules: PathRule[] = [];
  if (profile.file.dir === PKI_DIR) rules.push({ role: profile.role, path: `${PKI_DIR}/${profile.file.base}.crt` });
  else rules.push({ role: profile.role, path: `${USERS_DIR}/${profile.file.base}.crt` });
  if (profile.kubeconfig) rules.push({ role: profile.role, path: profile.kubeconfig });
  return rules;
});

/** `nodes/<name>/rest` → `{ node, rest }`; anything else → `{ node: undefined, rest: path }`. */
export function splitNodePath(path: string): { node: string | undefined; rest: string } {
  const match = new RegExp(`^${NODES_DIR}/([^/]+)/(.+)$`).exec(path);
  return match ? { node: match[1], rest: match[2] as string } : { node: undefined, rest: path };
}

/** The role kubeadm's layout gives a path (`pki/apiserver.crt`, `etcd/server.crt`, `admin.conf`…). */
export function roleByPath(
  path: string,
): { role: Role; node: string | undefined; rule: string; exact: boolean } | undefined {
  const { node, rest } = splitNodePath(path);
  for (const rule of PATH_RULES) {
    // A tree rooted at /etc/kubernetes/pki itself has no `pki/` prefix; only paths with a
    // directory (etcd/…) or kubeadm's exact base names are taken that way.
    const withoutPki = rule.path.startsWith(`${PKI_DIR}/`) ? rule.path.slice(PKI_DIR.length + 1) : undefined;
    if (rest === rule.path || (withoutPki !== undefined && rest === withoutPki)) {
      return { role: rule.role, node, rule: rule.path, exact: rest === rule.path };
    }
  }
  return undefined;
}

/** Whether a role is one of the three CAs. */
export function isCaRole(role: Role): boolean {
  return roleProfile(role).isCa;
}

function caRoleFor(text: string): Role {
  if (/etcd/i.test(text)) return "etcd-ca";
  if (/front-?proxy/i.test(text)) return "front-proxy-ca";
  return "ca";
}

// kubeadm's fixed CNs of leaves, from the table: a certificate with one of them plays that role.
const EXACT_COMMON_NAMES: ReadonlyMap<string, Role> = new Map(
  ROLE_PROFILES.flatMap((profile) =>
    !profile.isCa && typeof profile.commonName === "string" ? [[profile.commonName, profile.role] as const] : [],
  ),
);

/** Ordered file-name patterns (lower-case base name without extension); first match wins. */
const NAME_RULES: readonly { readonly test: RegExp; readonly role: Role }[] = [
  { test: /apiserver.*kubelet|kubelet.*apiserver/, role: "apiserver-kubelet-client" },
  { test: /apiserver.*etcd|etcd.*apiserver/, role: "apiserver-etcd-client" },
  { test: /healthcheck/, role: "etcd-healthcheck-client" },
  { test: /etcd.*peer|peer.*etcd/, role: "etcd-peer" },
  { test: /etcd/, role: "etcd-server" },
  { test: /front-?proxy.*client/, role: "front-proxy-client" },
  { test: /kubelet.*client/, role: "kubelet-client" },
  { test: /kubelet/, role: "kubelet-serving" },
  { test: /apiserver/, role: "apiserver" },
  { test: /scheduler/, role: "scheduler" },
  { test: /controller-?manager|controller_manager/, role: "controller-manager" },
  { test: /proxy/, role: "kube-proxy" },
  { test: /super-?admin/, role: "super-admin" },
  { test: /admin/, role: "admin" },
];

/** `kubelet-client-node01` → `node01`; undefined when nothing is left. */
function nodeFromFileName(base: string): string | undefined {
  const rest = base
    .replace(/kubelet|client|serving|server|cert/g, "")
    .replace(/^[-_.]+|[-_.]+$/g, "")
    .replace(/[-_.]{2,}/g, "-");
  return /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(rest) ? rest : undefined;
}

function nodeFromCommonName(commonName: string | undefined): string | undefined {
  return commonName?.startsWith(NODE_USER_PREFIX) ? commonName.slice(NODE_USER_PREFIX.length) : undefined;
}

const KUBECONFIG_ROLES: readonly Role[] = ROLE_PROFILES.filter((profile) => profile.kubeconfig).map(
  (profile) => profile.role,
);

/**
 * Identifies the role of a certificate: by kubeadm path first (including kubepki's
 * `nodes/<name>/` directories), then by kubeconfig file name, then for other layouts by what
 * the certificate says (CA flag, kubeadm's exact CNs, `system:node:` users), then by file name,
 * then by loose subject patterns (`CN=kube-scheduler`, `O=system:etcdpeer1`). `rootNode` is the
 * node the tree root belongs to (the first control-plane node of a config), if known.
 */
export function identifyRole(entry: TreeCertificate, rootNode: string | undefined): RoleMatch | undefined {
  const cert = entry.certificate;
  const commonName = cert.subject.commonName;
  const organizations = cert.subject.organizations ?? [];
  const withNode = (role: Role, node: string | undefined, heuristic: string): RoleMatch => {
    let owner = node;
    if (owner === undefined && (role === "kubelet-client" || role === "kubelet-serving")) {
      owner = nodeFromCommonName(commonName);
    }
    // The tree root is the first control-plane node's /etc/kubernetes (when a config says which).
    if (owner === undefined && !isCaRole(role) && splitNodePath(entry.file).node === undefined) owner = rootNode;
    // kubeadm sets the etcd server/peer CN to the node name (setCommonNameToNodeName).
    if (owner === undefined && (role === "etcd-server" || role === "etcd-peer")) owner = commonName;
    return { role, node: owner, heuristic };
  };

  const byPath = roleByPath(entry.file);
  if (byPath) {
    // A kubeconfig may hold several users; the file name speaks for the one it is named after.
    if (entry.source === "kubeconfig" && KUBECONFIG_ROLES.includes(byPath.role)) {
      return withNode(byPath.role, byPath.node, `kubeconfig file name ${basename(byPath.rule)}`);
    }
    if (entry.source === "file") {
      const where = byPath.rule.startsWith(`${USERS_DIR}/`)
        ? `kubepki path ${byPath.rule} (copy of ${roleProfile(byPath.role).kubeconfig})`
        : byPath.exact
          ? `kubeadm path ${byPath.rule}`
          : `kubeadm file name ${byPath.rule.slice(PKI_DIR.length + 1)} (a certificates directory)`;
      return withNode(byPath.role, byPath.node, where);
    }
  }

  const base = stripExtension(basename(entry.file)).toLowerCase();
  const selfSigned = bytesEqual(cert.subjectDer, cert.issuerDer);
  const caLike = /(^|[-_. ])ca($|[-_. ])/i;
  if (cert.isCa) {
    return withNode(caRoleFor(`${commonName ?? ""} ${base}`), undefined, "basicConstraints CA:TRUE");
  }
  if (selfSigned && (caLike.test(base) || caLike.test(commonName ?? ""))) {
    return withNode(
      caRoleFor(`${commonName ?? ""} ${base}`),
      undefined,
      `self-signed, named like a CA (file ${basename(entry.file)}, CN ${commonName ?? "none"})`,
    );
  }

  const node = nodeFromCommonName(commonName);
  if (node !== undefined) {
    const serving =
      (cert.extKeyUsages !== undefined && !cert.extKeyUsages.includes("clientAuth")) ||
      (entry.source === "file" && cert.subjectAltNames.length > 0 && !/client/.test(base));
    const role: Role = serving ? "kubelet-serving" : "kubelet-client";
    return withNode(role, node, `subject CN ${commonName} (${serving ? "serving" : "client"} usage)`);
  }
  const exact = commonName === undefined ? undefined : EXACT_COMMON_NAMES.get(commonName);
  if (exact) return withNode(exact, undefined, `subject CN ${commonName} (kubeadm's)`);

  if (caLike.test(base) && !/client|server|peer/.test(base)) {
    return withNode(caRoleFor(base), undefined, `file name ${basename(entry.file)}`);
  }
  for (const rule of NAME_RULES) {
    if (!rule.test.test(base)) continue;
    let role = rule.role;
    // Tutorial-style names: a kubelet file whose certificate asks for client use only.
    if (role === "kubelet-serving" && cert.extKeyUsages?.length === 1 && cert.extKeyUsages[0] === "clientAuth") {
      role = "kubelet-client";
    }
    const fileNode = role === "kubelet-client" || role === "kubelet-serving" ? nodeFromFileName(base) : undefined;
    return withNode(role, fileNode, `file name ${basename(entry.file)}`);
  }

  const subjectText = `${commonName ?? ""} ${organizations.join(" ")}`.toLowerCase();
  for (const rule of NAME_RULES) {
    if (rule.test.test(subjectText.replace(/\s+/g, "-"))) {
      return withNode(rule.role, undefined, `subject ${cert.subjectText} looks like ${rule.role}`);
    }
  }
  return undefined;
}

/** Byte equality (core keeps its own private). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The PEM label of the first private key block of a text, if any. */
export function privateKeyLabel(pem: string): string | undefined {
  try {
    return decodePemBlocks(pem).find((block) => block.label.endsWith("PRIVATE KEY"))?.label;
  } catch {
    return undefined;
  }
}
