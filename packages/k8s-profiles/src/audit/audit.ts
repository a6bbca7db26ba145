import {
  type Certificate,
  type CryptoOptions,
  describePrivateKeyPem,
  formatIp,
  importPrivateKeyPem,
  isDnsName,
  isKubepkiError,
  KubepkiError,
  keyMatchesCertificate,
  parseIp,
} from "@kubepki/core";
import { redactSecrets } from "@kubepki/renderers";
import { type ClusterConfig, initNode, type ResolvedClusterConfig, resolveClusterConfig } from "../config/resolve.js";
import {
  bytesEqual,
  type ClusterFiles,
  errorMessage,
  identifyRole,
  isCaRole,
  privateKeyLabel,
  type RoleMatch,
  readTree,
  stripExtension,
  type Tree,
  type TreeCertificate,
} from "../files/read-files.js";
import { planCluster } from "../plan/plan.js";
import { KUBECONFIG_FILES } from "../roles/constants.js";
import { type Role, roleProfile } from "../roles/profiles.js";
import { certificateFindings, type Finding, type FindingSeverity, sanTexts } from "./rules.js";
import { AUDIT_SCOPES, type AuditScope, inferScope, rolesInScope } from "./scope.js";
import { anchorFile, type CheckSignature, consumerTrust, createSignatureChecks, type TrustVerdict } from "./trust.js";

/**
 * Options of {@link auditCluster}.
 *
 * @example
 * ```ts
 * import type { AuditOptions } from "@kubepki/k8s-profiles";
 *
 * const options: AuditOptions = {
 *   config: { nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] }] },
 *   expiringWithinDays: 60,
 * };
 * ```
 */
export interface AuditOptions extends CryptoOptions {
  /**
   * The cluster the tree should implement. With it the audit checks the exact kubeadm SANs
   * (`apiserverSans`, `etcdSans`), subjects with node names, and every file the layout needs
   * (`MISSING_FILE`); without it, what every cluster needs whatever its config.
   */
  config?: ClusterConfig | ResolvedClusterConfig;
  /** The clock (default `new Date()`). */
  now?: Date;
  /** `EXPIRES_SOON` threshold in days (default 30). */
  expiringWithinDays?: number;
  /**
   * How a key file is paired with its certificate:
   * - `"public-key"` (default): the public key the file carries must be the certificate's, byte
   *   for byte — `openssl x509 -modulus` against `openssl rsa -modulus`, without WebCrypto. RSA
   *   files are also checked for internal consistency (p·q = n…), which proves the pairing; an
   *   EC file's stored point is taken as written. Files that do not carry their public key in
   *   that form (EC without its point, Ed25519) and mismatches get the `"pairwise"` check.
   * - `"pairwise"`: every key is imported into WebCrypto and must sign what the certificate's key
   *   verifies, as Go's `tls.X509KeyPair` effectively does; this also catches an EC file whose
   *   scalar was damaged while its stored point was not, and costs about a millisecond per key.
   */
  keyCheck?: "public-key" | "pairwise";
  /**
   * Which part of a cluster the tree is (default: inferred — `node` for a directory with a
   * kubelet.conf but no CA key and no API server certificate, `cluster` otherwise). A `node` tree
   * is expected to hold only kubelet.conf and the cluster CA certificate (no CA key, no
   * service-account key); `control-plane` and `cluster` expect kubeadm's whole set. With a
   * `config`, only `cluster` checks every planned file of every node.
   */
  scope?: AuditScope;
}

/**
 * One certificate the audit read, with the role it decided on and why.
 *
 * @example
 * ```ts
 * import type { AuditedCertificate } from "@kubepki/k8s-profiles";
 *
 * const seen: Pick<AuditedCertificate, "file" | "role" | "identifiedBy"> = {
 *   file: "kube-scheduler.crt",
 *   role: "scheduler",
 *   identifiedBy: "file name kube-scheduler.crt",
 * };
 * ```
 */
export interface AuditedCertificate {
  /** The certificate file, or the kubeconfig that embeds it. */
  readonly file: string;
  /** For kubeconfig-embedded certificates: the user entry. */
  readonly kubeconfigUser?: string;
  readonly role?: Role;
  readonly node?: string;
  /** Which rule identified the role (`kubeadm path pki/apiserver.crt`, `file name kubelet-node01.crt`…). */
  readonly identifiedBy?: string;
  /** openssl one-line form, `/O=…/CN=…`. */
  readonly subject: string;
  readonly issuer: string;
  /** The tree file of the CA that signed it (signature checked), when it is in the tree. */
  readonly issuerFile?: string;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** `DNS:…` / `IP:…`. */
  readonly sans: readonly string[];
  readonly version: number;
  readonly isCa: boolean;
  readonly keyAlgorithm?: string;
  readonly keyBits: number;
  /** Where its private key is (a kubeconfig for embedded keys). */
  readonly keyFile?: string;
}

/**
 * What {@link auditCluster} found: the findings (errors first) and every certificate it read.
 *
 * @example
 * ```ts
 * import type { AuditReport } from "@kubepki/k8s-profiles";
 *
 * const errors = (report: AuditReport) => report.findings.filter((finding) => finding.severity === "error");
 * ```
 */
export interface AuditReport {
  readonly findings: readonly Finding[];
  /** The scope the tree was audited as (given, or inferred). */
  readonly scope: AuditScope;
  readonly certificates: readonly AuditedCertificate[];
}

const SEVERITY_ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Audits a certificate tree (plain data: path → contents) for the mistakes that break
 * Kubernetes components or weaken them, against kubeadm as ground truth. Each file's role is
 * identified by its kubeadm path (`pki/apiserver.crt`, `pki/etcd/server.crt`, `admin.conf`,
 * kubepki's `nodes/<name>/…`) or, in other layouts such as the seed tutorial's flat directory,
 * by the certificate's CA flag, subject and file name — `certificates[i].identifiedBy` says which.
 * Kubeconfigs are read too (embedded `*-data`, or file references resolved inside the tree).
 *
 * Checked (codes in {@link FindingCode}): subject CN/O per role (RBAC users, `system:node:`,
 * groups that grant rights — §6), SANs (the exact kubeadm set with a `config`, §2; otherwise the
 * four `kubernetes*` names + `10.96.0.1` for the API server, `localhost`/`127.0.0.1` for etcd),
 * keyUsage/extendedKeyUsage (§1.1/§1.2), CA flag on CAs and leaves, v1 certificates, the
 * signing CA (signatures checked; etcd certificates signed by the cluster CA also give
 * `SHARED_ETCD_CA`, §7 item 26), key ↔ certificate pairing, validity (expired, expiring within
 * `expiringWithinDays`, beyond the CA, openssl's 30-day default), key strength, kubeconfig CA
 * and server names, CSRs whose extensions were dropped at signing (§7 item 14), and missing
 * files. Nothing in the tree makes it throw: unreadable files are `UNREADABLE` findings.
 *
 * @throws KubepkiError `INVALID_ARGUMENT` for a `files` value that is not a map/object of
 * strings or bytes, or bad options; config errors from {@link resolveClusterConfig}.
 *
 * @example
 * ```ts
 * import { auditCluster } from "@kubepki/k8s-profiles";
 *
 * auditCluster({ "pki/apiserver.crt": "not a certificate" }).then((report) => {
 *   report.findings.map((finding) => finding.code); // ["UNREADABLE"]
 * });
 * ```
 */
export function auditCluster(files: ClusterFiles, options: AuditOptions = {}): Promise<AuditReport> {
  return runAudit(files, options);
}

async function runAudit(files: ClusterFiles, options: AuditOptions): Promise<AuditReport> {
  const now = options.now ?? new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new KubepkiError("INVALID_ARGUMENT", "now: expected a valid Date", { details: { field: "now" } });
  }
  const expiringWithinDays = options.expiringWithinDays ?? 30;
  if (typeof expiringWithinDays !== "number" || !Number.isFinite(expiringWithinDays) || expiringWithinDays < 0) {
    throw new KubepkiError("INVALID_ARGUMENT", "expiringWithinDays: expected a number ≥ 0", {
      details: { field: "expiringWithinDays" },
    });
  }
  if (options.scope !== undefined && !AUDIT_SCOPES.includes(options.scope)) {
    throw new KubepkiError("INVALID_ARGUMENT", `scope: expected one of ${AUDIT_SCOPES.join(", ")}`, {
      details: { field: "scope" },
    });
  }
  const config = options.config === undefined ? undefined : resolveClusterConfig(options.config);
  const tree = readTree(files);
  const rootNode = config ? initNode(config).name : undefined;
  const crypto = options.crypto;
  const findings: Finding[] = [];

  for (const { file, message } of tree.unreadable) {
    findings.push({
      severity: "error",
      code: "UNREADABLE",
      file,
      message,
      fix: "replace the file with a PEM certificate/key or a kubeconfig (or remove it from the tree)",
    });
  }

  const matches = new Map<TreeCertificate, RoleMatch | undefined>();
  for (const entry of tree.certificates) matches.set(entry, identifyRole(entry, rootNode));
  const check = createSignatureChecks(crypto);
  const issuers = await findIssuers(tree, check);
  const scope = options.scope ?? inferScope(tree, matches);
  const trust = await Promise.all(
    tree.certificates.map((entry) => consumerTrust(entry, matches.get(entry), tree, check)),
  );

  const keyCheck = options.keyCheck ?? "public-key";
  if (keyCheck !== "public-key" && keyCheck !== "pairwise") {
    throw new KubepkiError("INVALID_ARGUMENT", 'keyCheck: expected "public-key" or "pairwise"', {
      details: { field: "keyCheck" },
    });
  }
  const keyChecks = createKeyChecks(tree, crypto, keyCheck);
  const keyResults = await Promise.all(
    tree.certificates.map((entry) => keyFindings(entry, matches.get(entry), keyChecks, scope)),
  );

  const audited: AuditedCertificate[] = [];
  tree.certificates.forEach((entry, index) => {
    const match = matches.get(entry);
    const link = issuers.get(entry) as IssuerLink;
    const verdict = trust[index] as TrustVerdict;
    // The consumer's CA already said it does not chain: "issuer not in the tree" or "another CA
    // of that name" would only repeat it less precisely; a WRONG_ISSUER (signed by another of the
    // three CAs) says it more precisely. A chain the consumer's CA verified needs no "issuer not in
    // the tree" either (a kubeconfig alone is checked against its own certificate-authority-data).
    const issuer =
      (verdict.failed && (link.status === "bad-signature" || link.status === "not-in-tree")) ||
      (verdict.trusted && link.status === "not-in-tree")
        ? []
        : issuerFindings(entry, match, link, matches);
    findings.push(
      ...certificateFindings({ entry, match, config, now, expiringWithinDays, issuer: link.issuer }),
      ...(issuer.some((finding) => finding.code === "WRONG_ISSUER") ? [] : verdict.findings),
      ...issuer,
      ...(keyResults[index] as Finding[]),
    );
    if (!match) {
      findings.push({
        severity: "info",
        code: "NO_ROLE",
        file: entry.file,
        message: `could not tell which component uses ${entry.certificate.subjectText || "this certificate"} (not a kubeadm path, no known subject or file name)`,
        fix: "name it as kubeadm does (pki/<name>.crt) or give it the subject of its role, so it can be checked",
      });
    }
    audited.push(describe(entry, match, link));
  });

  findings.push(...sharedEtcdCa(tree, matches, issuers));
  findings.push(...csrFindings(tree, matches));
  findings.push(...kubeconfigFindings(tree, matches));
  findings.push(...keyFileFindings(tree));
  findings.push(
    ...(config && scope === "cluster" ? missingPlannedFiles(tree, config) : missingKubeadmRoles(tree, matches, scope)),
  );

  // Messages quote file names, subjects and parser errors: none may carry key material.
  const ordered = findings
    .map((finding) => ({ ...finding, message: redactSecrets(finding.message), fix: redactSecrets(finding.fix) }))
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
  return { findings: ordered, certificates: audited, scope };
}

// ---------------------------------------------------------------------------------------------
// Issuers
// ---------------------------------------------------------------------------------------------

interface IssuerLink {
  readonly issuer: TreeCertificate | undefined;
  readonly status: "signed" | "self-signed" | "bad-signature" | "weak-signature" | "not-in-tree";
}

/** A map key for DER bytes (a Name): one character per byte. */
function derKey(der: Uint8Array): string {
  let key = "";
  for (let i = 0; i < der.length; i++) key += String.fromCharCode(der[i] as number);
  return key;
}

async function findIssuers(tree: Tree, check: CheckSignature): Promise<Map<TreeCertificate, IssuerLink>> {
  const candidates = tree.certificates
    .filter((entry) => entry.source === "file")
    .sort(
      (a, b) =>
        Number(a.file.startsWith("nodes/")) - Number(b.file.startsWith("nodes/")) || a.file.length - b.file.length,
    );
  // The possible issuers of a certificate are the ones whose subject is its issuer name: indexed
  // by the name's bytes, so a 1000-node tree does not compare every pair.
  const bySubject = new Map<string, TreeCertificate[]>();
  // Copies of a certificate share one object (and so its name arrays): each name becomes a key once.
  const nameKeys = new Map<Uint8Array, string>();
  const nameKey = (der: Uint8Array): string => {
    let key = nameKeys.get(der);
    if (key === undefined) {
      key = derKey(der);
      nameKeys.set(der, key);
    }
    return key;
  };
  for (const candidate of candidates) {
    const key = nameKey(candidate.certificate.subjectDer);
    const list = bySubject.get(key);
    if (list) list.push(candidate);
    else bySubject.set(key, [candidate]);
  }
  // A tree holds the same certificate many times (node copies of ca.crt, kubeconfig-embedded
  // client certificates): `check` checks each (certificate, issuer) pair once.
  const linkOf = async (entry: TreeCertificate): Promise<IssuerLink> => {
    const cert = entry.certificate;
    let link: IssuerLink = { issuer: undefined, status: "not-in-tree" };
    if (bytesEqual(cert.subjectDer, cert.issuerDer)) {
      if ((await check(cert, cert)) === "ok") link = { issuer: entry, status: "self-signed" };
    }
    if (link.status === "not-in-tree") {
      for (const candidate of bySubject.get(nameKey(cert.issuerDer)) ?? []) {
        if (candidate === entry) continue;
        const result = await check(cert, candidate.certificate);
        if (result === "ok") {
          link = { issuer: candidate, status: "signed" };
          break;
        }
        link = { issuer: undefined, status: result === "weak" ? "weak-signature" : "bad-signature" };
      }
    }
    return link;
  };
  const links = await Promise.all(tree.certificates.map(linkOf));
  return new Map(tree.certificates.map((entry, index) => [entry, links[index] as IssuerLink]));
}

/**
 * Signature algorithms Go refuses as insecure, by OID, with Go's name for them
 * (crypto/x509/x509.go: signatureAlgorithmDetails, InsecureAlgorithmError).
 */
const INSECURE_SIGNATURES: Readonly<Record<string, { hash: string; name: string; go: string }>> = {
  "1.2.840.113549.1.1.2": { hash: "MD2", name: "md2WithRSAEncryption", go: "MD2-RSA" },
  "1.2.840.113549.1.1.4": { hash: "MD5", name: "md5WithRSAEncryption", go: "MD5-RSA" },
  "1.2.840.113549.1.1.5": { hash: "SHA-1", name: "sha1WithRSAEncryption", go: "SHA1-RSA" },
  "1.2.840.10045.4.1": { hash: "SHA-1", name: "ecdsa-with-SHA1", go: "ECDSA-SHA1" },
  "1.2.840.10040.4.3": { hash: "SHA-1", name: "dsa-with-sha1", go: "DSA-SHA1" },
};

const CLUSTER_CA_FILE = roleProfile("apiserver").verifiedBy?.caFile as string;

const CA_FILE: Record<string, string> = {
  ca: "pki/ca.crt",
  "etcd-ca": "pki/etcd/ca.crt",
  "front-proxy-ca": "pki/front-proxy-ca.crt",
};

function issuerFindings(
  entry: TreeCertificate,
  match: RoleMatch | undefined,
  link: IssuerLink,
  matches: Map<TreeCertificate, RoleMatch | undefined>,
): Finding[] {
  const base = {
    file: entry.file,
    ...(match ? { role: match.role } : {}),
    ...(match?.node ? { node: match.node } : {}),
  };
  const cert = entry.certificate;
  const expected = match ? roleProfile(match.role).signer : undefined;
  switch (link.status) {
    case "bad-signature":
      return [
        {
          ...base,
          severity: "error",
          code: "BAD_SIGNATURE",
          message: `names ${cert.issuerText} as issuer, but no CA of that name in the tree signed it (another CA with the same name, or an altered file)`,
          fix: "re-issue it from the CA that is actually deployed",
        },
      ];
    case "weak-signature": {
      const weak = INSECURE_SIGNATURES[cert.signatureAlgorithm];
      return [
        {
          ...base,
          severity: "error",
          code: "WEAK_SIGNATURE",
          message: weak
            ? `signed with ${weak.hash} (${weak.name}): Go refuses it ("x509: cannot verify signature: insecure algorithm ${weak.go}"), and ${weak.hash} collisions are practical`
            : `signed with ${cert.signatureAlgorithm}, which kubepki cannot check (Kubernetes components expect SHA-256/384 with RSA or ECDSA)`,
          fix: "re-issue it with SHA-256 (openssl x509 -req … -sha256)",
          reference: "§1.2",
        },
      ];
    }
    case "not-in-tree":
      if (expected === "self") return [];
      return [
        {
          ...base,
          severity: "warning",
          code: "UNKNOWN_ISSUER",
          message: `its issuer ${cert.issuerText} is not in the tree, so its chain could not be checked`,
          fix: `add the issuing CA certificate (kubeadm: ${CA_FILE[expected ?? "ca"] ?? "pki/ca.crt"})`,
        },
      ];
    case "self-signed":
      if (!match || expected === "self") return [];
      return [
        {
          ...base,
          severity: "error",
          code: "WRONG_ISSUER",
          message: `self-signed: nothing in the cluster trusts it (kubeadm signs ${match.role} with ${expected})`,
          fix: `sign it with ${CA_FILE[expected ?? "ca"]}: openssl x509 -req -in <name>.csr -CA ${CA_FILE[expected ?? "ca"]} -CAkey ${(CA_FILE[expected ?? "ca"] ?? "").replace(/\.crt$/, ".key")} …`,
          reference: "§1.1",
        },
      ];
    case "signed": {
      const issuerRole = link.issuer ? matches.get(link.issuer)?.role : undefined;
      if (!match || expected === undefined || expected === "self" || !issuerRole || issuerRole === expected) return [];
      const etcd = expected === "etcd-ca";
      return [
        {
          ...base,
          severity: "error",
          code: "WRONG_ISSUER",
          message: `signed by ${link.issuer?.file} (${issuerRole}); kubeadm signs ${match.role} with ${expected}${etcd ? ": etcd must have its own CA, or every certificate of the cluster CA can talk to etcd" : ""}`,
          fix: `create ${CA_FILE[expected]} (openssl req -x509 -new -key ${CA_FILE[expected]?.replace(/\.crt$/, ".key")} -subj "/CN=${expected}" -days 3650) and sign with it: openssl x509 -req -in <name>.csr -CA ${CA_FILE[expected]} -CAkey ${CA_FILE[expected]?.replace(/\.crt$/, ".key")} …`,
          reference: etcd ? "§1.1, §7 item 26" : "§1.1",
        },
      ];
    }
  }
}

function describe(entry: TreeCertificate, match: RoleMatch | undefined, link: IssuerLink): AuditedCertificate {
  const cert = entry.certificate;
  return {
    file: entry.file,
    ...(entry.kubeconfigUser !== undefined ? { kubeconfigUser: entry.kubeconfigUser } : {}),
    ...(match ? { role: match.role, identifiedBy: match.heuristic } : {}),
    ...(match?.node !== undefined ? { node: match.node } : {}),
    subject: cert.subjectText,
    issuer: cert.issuerText,
    ...(link.issuer ? { issuerFile: link.issuer.file } : {}),
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    sans: sanTexts(cert.subjectAltNames),
    version: cert.version,
    isCa: cert.isCa,
    ...(cert.keyAlgorithm ? { keyAlgorithm: cert.keyAlgorithm } : {}),
    keyBits: cert.keyBits,
    ...(entry.key ? { keyFile: entry.key.file } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

type LoadedKeyPair = Awaited<ReturnType<typeof importPrivateKeyPem>>;
/** A key file that could be read, or why not (the same errors whichever check reads it). */
type ReadKey = { readonly error?: undefined } | { readonly error: unknown };

/**
 * Private keys read once per PEM text, and each (key, certificate) pairing checked once: a tree
 * keeps the same key in several places (users/kubelet.key and the kubeconfig's client-key-data).
 */
interface KeyChecks {
  read(pem: string): Promise<ReadKey>;
  matches(pem: string, certificate: Certificate): Promise<boolean>;
  /** Whether some entry of the tree with this fingerprint has its key (a CA copy's key is elsewhere). */
  keyedElsewhere(certificate: Certificate): boolean;
}

function createKeyChecks(tree: Tree, crypto: Crypto | undefined, keyCheck: "public-key" | "pairwise"): KeyChecks {
  const options = crypto ? { crypto } : {};
  let keyed: Set<Certificate> | undefined;
  let keyedFingerprints: Set<string> | undefined;
  const described = new Map<string, ReturnType<typeof describePrivateKeyPem> | { error: unknown }>();
  const imported = new Map<string, Promise<{ keyPair: LoadedKeyPair } | { error: unknown }>>();
  const paired = new Map<string, Promise<boolean>>();
  const describe = (pem: string) => {
    let description = described.get(pem);
    if (description === undefined) {
      try {
        description = describePrivateKeyPem(pem);
      } catch (error) {
        description = { error };
      }
      described.set(pem, description);
    }
    return description;
  };
  const importOnce = (pem: string) => {
    let pending = imported.get(pem);
    if (pending === undefined) {
      pending = importPrivateKeyPem(pem, options).then(
        (keyPair) => ({ keyPair }),
        (error: unknown) => ({ error }),
      );
      imported.set(pem, pending);
    }
    return pending;
  };
  return {
    async read(pem) {
      // The pairwise check imports every key (the import reads the file with the same readers,
      // so its errors are the same, plus whatever WebCrypto refuses): no separate read first.
      if (keyCheck === "pairwise") return importOnce(pem);
      const description = describe(pem);
      return "error" in description ? { error: description.error } : {};
    },
    matches(pem, certificate) {
      if (keyCheck === "public-key") {
        const description = describe(pem);
        const own = "error" in description ? undefined : description.publicKeyInfo;
        if (own && bytesEqual(own, certificate.publicKeyInfo)) return Promise.resolve(true);
      }
      const id = `${certificate.fingerprintSha256}\n${pem}`;
      let pending = paired.get(id);
      if (pending === undefined) {
        pending = importOnce(pem).then((loaded) =>
          "error" in loaded ? false : keyMatchesCertificate(loaded.keyPair, certificate, options).catch(() => false),
        );
        paired.set(id, pending);
      }
      return pending;
    },
    keyedElsewhere(certificate) {
      // Copies of one PEM text share their Certificate object; other encodings of the same
      // certificate (DER, other line breaks) are found by fingerprint, hashed only then.
      keyed ??= new Set(tree.certificates.filter((other) => other.key).map((other) => other.certificate));
      if (keyed.has(certificate)) return true;
      keyedFingerprints ??= new Set([...keyed].map((other) => other.fingerprintSha256));
      return keyedFingerprints.has(certificate.fingerprintSha256);
    },
  };
}

async function keyFindings(
  entry: TreeCertificate,
  match: RoleMatch | undefined,
  keyChecks: KeyChecks,
  scope: AuditScope,
): Promise<Finding[]> {
  const base = {
    file: entry.file,
    ...(match ? { role: match.role } : {}),
    ...(match?.node ? { node: match.node } : {}),
  };
  const ca = match ? isCaRole(match.role) : entry.certificate.isCa;
  if (!entry.key) {
    // A copy of a certificate whose key sits elsewhere in the tree (kubepki's nodes/<name>/pki/ca.crt,
    // users/admin.crt beside admin.conf's client-key-data).
    if (keyChecks.keyedElsewhere(entry.certificate)) return [];
    // A node keeps the CA certificate to verify others, never its key.
    if (ca && scope === "node") return [];
    if (ca) {
      return [
        {
          ...base,
          severity: "info",
          code: "EXTERNAL_CA",
          message: `no private key next to the CA (looked for ${entry.keyPath}): kubeadm treats it as an external CA — renewal skips its certificates and the controller-manager cannot sign CSRs`,
          fix: `put the CA key at ${entry.keyPath} if the cluster should sign itself`,
          reference: "§8.3",
        },
      ];
    }
    return [
      {
        ...base,
        severity: "error",
        code: "MISSING_KEY",
        message:
          entry.source === "kubeconfig"
            ? `user ${entry.kubeconfigUser}: a client certificate without client-key(-data): the client cannot authenticate`
            : `no private key (looked for ${entry.keyPath}): the component that presents this certificate cannot start or authenticate without it (Go's tls.LoadX509KeyPair: "open ${entry.keyPath}: no such file or directory")`,
        fix: entry.source === "kubeconfig" ? "embed the key as client-key-data" : `keep the key at ${entry.keyPath}`,
      },
    ];
  }
  const read = await keyChecks.read(entry.key.pem);
  if (read.error !== undefined) {
    const error = read.error;
    if (isKubepkiError(error, "WEAK_KEY")) return [];
    return [
      {
        ...base,
        file: entry.key.file,
        severity: "error",
        code: "UNREADABLE",
        message: `the private key ${entry.key.embedded ? `of user ${entry.kubeconfigUser}` : ""} does not load: ${errorMessage(error)}`,
        fix: "replace it with an unencrypted PEM key (PKCS#1, SEC1 or PKCS#8)",
      },
    ];
  }
  if (await keyChecks.matches(entry.key.pem, entry.certificate)) return [];
  return [
    {
      ...base,
      severity: "error",
      code: "KEY_MISMATCH",
      message: `${entry.key.embedded ? `user ${entry.kubeconfigUser}: client-key-data` : entry.key.file} does not belong to the certificate: TLS fails with "private key does not match public key"`,
      fix: "pair the certificate with the key it was issued for, or re-issue it for this key",
    },
  ];
}

function keyFileFindings(tree: Tree): Finding[] {
  const findings: Finding[] = [];
  for (const [file, pem] of tree.keys) {
    if (privateKeyLabel(pem) !== "PRIVATE KEY") continue;
    findings.push({
      severity: "info",
      code: "PKCS8_KEY",
      file,
      message: "PKCS#8 `PRIVATE KEY` (what OpenSSL 3 genrsa writes); kubeadm writes PKCS#1/SEC1 — both are accepted",
      fix: "nothing required; openssl genrsa -traditional (or openssl pkey -traditional) gives kubeadm's format",
      reference: "§1.2, §7 item 39",
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Tree-wide checks
// ---------------------------------------------------------------------------------------------

const ETCD_ROLES: readonly Role[] = ["etcd-server", "etcd-peer", "etcd-healthcheck-client", "apiserver-etcd-client"];

function sharedEtcdCa(
  tree: Tree,
  matches: Map<TreeCertificate, RoleMatch | undefined>,
  issuers: Map<TreeCertificate, IssuerLink>,
): Finding[] {
  const byClusterCa = tree.certificates.filter((entry) => {
    const role = matches.get(entry)?.role;
    const issuer = issuers.get(entry)?.issuer;
    return role !== undefined && ETCD_ROLES.includes(role) && issuer && matches.get(issuer)?.role === "ca";
  });
  const cas = tree.certificates.filter((entry) => matches.get(entry)?.role === "ca");
  const sameKey = tree.certificates.filter(
    (entry) =>
      matches.get(entry)?.role === "etcd-ca" &&
      cas.some((ca) => bytesEqual(ca.certificate.publicKeyInfo, entry.certificate.publicKeyInfo)),
  );
  const first = byClusterCa[0] ?? sameKey[0];
  if (!first) return [];
  const what =
    byClusterCa.length > 0
      ? `etcd certificates are signed by the cluster CA (${byClusterCa.map((entry) => entry.file).join(", ")})`
      : `the etcd CA ${sameKey.map((entry) => entry.file).join(", ")} is the cluster CA's key`;
  return [
    {
      severity: "error",
      code: "SHARED_ETCD_CA",
      file: first.file,
      role: matches.get(first)?.role as Role,
      message: `${what}: etcd trusts that CA for clients (--trusted-ca-file, --client-cert-auth), so every certificate the cluster CA ever issued — every kubelet, every admin — gets full raw access to etcd`,
      fix: "create a separate etcd CA (pki/etcd/ca.crt, CN etcd-ca), re-issue etcd/server, etcd/peer, etcd/healthcheck-client and apiserver-etcd-client from it, and point --trusted-ca-file, --peer-trusted-ca-file and --etcd-cafile at it",
      reference: "§1.1, §6, §7 item 26",
    },
  ];
}

function csrFindings(tree: Tree, matches: Map<TreeCertificate, RoleMatch | undefined>): Finding[] {
  const findings: Finding[] = [];
  for (const { file, csr } of tree.csrs) {
    const stem = stripExtension(file);
    const entry = tree.certificates.find(
      (candidate) =>
        candidate.source === "file" &&
        stripExtension(candidate.file) === stem &&
        bytesEqual(candidate.certificate.publicKeyInfo, csr.publicKeyInfo),
    );
    if (csr.keyUsages !== undefined && !csr.keyUsages.includes("digitalSignature")) {
      findings.push({
        severity: "warning",
        code: "WRONG_KEY_USAGE",
        file,
        message: `the request asks for keyUsage ${csr.keyUsages.join(", ")} without digitalSignature: a TLS certificate with it is refused by OpenSSL clients (openssl verify -purpose sslserver)`,
        fix: "request keyUsage = critical, digitalSignature, keyEncipherment (and extendedKeyUsage serverAuth for servers)",
        reference: "§1.2, §7 item 13",
      });
    }
    if (!entry) continue;
    const role = matches.get(entry)?.role;
    const dropped = csr.subjectAltNames.filter(
      (want) => !entry.certificate.subjectAltNames.some((have) => have.type === want.type && have.value === want.value),
    );
    if (dropped.length > 0) {
      findings.push({
        severity: "error",
        code: "EXTENSIONS_DROPPED",
        file: entry.file,
        ...(role ? { role } : {}),
        message: `${file} asks for ${sanTexts(dropped).join(", ")} but ${entry.file} does not carry them: openssl x509 -req copies no extensions from the request by default (-copy_extensions none)`,
        fix: `sign again with -copy_extensions copyall (OpenSSL ≥ 3.0) or -extfile <file> -extensions <section>: openssl x509 -req -in ${file} -CA ca.crt -CAkey ca.key -copy_extensions copyall -days 365 -out ${entry.file}`,
        reference: "§7 item 14",
      });
    }
    if (csr.subjectText !== entry.certificate.subjectText) {
      findings.push({
        severity: "warning",
        code: "CSR_MISMATCH",
        file,
        ...(role ? { role } : {}),
        message: `the request asks for ${csr.subjectText} but ${entry.file} says ${entry.certificate.subjectText}: the certificate was not signed again after the request changed`,
        fix: `sign the request again: openssl x509 -req -in ${file} -CA ca.crt -CAkey ca.key -days 365 -extfile <file> -out ${entry.file}`,
        reference: "§7 items 4, 7",
      });
    }
  }
  return findings;
}

function hostCovered(host: string, certificates: readonly Certificate[]): boolean {
  const ip = parseIp(host);
  const lower = host.toLowerCase();
  return certificates.some((cert) =>
    cert.subjectAltNames.some((san) => {
      if (ip) return san.type === "ip" && san.value === formatIp(ip);
      if (san.type !== "dns") return false;
      const name = san.value.toLowerCase();
      if (name === lower) return true;
      return name.startsWith("*.") && lower.slice(lower.indexOf(".") + 1) === name.slice(2) && lower.indexOf(".") > 0;
    }),
  );
}

function kubeconfigFindings(tree: Tree, matches: Map<TreeCertificate, RoleMatch | undefined>): Finding[] {
  const findings: Finding[] = [];
  for (const reference of tree.references) {
    if (reference.resolved !== undefined) continue;
    findings.push({
      severity: "warning",
      code: "UNRESOLVED_REFERENCE",
      file: reference.kubeconfig,
      message: `${reference.field}: ${reference.path} is not in the tree`,
      fix: `embed it as ${reference.field}-data (kubeadm always embeds), or fix the path${reference.path.endsWith(".pem") ? " (the tutorial generates ca.crt, not ca.pem)" : ""}`,
      reference: "§3, §7 item 19",
    });
  }
  const clusterCas = tree.certificates.filter((entry) => entry.source === "file" && matches.get(entry)?.role === "ca");
  const apiservers = tree.certificates
    .filter((entry) => matches.get(entry)?.role === "apiserver")
    .map((entry) => entry.certificate);
  for (const { file, config } of tree.kubeconfigs) {
    for (const cluster of config.clusters) {
      const ca = cluster.certificateAuthority;
      let pem: string | undefined;
      if (ca && "pem" in ca) pem = ca.pem;
      else if (ca && "path" in ca) {
        const resolved = tree.references.find((ref) => ref.kubeconfig === file && ref.path === ca.path)?.resolved;
        pem = resolved === undefined ? undefined : tree.texts.get(resolved);
      }
      // The CA the kubeconfig must carry: pki/ca.crt of its own /etc/kubernetes (kubeadm embeds it
      // in every kubeconfig, kubeconfig/kubeconfig.go); only without one, any cluster CA of the tree.
      const anchor = anchorFile(file, CLUSTER_CA_FILE, tree);
      const expected = anchor ? [anchor] : clusterCas;
      if (pem !== undefined && expected.length > 0) {
        let trusted: Certificate[] = [];
        try {
          trusted = tree.parseCertificates(pem);
        } catch (error) {
          findings.push({
            severity: "error",
            code: "UNREADABLE",
            file,
            message: `cluster ${cluster.name}: certificate-authority is not a readable certificate: ${errorMessage(error)}`,
            fix: `embed ${expected[0]?.file} as certificate-authority-data`,
          });
        }
        if (
          trusted.length > 0 &&
          !trusted.some((cert) =>
            expected.some((entry) => entry.certificate.fingerprintSha256 === cert.fingerprintSha256),
          )
        ) {
          findings.push({
            severity: "error",
            code: "KUBECONFIG_CA_MISMATCH",
            file,
            message: `cluster ${cluster.name}: the certificate-authority is not ${anchor ? `${anchor.file}, the CA that signs the API server's certificate` : `the tree's cluster CA (${expected[0]?.file})`}: the client refuses the API server with "x509: certificate signed by unknown authority"`,
            fix: `embed ${expected[0]?.file} as certificate-authority-data`,
            reference: "§3",
          });
        }
      }
      if (cluster.server === undefined) continue;
      let host: string | undefined;
      try {
        const url = new URL(cluster.server);
        host = url.hostname.replace(/^\[|\]$/g, "");
        if (url.protocol !== "https:") throw new Error("not https");
      } catch {
        host = undefined;
      }
      if (host === undefined || (!parseIp(host) && !isDnsName(host))) {
        findings.push({
          severity: "error",
          code: "INVALID_SERVER",
          file,
          message: `cluster ${cluster.name}: server ${cluster.server} is not an https URL with a DNS name or IP${cluster.server.includes("$") ? " (an unexpanded shell variable)" : ""}`,
          fix: "set server: https://<controlPlaneEndpoint or API server address>:6443",
          reference: "§3, §7 item 36",
        });
        continue;
      }
      if (apiservers.length > 0 && !hostCovered(host, apiservers)) {
        findings.push({
          severity: "error",
          code: "SERVER_NAME_MISMATCH",
          file,
          message: `cluster ${cluster.name}: server ${cluster.server} — ${host} is not a SAN of any API server certificate in the tree, so TLS verification fails ("x509: certificate is valid for …, not ${host}")`,
          fix: `add ${host} to the API server certificate (certSANs / controlPlaneEndpoint) or point server: at a name it carries`,
          reference: "§2.1, §7 item 24",
        });
      }
    }
  }
  return findings;
}

function kubeadmLocation(role: Role): string {
  const profile = roleProfile(role);
  return profile.kubeconfig ?? `pki/${profile.file.base}.crt`;
}

function missingKubeadmRoles(
  tree: Tree,
  matches: Map<TreeCertificate, RoleMatch | undefined>,
  scope: AuditScope,
): Finding[] {
  const present = new Set([...matches.values()].map((match) => match?.role));
  // Only a tree that looks like a cluster PKI is expected to hold all of it.
  if (!present.has("ca") && !present.has("apiserver")) return [];
  const findings: Finding[] = [];
  for (const role of rolesInScope(scope)) {
    if (present.has(role)) continue;
    findings.push({
      severity: "warning",
      code: "MISSING_FILE",
      file: kubeadmLocation(role),
      role,
      message: `no certificate in the tree plays ${role} (kubeadm: ${kubeadmLocation(role)}); audited as ${scope === "node" ? "a node's directory" : `a ${scope}`}${scope === "node" ? "" : " without a config, so this may be intended (external etcd…)"}`,
      fix: `issue it as kubeadm does (kubeadm init phase certs/kubeconfig, or kubepki generateCluster); pass a config to check the exact layout`,
      reference:
        role.includes("etcd") || role.includes("front-proxy") ? "§1.1, §7 items 20, 38" : "§1.1, §3, §7 item 20",
    });
  }
  // Only control-plane nodes hold the service-account key pair.
  if (scope !== "node" && ![...tree.texts.keys()].some((path) => /(^|\/)sa\.(key|pub)$/.test(path))) {
    findings.push({
      severity: "warning",
      code: "MISSING_FILE",
      file: "pki/sa.key",
      message:
        "no service-account key pair (sa.key / sa.pub): the API server needs --service-account-key-file and --service-account-signing-key-file",
      fix: "openssl genrsa -out sa.key 2048 && openssl pkey -in sa.key -pubout -out sa.pub (or kubeadm init phase certs sa)",
      reference: "§1.1, §7 items 22, 38",
    });
  }
  return findings;
}

function missingPlannedFiles(tree: Tree, config: ResolvedClusterConfig): Finding[] {
  const plan = planCluster(config);
  const has = (path: string) => tree.texts.has(path);
  const findings: Finding[] = [];
  const first = initNode(config).name;
  for (const spec of plan.certificates) {
    const wanted = spec.kubeconfig ?? spec.certPath;
    // A real kubeadm node keeps kubelet.conf at /etc/kubernetes/kubelet.conf (the tree root).
    const alternatives =
      spec.role === "kubelet-client" && spec.node === first ? [wanted, KUBECONFIG_FILES.kubelet] : [wanted];
    if (alternatives.some(has)) continue;
    // Not made by kubeadm (kubelet serving), made by TLS bootstrap (kubelet.conf), init node only (super-admin).
    const optional = spec.role === "kubelet-serving" || spec.role === "kubelet-client" || spec.role === "super-admin";
    findings.push({
      severity: optional ? "warning" : "error",
      code: "MISSING_FILE",
      file: wanted,
      role: spec.role,
      ...(spec.node !== undefined ? { node: spec.node } : {}),
      message: `${wanted} is missing (${spec.id})`,
      fix: `issue it: subject ${JSON.stringify(spec.subject)}, signed by ${spec.signer} (kubepki generateCluster, or kubeadm init phase ${spec.kubeconfig ? "kubeconfig" : "certs"})`,
      reference: spec.kubeconfig ? "§3" : "§1.1",
    });
  }
  for (const path of [plan.serviceAccountKey.privateKeyPath, plan.serviceAccountKey.publicKeyPath]) {
    if (has(path)) continue;
    findings.push({
      severity: "error",
      code: "MISSING_FILE",
      file: path,
      message: `${path} is missing: the API server and controller-manager need the service-account key pair`,
      fix: "openssl genrsa -out pki/sa.key 2048 && openssl pkey -in pki/sa.key -pubout -out pki/sa.pub (or kubeadm init phase certs sa)",
      reference: "§1.1",
    });
  }
  return findings;
}
