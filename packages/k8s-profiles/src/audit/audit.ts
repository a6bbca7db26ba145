// auditCluster: reads the tree once, finds each certificate's role and issuer, then runs the per-certificate rules
// (certificate/), the checks that need WebCrypto (trust, issuers, keys) and the whole-tree rules (tree/).
import { type Certificate, type CryptoOptions, KubepkiError, parseCertificates } from "@kubepki/core";
import { redactSecrets } from "@kubepki/renderers";
import { type ClusterConfig, initNode, type ResolvedClusterConfig, resolveClusterConfig } from "../config/resolve.js";
import {
  type ClusterFiles,
  identifyRole,
  type RoleMatch,
  readTree,
  type Tree,
  type TreeCertificate,
} from "../files/read-files.js";
import type { Role } from "../roles/profiles.js";
import { certificateFindings } from "./certificate/index.js";
import { chainLinkFindings, incompleteChainFindings, rootFindings } from "./chains.js";
import type { Finding, FindingSeverity } from "./findings.js";
import { sanTexts } from "./hints.js";
import { AUDIT_SCOPES, type AuditScope, inferScope } from "./scope.js";
import { treeFindings } from "./tree/index.js";
import { findIssuers, type IssuerLink, issuerFindings } from "./tree/issuers.js";
import { createKeyChecks, keyFindings } from "./tree/keys.js";
import { serviceAccountKeys } from "./tree/sa-keys.js";
import { consumerTrust, createSignatureChecks, type TrustVerdict } from "./trust.js";

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
  /**
   * The organisation's root (PEM; optionally followed by the intermediates between it and the
   * cluster's CAs): each CA file must chain to it by signatures and names within every pathLen
   * (`NOT_UNDER_ROOT`, `PATH_LENGTH_EXCEEDED`), end before what signed it (`VALIDITY_EXCEEDS_CA`),
   * and each leaf file's own chain must reach it (`CHAIN_INCOMPLETE`).
   */
  rootCa?: string;
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
 * `expiringWithinDays`, beyond the CA, openssl's 30-day default — kubeconfig-embedded client
 * certificates too), key strength, kubeconfig CA and server names, `--etcd-servers` hosts against
 * the etcd server SANs, `sa.pub` against `sa.key`, CSRs whose extensions were dropped at signing
 * (§7 item 14), and missing files. A CA rotation in progress is understood: CA files of several certificates are trust
 * bundles (any of them may have signed a leaf; the key belongs to the first), the incoming
 * `<ca>-new.crt/.key` pair, `pki/ca-signing.crt` and an `sa.pub` of two keys are part of the
 * layout, and each rotation gives an info finding `ROTATION_IN_PROGRESS` with its phase.
 * Nothing in the tree makes it throw: unreadable files are `UNREADABLE` findings, and a tree
 * without a single certificate (`{}`, an empty directory) is the error `NO_CERTIFICATES`, never a
 * clean report.
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

/** The options, checked once: what the rest of the audit trusts. */
interface AuditRun {
  readonly now: Date;
  readonly expiringWithinDays: number;
  readonly scope: AuditScope | undefined;
  readonly config: ResolvedClusterConfig | undefined;
  readonly keyCheck: "public-key" | "pairwise";
  readonly crypto: Crypto | undefined;
  readonly rootCa: readonly Certificate[];
}

function auditRun(options: AuditOptions): AuditRun {
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
  const keyCheck = options.keyCheck ?? "public-key";
  if (keyCheck !== "public-key" && keyCheck !== "pairwise") {
    throw new KubepkiError("INVALID_ARGUMENT", 'keyCheck: expected "public-key" or "pairwise"', {
      details: { field: "keyCheck" },
    });
  }
  return {
    now,
    expiringWithinDays,
    scope: options.scope,
    config,
    keyCheck,
    crypto: options.crypto,
    rootCa: roots(options),
  };
}

function roots(options: AuditOptions): Certificate[] {
  if (options.rootCa === undefined) return [];
  if (typeof options.rootCa !== "string") {
    throw new KubepkiError("INVALID_ARGUMENT", "rootCa: expected PEM text of the root certificate", {
      details: { field: "rootCa" },
    });
  }
  try {
    return parseCertificates(options.rootCa);
  } catch (error) {
    const { code, message } = error as KubepkiError;
    throw new KubepkiError(code ?? "INVALID_ARGUMENT", `rootCa: ${message}`, {
      cause: error,
      details: { field: "rootCa" },
    });
  }
}

/**
 * An empty or wrong directory is not a clean cluster: "no findings" there would read as a pass.
 * (Unreadable files already say what is wrong with the tree.)
 */
function emptyTreeFindings(tree: Tree): Finding[] {
  if (tree.certificates.length > 0 || tree.unreadable.length > 0) return [];
  return [
    {
      severity: "error",
      code: "NO_CERTIFICATES",
      file: ".",
      message: `not one certificate in the tree (${tree.texts.size} file(s) read, none a certificate or a kubeconfig with one): nothing was audited`,
      fix: "audit the directory that holds the cluster's certificates (/etc/kubernetes, or kubepki init's output)",
    },
  ];
}

async function runAudit(files: ClusterFiles, options: AuditOptions): Promise<AuditReport> {
  const run = auditRun(options);
  const { config, crypto } = run;
  const tree = readTree(files);
  const rootNode = config ? initNode(config).name : undefined;
  const findings: Finding[] = tree.unreadable.map(({ file, message }) => ({
    severity: "error",
    code: "UNREADABLE",
    file,
    message,
    fix: "replace the file with a PEM certificate/key or a kubeconfig (or remove it from the tree)",
  }));

  const matches = new Map<TreeCertificate, RoleMatch | undefined>();
  for (const entry of tree.certificates) matches.set(entry, identifyRole(entry, rootNode));
  const check = createSignatureChecks(crypto);
  const issuers = await findIssuers(tree, check);
  const scope = run.scope ?? inferScope(tree, matches);
  const trust = await Promise.all(
    tree.certificates.map((entry) => consumerTrust(entry, matches.get(entry), tree, check)),
  );
  const chains = await Promise.all(
    tree.certificates.map(async (entry, index) => {
      const match = matches.get(entry);
      const links = await chainLinkFindings(entry, match, check);
      if (links.length > 0) return links;
      return incompleteChainFindings(entry, match, trust[index] as TrustVerdict, run.rootCa, check);
    }),
  );
  const keyChecks = createKeyChecks(tree, crypto, run.keyCheck);
  const keyResults = await Promise.all(
    tree.certificates.map((entry) => keyFindings(entry, matches.get(entry), keyChecks, scope)),
  );

  const audited: AuditedCertificate[] = [];
  tree.certificates.forEach((entry, index) => {
    const match = matches.get(entry);
    const link = issuers.get(entry) as IssuerLink;
    const chain = chains[index] as Finding[];
    // A broken link of the file is why its consumer refuses it: NOT_TRUSTED would say it again.
    const verdict = trust[index] as TrustVerdict;
    const shown = chain.some((finding) => finding.severity === "error") ? { ...verdict, findings: [] } : verdict;
    findings.push(
      ...oneCertificate(run, entry, match, link, matches, shown),
      ...chain,
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
  findings.push(
    ...emptyTreeFindings(tree),
    ...treeFindings({ tree, matches, issuers, config, scope }),
    ...(await serviceAccountKeys(tree, crypto)),
    ...(run.rootCa.length > 0 ? await rootFindings(tree, matches, run.rootCa, check) : []),
  );

  // Messages quote file names, subjects and parser errors: none may carry key material.
  const ordered = findings
    .map((finding) => ({ ...finding, message: redactSecrets(finding.message), fix: redactSecrets(finding.fix) }))
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
  return { findings: ordered, certificates: audited, scope };
}

/** One certificate's rules, its consumer's trust and its issuer, without saying a failure twice. */
function oneCertificate(
  run: AuditRun,
  entry: TreeCertificate,
  match: RoleMatch | undefined,
  link: IssuerLink,
  matches: ReadonlyMap<TreeCertificate, RoleMatch | undefined>,
  verdict: TrustVerdict,
): Finding[] {
  // The consumer's CA already said it does not chain: "issuer not in the tree" or "another CA
  // of that name" would only repeat it less precisely; a WRONG_ISSUER (signed by another of the
  // three CAs) says it more precisely. A chain the consumer's CA verified needs no "issuer not in
  // the tree" either (a kubeconfig alone is checked against its own certificate-authority-data).
  const issuer =
    (verdict.failed && (link.status === "bad-signature" || link.status === "not-in-tree")) ||
    (verdict.trusted && link.status === "not-in-tree")
      ? []
      : issuerFindings(entry, match, link, matches);
  const { config, now, expiringWithinDays } = run;
  return [
    ...certificateFindings({
      entry,
      match,
      config,
      now,
      expiringWithinDays,
      issuer: link.signer && link.issuer ? { ...link.issuer, certificate: link.signer } : link.issuer,
    }),
    ...(issuer.some((finding) => finding.code === "WRONG_ISSUER") ? [] : verdict.findings),
    ...issuer,
  ];
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
