import {
  type Certificate,
  type CryptoOptions,
  EXT_KEY_USAGE_OIDS,
  type ExtKeyUsage,
  exportPrivateKeyPem,
  generateKeyPair,
  importPrivateKeyPem,
  issueCertificate,
  type KeyAlgorithm,
  type KeyPair,
  type KeyUsage,
  KUBEADM_KEY_ALGORITHMS,
  KubepkiError,
  type PreparedIssuer,
  parseCertificates,
  prepareIssuer,
} from "@kubepki/core";
import { parseKubeconfig, renderKubeconfig } from "@kubepki/renderers";
import type { ClusterKeyAlgorithm } from "../config/resolve.js";
import {
  bytesEqual,
  type ClusterFiles,
  privateKeyLabel,
  readTree,
  roleByPath,
  splitNodePath,
  type Tree,
  type TreeCertificate,
} from "../files/read-files.js";
import { certificateName, nameSpellings, rootNodeName } from "../roles/cert-names.js";
import { KUBEADM_DEFAULTS, NODES_DIR, USERS_DIR } from "../roles/constants.js";
import { type Component, ROLE_PROFILES, type RoleProfile, roleProfile } from "../roles/profiles.js";
import { type NamedCertificate, namedCertificates } from "./expiration.js";
import {
  leafValidity,
  optionValidity,
  type RenewValiditySource,
  recordedValidity,
  type TreeValidity,
} from "./renew/validity.js";

/**
 * Options of {@link renewCertificates}.
 *
 * @example
 * ```ts
 * import type { RenewOptions } from "@kubepki/k8s-profiles";
 *
 * const options: RenewOptions = { names: ["apiserver", "admin.conf"], validityDays: 365 };
 * ```
 */
export interface RenewOptions extends CryptoOptions {
  /**
   * Names of `checkExpiration` (`apiserver`, `etcd-server`, `admin.conf`, `apiserver:cp-2`…), or
   * `"all"` (default). Plan's spelling is accepted too: `admin:cp-1` is `admin.conf` when the
   * tree root is cp-1's.
   */
  names?: readonly string[] | "all";
  /**
   * Keep each certificate's existing private key (the public key stays identical). Default
   * `false`: a new key, as `kubeadm certs renew` always makes one (reference §8.2).
   */
  reuseKey?: boolean;
  /**
   * Validity of the renewed certificates in whole days; ends with the CA at the latest. Default:
   * what the cluster chose — the tree's recorded `validity.leafDays` (`kubepki.yaml`), else each
   * certificate's own lifetime, else (a kubeadm leaf renewed after its CA was made, whose lifetime
   * says nothing) kubeadm's 365 days with a note. See {@link RenewedCertificate.validityFrom}.
   */
  validityDays?: number;
  /** The clock (default `new Date()`). */
  now?: Date;
  /**
   * Algorithm of new keys; default the old key's, size included (an RSA-16384 key is replaced by
   * an RSA-16384 key), or RSA-2048 when the old key is not one Kubernetes loads (Ed25519).
   */
  keyAlgorithm?: ClusterKeyAlgorithm;
}

/**
 * A file {@link renewCertificates} rewrote: write it back with `mode` (certificates 0644, keys
 * and kubeconfigs 0600, as kubeadm).
 *
 * @example
 * ```ts
 * import type { RenewedFile } from "@kubepki/k8s-profiles";
 *
 * const file: RenewedFile = { path: "pki/apiserver.key", contents: "-----BEGIN EC PRIVATE KEY-----\n…", mode: 0o600 };
 * ```
 */
export interface RenewedFile {
  readonly path: string;
  readonly contents: string;
  readonly mode: number;
}

/**
 * A component to restart so that it loads a renewed certificate, on the node that holds it
 * (`node` undefined: the node whose `/etc/kubernetes` the tree root is).
 *
 * @example
 * ```ts
 * import type { Restart } from "@kubepki/k8s-profiles";
 *
 * const restart: Restart = { component: "kube-apiserver", node: "cp-2" };
 * ```
 */
export interface Restart {
  readonly component: Component;
  readonly node?: string;
}

/**
 * One certificate {@link renewCertificates} renewed: its name (as in `renewed`), its new NotAfter,
 * the validity it was renewed with and where that came from, and whether the CA's NotAfter cut
 * it short (`endsWithCa`: the certificate stops when the CA does; renew the CA).
 *
 * @example
 * ```ts
 * import type { RenewedCertificate } from "@kubepki/k8s-profiles";
 *
 * const line = (cert: RenewedCertificate) =>
 *   `${cert.name} until ${cert.notAfter.toISOString()} (${cert.validityDays} days, from ${cert.validityFrom})`;
 * ```
 */
export interface RenewedCertificate {
  readonly name: string;
  readonly notAfter: Date;
  readonly validityDays: number;
  readonly validityFrom: RenewValiditySource;
  readonly endsWithCa: boolean;
}

/**
 * What {@link renewCertificates} did: only the changed files, the names renewed, each renewed
 * certificate's new NotAfter and validity (`certificates`, in the order of `renewed`), the names
 * skipped (with `names: "all"` only: their CA's key is not in the tree, kubeadm's external CA,
 * which `kubeadm certs renew all` skips too), the components to restart (from the `restarts`
 * column of `ROLE_PROFILES`, for the certificates renewed), notes (a validity cut short by the
 * CA's; kubeadm's 365 days used for a leaf whose lifetime says nothing) and warnings (the notes
 * that need action: a validity cut short by the CA's).
 *
 * @example
 * ```ts
 * import type { RenewResult } from "@kubepki/k8s-profiles";
 *
 * const summary = (result: RenewResult) => `${result.renewed.length} renewed, ${result.skipped.length} skipped`;
 * ```
 */
export interface RenewResult {
  readonly files: readonly RenewedFile[];
  readonly renewed: readonly string[];
  readonly certificates: readonly RenewedCertificate[];
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  readonly restarts: readonly Restart[];
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
}

const CERT_MODE = 0o644;
const SECRET_MODE = 0o600;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Renews certificates like `kubeadm certs renew <name|all>` (reference §8.2): each keeps the
 * subject, SANs, key usages and extended key usages of the existing certificate (the existing
 * certificate is the authority, not a config) and is signed by the same CA, whose certificate
 * and key come from the tree, with a new serial and validity. A new key is generated (same
 * algorithm as the old one unless `keyAlgorithm`); `reuseKey: true` keeps the old key.
 * Kubeconfigs with an embedded client certificate get the new certificate and key in place,
 * the rest of the file untouched (kubepki's `users/` copies are rewritten too).
 *
 * Whole or nothing: every certificate asked for is renewed, or the call throws naming each one
 * it could not renew and why, and returns no file to write. With `names: "all"`, a certificate
 * or kubeconfig file of the tree that does not parse is one it could not renew (it would be left
 * to expire), and so is a tree with no certificate at all.
 *
 * Not renewable, as with kubeadm: the CAs, `sa`, and `kubelet.conf` (the kubelet rotates it);
 * naming one throws. With `"all"`, a certificate whose CA key is absent (external CA) is skipped
 * and reported, as `kubeadm certs renew all` does ("Detected external CA"); naming it throws.
 *
 * @throws KubepkiError `RENEW_INCOMPLETE` when any certificate asked for cannot be renewed
 * (`details.failures`: `{ name, reason }[]`, unreadable files named by their path);
 * `INVALID_ARGUMENT` for unknown or non-renewable names (all named in the message and in
 * `details.names`), bad options or a `files` value that is not a map/object.
 *
 * @example
 * ```ts
 * import { renewCertificates } from "@kubepki/k8s-profiles";
 *
 * // With a real tree: write result.files back, then restart result.restarts.
 * renewCertificates({}, { names: "all" }).catch((error) => error.code); // "RENEW_INCOMPLETE": no certificate in {}
 * ```
 */
export function renewCertificates(files: ClusterFiles, options: RenewOptions = {}): Promise<RenewResult> {
  return renew(files, options);
}

const SA_NOT_RENEWABLE = "the service-account key pair is not a certificate";

/** What the table's `notRenewable` column means, in words. */
const NOT_RENEWABLE: Record<NonNullable<RoleProfile["notRenewable"]>, string> = {
  ca: "a CA: renewing it would invalidate everything it signed; re-create the PKI instead",
  "kubelet-rotates": "the kubelet rotates its own client certificate (rotateCertificates)",
};

/** Why a name (`ca`, `kubelet.conf`, `kubelet-client:w-1`, `sa`) is not renewable, from the table's `notRenewable` column. */
function notRenewableReason(name: string): string | undefined {
  const base = name.split(":")[0] as string;
  if (base === "sa") return SA_NOT_RENEWABLE;
  const reason = ROLE_PROFILES.find((profile) => profile.name === base || profile.role === base)?.notRenewable;
  return reason && NOT_RENEWABLE[reason];
}

/** The options, checked once before any file is read. */
interface RenewRun {
  readonly now: Date;
  /** The option's validity; the record's is added once the files are known (see `renew`). */
  readonly validity: TreeValidity;
  readonly keyAlgorithm: RenewOptions["keyAlgorithm"];
  readonly reuseKey: boolean;
  readonly crypto: { readonly crypto?: Crypto };
  /**
   * Each CA's issuer, prepared once per call for all the certificates it renews: its key file is
   * read and checked against its certificate once, not per certificate.
   */
  readonly issuers: Map<TreeCertificate, Promise<PreparedIssuer>>;
}

function renewRun(options: RenewOptions): RenewRun {
  const now = options.now ?? new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new KubepkiError("INVALID_ARGUMENT", "now: expected a valid Date", { details: { field: "now" } });
  }
  if (options.keyAlgorithm !== undefined && !KUBEADM_KEY_ALGORITHMS.includes(options.keyAlgorithm)) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `keyAlgorithm: ${JSON.stringify(options.keyAlgorithm)} is not one of ${KUBEADM_KEY_ALGORITHMS.join(", ")}`,
      {
        details: { field: "keyAlgorithm" },
      },
    );
  }
  return {
    now,
    validity: optionValidity(options.validityDays),
    keyAlgorithm: options.keyAlgorithm,
    reuseKey: Boolean(options.reuseKey),
    crypto: options.crypto ? { crypto: options.crypto } : {},
    issuers: new Map(),
  };
}

/** The prepared issuer of `ca`, made on first use in this call (see RenewRun.issuers). */
function issuerOf(
  run: RenewRun,
  ca: TreeCertificate & { key: NonNullable<TreeCertificate["key"]> },
): Promise<PreparedIssuer> {
  let issuer = run.issuers.get(ca);
  if (!issuer) {
    issuer = importPrivateKeyPem(ca.key.pem, run.crypto).then((key) =>
      prepareIssuer({ certificate: ca.certificate, privateKey: key.privateKey }),
    );
    run.issuers.set(ca, issuer);
  }
  return issuer;
}

async function renew(files: ClusterFiles, options: RenewOptions): Promise<RenewResult> {
  const checked = renewRun(options);
  const run = checked.validity ? checked : { ...checked, validity: recordedValidity(files) };
  const tree = readTree(files);
  const named = namedCertificates(tree);
  const renewable = named.filter((item) => item.kind !== "ca");
  const asked = options.names ?? "all";
  // Unreadable files under the name they would have, so that asking for one says why it failed.
  const unreadable = tree.unreadable
    .filter(({ file }) => !tree.csrs.some((csr) => csr.file === file))
    .map(({ file, message }) => {
      const role = roleByPath(file)?.role;
      return { name: role ? certificateName(role, file) : file, reason: `${file}: ${message}` };
    });
  const { targets, failures } = selectTargets(named, renewable, asked, rootNodeName(tree.certificates), unreadable);
  const cas = tree.certificates.filter((entry) => entry.source === "file" && entry.certificate.isCa);
  const out: RenewedFile[] = [];
  const renewed: string[] = [];
  const certificates: RenewedCertificate[] = [];
  const warnings: string[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const notes: string[] = [];
  const restarts: Restart[] = [];
  // Whole or nothing: what cannot be renewed is collected, and any of it fails the call.
  if (asked === "all") {
    // A certificate or kubeconfig that does not parse would silently be left to expire.
    failures.push(...unreadable);
    if (renewable.length === 0 && failures.length === 0) {
      failures.push({ name: "all", reason: `no renewable certificate in the tree (${tree.texts.size} file(s) read)` });
    }
  }
  for (const target of targets) {
    const { entry } = target;
    const cert = entry.certificate;
    const ca = issuingCa(cert, cas);
    if (!ca) {
      failures.push({ name: target.name, reason: `its CA (${cert.issuerText}) is not in the tree` });
      continue;
    }
    if (!ca.key) {
      const reason = `the key of its CA ${ca.file} is not in the tree (external CA, §8.3)`;
      // kubeadm's `certs renew all` skips these too; asked for by name, it is a failure.
      (asked === "all" ? skipped : failures).push({ name: target.name, reason });
      continue;
    }
    try {
      const fresh = await renewOne(
        run,
        tree,
        target,
        ca as TreeCertificate & { key: NonNullable<TreeCertificate["key"]> },
      );
      if (fresh.note) notes.push(fresh.note);
      if (fresh.warning) {
        notes.push(fresh.warning);
        warnings.push(fresh.warning);
      }
      out.push(...fresh.files);
      renewed.push(target.name);
      certificates.push(fresh.certificate);
      addRestarts(restarts, target);
    } catch (error) {
      failures.push({ name: target.name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  if (failures.length > 0) {
    throw new KubepkiError(
      "RENEW_INCOMPLETE",
      `nothing renewed: ${failures.length} certificate(s) asked for cannot be renewed: ${failures.map((failure) => `${failure.name} (${failure.reason})`).join("; ")}`,
      { details: { failures } },
    );
  }
  return { files: out, renewed, certificates, skipped, restarts, notes, warnings };
}

/** A new certificate (and key, unless reused) for one target, signed by its CA: the files that change. */
async function renewOne(
  run: RenewRun,
  tree: Tree,
  target: NamedCertificate,
  ca: TreeCertificate & { key: NonNullable<TreeCertificate["key"]> },
): Promise<{ files: RenewedFile[]; certificate: RenewedCertificate; note?: string; warning?: string }> {
  const { entry } = target;
  const cert = entry.certificate;
  const { now, crypto } = run;
  const { days, from } = run.validity ?? leafValidity(cert, ca.certificate);
  const note =
    from === "kubeadm-default"
      ? `${target.name}: its NotBefore is its CA's (kubeadm signs so), so its lifetime does not tell the validity chosen: renewed for kubeadm's ${days} days; pass a validity to choose`
      : undefined;
  let keyPair: KeyPair;
  if (run.reuseKey) {
    if (!entry.key) throw new Error(`no existing key found (looked for ${entry.keyPath})`);
    keyPair = await importPrivateKeyPem(entry.key.pem, crypto);
  } else {
    keyPair = await generateKeyPair(newKeyAlgorithm(cert, run.keyAlgorithm), { ...crypto, anyRsaSize: true });
  }
  const fresh = await issueLike(cert, {
    issuer: await issuerOf(run, ca),
    publicKey: keyPair.publicKey,
    days,
    now,
    crypto,
  });
  const endsWithCa = fresh.notAfter.getTime() < now.getTime() + days * DAY_MS - 10 * 60 * 1000;
  const keyPem = run.reuseKey ? undefined : await exportKey(keyPair, entry.key?.pem, crypto);
  const files = await rewrite(tree, target, fresh, keyPem);
  const certificate = {
    name: target.name,
    notAfter: fresh.notAfter,
    validityDays: days,
    validityFrom: from,
    endsWithCa,
  };
  return {
    files,
    certificate,
    ...(note ? { note } : {}),
    ...(endsWithCa
      ? {
          warning: `${target.name}: validity ends with its CA ${ca.file} on ${fresh.notAfter.toISOString()}; renew the CA`,
        }
      : {}),
  };
}

/**
 * A leaf issued again like `cert` — the same subject, SANs, key usages and extended key usages —
 * for a (new) public key, by `issuer`, ending with the issuer at the latest. Renewal and a CA
 * rotation's reissue both make their leaves here.
 */
export function issueLike(
  cert: Certificate,
  options: { issuer: PreparedIssuer; publicKey: CryptoKey; days: number; now: Date; crypto: CryptoOptions },
): Promise<Certificate> {
  return issueCertificate({
    issuer: options.issuer,
    publicKey: options.publicKey,
    subject: cert.subject,
    sans: cert.subjectAltNames,
    keyUsages: cert.keyUsages ?? (["digitalSignature", "keyEncipherment"] satisfies KeyUsage[]),
    extKeyUsages: (cert.extKeyUsages ?? []).filter((usage): usage is ExtKeyUsage => usage in EXT_KEY_USAGE_OIDS),
    isCa: false,
    validity: { days: options.days },
    now: options.now,
    clampToIssuer: true,
    ...options.crypto,
  });
}

/** The components that load the renewed certificate, on its node (the `restarts` column). */
function addRestarts(restarts: Restart[], target: NamedCertificate): void {
  const role = target.role;
  if (role === undefined) return;
  const { node } = splitNodePath(target.entry.file);
  for (const component of roleProfile(role).restarts) {
    if (restarts.some((restart) => restart.component === component && restart.node === node)) continue;
    restarts.push(node === undefined ? { component } : { component, node });
  }
}

function selectTargets(
  named: readonly NamedCertificate[],
  renewable: readonly NamedCertificate[],
  names: readonly string[] | "all",
  rootNode: string | undefined,
  unreadable: readonly { name: string; reason: string }[],
): { targets: NamedCertificate[]; failures: { name: string; reason: string }[] } {
  const failures: { name: string; reason: string }[] = [];
  if (names === "all") return { targets: [...renewable], failures };
  if (!Array.isArray(names) || names.some((name) => typeof name !== "string")) {
    throw new KubepkiError("INVALID_ARGUMENT", 'names: expected "all" or a list of names', {
      details: { field: "names" },
    });
  }
  const notRenewable: string[] = [];
  const unknown: string[] = [];
  const targets: NamedCertificate[] = [];
  for (const name of names) {
    const spellings = nameSpellings(name, rootNode);
    const found = spellings.map((spelling) => renewable.find((item) => item.name === spelling)).find(Boolean);
    if (found) {
      if (!targets.includes(found)) targets.push(found);
      continue;
    }
    const broken = unreadable.find((item) => spellings.includes(item.name));
    if (broken) {
      failures.push({ name, reason: broken.reason });
      continue;
    }
    if (named.some((item) => item.kind === "ca" && spellings.includes(item.name)) || notRenewableReason(name)) {
      notRenewable.push(name);
    } else unknown.push(name);
  }
  if (notRenewable.length > 0 || unknown.length > 0) {
    const parts: string[] = [];
    if (notRenewable.length > 0) {
      parts.push(
        `not renewable: ${notRenewable
          .map((name) => `${name} (${notRenewableReason(name) ?? NOT_RENEWABLE.ca})`)
          .join(", ")}`,
      );
    }
    if (unknown.length > 0) {
      parts.push(
        `unknown: ${unknown.join(", ")} (the tree has ${renewable.map((item) => item.name).join(", ") || "no renewable certificate"})`,
      );
    }
    throw new KubepkiError("INVALID_ARGUMENT", `names: ${parts.join("; ")}`, {
      details: { field: "names", names: [...notRenewable, ...unknown] },
    });
  }
  return { targets, failures };
}

function issuingCa(cert: Certificate, cas: readonly TreeCertificate[]): TreeCertificate | undefined {
  const candidates = cas.filter((ca) => bytesEqual(ca.certificate.subjectDer, cert.issuerDer));
  const keyed = (list: TreeCertificate[]) => list.find((ca) => ca.key) ?? list[0];
  const byKeyId = candidates.filter(
    (ca) =>
      cert.authorityKeyIdentifier === undefined ||
      ca.certificate.subjectKeyIdentifier === undefined ||
      ca.certificate.subjectKeyIdentifier === cert.authorityKeyIdentifier,
  );
  return keyed(byKeyId.length > 0 ? byKeyId : candidates);
}

/**
 * The old key's algorithm and exact size (core names RSA keys by their modulus: RSA-16384 stays
 * RSA-16384, not kubeadm's nearest RSA-4096); kubeadm's default for a key Kubernetes does not
 * load (Ed25519).
 */
export function newKeyAlgorithm(cert: Certificate, requested: ClusterKeyAlgorithm | undefined): KeyAlgorithm {
  if (requested) return requested;
  const old = cert.keyAlgorithm;
  if (old !== undefined && (old.startsWith("RSA-") || KUBEADM_KEY_ALGORITHMS.includes(old))) return old;
  return KUBEADM_DEFAULTS.keyAlgorithm;
}

/** The new key in the old file's format when it can be (PKCS#8 stays PKCS#8), else kubeadm's. */
export async function exportKey(keyPair: KeyPair, oldPem: string | undefined, crypto: CryptoOptions): Promise<string> {
  const label = oldPem === undefined ? undefined : privateKeyLabel(oldPem);
  const rsa = keyPair.algorithm.startsWith("RSA");
  const format =
    label === "PRIVATE KEY"
      ? "pkcs8"
      : label === "RSA PRIVATE KEY" && rsa
        ? "pkcs1"
        : label === "EC PRIVATE KEY" && !rsa
          ? "sec1"
          : undefined;
  return exportPrivateKeyPem(keyPair, { ...crypto, ...(format ? { format } : {}) });
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function fromBase64(text: string): string | undefined {
  try {
    const binary = atob(text);
    return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/**
 * Replaces the base64 value of `field` whose decoded PEM holds `match`, keeping every other byte
 * of the kubeconfig. Returns undefined when it is not found exactly once.
 */
export function replaceData(
  text: string,
  field: string,
  matches: (pem: string) => boolean,
  pem: string,
): string | undefined {
  let count = 0;
  const replaced = text.replace(
    new RegExp(`(${field}:[ \\t]*)(["']?)([A-Za-z0-9+/=]+)\\2`, "g"),
    (whole, prefix: string, quote: string, value: string) => {
      const decoded = fromBase64(value);
      if (decoded === undefined || !matches(decoded)) return whole;
      count++;
      return `${prefix}${quote}${toBase64(pem)}${quote}`;
    },
  );
  return count === 1 ? replaced : undefined;
}

export async function rewrite(
  tree: Tree,
  target: NamedCertificate,
  fresh: Certificate,
  keyPem: string | undefined,
  tail: readonly Certificate[] = target.entry.chain,
): Promise<RenewedFile[]> {
  const { entry } = target;
  // What the file had after the leaf (an intermediate CA and its issuers: kubeadm's layout,
  // kubernetes/kubernetes PR #97266), unless the leaf now has another issuer (a rotation).
  const chain = tail.map((cert) => cert.pem).join("");
  if (entry.source === "file") {
    const files: RenewedFile[] = [];
    if (entry.key?.file === entry.file) {
      files.push({ path: entry.file, contents: `${fresh.pem}${chain}${keyPem ?? entry.key.pem}`, mode: SECRET_MODE });
      return files;
    }
    files.push({ path: entry.file, contents: `${fresh.pem}${chain}`, mode: CERT_MODE });
    if (keyPem !== undefined)
      files.push({ path: entry.key?.file ?? entry.keyPath, contents: keyPem, mode: SECRET_MODE });
    return files;
  }

  const text = tree.texts.get(entry.file) as string;
  const oldCert = entry.certificate.fingerprintSha256;
  const holdsOldCert = (pem: string) => {
    try {
      return parseCertificates(pem)[0]?.fingerprintSha256 === oldCert;
    } catch {
      return false;
    }
  };
  let updated = replaceData(text, "client-certificate-data", holdsOldCert, `${fresh.pem}${chain}`);
  if (updated !== undefined && keyPem !== undefined && entry.key?.embedded) {
    const oldKey = entry.key.pem.trim();
    updated = replaceData(updated, "client-key-data", (pem) => pem.trim() === oldKey, keyPem);
  }
  if (updated === undefined) {
    // Unusual formatting (folded base64, several users with the same certificate): parse and render.
    const config = parseKubeconfig(text, { strict: false });
    updated = renderKubeconfig({
      ...config,
      users: config.users.map((user) =>
        user.name !== entry.kubeconfigUser
          ? user
          : {
              ...user,
              clientCertificate: { pem: `${fresh.pem}${chain}` },
              ...(keyPem !== undefined && entry.key?.embedded ? { clientKey: { pem: keyPem } } : {}),
            },
      ),
    });
  }
  const files: RenewedFile[] = [{ path: entry.file, contents: updated, mode: SECRET_MODE }];
  if (keyPem !== undefined && entry.key && !entry.key.embedded) {
    files.push({ path: entry.key.file, contents: keyPem, mode: SECRET_MODE });
  }
  // kubepki's standalone copies next to the kubeconfig (users/<conf>.crt|key) follow it.
  const role = roleByPath(entry.file)?.role;
  if (role) {
    const { node } = splitNodePath(entry.file);
    const stem = `${node === undefined ? "" : `${NODES_DIR}/${node}/`}${USERS_DIR}/${roleProfile(role).file.base}`;
    const copy = tree.certificates.find((other) => other.file === `${stem}.crt`);
    if (copy && copy.certificate.fingerprintSha256 === entry.certificate.fingerprintSha256) {
      files.push({ path: copy.file, contents: `${fresh.pem}${chain}`, mode: CERT_MODE });
      if (keyPem !== undefined && copy.key) files.push({ path: copy.key.file, contents: keyPem, mode: SECRET_MODE });
    }
  }
  return files;
}
