import { KubepkiError, toBase64 } from "@kubepki/core/vocabulary";
import { stringify } from "yaml";

/**
 * One CA to export: its name (`ca`, `front-proxy-ca`, `etcd-ca`), its certificate file (PEM text)
 * and, when the tree holds it unencrypted, its private key (PEM text).
 *
 * @example
 * ```ts
 * import type { CaSecretInput } from "@kubepki/renderers";
 *
 * const external: CaSecretInput = { name: "ca", certificate: "-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n" };
 * // No key: a ConfigMap only.
 * console.log(external.key === undefined); // true
 * ```
 */
export interface CaSecretInput {
  readonly name: string;
  readonly certificate: string;
  /** Absent for an external CA (or a key kubepki will not put in a Secret): no Secret, the ConfigMap only. */
  readonly key?: string;
}

/**
 * Options of {@link renderCaSecrets}.
 *
 * @example
 * ```ts
 * import type { CaSecretsOptions } from "@kubepki/renderers";
 *
 * const options: CaSecretsOptions = { namespace: "cert-manager", cas: [] };
 * console.log(options.namespace); // "cert-manager"
 * ```
 */
export interface CaSecretsOptions {
  readonly cas: readonly CaSecretInput[];
  /** The namespace of every object (a DNS label); default `default`. A cert-manager `Issuer` reads its Secret from its own namespace, a `ClusterIssuer` from cert-manager's "cluster resource namespace" (`cert-manager` by default). */
  readonly namespace?: string;
}

/** What marks every object as kubepki's (the recommended `managed-by` label) and which CA it is. */
const MANAGED_BY = "app.kubernetes.io/managed-by";
const CA_LABEL = "kubepki/ca";

/** RFC 1123 label, what Kubernetes takes for a namespace name. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const CA_NAME = /^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/;

/**
 * Renders a cluster's CAs as Kubernetes objects, one multi-document YAML text:
 * - per CA with a key, a `kubernetes.io/tls` Secret `kubepki-<name>` (`data`: `tls.crt`, `tls.key`,
 *   `ca.crt`, base64 of the PEM files), what a cert-manager CA `Issuer` takes as `spec.ca.secretName`;
 * - per CA, a ConfigMap `kubepki-<name>.crt` (like Kubernetes' own `kube-root-ca.crt`) with `ca.crt`,
 *   the certificate as text — never a key: a ConfigMap is readable by far more of a cluster than a Secret;
 * - an example `Issuer` for the first CA with a Secret, as a comment at the top (not an object: applying
 *   the file must not fail on a cluster without cert-manager's CRDs), and a comment before each CA that has
 *   no key saying why it has no Secret.
 *
 * Every object carries the labels `app.kubernetes.io/managed-by: kubepki` and `kubepki/ca: <name>`.
 *
 * @throws KubepkiError `INVALID_ARGUMENT` for a namespace that is not a DNS label, a CA name that is not a
 * DNS label, a CA listed twice, a certificate without a `CERTIFICATE` PEM block, or a key without a
 * `PRIVATE KEY` block or an encrypted one (`details.field` names which).
 *
 * @example
 * ```ts
 * import { renderCaSecrets } from "@kubepki/renderers";
 *
 * const certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
 * const key = "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n";
 * const yaml = renderCaSecrets({ namespace: "cert-manager", cas: [{ name: "ca", certificate, key }] });
 * console.log(yaml.includes("type: kubernetes.io/tls")); // true
 * console.log(yaml.includes("name: kubepki-ca.crt")); // true
 * ```
 */
export function renderCaSecrets(options: CaSecretsOptions): string {
  const namespace = options.namespace ?? "default";
  if (typeof namespace !== "string" || !DNS_LABEL.test(namespace))
    throw invalid("namespace", `namespace ${JSON.stringify(namespace)} is not a DNS label (a-z, 0-9, '-', at most 63)`);
  const seen = new Set<string>();
  for (const ca of options.cas) checkCa(ca, seen);
  const documents: string[] = [];
  const signing = options.cas.find((ca) => ca.key !== undefined);
  for (const ca of options.cas) {
    const labels = { [MANAGED_BY]: "kubepki", [CA_LABEL]: ca.name };
    if (ca.key !== undefined) {
      documents.push(
        yamlOf({
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: secretName(ca.name), namespace, labels },
          type: "kubernetes.io/tls",
          data: { "tls.crt": base64(ca.certificate), "tls.key": base64(ca.key), "ca.crt": base64(ca.certificate) },
        }),
      );
    }
    const note =
      ca.key === undefined
        ? `# ${secretName(ca.name)}: no usable key for this CA (an external CA, or an encrypted key), so no Secret; its certificate only.\n`
        : "";
    documents.push(
      note +
        yamlOf({
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: `${secretName(ca.name)}.crt`, namespace, labels },
          data: { "ca.crt": ca.certificate },
        }),
    );
  }
  return (signing ? issuerExample(secretName(signing.name), namespace) : "") + documents.join("---\n");
}

const secretName = (ca: string): string => `kubepki-${ca}`;

function checkCa(ca: CaSecretInput, seen: Set<string>): void {
  if (typeof ca.name !== "string" || !CA_NAME.test(ca.name))
    throw invalid("name", `CA name ${JSON.stringify(ca.name)} is not a short DNS label`);
  if (seen.has(ca.name)) throw invalid("name", `CA ${ca.name} is listed twice`);
  seen.add(ca.name);
  if (typeof ca.certificate !== "string" || !ca.certificate.includes("-----BEGIN CERTIFICATE-----"))
    throw invalid("certificate", `the certificate of CA ${ca.name} has no CERTIFICATE PEM block`);
  if (ca.key === undefined) return;
  if (typeof ca.key !== "string" || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(ca.key))
    throw invalid("key", `the key of CA ${ca.name} has no PRIVATE KEY PEM block`);
  if (ca.key.includes("ENCRYPTED")) throw invalid("key", `the key of CA ${ca.name} is encrypted: no signer can use it`);
}

function invalid(field: string, message: string): KubepkiError {
  return new KubepkiError("INVALID_ARGUMENT", message, { details: { field } });
}

const base64 = (text: string): string => toBase64(new TextEncoder().encode(text));

const yamlOf = (object: unknown): string => stringify(object, { lineWidth: 0 });

function issuerExample(secret: string, namespace: string): string {
  return [
    "# Kubernetes objects of the cluster's CAs, written by kubepki (Secrets hold CA keys: apply with care).",
    `# A cert-manager CA Issuer that signs with ${secret} (apply it once cert-manager is installed):`,
    "#   apiVersion: cert-manager.io/v1",
    "#   kind: Issuer",
    "#   metadata:",
    `#     name: ${secret}`,
    `#     namespace: ${namespace}`,
    "#   spec:",
    "#     ca:",
    `#       secretName: ${secret}`,
    "",
  ].join("\n");
}
