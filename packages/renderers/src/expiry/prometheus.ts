// Certificate expiry as Prometheus metrics, in the text exposition format that node_exporter's
// textfile collector reads (prometheus.io/docs/instrumenting/exposition_formats/).

/**
 * One certificate as {@link renderExpiryMetrics} exports it: the labels and the two instants.
 *
 * @example
 * ```ts
 * import type { CertificateTimes } from "@kubepki/renderers";
 *
 * const times: CertificateTimes = {
 *   name: "apiserver",
 *   file: "pki/apiserver.crt",
 *   commonName: "kube-apiserver",
 *   issuer: "kubernetes",
 *   role: "apiserver",
 *   notBefore: new Date("2025-08-19T09:03:00Z"),
 *   notAfter: new Date("2026-08-19T09:03:00Z"),
 * };
 * ```
 */
export interface CertificateTimes {
  /** The row name of check-expiration (`apiserver`, `admin.conf`, `ca`, `apiserver:cp-2`). */
  readonly name: string;
  /** The certificate file, or the kubeconfig that embeds it. */
  readonly file: string;
  /** The subject's CN (`""` when it has none). */
  readonly commonName: string;
  /** The issuer's CN, or its whole name when it has no CN. */
  readonly issuer: string;
  /** kubepki's role name (`apiserver`, `etcd-peer`…), `""` for a file outside the kubeadm layout. */
  readonly role: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** The two gauges, once: name, help text and the instant each reads. */
const EXPIRY_METRICS = [
  {
    name: "kubepki_certificate_expiry_timestamp_seconds",
    help: "When the certificate expires (notAfter), as Unix time in seconds.",
    value: (times: CertificateTimes) => times.notAfter,
  },
  {
    name: "kubepki_certificate_not_before_timestamp_seconds",
    help: "When the certificate becomes valid (notBefore), as Unix time in seconds.",
    value: (times: CertificateTimes) => times.notBefore,
  },
] as const;

/** A label value as the exposition format requires: backslash, double quote and newline escaped. */
function labelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/**
 * The expiry of every certificate as two Prometheus gauges, for node_exporter's textfile collector:
 * `kubepki_certificate_expiry_timestamp_seconds` (notAfter) and
 * `kubepki_certificate_not_before_timestamp_seconds` (notBefore), each with the labels `file`,
 * `cn`, `issuer`, `role` and `name`, values in Unix seconds. `# HELP` and `# TYPE … gauge` come
 * once before each family; label values are escaped as the format says (`\\`, `\"`, `\n`).
 *
 * @example
 * ```ts
 * import { renderExpiryMetrics } from "@kubepki/renderers";
 *
 * const text = renderExpiryMetrics([
 *   {
 *     name: "apiserver", file: "pki/apiserver.crt", commonName: "kube-apiserver", issuer: "kubernetes",
 *     role: "apiserver", notBefore: new Date("2025-08-19T09:03:00Z"), notAfter: new Date("2026-08-19T09:03:00Z"),
 *   },
 * ]);
 * console.log(text.split("\n")[2]);
 * // 'kubepki_certificate_expiry_timestamp_seconds{file="pki/apiserver.crt",cn="kube-apiserver",issuer="kubernetes",role="apiserver",name="apiserver"} 1787130180'
 * ```
 */
export function renderExpiryMetrics(certificates: readonly CertificateTimes[]): string {
  const lines: string[] = [];
  for (const metric of EXPIRY_METRICS) {
    lines.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} gauge`);
    for (const times of certificates) {
      const labels = [
        ["file", times.file],
        ["cn", times.commonName],
        ["issuer", times.issuer],
        ["role", times.role],
        ["name", times.name],
      ]
        .map(([label, value]) => `${label}="${labelValue(value as string)}"`)
        .join(",");
      lines.push(`${metric.name}{${labels}} ${Math.floor(metric.value(times).getTime() / 1000)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
