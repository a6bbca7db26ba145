import { KubepkiError } from "@kubepki/core";
import {
  basename,
  bytesEqual,
  type ClusterFiles,
  isCaRole,
  readTree,
  roleByPath,
  splitNodePath,
  type Tree,
  type TreeCertificate,
} from "../files/read-files.js";
import { certificateName } from "../roles/cert-names.js";
import { KUBECONFIG_FILES, USERS_DIR } from "../roles/constants.js";
import { type Role, roleProfile } from "../roles/profiles.js";

/**
 * One row of {@link checkExpiration}, as `kubeadm certs check-expiration` prints it (reference
 * §8.1), plus the file it comes from.
 *
 * @example
 * ```ts
 * import type { ExpirationRow } from "@kubepki/k8s-profiles";
 *
 * const row: ExpirationRow = {
 *   name: "apiserver",
 *   file: "pki/apiserver.crt",
 *   expires: new Date("2026-08-19T09:03:00Z"),
 *   residual: "360d",
 *   certificateAuthority: "ca",
 *   externallyManaged: false,
 *   kind: "certificate",
 * };
 * ```
 */
export interface ExpirationRow {
  /**
   * kubeadm's name (`apiserver`, `etcd-server`, `admin.conf`, `ca`, `etcd-ca`…); in kubepki's
   * layout a node's own copy is `<name>:<node>` (`apiserver:cp-2`, `admin.conf:cp-2`,
   * `kubelet-serving:worker-1`); files outside the kubeadm layout are named by their path.
   */
  readonly name: string;
  /** The certificate file, or the kubeconfig that embeds it. */
  readonly file: string;
  readonly expires: Date;
  /** kubeadm's `ShortHumanDuration` of the time left: `59s`, `42m`, `23h`, `364d`, `9y`, `<invalid>` once expired. */
  readonly residual: string;
  /** The name of the CA row that signed it (`ca`, `etcd-ca`, `front-proxy-ca`); `""` for CAs and unknown issuers. */
  readonly certificateAuthority: string;
  /** True when the signing CA's key is not in the tree (for CA rows: its own key), kubeadm's external-CA mode (§8.3). */
  readonly externallyManaged: boolean;
  readonly kind: "certificate" | "kubeconfig" | "ca";
}

/**
 * Options of {@link checkExpiration}.
 *
 * @example
 * ```ts
 * import type { CheckExpirationOptions } from "@kubepki/k8s-profiles";
 *
 * const options: CheckExpirationOptions = { now: new Date("2025-01-01T00:00:00Z") };
 * ```
 */
export interface CheckExpirationOptions {
  /** The clock (default `new Date()`). */
  now?: Date;
}

const SECOND = 1000;

/**
 * kubeadm's residual time: whole seconds left (truncated, as `int64(d / time.Second)`), then
 * apimachinery's `duration.ShortHumanDuration` — the RESIDUAL TIME of {@link checkExpiration}'s
 * rows, for a certificate that is not a file (one a server presents).
 *
 * @example
 * ```ts
 * import { shortHumanDuration } from "@kubepki/k8s-profiles";
 *
 * console.log(shortHumanDuration(364 * 86_400_000 + 5000), shortHumanDuration(-5000)); // "364d" "<invalid>"
 * ```
 */
export function shortHumanDuration(milliseconds: number): string {
  const seconds = Math.trunc(milliseconds / SECOND);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(seconds / 3600);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** A certificate or kubeconfig of the tree under its kubeadm-style row name (and role, when its path says). */
export interface NamedCertificate {
  readonly name: string;
  readonly entry: TreeCertificate;
  readonly kind: ExpirationRow["kind"];
  readonly role?: Role;
}

/**
 * Names every certificate of the tree as check-expiration and renew do: {@link certificateName}
 * for kubeadm's layout (kubeadm's names, `<name>:<node>` under `nodes/<node>/`), the path for
 * anything else. `kubelet.conf`
 * is left out (the kubelet rotates it, §8.1), and so are kubepki's `users/` copies when their
 * kubeconfig is present and node copies of a CA already listed.
 *
 * @internal
 */
export function namedCertificates(tree: Tree): NamedCertificate[] {
  const named: NamedCertificate[] = [];
  const seenCas: TreeCertificate[] = [];
  // Root files first so that node copies of a CA are recognised as copies.
  const ordered = [...tree.certificates].sort(
    (a, b) => Number(a.file.startsWith("nodes/")) - Number(b.file.startsWith("nodes/")),
  );
  for (const entry of ordered) {
    const cert = entry.certificate;
    if (entry.source === "kubeconfig") {
      if (basename(entry.file) === KUBECONFIG_FILES.kubelet) continue;
      const users = tree.certificates.filter((other) => other.file === entry.file);
      const role = roleByPath(entry.file)?.role;
      const name = role ? certificateName(role, entry.file) : entry.file;
      named.push({
        name: users.length > 1 ? `${name}#${entry.kubeconfigUser}` : name,
        entry,
        kind: "kubeconfig",
        ...(role ? { role } : {}),
      });
      continue;
    }
    const byPath = roleByPath(entry.file);
    const selfSigned = bytesEqual(cert.subjectDer, cert.issuerDer);
    const isCa = byPath ? isCaRole(byPath.role) : cert.isCa || selfSigned;
    if (isCa) {
      if (seenCas.some((ca) => ca.certificate.fingerprintSha256 === cert.fingerprintSha256)) continue;
      seenCas.push(entry);
    }
    let name: string;
    if (byPath?.rule.startsWith(`${USERS_DIR}/`)) {
      // A standalone copy of a kubeconfig identity: the kubeconfig is the row.
      const { node } = splitNodePath(entry.file);
      const conf = `${node === undefined ? "" : `nodes/${node}/`}${roleProfile(byPath.role).kubeconfig}`;
      if (tree.texts.has(conf) || byPath.role === "kubelet-client") continue;
      name = entry.file;
    } else if (byPath) {
      name = certificateName(byPath.role, entry.file);
    } else {
      name = entry.file;
    }
    named.push({ name, entry, kind: isCa ? "ca" : "certificate", ...(byPath ? { role: byPath.role } : {}) });
  }
  return named;
}

/** The CA row (by name) that issued a certificate: same subject, and AKI = SKI when both are present. */
function issuingCa(entry: TreeCertificate, cas: readonly NamedCertificate[]): NamedCertificate | undefined {
  const cert = entry.certificate;
  const candidates = cas.filter((ca) => bytesEqual(ca.entry.certificate.subjectDer, cert.issuerDer));
  return (
    candidates.find(
      (ca) =>
        cert.authorityKeyIdentifier === undefined ||
        ca.entry.certificate.subjectKeyIdentifier === undefined ||
        ca.entry.certificate.subjectKeyIdentifier === cert.authorityKeyIdentifier,
    ) ?? candidates[0]
  );
}

/**
 * Lists when every certificate of a tree expires, like `kubeadm certs check-expiration`
 * (reference §8.1): certificates and kubeconfig-embedded client certificates first (sorted by
 * name; `kubelet.conf` excluded as kubeadm does), then the CAs (sorted by name). `residual` is
 * computed as kubeadm does (`364d`, `9y`); `externallyManaged` is true when the signing CA's key
 * is absent. Pure and synchronous: no signature is checked (see `auditCluster` for that), and
 * files that do not parse are skipped.
 *
 * @throws KubepkiError `INVALID_ARGUMENT` for a `files` value that is not a map/object, or a bad `now`.
 *
 * @example
 * ```ts
 * import { checkExpiration } from "@kubepki/k8s-profiles";
 *
 * console.log(checkExpiration({ "pki/ca.crt": "not a certificate" })); // []
 * ```
 */
export function checkExpiration(files: ClusterFiles, options: CheckExpirationOptions = {}): ExpirationRow[] {
  return expirationEntries(files, options).map((entry) => entry.row);
}

/** A row of {@link checkExpiration} with the certificate and role it was made from. */
export interface ExpirationEntry {
  readonly row: ExpirationRow;
  readonly certificate: TreeCertificate["certificate"];
  readonly role?: Role;
}

/**
 * The rows of {@link checkExpiration} in its order, each with its certificate (for callers that
 * need more than the row: notBefore, subject and issuer for metrics and exit codes).
 *
 * @internal
 */
export function expirationEntries(files: ClusterFiles, options: CheckExpirationOptions = {}): ExpirationEntry[] {
  const now = options.now ?? new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new KubepkiError("INVALID_ARGUMENT", "now: expected a valid Date", { details: { field: "now" } });
  }
  const tree = readTree(files);
  const named = namedCertificates(tree);
  const cas = named.filter((item) => item.kind === "ca");
  const entry = (item: NamedCertificate): ExpirationEntry => {
    const ca = item.kind === "ca" ? undefined : issuingCa(item.entry, cas);
    const row: ExpirationRow = {
      name: item.name,
      file: item.entry.file,
      expires: item.entry.certificate.notAfter,
      residual: shortHumanDuration(item.entry.certificate.notAfter.getTime() - now.getTime()),
      certificateAuthority: ca?.name ?? "",
      externallyManaged:
        item.kind === "ca" ? item.entry.key === undefined : ca !== undefined && ca.entry.key === undefined,
      kind: item.kind,
    };
    return { row, certificate: item.entry.certificate, ...(item.role ? { role: item.role } : {}) };
  };
  const byName = (a: ExpirationEntry, b: ExpirationEntry) =>
    a.row.name < b.row.name ? -1 : a.row.name > b.row.name ? 1 : 0;
  return [
    ...named
      .filter((item) => item.kind !== "ca")
      .map(entry)
      .sort(byName),
    ...cas.map(entry).sort(byName),
  ];
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Go's `Jan 02, 2006 15:04 MST` in UTC, kubeadm's EXPIRES column (as {@link expirationTableCells}
 * prints it).
 *
 * @example
 * ```ts
 * import { formatExpirationDate } from "@kubepki/k8s-profiles";
 *
 * console.log(formatExpirationDate(new Date("2035-08-17T09:03:00Z"))); // "Aug 17, 2035 09:03 UTC"
 * ```
 */
export function formatExpirationDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())}, ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/**
 * Go's `text/tabwriter` as kubeadm configures it (`NewWriter(w, 10, 4, 3, ' ', 0)`): every
 * tab-terminated cell is padded to the widest cell of its column + 3, at least 10; the last cell
 * of a line is written as is.
 */
function tabwrite(lines: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const cells of lines) {
    cells.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 10, [...cell].length + 3);
    });
  }
  return lines.map((cells) =>
    cells
      .map((cell, i) =>
        i < cells.length - 1 ? cell.padEnd((widths[i] as number) + cell.length - [...cell].length) : cell,
      )
      .join(""),
  );
}

/**
 * The cells of kubeadm's two check-expiration tables, header row first: the certificates
 * (CERTIFICATE, EXPIRES, RESIDUAL TIME, CERTIFICATE AUTHORITY, EXTERNALLY MANAGED) and the CAs
 * (CERTIFICATE AUTHORITY, EXPIRES, RESIDUAL TIME, EXTERNALLY MANAGED). For a caller with its own
 * layout (the CLI fits them to the terminal); {@link formatExpirationTable} aligns them as kubeadm.
 *
 * @example
 * ```ts
 * import { expirationTableCells } from "@kubepki/k8s-profiles";
 *
 * const { authorities } = expirationTableCells([
 *   { name: "ca", file: "pki/ca.crt", expires: new Date("2035-08-17T09:03:00Z"), residual: "9y", certificateAuthority: "", externallyManaged: false, kind: "ca" },
 * ]);
 * console.log(authorities[1]); // ["ca", "Aug 17, 2035 09:03 UTC", "9y", "no"]
 * ```
 */
export function expirationTableCells(rows: readonly ExpirationRow[]): {
  certificates: string[][];
  authorities: string[][];
} {
  const yesNo = (value: boolean) => (value ? "yes" : "no");
  return {
    certificates: [
      ["CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED"],
      ...rows
        .filter((row) => row.kind !== "ca")
        .map((row) => [
          row.name,
          formatExpirationDate(row.expires),
          row.residual,
          row.certificateAuthority,
          yesNo(row.externallyManaged),
        ]),
    ],
    authorities: [
      ["CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "EXTERNALLY MANAGED"],
      ...rows
        .filter((row) => row.kind === "ca")
        .map((row) => [row.name, formatExpirationDate(row.expires), row.residual, yesNo(row.externallyManaged)]),
    ],
  };
}

/**
 * Prints rows of {@link checkExpiration} exactly as `kubeadm certs check-expiration` does: the
 * certificate table (CERTIFICATE, EXPIRES, RESIDUAL TIME, CERTIFICATE AUTHORITY, EXTERNALLY
 * MANAGED), an empty line, the CA table (CERTIFICATE AUTHORITY, EXPIRES, RESIDUAL TIME,
 * EXTERNALLY MANAGED); columns aligned as Go's tabwriter aligns them, `yes`/`no` padded to 8.
 *
 * @example
 * ```ts
 * import { formatExpirationTable } from "@kubepki/k8s-profiles";
 *
 * const table = formatExpirationTable([
 *   { name: "ca", file: "pki/ca.crt", expires: new Date("2035-08-17T09:03:00Z"), residual: "9y", certificateAuthority: "", externallyManaged: false, kind: "ca" },
 * ]);
 * console.log(table.split("\n")[3]); // "ca                      Aug 17, 2035 09:03 UTC   9y              no      "
 * ```
 */
export function formatExpirationTable(rows: readonly ExpirationRow[]): string {
  // kubeadm prints the yes/no of the last column with fmt's %-8s.
  const padLast = (table: string[][]) =>
    table.map((cells, i) => (i === 0 ? cells : [...cells.slice(0, -1), (cells.at(-1) as string).padEnd(8)]));
  const { certificates, authorities } = expirationTableCells(rows);
  return `${[...tabwrite(padLast(certificates)), "", ...tabwrite(padLast(authorities))].join("\n")}\n`;
}
