// Where the external-CA flow keeps each request, key and returned certificate: one rule for
// `toCsrFiles` (writing) and `finishCsrs` (reading back), after kubeadm's `certs generate-csr`.
import type { CertSpec } from "../../roles/profiles.js";

/** The signing list `toCsrFiles` writes and `finishCsrs` removes once every certificate is in. */
export const SIGNING_LIST_PATH = "csr-signing.json";

/** The kubeadm names of the three CAs, as `generateCsrs`' `cas` option names them. */
export const CSR_CA_OPTIONS = { ca: "ca", etcdCa: "etcd-ca", frontProxyCa: "front-proxy-ca" } as const;

/**
 * Where one leaf's request, key and signed certificate live in the CSR tree.
 *
 * @example
 * ```ts
 * import type { CsrLocation } from "@kubepki/k8s-profiles";
 *
 * const admin: CsrLocation = { csr: "admin.conf.csr", certificate: "admin.conf.crt", key: "admin.conf", inKubeconfig: true };
 * ```
 */
export interface CsrLocation {
  /** The request: `pki/apiserver.csr`, or `admin.conf.csr` for a kubeconfig identity (kubeadm's names). */
  readonly csr: string;
  /** Where the external CA's certificate goes: `pki/apiserver.crt`, or `admin.conf.crt`. */
  readonly certificate: string;
  /** The key's own file, or the partial kubeconfig holding it as `client-key-data`. */
  readonly key: string;
  /** True when the key is in a kubeconfig (kubeadm: the kubeconfig identities). */
  readonly inKubeconfig: boolean;
}

/** kubeadm's names: `<name>.csr` beside `<name>.crt|key`; `<name>.conf.csr` beside a kubeconfig. */
export function csrLocation(spec: CertSpec): CsrLocation {
  if (spec.kubeconfig !== undefined) {
    return {
      csr: `${spec.kubeconfig}.csr`,
      certificate: `${spec.kubeconfig}.crt`,
      key: spec.kubeconfig,
      inKubeconfig: true,
    };
  }
  return {
    csr: spec.certPath.replace(/\.crt$/, ".csr"),
    certificate: spec.certPath,
    key: spec.keyPath,
    inKubeconfig: false,
  };
}
