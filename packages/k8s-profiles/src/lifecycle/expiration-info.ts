import { KubepkiError } from "@kubepki/core";
import type { CertificateExpirationInfo, ExpirationInfoCertificate } from "@kubepki/renderers";
import type { ExpirationRow } from "./expiration.js";

/** `metav1.Time` as JSON: RFC 3339 in UTC, whole seconds (Go's `time.RFC3339` drops the fraction). */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * kubeadm's `CertificateExpirationInfo` (`output.kubeadm.k8s.io/v1alpha3`) for rows of
 * `checkExpiration`, filled as kubeadm's `fetchCertificateExpirationInfo`
 * (cmd/kubeadm/app/cmd/certs.go) fills it: certificates and kubeconfigs in `certificates` with
 * `caName`, CAs in `certificateAuthorities` without it; `residualTime` is whole seconds left
 * (`int64(ResidualTime() / time.Second)`, truncated, negative once expired); `missing` is always
 * false (kubepki lists the files it finds, it has no list of expected ones). Field names from
 * cmd/kubeadm/app/apis/output/v1alpha3/types.go. Render it with `renderExpirationInfoJson` /
 * `renderExpirationInfoYaml` of `@kubepki/renderers`.
 *
 * @throws KubepkiError `INVALID_ARGUMENT` for a `now` that is not a valid Date.
 *
 * @example
 * ```ts
 * import { expirationInfo } from "@kubepki/k8s-profiles";
 *
 * const info = expirationInfo(
 *   [{ name: "ca", file: "pki/ca.crt", expires: new Date("2035-08-17T09:03:00Z"), residual: "9y", certificateAuthority: "", externallyManaged: false, kind: "ca" }],
 *   new Date("2035-08-17T09:02:00Z"),
 * );
 * console.log(info.certificateAuthorities[0]?.residualTime, info.certificateAuthorities[0]?.expirationDate); // 60 "2035-08-17T09:03:00Z"
 * ```
 */
export function expirationInfo(rows: readonly ExpirationRow[], now: Date): CertificateExpirationInfo {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new KubepkiError("INVALID_ARGUMENT", "now: expected a valid Date", { details: { field: "now" } });
  }
  const entry = (row: ExpirationRow): ExpirationInfoCertificate => ({
    name: row.name,
    expirationDate: rfc3339(row.expires),
    residualTime: Math.trunc((row.expires.getTime() - now.getTime()) / 1000),
    externallyManaged: row.externallyManaged,
    caName: row.kind === "ca" ? "" : row.certificateAuthority,
    missing: false,
  });
  return {
    kind: "CertificateExpirationInfo",
    apiVersion: "output.kubeadm.k8s.io/v1alpha3",
    certificates: rows.filter((row) => row.kind !== "ca").map(entry),
    certificateAuthorities: rows.filter((row) => row.kind === "ca").map(entry),
  };
}
