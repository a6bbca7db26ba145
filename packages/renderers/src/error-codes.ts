import {
  isKubepkiError,
  KubepkiError,
  type KubepkiErrorCode,
  type KubepkiErrorDetails,
} from "@kubepki/core/vocabulary";

/**
 * The codes `@kubepki/renderers` throws: a part of core's `KubepkiErrorCode` union, with the same
 * meaning there, since every renderer error is a `KubepkiError`.
 *
 * @example
 * ```ts
 * import { isKubepkiError, parseKubeconfig, type RendererErrorCode } from "@kubepki/renderers";
 *
 * try {
 *   parseKubeconfig("kind: Pod");
 * } catch (error) {
 *   const code: RendererErrorCode | undefined = isKubepkiError(error, "INVALID_KUBECONFIG") ? error.code : undefined;
 *   console.log(code); // "INVALID_KUBECONFIG"
 * }
 * ```
 */
export type RendererErrorCode = Extract<
  KubepkiErrorCode,
  "INVALID_KUBECONFIG" | "INVALID_ARGUMENT" | "INVALID_IP" | "INVALID_DNS_NAME" | "INVALID_SAN" | "INVALID_SUBJECT"
>;

/**
 * Former name of the renderers' errors' details, now core's `KubepkiErrorDetails`.
 *
 * @deprecated Use `KubepkiErrorDetails`.
 * @example
 * ```ts
 * import { KubepkiError, type RendererErrorDetails } from "@kubepki/renderers";
 *
 * const details: RendererErrorDetails = { field: "paths.etcdCaFile" };
 * console.log(new KubepkiError("INVALID_ARGUMENT", "paths.etcdCaFile is required", { details }).details?.field); // "paths.etcdCaFile"
 * ```
 */
export type RendererErrorDetails = KubepkiErrorDetails;

/**
 * Former error class of the renderers: now the very same class as `KubepkiError` (issue 17, one
 * error class), kept so that `instanceof RendererError` and `new RendererError(…)` still work.
 *
 * @deprecated Use `KubepkiError`.
 * @example
 * ```ts
 * import { KubepkiError, RendererError, renderKubeletConfig } from "@kubepki/renderers";
 *
 * try {
 *   renderKubeletConfig({ clientCAFile: "/etc/kubernetes/pki/ca.crt", clusterDomain: "cluster..local" });
 * } catch (error) {
 *   console.log(error instanceof RendererError); // true
 *   console.log(error instanceof KubepkiError); // true
 * }
 * ```
 */
export const RendererError = KubepkiError;
/**
 * The instance type of {@link RendererError}: a `KubepkiError`.
 *
 * @deprecated Use `KubepkiError`.
 * @example
 * ```ts
 * import { KubepkiError, type RendererError } from "@kubepki/renderers";
 *
 * const error: RendererError = new KubepkiError("INVALID_IP", "not an address");
 * console.log(error.code); // "INVALID_IP"
 * ```
 */
export type RendererError = KubepkiError;

/**
 * Former name of `isKubepkiError`, narrowed to the renderers' codes.
 *
 * @deprecated Use `isKubepkiError`.
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
export const isRendererError: (value: unknown, code?: RendererErrorCode) => value is KubepkiError = isKubepkiError;
