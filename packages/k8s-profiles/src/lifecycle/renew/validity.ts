import { type Certificate, DEFAULT_BACKDATE_MS, KubepkiError } from "@kubepki/core";
import type { ClusterFiles } from "../../files/read-files.js";
import { CLUSTER_RECORD_PATH, readClusterRecord } from "../../files/record.js";
import { KUBEADM_DEFAULTS } from "../../roles/constants.js";

/**
 * Where a renewed certificate's validity came from: the `validityDays` option, the tree's cluster
 * record (`kubepki.yaml`, `validity.leafDays`), the old certificate's own lifetime, or kubeadm's
 * 365 days for a leaf whose lifetime does not tell (kubeadm gives a leaf its CA's NotBefore, so a
 * leaf it renewed later lives the CA's age plus a year).
 *
 * @example
 * ```ts
 * import type { RenewValiditySource } from "@kubepki/k8s-profiles";
 *
 * const source: RenewValiditySource = "record";
 * ```
 */
export type RenewValiditySource = "validityDays" | "record" | "lifetime" | "kubeadm-default";

/** The validity every certificate of one renew call gets, when it does not depend on the certificate. */
export type TreeValidity = { readonly days: number; readonly from: "validityDays" | "record" } | undefined;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The `validityDays` option, checked before any file is read. */
export function optionValidity(validityDays: number | undefined): TreeValidity {
  if (validityDays === undefined) return undefined;
  if (!Number.isInteger(validityDays) || validityDays <= 0) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `validityDays: expected a whole number of days > 0, got ${String(validityDays)}`,
      {
        details: { field: "validityDays" },
      },
    );
  }
  return { days: validityDays, from: "validityDays" };
}

/**
 * The tree's recorded `validity.leafDays` (`kubepki.yaml`), or `undefined` when the tree has no
 * record or the record no leafDays (each certificate's own lifetime decides then). Read only
 * when the option is absent, so a damaged record does not block a caller who chose; checked
 * before any certificate is signed: a bad `leafDays` is an error, not a silent 365.
 */
export function recordedValidity(files: ClusterFiles): TreeValidity {
  const leafDays = (readClusterRecord(files)?.validity as { leafDays?: unknown } | undefined)?.leafDays;
  if (leafDays === undefined) return undefined;
  if (typeof leafDays !== "number" || !Number.isInteger(leafDays) || leafDays <= 0) {
    throw new KubepkiError(
      "INVALID_CONFIG",
      `${CLUSTER_RECORD_PATH}: validity.leafDays must be a whole number of days > 0, got ${JSON.stringify(leafDays)}; fix it or pass validityDays`,
      { details: { path: CLUSTER_RECORD_PATH, field: "validity.leafDays" } },
    );
  }
  return { days: leafDays, from: "record" };
}

/**
 * The validity a leaf renews with when neither the option nor the record sets it: the leaf's own
 * lifetime (notAfter − notBefore, rounded to whole days, at least 1), as whoever made it chose.
 *
 * One exception. kubeadm signs every leaf with NotBefore = its CA's NotBefore (kubernetes
 * `cmd/kubeadm/app/util/pkiutil/pki_helpers.go`, `NewSignedCert`: `NotBefore: caCert.NotBefore`,
 * `NotAfter: time.Now().Add(CertificateValidity)`), so after a `kubeadm certs renew` the lifetime
 * of such a leaf is the age of its CA plus a year, which says nothing about the chosen validity:
 * it gets kubeadm's 365 days and a note. kubepki also gives a leaf its CA's NotBefore when both
 * are made together (one clock, backdated 5 minutes), and so does kubeadm at `init`; then the
 * lifetime is a whole number of days, plus that backdate, to the second — a chosen validity,
 * kept. A kubeadm leaf renewed later matches that only by chance (a second in a day).
 */
export function leafValidity(
  cert: Certificate,
  ca: Certificate,
): { days: number; from: "lifetime" | "kubeadm-default" } {
  const lifetimeMs = cert.notAfter.getTime() - cert.notBefore.getTime();
  const wholeDays = (ms: number) => ms > 0 && ms % DAY_MS === 0;
  const chosen = wholeDays(lifetimeMs) || wholeDays(lifetimeMs - DEFAULT_BACKDATE_MS);
  if (!chosen && cert.notBefore.getTime() === ca.notBefore.getTime()) {
    return { days: KUBEADM_DEFAULTS.leafDays, from: "kubeadm-default" };
  }
  return { days: Math.max(1, Math.round(lifetimeMs / DAY_MS)), from: "lifetime" };
}
