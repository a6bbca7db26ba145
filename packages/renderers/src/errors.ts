/**
 * Stable codes of {@link RendererError}. The codes that also exist in `@kubepki/core`
 * (`INVALID_ARGUMENT`, `INVALID_IP`, `INVALID_DNS_NAME`, `INVALID_SAN`, `INVALID_SUBJECT`) mean the
 * same thing there, so a caller can branch on `error.code` without caring which package threw.
 *
 * @example
 * ```ts
 * import { type RendererErrorCode, parseKubeconfig, RendererError } from "@kubepki/renderers";
 *
 * try {
 *   parseKubeconfig("kind: Pod");
 * } catch (error) {
 *   const code: RendererErrorCode | undefined = error instanceof RendererError ? error.code : undefined;
 *   console.log(code); // "INVALID_KUBECONFIG"
 * }
 * ```
 */
export type RendererErrorCode =
  /** Text that kubectl would refuse to load as a kubeconfig (syntax, kind, references, base64…). */
  | "INVALID_KUBECONFIG"
  /** A caller-supplied option is missing, out of range or of the wrong type. */
  | "INVALID_ARGUMENT"
  /** A string that should be an IPv4/IPv6 address or CIDR and is not. */
  | "INVALID_IP"
  /** A name that is not a valid RFC 1123 DNS name. */
  | "INVALID_DNS_NAME"
  /** A subjectAltName value that cannot be written into an openssl config. */
  | "INVALID_SAN"
  /** A subject attribute that cannot be written into an openssl config. */
  | "INVALID_SUBJECT";

/**
 * Optional structured context attached to an error (field, file, name…).
 *
 * @example
 * ```ts
 * import { type RendererErrorDetails, RendererError } from "@kubepki/renderers";
 *
 * const details: RendererErrorDetails = { field: "paths.etcdCaFile" };
 * console.log(new RendererError("INVALID_ARGUMENT", "paths.etcdCaFile is required", { details }).details?.field); // "paths.etcdCaFile"
 * ```
 */
export interface RendererErrorDetails {
  readonly [key: string]: unknown;
}

/**
 * The error class of `@kubepki/renderers`. It is shaped like `@kubepki/core`'s `KubepkiError`
 * (`name === "KubepkiError"`, a stable string `code`, optional `details`) without importing it:
 * renderers must not pull core's ASN.1 code into a bundle, so callers recognise every kubepki error
 * by `name`/`code` rather than by `instanceof` across packages.
 *
 * @example
 * ```ts
 * import { RendererError, renderKubeletConfig } from "@kubepki/renderers";
 *
 * try {
 *   renderKubeletConfig({ clientCAFile: "/etc/kubernetes/pki/ca.crt", clusterDomain: "cluster..local" });
 * } catch (error) {
 *   if (error instanceof RendererError && error.code === "INVALID_DNS_NAME") console.error(error.message);
 * }
 * ```
 */
export class RendererError extends Error {
  /** Stable machine-readable code; branch on this, not on the message. */
  readonly code: RendererErrorCode;
  /** Structured context, when there is any. */
  readonly details: RendererErrorDetails | undefined;

  constructor(
    code: RendererErrorCode,
    message: string,
    options: { cause?: unknown; details?: RendererErrorDetails } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // Same name as core's class so that logs and `error.name` checks treat all kubepki errors alike.
    this.name = "KubepkiError";
    this.code = code;
    this.details = options.details;
  }
}

/**
 * True when `value` is a {@link RendererError}, optionally with the given code.
 *
 * @example
 * ```ts
 * import { isRendererError, parseKubeconfig } from "@kubepki/renderers";
 *
 * try {
 *   parseKubeconfig("{");
 * } catch (error) {
 *   console.log(isRendererError(error, "INVALID_KUBECONFIG")); // true
 * }
 * ```
 */
export function isRendererError(value: unknown, code?: RendererErrorCode): value is RendererError {
  return value instanceof RendererError && (code === undefined || value.code === code);
}
