// kubeadm's machine-readable check-expiration output (`kubeadm certs check-expiration -o json|yaml`).
// Schema: cmd/kubeadm/app/apis/output/v1alpha3/types.go (CertificateExpirationInfo, Certificate);
// printers: k8s.io/cli-runtime/pkg/printers/json.go (json.MarshalIndent, four spaces) and yaml.go
// (sigs.k8s.io/yaml: JSON first, then go-yaml v2, so map keys come out sorted).
import { stringify } from "yaml";

/** kubeadm's output API group and version for check-expiration (`output.kubeadm.k8s.io/v1alpha3`). */
const API_VERSION = "output.kubeadm.k8s.io/v1alpha3";
const KIND = "CertificateExpirationInfo";

/**
 * One entry of {@link CertificateExpirationInfo}: kubeadm's `v1alpha3.Certificate`, field for field
 * (Go struct order: name, expirationDate, residualTime, externallyManaged, caName, missing).
 *
 * @example
 * ```ts
 * import type { ExpirationInfoCertificate } from "@kubepki/renderers";
 *
 * const apiserver: ExpirationInfoCertificate = {
 *   name: "apiserver",
 *   expirationDate: "2026-08-19T09:03:00Z",
 *   residualTime: 31536000,
 *   externallyManaged: false,
 *   caName: "ca",
 *   missing: false,
 * };
 * ```
 */
export interface ExpirationInfoCertificate {
  readonly name: string;
  /** `metav1.Time`: RFC 3339 in UTC, whole seconds (`2026-08-19T09:03:00Z`). */
  readonly expirationDate: string;
  /** Whole seconds left (`int64(ResidualTime() / time.Second)`: truncated, negative once expired). */
  readonly residualTime: number;
  readonly externallyManaged: boolean;
  /** The signing CA's name; `""` for CAs, and then left out of the output (`json:"caName,omitempty"`). */
  readonly caName: string;
  /** kubeadm's `!MISSING!` rows: an expected file that is absent. */
  readonly missing: boolean;
}

/**
 * kubeadm's `CertificateExpirationInfo` (`output.kubeadm.k8s.io/v1alpha3`), the object behind
 * `kubeadm certs check-expiration -o json|yaml`.
 *
 * @example
 * ```ts
 * import type { CertificateExpirationInfo } from "@kubepki/renderers";
 *
 * const info: CertificateExpirationInfo = {
 *   kind: "CertificateExpirationInfo",
 *   apiVersion: "output.kubeadm.k8s.io/v1alpha3",
 *   certificates: [],
 *   certificateAuthorities: [],
 * };
 * ```
 */
export interface CertificateExpirationInfo {
  readonly kind: "CertificateExpirationInfo";
  readonly apiVersion: "output.kubeadm.k8s.io/v1alpha3";
  readonly certificates: readonly ExpirationInfoCertificate[];
  readonly certificateAuthorities: readonly ExpirationInfoCertificate[];
}

/** The object in Go's field order; an empty list is Go's nil slice (kubeadm appends to one): `null`. */
function goOrdered(info: CertificateExpirationInfo) {
  const entry = (cert: ExpirationInfoCertificate) => ({
    name: cert.name,
    expirationDate: cert.expirationDate,
    residualTime: cert.residualTime,
    externallyManaged: cert.externallyManaged,
    ...(cert.caName === "" ? {} : { caName: cert.caName }),
    missing: cert.missing,
  });
  const list = (certs: readonly ExpirationInfoCertificate[]) => (certs.length === 0 ? null : certs.map(entry));
  return {
    kind: KIND,
    apiVersion: API_VERSION,
    certificates: list(info.certificates),
    certificateAuthorities: list(info.certificateAuthorities),
  };
}

// encoding/json escapes these inside strings (HTML safety and JavaScript line terminators).
const GO_JSON_ESCAPES: Readonly<Record<string, string>> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * `kubeadm certs check-expiration -o json`, byte for byte: Go's `json.MarshalIndent(obj, "", "    ")`
 * plus a newline (cli-runtime's JSONPrinter), fields in kubeadm's struct order, `caName` omitted
 * when empty, an empty list printed as `null`.
 *
 * @example
 * ```ts
 * import { renderExpirationInfoJson } from "@kubepki/renderers";
 *
 * const json = renderExpirationInfoJson({
 *   kind: "CertificateExpirationInfo",
 *   apiVersion: "output.kubeadm.k8s.io/v1alpha3",
 *   certificates: [],
 *   certificateAuthorities: [
 *     { name: "ca", expirationDate: "2035-08-17T09:03:00Z", residualTime: 315360000, externallyManaged: false, caName: "", missing: false },
 *   ],
 * });
 * console.log(json.split("\n")[6]); // '            "name": "ca",'
 * ```
 */
export function renderExpirationInfoJson(info: CertificateExpirationInfo): string {
  const json = JSON.stringify(goOrdered(info), null, 4).replace(/[<>&\u2028\u2029]/g, (c) => GO_JSON_ESCAPES[c] ?? c);
  return `${json}\n`;
}

/**
 * `kubeadm certs check-expiration -o yaml`, as sigs.k8s.io/yaml prints it: keys sorted
 * alphabetically (`apiVersion`, `certificateAuthorities`, `certificates`, `kind`; `caName`,
 * `expirationDate`, …), list items not indented under their key, and strings that YAML 1.1 would
 * read as something else quoted (the RFC 3339 dates, a name like `yes`), as go-yaml v2 does.
 *
 * @example
 * ```ts
 * import { renderExpirationInfoYaml } from "@kubepki/renderers";
 *
 * const yaml = renderExpirationInfoYaml({
 *   kind: "CertificateExpirationInfo",
 *   apiVersion: "output.kubeadm.k8s.io/v1alpha3",
 *   certificates: [],
 *   certificateAuthorities: [
 *     { name: "ca", expirationDate: "2035-08-17T09:03:00Z", residualTime: 315360000, externallyManaged: false, caName: "", missing: false },
 *   ],
 * });
 * console.log(yaml.split("\n")[2]); // '- expirationDate: "2035-08-17T09:03:00Z"'
 * ```
 */
export function renderExpirationInfoYaml(info: CertificateExpirationInfo): string {
  return stringify(goOrdered(info), { version: "1.1", sortMapEntries: true, indentSeq: false });
}
