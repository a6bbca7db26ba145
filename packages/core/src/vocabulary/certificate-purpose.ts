import type { ExtKeyUsage, KeyUsage } from "./key-usages.js";
import type { SubjectAltName } from "./subject-alt-name.js";

/**
 * What a certificate is for: the names it serves, its key usages, and whether it is a CA. The
 * fields every certificate description of kubepki shares — core's planned certificate, the
 * renderers' openssl spec, k8s-profiles' `CertSpec` — written once.
 *
 * @example
 * ```ts
 * import type { CertificatePurpose } from "@kubepki/core";
 *
 * const apiserver: CertificatePurpose = {
 *   sans: [{ type: "dns", value: "kubernetes" }],
 *   keyUsages: ["digitalSignature", "keyEncipherment"],
 *   extKeyUsages: ["serverAuth"],
 *   isCa: false,
 * };
 * console.log(apiserver.extKeyUsages); // ["serverAuth"]
 * ```
 */
export interface CertificatePurpose {
  /** subjectAltName entries (DNS names first, then IPs, as Go orders them when kubepki plans them). */
  readonly sans: readonly SubjectAltName[];
  /** keyUsage bits (critical); CAs include keyCertSign. */
  readonly keyUsages: readonly KeyUsage[];
  /** extendedKeyUsage purposes; empty for CAs (kubeadm sets none). */
  readonly extKeyUsages: readonly ExtKeyUsage[];
  /** basicConstraints CA:TRUE (critical) when true, CA:FALSE (critical) otherwise. */
  readonly isCa: boolean;
  /** basicConstraints pathLenConstraint of a CA, 0–255; kubeadm sets none. */
  readonly pathLength?: number;
}
