/**
 * The audit's rules for one certificate, as data in and findings out: subject, groups, SANs,
 * key usages, CA flag, version, validity and key strength against the role's preset (reference
 * §1.1, §2, §3, §4, §6) and the mistakes the seed tutorial teaches (§7). Checks that need
 * WebCrypto (signatures, key pairing) live in `audit/audit.ts`.
 */

import { describePublicKeyInfo, type SubjectAltName } from "@kubepki/core";
import type { ResolvedClusterConfig } from "../config/resolve.js";
import type { TreeCertificate } from "../files/read-files.js";
import { isCaRole, type RoleMatch } from "../files/read-files.js";
import {
  APISERVER_SERVICE_FQDN_PREFIX,
  APISERVER_SERVICE_NAMES,
  ETCD_LOOPBACK_SANS,
  GROUPS,
} from "../roles/constants.js";
import { type CertSpec, certSpec, type Role, roleProfile } from "../roles/profiles.js";

/**
 * How bad a finding is: `error` breaks a component or security (a client that cannot
 * authenticate, a server nobody can verify, etcd open to every cluster certificate); `warning`
 * works but differs from kubeadm or will break later; `info` is worth knowing.
 *
 * @example
 * ```ts
 * import type { FindingSeverity } from "@kubepki/k8s-profiles";
 *
 * const severity: FindingSeverity = "error";
 * ```
 */
export type FindingSeverity = "error" | "warning" | "info";

/**
 * Stable codes of audit findings (branch on these, not on messages):
 *
 * - files: `UNREADABLE`, `MISSING_FILE`, `MISSING_KEY`, `UNRESOLVED_REFERENCE`, `NO_ROLE`;
 * - subjects: `WRONG_SUBJECT`, `MISSING_GROUP`, `UNEXPECTED_GROUP`, `SUPERUSER_GROUP`;
 * - extensions: `V1_CERTIFICATE`, `NOT_A_CA`, `CA_ON_LEAF`, `MISSING_SAN`, `UNEXPECTED_SAN`,
 *   `MISSING_EKU`, `EXTRA_EKU`, `WRONG_KEY_USAGE`, `EXTENSIONS_DROPPED`;
 * - trust: `NOT_TRUSTED` (does not chain to the CA file its consumer uses), `PATH_LENGTH_EXCEEDED`,
 *   `WRONG_ISSUER`, `UNKNOWN_ISSUER`, `BAD_SIGNATURE`, `WEAK_SIGNATURE`, `SHARED_ETCD_CA`,
 *   `KUBECONFIG_CA_MISMATCH`, `SERVER_NAME_MISMATCH`, `INVALID_SERVER`, `EXTERNAL_CA`, `NEGATIVE_SERIAL`;
 * - keys: `KEY_MISMATCH`, `WEAK_KEY`, `UNSUPPORTED_KEY`, `PKCS8_KEY`;
 * - time: `EXPIRED`, `NOT_YET_VALID`, `EXPIRES_SOON`, `SHORT_VALIDITY`, `VALIDITY_EXCEEDS_CA`;
 * - CSR files next to their certificates: `CSR_MISMATCH`.
 *
 * @example
 * ```ts
 * import type { FindingCode } from "@kubepki/k8s-profiles";
 *
 * const code: FindingCode = "MISSING_SAN";
 * ```
 */
export type FindingCode =
  | "UNREADABLE"
  | "MISSING_FILE"
  | "MISSING_KEY"
  | "UNRESOLVED_REFERENCE"
  | "NO_ROLE"
  | "WRONG_SUBJECT"
  | "MISSING_GROUP"
  | "UNEXPECTED_GROUP"
  | "SUPERUSER_GROUP"
  | "V1_CERTIFICATE"
  | "NOT_A_CA"
  | "CA_ON_LEAF"
  | "MISSING_SAN"
  | "UNEXPECTED_SAN"
  | "MISSING_EKU"
  | "EXTRA_EKU"
  | "WRONG_KEY_USAGE"
  | "EXTENSIONS_DROPPED"
  | "WRONG_ISSUER"
  | "UNKNOWN_ISSUER"
  | "BAD_SIGNATURE"
  | "WEAK_SIGNATURE"
  | "SHARED_ETCD_CA"
  | "KUBECONFIG_CA_MISMATCH"
  | "SERVER_NAME_MISMATCH"
  | "INVALID_SERVER"
  | "EXTERNAL_CA"
  | "KEY_MISMATCH"
  | "WEAK_KEY"
  | "UNSUPPORTED_KEY"
  | "PKCS8_KEY"
  | "EXPIRED"
  | "NOT_YET_VALID"
  | "EXPIRES_SOON"
  | "SHORT_VALIDITY"
  | "VALIDITY_EXCEEDS_CA"
  | "CSR_MISMATCH"
  | "NOT_TRUSTED"
  | "PATH_LENGTH_EXCEEDED"
  | "NEGATIVE_SERIAL";

/**
 * One thing the audit noticed. Findings are data, never exceptions: a broken file is an
 * `UNREADABLE` finding. `fix` says what to do, with the correct subject or command; `reference`
 * names the section of docs/reference/kubeadm-pki.md (and the openssl tutorial's mistake number,
 * `§7 item 14`) the rule comes from.
 *
 * @example
 * ```ts
 * import type { Finding } from "@kubepki/k8s-profiles";
 *
 * const finding: Finding = {
 *   severity: "error",
 *   code: "WRONG_SUBJECT",
 *   file: "kube-scheduler.crt",
 *   role: "scheduler",
 *   message: "CN is kube-scheduler; the default RBAC bindings name the user system:kube-scheduler",
 *   fix: 'openssl req -new -key kube-scheduler.key -subj "/CN=system:kube-scheduler" -out kube-scheduler.csr, then sign again',
 *   reference: "§6, §7 item 8",
 * };
 * ```
 */
export interface Finding {
  readonly severity: FindingSeverity;
  readonly code: FindingCode;
  /** The tree path concerned (a kubeconfig for embedded certificates). */
  readonly file: string;
  readonly role?: Role;
  readonly node?: string;
  readonly message: string;
  readonly fix: string;
  /** Where the rule comes from in the PKI reference, e.g. `§2.1` or `§7 item 14`. */
  readonly reference?: string;
}

/** Everything a rule needs about one certificate. */
export interface RuleContext {
  readonly entry: TreeCertificate;
  readonly match: RoleMatch | undefined;
  readonly config: ResolvedClusterConfig | undefined;
  readonly now: Date;
  readonly expiringWithinDays: number;
  /** The certificate's issuer in the tree, once the audit has found it. */
  readonly issuer: TreeCertificate | undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// `openssl x509 -req` without -days gives 30 days (reference §7 item 2); anything this short
// in a cluster PKI is almost always that default.
const SHORT_VALIDITY_DAYS = 31;
// Roles whose CN is what RBAC, the Node authorizer or --requestheader-allowed-names checks:
// a wrong CN there breaks the component (reference §5.1, §6).
const CN_IS_IDENTITY: readonly Role[] = [
  "scheduler",
  "controller-manager",
  "kube-proxy",
  "kubelet-client",
  "front-proxy-client",
];
const NODE_ROLES: readonly Role[] = ["kubelet-client", "kubelet-serving"];
const CA_FILES: Readonly<Record<string, string>> = {
  ca: "pki/ca.crt",
  "etcd-ca": "pki/etcd/ca.crt",
  "front-proxy-ca": "pki/front-proxy-ca.crt",
  self: "itself",
};

/** The spec kubeadm/kubepki would issue for this role and node, when a config says enough. */
export function expectedSpec(config: ResolvedClusterConfig | undefined, match: RoleMatch): CertSpec | undefined {
  if (!config) return undefined;
  try {
    return certSpec(config, match.role, match.node);
  } catch {
    return undefined;
  }
}

/** `/CN=…/O=…` for openssl -subj. */
export function subjText(commonName: string, organizations: readonly string[] = []): string {
  return `/CN=${commonName}${organizations.map((group) => `/O=${group}`).join("")}`;
}

function sanText(san: SubjectAltName): string {
  return `${san.type === "ip" ? "IP" : san.type === "dns" ? "DNS" : san.type.toUpperCase()}:${san.value}`;
}

function sameSan(a: SubjectAltName, b: SubjectAltName): boolean {
  return a.type === b.type && a.value.toLowerCase() === b.value.toLowerCase();
}

/** The extension lines openssl needs for a leaf of this role (for `-extfile`). */
export function opensslExtensions(role: Role, sans: readonly SubjectAltName[]): string {
  const profile = roleProfile(role);
  const lines = profile.isCa
    ? ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign"]
    : [
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature,keyEncipherment",
        `extendedKeyUsage=${profile.extKeyUsages.join(",")}`,
      ];
  if (sans.length > 0) lines.push(`subjectAltName=${sans.map(sanText).join(",")}`);
  return lines.join("\\n");
}

function signHint(ctx: RuleContext, role: Role, sans: readonly SubjectAltName[] = []): string {
  const stem = ctx.entry.file.replace(/\.[^./]+$/, "");
  const signer = roleProfile(role).signer;
  const ca = (CA_FILES[signer] ?? "pki/ca.crt").replace(/\.crt$/, "");
  if (signer === "self") {
    return `openssl req -x509 -new -key ${stem}.key -subj "${subjText(roleProfile(role).commonName as string)}" -days 3650 -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" -out ${stem}.crt (or kubepki createSelfSignedCa)`;
  }
  return `printf '${opensslExtensions(role, sans)}\\n' > ${stem}.ext && openssl x509 -req -in ${stem}.csr -CA ${ca}.crt -CAkey ${ca}.key -CAcreateserial -days 365 -extfile ${stem}.ext -out ${stem}.crt (or kubepki certSpec(config, "${role}", node) + issueCertificate)`;
}

/** Runs every synchronous rule on one certificate. */
export function certificateFindings(ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const { entry, match } = ctx;
  const cert = entry.certificate;
  const add = (
    severity: FindingSeverity,
    code: FindingCode,
    message: string,
    fix: string,
    reference: string | undefined,
  ) =>
    findings.push({
      severity,
      code,
      file: entry.file,
      ...(match ? { role: match.role } : {}),
      ...(match?.node !== undefined ? { node: match.node } : {}),
      message: entry.kubeconfigUser !== undefined ? `user ${entry.kubeconfigUser}: ${message}` : message,
      fix,
      ...(reference ? { reference } : {}),
    });

  // Key strength and type (reference §1.3: RSA ≥ 2048, P-256/P-384; Ed25519 is refused by kubeadm).
  // core leaves keyAlgorithm undefined for RSA < 2048, so the size is read from the SPKI itself.
  if (rsaBits(cert.publicKeyInfo) < 2048) {
    add(
      "error",
      "WEAK_KEY",
      `RSA key of ${cert.keyBits} bits, below the 2048-bit minimum (NIST SP 800-131A; kubeadm only makes RSA-2048 or larger, and openssl verify -auth_level 2 refuses it: "EE certificate key too weak"): whoever factors it can impersonate this certificate`,
      "generate a new key: openssl genrsa -out <name>.key 2048 (or ECDSA P-256), then re-issue",
      "§1.3",
    );
  } else if (cert.keyAlgorithm === undefined || cert.keyAlgorithm === "Ed25519") {
    add(
      "warning",
      "UNSUPPORTED_KEY",
      `public key ${cert.keyAlgorithm ?? "of an unknown type"} is not one Kubernetes loads (RSA or ECDSA P-256/P-384)`,
      "re-issue with an RSA-2048 or ECDSA-P256 key",
      "§1.3",
    );
  }
  const negative = negativeSerial(cert.tbsDer);
  if (negative !== undefined) {
    add(
      "error",
      "NEGATIVE_SERIAL",
      `serial number ${negative} is negative: Go ≥ 1.23 refuses to parse the certificate ("x509: negative serial number", crypto/x509/parser.go; only GODEBUG=x509negativeserial=1 lets it through), so no Kubernetes component loads it`,
      "re-issue it with a positive serial: openssl x509 -req … -CAcreateserial (or -set_serial 0x<random hex>)",
      "RFC 5280 §4.1.2.2",
    );
  }

  // Validity (reference §1.2; §7 item 2 for openssl's 30-day default).
  const lifetimeDays = (cert.notAfter.getTime() - cert.notBefore.getTime()) / DAY_MS;
  const left = cert.notAfter.getTime() - ctx.now.getTime();
  if (left < 0) {
    add(
      "error",
      "EXPIRED",
      `expired on ${cert.notAfter.toISOString()}`,
      match && !isCaRole(match.role)
        ? "renew it: kubeadm certs renew <name> (or kubepki renewCertificates)"
        : "re-create the CA and re-issue everything it signed",
      "§8.2",
    );
  } else if (ctx.now.getTime() < cert.notBefore.getTime()) {
    add(
      "error",
      "NOT_YET_VALID",
      `not valid before ${cert.notBefore.toISOString()}`,
      "check the clocks of the machine that issued it",
      "§1.2",
    );
  } else if (left <= ctx.expiringWithinDays * DAY_MS) {
    add(
      "warning",
      "EXPIRES_SOON",
      `expires on ${cert.notAfter.toISOString()}, within ${ctx.expiringWithinDays} days`,
      "renew it: kubeadm certs renew <name> (or kubepki renewCertificates)",
      "§8.2",
    );
  }
  if (lifetimeDays <= SHORT_VALIDITY_DAYS) {
    const isCa = match ? isCaRole(match.role) : cert.isCa;
    add(
      "warning",
      "SHORT_VALIDITY",
      `valid for only ${Math.round(lifetimeDays)} days: openssl's default when -days is omitted`,
      `pass -days ${isCa ? "3650" : "365"} (kubeadm: CA 10 years, leaves 1 year)`,
      "§7 item 2",
    );
  }
  if (
    ctx.issuer &&
    ctx.issuer.certificate !== cert &&
    cert.notAfter.getTime() > ctx.issuer.certificate.notAfter.getTime()
  ) {
    add(
      "warning",
      "VALIDITY_EXCEEDS_CA",
      `valid until ${cert.notAfter.toISOString()}, after its CA ${ctx.issuer.file} expires (${ctx.issuer.certificate.notAfter.toISOString()}): it stops verifying then`,
      "issue it with a validity that ends before the CA's, or renew the CA first",
      "§1.4",
    );
  }

  if (!match) return findings;
  const role = match.role;
  const profile = roleProfile(role);
  const spec = expectedSpec(ctx.config, match);

  // Version and CA flag (reference §1.2; §7 items 1, 10).
  if (cert.version < 3) {
    add(
      profile.isCa ? "error" : "warning",
      "V1_CERTIFICATE",
      `X.509 v${cert.version} certificate: no extensions at all (no basicConstraints, keyUsage, extendedKeyUsage or SANs)`,
      profile.isCa ? signHint(ctx, role) : `sign with extensions: ${signHint(ctx, role, spec?.sans ?? [])}`,
      profile.isCa ? "§7 item 1" : "§7 items 10, 14",
    );
  }
  if (profile.isCa) {
    if (!cert.isCa || (cert.keyUsages !== undefined && !cert.keyUsages.includes("keyCertSign"))) {
      add(
        "error",
        "NOT_A_CA",
        !cert.isCa
          ? 'a CA without basicConstraints CA:TRUE: kubeadm refuses it ("certificate ca is not a CA") and strict verifiers reject what it signed'
          : "a CA whose keyUsage lacks keyCertSign: nothing it signs verifies",
        signHint(ctx, role),
        "§1.4, §7 item 1",
      );
    }
  } else if (cert.isCa) {
    add(
      "error",
      "CA_ON_LEAF",
      "a leaf certificate with basicConstraints CA:TRUE: its key could sign certificates the whole cluster trusts",
      `re-issue it with basicConstraints=critical,CA:FALSE: ${signHint(ctx, role, spec?.sans ?? [])}`,
      "§1.1",
    );
  }

  checkSubject(ctx, role, spec, add);
  checkSans(ctx, role, spec, add);
  if (!profile.isCa && cert.version >= 3) checkUsages(ctx, role, spec, add);
  if (!profile.isCa && cert.version < 3) {
    add(
      "warning",
      "MISSING_EKU",
      `no extendedKeyUsage: the certificate is not scoped to ${profile.extKeyUsages.join(" and ")} (it would pass as ${profile.extKeyUsages.includes("serverAuth") ? "a client" : "a server"} certificate too)`,
      `add extendedKeyUsage=${profile.extKeyUsages.join(",")}: ${signHint(ctx, role, spec?.sans ?? [])}`,
      "§1.1, §7 item 11",
    );
  }
  return findings;
}

type Add = (
  severity: FindingSeverity,
  code: FindingCode,
  message: string,
  fix: string,
  reference: string | undefined,
) => void;

function checkSubject(ctx: RuleContext, role: Role, spec: CertSpec | undefined, add: Add): void {
  const cert = ctx.entry.certificate;
  const node = ctx.match?.node;
  const profile = roleProfile(role);
  const commonName = cert.subject.commonName ?? "";
  const groups = cert.subject.organizations ?? [];

  let expectedCn: string | undefined;
  if (spec) expectedCn = spec.subject.commonName;
  else if (typeof profile.commonName === "string") expectedCn = profile.commonName;
  else if (profile.commonName.from === "node-user") expectedCn = node !== undefined ? `system:node:${node}` : undefined;
  else expectedCn = node;
  const expectedGroups = spec?.subject.organizations ?? profile.organizations ?? [];
  const fixSubject = (cn: string) =>
    `issue it with -subj "${subjText(cn, expectedGroups)}": openssl req -new -key ${ctx.entry.keyPath} -subj "${subjText(cn, expectedGroups)}" -out <name>.csr, then sign again`;

  if (NODE_ROLES.includes(role) && !commonName.startsWith("system:node:")) {
    add(
      role === "kubelet-client" ? "error" : "warning",
      "WRONG_SUBJECT",
      role === "kubelet-client"
        ? `CN is ${JSON.stringify(commonName)}; the Node authorizer only accepts users system:node:<nodeName>`
        : `CN is ${JSON.stringify(commonName)}; a kubelet serving certificate (kubernetes.io/kubelet-serving signer) has CN system:node:<nodeName>, one per node`,
      fixSubject(expectedCn ?? "system:node:<nodeName>"),
      role === "kubelet-client" ? "§4.1, §6" : "§4.2, §7 item 29",
    );
  } else if (expectedCn !== undefined && commonName !== expectedCn) {
    const identity = CN_IS_IDENTITY.includes(role);
    const why: Partial<Record<Role, string>> = {
      scheduler: "the default RBAC bindings name the user system:kube-scheduler, so this one gets no permissions",
      "controller-manager":
        "the default RBAC bindings name the user system:kube-controller-manager, so this one gets no permissions",
      "kube-proxy": "the default binding system:node-proxier names the user system:kube-proxy",
      "front-proxy-client": "the API server only trusts front-proxy headers from CNs in --requestheader-allowed-names",
      "kubelet-client": "the Node authorizer keys off the exact node name",
    };
    add(
      identity ? "error" : "warning",
      "WRONG_SUBJECT",
      `CN is ${JSON.stringify(commonName)}, expected ${JSON.stringify(expectedCn)}${why[role] ? `: ${why[role]}` : " (kubeadm's)"}`,
      fixSubject(expectedCn),
      role === "scheduler" || role === "controller-manager" || role === "kube-proxy"
        ? "§6, §7 item 8"
        : profile.isCa
          ? "§1.1, §7 item 3"
          : "§1.1",
    );
  }

  // Groups (reference §6: groups = every O).
  const masters = groups.includes(GROUPS.masters);
  if (role === "admin") {
    if (!masters && !groups.includes(GROUPS.clusterAdmins)) {
      add(
        "error",
        "MISSING_GROUP",
        `no group that grants rights (O is ${groups.length ? groups.join(", ") : "absent"}): the admin authenticates but is allowed nothing`,
        `issue it with -subj "${subjText(spec?.subject.commonName ?? "kubernetes-admin", [GROUPS.clusterAdmins])}" (kubeadm's admin.conf; kubeadm binds kubeadm:cluster-admins to cluster-admin)`,
        "§3, §6, §7 item 4",
      );
    } else if (masters) {
      add(
        "warning",
        "SUPERUSER_GROUP",
        "O=system:masters: an unrevocable superuser (no RBAC binding can take it back); kubeadm keeps it for the break-glass super-admin.conf",
        `issue admin.conf with -subj "${subjText("kubernetes-admin", [GROUPS.clusterAdmins])}" and keep system:masters for super-admin.conf`,
        "§3, §6, §7 item 7",
      );
    }
    return;
  }
  if (role === "super-admin") {
    if (!masters) {
      add(
        "error",
        "MISSING_GROUP",
        "super-admin.conf without O=system:masters cannot serve as the break-glass identity",
        `issue it with -subj "${subjText("kubernetes-super-admin", [GROUPS.masters])}"`,
        "§3",
      );
    }
    return;
  }
  if (role === "apiserver-kubelet-client") {
    if (masters) {
      add(
        "warning",
        "SUPERUSER_GROUP",
        "O=system:masters (kubeadm ≤ 1.28): works, but an unrevocable superuser; kubeadm ≥ 1.29 uses kubeadm:cluster-admins",
        `issue it with -subj "${subjText("kube-apiserver-kubelet-client", [GROUPS.clusterAdmins])}"`,
        "§0, §6",
      );
    } else if (!groups.includes(GROUPS.clusterAdmins)) {
      add(
        "warning",
        "MISSING_GROUP",
        "no kubeadm:cluster-admins group: unless another binding allows it, kubelets refuse logs/exec/port-forward from the API server",
        `issue it with -subj "${subjText("kube-apiserver-kubelet-client", [GROUPS.clusterAdmins])}" (or bind ClusterRole system:kubelet-api-admin to the user)`,
        "§6",
      );
    }
    return;
  }
  if (NODE_ROLES.includes(role)) {
    if (!groups.includes(GROUPS.nodes)) {
      add(
        role === "kubelet-client" ? "error" : "warning",
        "MISSING_GROUP",
        `no O=system:nodes: ${role === "kubelet-client" ? "the Node authorizer only authorizes group system:nodes" : "the kubelet-serving signer requires O exactly system:nodes"}`,
        fixSubject(expectedCn ?? "system:node:<nodeName>"),
        role === "kubelet-client" ? "§4.1, §6" : "§4.2",
      );
    }
    for (const group of groups.filter((candidate) => candidate !== GROUPS.nodes)) {
      add(
        group === GROUPS.masters ? "error" : "warning",
        group === GROUPS.masters ? "SUPERUSER_GROUP" : "UNEXPECTED_GROUP",
        `O=${group}: a node's certificate carries O exactly system:nodes${group === GROUPS.masters ? " — this one makes every holder of the node's key an unrevocable superuser" : ""}`,
        fixSubject(expectedCn ?? "system:node:<nodeName>"),
        "§4.1, §6",
      );
    }
    return;
  }
  const unexpected = groups.filter((group) => !expectedGroups.includes(group));
  if (unexpected.length > 0) {
    const etcd = role === "etcd-server" || role === "etcd-peer";
    add(
      "warning",
      masters ? "SUPERUSER_GROUP" : "UNEXPECTED_GROUP",
      `O=${unexpected.join(", ")}: kubeadm sets ${expectedGroups.length ? `O=${expectedGroups.join(", ")}` : "no O"} here${etcd ? " (etcd ignores O; its CN is the node name)" : ""}`,
      fixSubject(expectedCn ?? (etcd ? "<nodeName>" : String(profile.commonName))),
      etcd ? "§2.2, §7 item 27" : "§1.1",
    );
  }
}

/** The SANs a role needs: the exact kubeadm set with a config, the unavoidable minimum without. */
function requiredSans(
  role: Role,
  spec: CertSpec | undefined,
): { sans: readonly SubjectAltName[]; atLeastOne: boolean } | undefined {
  if (spec && spec.sans.length > 0 && !roleProfile(role).isCa) return { sans: spec.sans, atLeastOne: true };
  switch (role) {
    case "apiserver":
      // Without a config only what every API server certificate carries (reference §2.1 items
      // 2-3, kubeadm's default serviceSubnet 10.96.0.0/12).
      return {
        sans: [
          ...APISERVER_SERVICE_NAMES.map((value): SubjectAltName => ({ type: "dns", value })),
          { type: "dns", value: `${APISERVER_SERVICE_FQDN_PREFIX}.cluster.local` },
          { type: "ip", value: "10.96.0.1" },
        ],
        atLeastOne: true,
      };
    case "etcd-server":
      return {
        sans: [
          { type: "dns", value: ETCD_LOOPBACK_SANS.dns[0] },
          { type: "ip", value: ETCD_LOOPBACK_SANS.ips[0] },
        ],
        atLeastOne: true,
      };
    case "etcd-peer":
    case "kubelet-serving":
      return { sans: [], atLeastOne: true };
    default:
      return undefined;
  }
}

function checkSans(ctx: RuleContext, role: Role, spec: CertSpec | undefined, add: Add): void {
  const cert = ctx.entry.certificate;
  const present = cert.subjectAltNames;
  if (role === "kubelet-client" && present.length > 0) {
    add(
      "warning",
      "UNEXPECTED_SAN",
      `SANs ${present.map(sanText).join(", ")} on a kubelet client certificate: the kube-apiserver-client-kubelet signer refuses any SAN, so rotation would not reproduce it`,
      "issue it without subjectAltName",
      "§4.1",
    );
    return;
  }
  const required = requiredSans(role, spec);
  if (!required) return;
  const missing = required.sans.filter((want) => !present.some((have) => sameSan(have, want)));
  const none = present.filter((san) => san.type === "dns" || san.type === "ip").length === 0;
  if (missing.length === 0 && !(required.atLeastOne && none)) return;
  const all = required.sans.length > 0 ? required.sans : [];
  const why: Partial<Record<Role, string>> = {
    apiserver: 'clients that dial these names get "x509: certificate is not valid for …"',
    "etcd-server": "the API server and etcdctl dial https://127.0.0.1:2379 and cannot verify it",
    "etcd-peer": "peers cannot verify each other (--peer-client-cert-auth)",
    "kubelet-serving":
      "the API server cannot verify the kubelet; the kubelet-serving signer needs at least one DNS/IP SAN",
  };
  add(
    "error",
    "MISSING_SAN",
    `${none ? "no DNS/IP SANs at all" : `missing SANs ${missing.map(sanText).join(", ")}`}: ${why[role] ?? "clients cannot verify it"}${ctx.config ? "" : " (checked without a cluster config: only the names every cluster needs)"}`,
    `re-issue it with subjectAltName=${all.length ? all.map(sanText).join(",") : "DNS:<node name>,IP:<node address>"} — note openssl x509 -req drops the CSR's SANs unless -copy_extensions copyall or -extfile is given: ${signHint(ctx, role, all)}`,
    role === "apiserver"
      ? "§2.1, §7 items 13-14"
      : role === "kubelet-serving"
        ? "§4.2, §7 item 29"
        : "§2.2, §7 item 27",
  );
}

function checkUsages(ctx: RuleContext, role: Role, spec: CertSpec | undefined, add: Add): void {
  const cert = ctx.entry.certificate;
  const profile = roleProfile(role);
  const wanted = profile.extKeyUsages;
  const ekus = cert.extKeyUsages;
  const hint = signHint(ctx, role, spec?.sans ?? []);
  if (ekus === undefined) {
    add(
      "warning",
      "MISSING_EKU",
      `no extendedKeyUsage: accepted by Go as "any", but not scoped to ${wanted.join(" and ")}`,
      `add extendedKeyUsage=${wanted.join(",")}: ${hint}`,
      "§1.1, §7 items 11, 27",
    );
  } else if (!ekus.includes("any")) {
    const missing = wanted.filter((usage) => !ekus.includes(usage));
    if (missing.length > 0) {
      add(
        "error",
        "MISSING_EKU",
        `extendedKeyUsage ${ekus.join(", ") || "(empty)"} lacks ${missing.join(", ")}: Go refuses it for ${missing.includes("serverAuth") ? "serving" : "client authentication"}${role === "etcd-server" || role === "etcd-peer" ? " (etcd needs both serverAuth and clientAuth)" : ""}`,
        `issue it with extendedKeyUsage=${wanted.join(",")}: ${hint}`,
        role === "etcd-server" || role === "etcd-peer" ? "§1.1, §7 item 27" : "§1.1",
      );
    }
    const extra = ekus.filter((usage) => !wanted.includes(usage as (typeof wanted)[number]));
    if (extra.length > 0) {
      add(
        "warning",
        "EXTRA_EKU",
        `extendedKeyUsage also allows ${extra.join(", ")}; kubeadm gives this role only ${wanted.join(", ")}`,
        `issue it with extendedKeyUsage=${wanted.join(",")}`,
        "§1.1",
      );
    }
  }
  const usages = cert.keyUsages;
  if (usages === undefined) {
    add(
      "warning",
      "WRONG_KEY_USAGE",
      "no keyUsage extension (kubeadm: critical digitalSignature, keyEncipherment)",
      `add keyUsage=critical,digitalSignature,keyEncipherment: ${hint}`,
      "§1.2",
    );
    return;
  }
  if (!usages.includes("digitalSignature")) {
    add(
      "error",
      "WRONG_KEY_USAGE",
      `keyUsage ${usages.join(", ") || "(empty)"} lacks digitalSignature: TLS handshakes need it (openssl verify -purpose ssl${wanted.includes("serverAuth") ? "server" : "client"} refuses it)`,
      `issue it with keyUsage=critical,digitalSignature,keyEncipherment: ${hint}`,
      "§1.2, §7 item 13",
    );
  }
  if (usages.includes("keyCertSign") || usages.includes("cRLSign")) {
    add(
      "error",
      "WRONG_KEY_USAGE",
      `keyUsage ${usages.join(", ")} on a leaf allows signing certificates/CRLs`,
      `issue it with keyUsage=critical,digitalSignature,keyEncipherment: ${hint}`,
      "§1.2",
    );
  }
  if (
    wanted.includes("serverAuth") &&
    cert.keyAlgorithm?.startsWith("RSA") &&
    !usages.includes("keyEncipherment") &&
    usages.includes("digitalSignature")
  ) {
    add(
      "warning",
      "WRONG_KEY_USAGE",
      "RSA server certificate without keyEncipherment: TLS 1.2 RSA key exchange needs it (kubeadm sets it)",
      "issue it with keyUsage=critical,digitalSignature,keyEncipherment",
      "§1.2",
    );
  }
}

const RSA_ENCRYPTION = "1.2.840.113549.1.1.1";

/** The modulus size of an RSA public key, Infinity for any other key (or one that does not read). */
function rsaBits(publicKeyInfo: Uint8Array): number {
  try {
    const key = describePublicKeyInfo(publicKeyInfo);
    return key.oid === RSA_ENCRYPTION ? key.bits : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** A DER length at `at`: the value's start and length. */
function derLength(der: Uint8Array, at: number): { start: number; length: number } | undefined {
  const first = der[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return { start: at + 1, length: first };
  const count = first & 0x7f;
  if (count === 0 || count > 4) return undefined;
  let length = 0;
  for (let i = 1; i <= count; i++) length = length * 256 + (der[at + i] ?? 0);
  return { start: at + 1 + count, length };
}

/**
 * The serial number when it is negative (a two's-complement INTEGER whose first octet has the high
 * bit set), read from the TBSCertificate: `Certificate.serialNumber` is the unsigned hex form.
 */
export function negativeSerial(tbs: Uint8Array): bigint | undefined {
  const outer = tbs[0] === 0x30 ? derLength(tbs, 1) : undefined;
  if (!outer) return undefined;
  let at = outer.start;
  if (tbs[at] === 0xa0) {
    const version = derLength(tbs, at + 1);
    if (!version) return undefined;
    at = version.start + version.length;
  }
  const serial = tbs[at] === 0x02 ? derLength(tbs, at + 1) : undefined;
  if (!serial || serial.length === 0 || ((tbs[serial.start] as number) & 0x80) === 0) return undefined;
  let value = 0n;
  for (let i = 0; i < serial.length; i++) value = (value << 8n) | BigInt(tbs[serial.start + i] ?? 0);
  return value - (1n << BigInt(8 * serial.length));
}

/** The (DNS/IP) SANs of a certificate as `DNS:x` / `IP:y` texts. */
export function sanTexts(sans: readonly SubjectAltName[]): string[] {
  return sans.map(sanText);
}
