/**
 * How long a certificate is valid: a number of days from "now" (the injected clock), or an
 * explicit window. Either way NotBefore is backdated by `backdateMs` when computed from a
 * duration (see {@link DEFAULT_BACKDATE_MS}).
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair, type ValidityInput } from "@kubepki/core";
 *
 * // Or { days: 365 }: from now, NotBefore backdated 5 minutes as kubeadm does.
 * const window: ValidityInput = { notBefore: new Date("2025-01-01T00:00:00Z"), notAfter: new Date("2026-01-01T00:00:00Z") };
 * const keyPair = await generateKeyPair("ECDSA-P256");
 * const ca = await createSelfSignedCa({ keyPair, subject: "/CN=kubernetes", validity: window });
 * console.log(ca.notAfter.toISOString()); // "2026-01-01T00:00:00.000Z"
 * ```
 */
export type ValidityInput = { readonly days: number } | { readonly notBefore: Date; readonly notAfter: Date };

/**
 * NotBefore is set 5 minutes in the past, exactly as kubeadm (`CertificateBackdate` in
 * pkiutil, since v1.28 for CAs and v1.31 for leaves): a node whose clock runs a little behind the
 * machine that issued the certificate would otherwise reject it as "not yet valid" right after
 * `init`, which is the most common clock-skew failure in fresh clusters.
 *
 * @example
 * ```ts
 * import { DEFAULT_BACKDATE_MS } from "@kubepki/core";
 *
 * console.log(DEFAULT_BACKDATE_MS / 60_000); // 5
 * ```
 */
export const DEFAULT_BACKDATE_MS = 5 * 60 * 1000;

/**
 * 10 years, kubeadm's `caCertificateValidityPeriod` default (87600h).
 *
 * @example
 * ```ts
 * import { DEFAULT_CA_VALIDITY_DAYS } from "@kubepki/core";
 *
 * console.log(DEFAULT_CA_VALIDITY_DAYS); // 3650
 * ```
 */
export const DEFAULT_CA_VALIDITY_DAYS = 3650;

/**
 * 1 year, kubeadm's `certificateValidityPeriod` default (8760h).
 *
 * @example
 * ```ts
 * import { DEFAULT_LEAF_VALIDITY_DAYS } from "@kubepki/core";
 *
 * console.log(DEFAULT_LEAF_VALIDITY_DAYS); // 365
 * ```
 */
export const DEFAULT_LEAF_VALIDITY_DAYS = 365;
