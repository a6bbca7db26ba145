/**
 * Every error kubepki throws on purpose is a {@link KubepkiError}. Its `code` is part of the
 * public API: branch on it, not on the message (the message is for people and may be improved).
 *
 * @example
 * ```ts
 * import { KubepkiError, type KubepkiErrorCode, parseCertificate } from "@kubepki/core";
 *
 * let code: KubepkiErrorCode | undefined;
 * try {
 *   parseCertificate("not a certificate");
 * } catch (error) {
 *   if (error instanceof KubepkiError) code = error.code;
 * }
 * console.log(code); // "INVALID_PEM"
 * ```
 */
export type KubepkiErrorCode =
  /** PEM text is missing, has the wrong label, or its base64 body is broken. */
  | "INVALID_PEM"
  /** DER bytes do not decode as the expected ASN.1 structure. */
  | "INVALID_DER"
  /** A key, signature or curve kubepki does not handle. */
  | "UNSUPPORTED_ALGORITHM"
  /** An RSA key below 2048 bits. */
  | "WEAK_KEY"
  /** A DNS name that is not a valid RFC 1123 name (or wildcard where one is allowed). */
  | "INVALID_DNS_NAME"
  /** A string that should be an IPv4/IPv6 address (or CIDR) and is not. */
  | "INVALID_IP"
  /** A URI or e-mail SAN that does not parse. */
  | "INVALID_SAN"
  /** A distinguished name that cannot be encoded (empty, unknown attribute, bad `-subj` text). */
  | "INVALID_SUBJECT"
  /** NotBefore/NotAfter make no sense (end before start, non-finite dates, zero days). */
  | "INVALID_VALIDITY"
  /** A leaf would be valid after its issuer expires (or before it starts). */
  | "VALIDITY_EXCEEDS_ISSUER"
  /** The issuer certificate is not a CA (no basicConstraints CA:TRUE or no keyCertSign). */
  | "NOT_A_CA"
  /** A signature does not verify. */
  | "SIGNATURE_INVALID"
  /** A private key does not belong to the certificate / public key it was paired with. */
  | "KEY_MISMATCH"
  /** A certificate is not valid at the time asked about. */
  | "EXPIRED"
  /** A certificate's validity has not started at the time asked about. */
  | "NOT_YET_VALID"
  /** The certificate does not allow the requested usage (EKU / key usage). */
  | "USAGE_NOT_ALLOWED"
  /** The certificate is not valid for the requested DNS name or IP address. */
  | "NAME_MISMATCH"
  /** No chain leads from the certificate to a trusted root. */
  | "UNKNOWN_ISSUER"
  /** A caller-supplied option is out of range or of the wrong type. */
  | "INVALID_ARGUMENT"
  /** The WebCrypto implementation refused an operation. */
  | "CRYPTO_ERROR"
  /** An operation was cancelled through an AbortSignal. */
  | "ABORTED"
  /** A renewal could not renew every certificate asked for, so it renewed none (`details.failures` names each). */
  | "RENEW_INCOMPLETE";

/**
 * Optional structured context attached to an error (file, field, role…).
 *
 * @example
 * ```ts
 * import { KubepkiError } from "@kubepki/core";
 *
 * const error = new KubepkiError("INVALID_IP", "\"10.0.0.300\" is not a valid IPv4 or IPv6 address", {
 *   details: { field: "nodes[0].addresses[0]" },
 * });
 * console.log(error.details?.field); // "nodes[0].addresses[0]"
 * ```
 */
export interface KubepkiErrorDetails {
  readonly [key: string]: unknown;
}

/**
 * The one error class of kubepki. `code` is stable; `details` carries machine-readable context
 * (for instance the offending `field` of a cluster config); `cause` keeps the underlying error.
 *
 * @example
 * ```ts
 * import { KubepkiError } from "@kubepki/core";
 *
 * const error = new KubepkiError("WEAK_KEY", "RSA keys must be at least 2048 bits");
 * console.log(error.code); // "WEAK_KEY"
 * ```
 */
export class KubepkiError extends Error {
  /** Stable machine-readable code. */
  readonly code: KubepkiErrorCode;
  /** Structured context, when there is any. */
  readonly details: KubepkiErrorDetails | undefined;

  constructor(
    code: KubepkiErrorCode,
    message: string,
    options: { cause?: unknown; details?: KubepkiErrorDetails } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KubepkiError";
    this.code = code;
    this.details = options.details;
  }
}

/**
 * True when `value` is a {@link KubepkiError}, optionally with the given code.
 *
 * @example
 * ```ts
 * import { canonicalIp, isKubepkiError } from "@kubepki/core";
 *
 * try {
 *   canonicalIp("10.96.0.300");
 * } catch (error) {
 *   console.log(isKubepkiError(error, "INVALID_IP")); // true
 * }
 * ```
 */
export function isKubepkiError(value: unknown, code?: KubepkiErrorCode): value is KubepkiError {
  return value instanceof KubepkiError && (code === undefined || value.code === code);
}
