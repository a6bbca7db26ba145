import { KubepkiError } from "@kubepki/core";
import type { CertificateTimes } from "@kubepki/renderers";
import type { ClusterFiles } from "../files/read-files.js";
import { type CheckExpirationOptions, expirationEntries } from "./expiration.js";

/**
 * The certificates of `checkExpiration` (same rows, same order) with what metrics and exit codes
 * need beyond the row: notBefore, the subject's and issuer's CN, the role. Feed it to
 * `renderExpiryMetrics` of `@kubepki/renderers` or to {@link expiryStatus}.
 *
 * @throws KubepkiError `INVALID_ARGUMENT` for a `files` value that is not a map/object, or a bad `now`.
 *
 * @example
 * ```ts
 * import { certificateTimes } from "@kubepki/k8s-profiles";
 *
 * console.log(certificateTimes({ "pki/ca.crt": "not a certificate" })); // []
 * ```
 */
export function certificateTimes(files: ClusterFiles, options: CheckExpirationOptions = {}): CertificateTimes[] {
  return expirationEntries(files, options).map(({ row, certificate, role }) => ({
    name: row.name,
    file: row.file,
    commonName: certificate.subject.commonName ?? "",
    issuer: certificate.issuer.commonName ?? certificate.issuerText,
    role: role ?? "",
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
  }));
}

/**
 * Options of {@link expiryStatus}.
 *
 * @example
 * ```ts
 * import type { ExpiryStatusOptions } from "@kubepki/k8s-profiles";
 *
 * const options: ExpiryStatusOptions = { now: new Date("2025-01-01T00:00:00Z"), warnWithinMs: 30 * 86_400_000 };
 * ```
 */
export interface ExpiryStatusOptions {
  /** The clock (default `new Date()`). */
  readonly now?: Date;
  /** The warning window in milliseconds; without it nothing is "expiring". */
  readonly warnWithinMs?: number;
}

/**
 * Which certificates need attention: `invalid` (expired, or not valid yet: they fail every
 * handshake now) and `expiring` (valid now, expiring within `warnWithinMs`, the bound included).
 * The CLI maps this to its exit codes: 3 for any invalid, else 1 for any expiring, else 0.
 *
 * @throws KubepkiError `INVALID_ARGUMENT` for a bad `now` or a negative or non-finite `warnWithinMs`.
 *
 * @example
 * ```ts
 * import { expiryStatus } from "@kubepki/k8s-profiles";
 *
 * const apiserver = {
 *   name: "apiserver", file: "pki/apiserver.crt", commonName: "kube-apiserver", issuer: "kubernetes", role: "apiserver",
 *   notBefore: new Date("2025-01-01T00:00:00Z"), notAfter: new Date("2025-01-11T00:00:00Z"),
 * };
 * const status = expiryStatus([apiserver], { now: new Date("2025-01-02T00:00:00Z"), warnWithinMs: 30 * 86_400_000 });
 * console.log(status.invalid.length, status.expiring.map((c) => c.name)); // 0 ["apiserver"]
 * ```
 */
export function expiryStatus(
  certificates: readonly CertificateTimes[],
  options: ExpiryStatusOptions = {},
): { invalid: CertificateTimes[]; expiring: CertificateTimes[] } {
  const now = options.now ?? new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new KubepkiError("INVALID_ARGUMENT", "now: expected a valid Date", { details: { field: "now" } });
  }
  const window = options.warnWithinMs;
  if (window !== undefined && (typeof window !== "number" || !Number.isFinite(window) || window < 0)) {
    throw new KubepkiError("INVALID_ARGUMENT", "warnWithinMs: expected a number ≥ 0", {
      details: { field: "warnWithinMs" },
    });
  }
  const at = now.getTime();
  const isInvalid = (c: CertificateTimes) => c.notAfter.getTime() <= at || c.notBefore.getTime() > at;
  const invalid = certificates.filter(isInvalid);
  const expiring =
    window === undefined ? [] : certificates.filter((c) => !isInvalid(c) && c.notAfter.getTime() - at <= window);
  return { invalid, expiring };
}
