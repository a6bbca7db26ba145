import { canonicalIp, isIp, KEY_USAGES, KubepkiError } from "@kubepki/core/vocabulary";
import type { ExtKeyUsage, OpensslCertSpec } from "../types.js";

// openssl.cnf names of the extendedKeyUsage purposes (openssl x509v3_config(5)).
const EKU_NAMES: Record<ExtKeyUsage, string> = {
  serverAuth: "serverAuth",
  clientAuth: "clientAuth",
  codeSigning: "codeSigning",
  emailProtection: "emailProtection",
  timeStamping: "timeStamping",
  ocspSigning: "OCSPSigning",
  any: "anyExtendedKeyUsage",
};

// keyUsage names are core's vocabulary (RFC 5280 §4.2.1.3); openssl.cnf spells them the same.
const KNOWN_KEY_USAGES: ReadonlySet<string> = /* @__PURE__ */ new Set(KEY_USAGES);

/** Section holding the extensions used when signing (`-extensions` / `x509_extensions`). */
export const SIGN_SECTION = "ext";
/** Section holding the extensions requested in the CSR (`req_extensions`): no AKI, which needs an issuer. */
const REQUEST_SECTION = "req_ext";

// NCONF (openssl config(5)) expands `$var`, starts comments at `#` and treats `\` and quotes as
// escapes in every value, so such characters are backslash-escaped. Newlines and other control
// characters cannot be written at all; leading/trailing blanks would be trimmed.
function confValue(value: string, what: string, code: "INVALID_SUBJECT" | "INVALID_SAN"): string {
  if (typeof value !== "string" || value === "") {
    throw new KubepkiError(code, `${what} must be a non-empty string`, { details: { field: what } });
  }
  if (/\p{Cc}/u.test(value) || value !== value.trim()) {
    throw new KubepkiError(
      code,
      `${what} "${value}" contains control characters or leading/trailing blanks; remove them`,
      {
        details: { field: what, value },
      },
    );
  }
  return value.replace(/[\\$#"']/g, (c) => `\\${c}`);
}

function assertSpec(spec: OpensslCertSpec): void {
  if (spec === null || typeof spec !== "object") {
    throw new KubepkiError("INVALID_ARGUMENT", "expected a certificate spec object", {});
  }
  if (typeof spec.id !== "string" || spec.id === "" || /\p{Cc}/u.test(spec.id)) {
    throw new KubepkiError("INVALID_ARGUMENT", "spec.id must be a non-empty string without control characters", {
      details: { field: "id" },
    });
  }
  if (!Number.isInteger(spec.validityDays) || spec.validityDays < 1) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `spec "${spec.id}": validityDays must be a positive integer (openssl's default of 30 days is never what you want)`,
      { details: { field: "validityDays", id: spec.id } },
    );
  }
  if (spec.pathLength !== undefined && (!spec.isCa || !Number.isInteger(spec.pathLength) || spec.pathLength < 0)) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `spec "${spec.id}": pathLength needs isCa: true and a non-negative integer`,
      {
        details: { field: "pathLength", id: spec.id },
      },
    );
  }
  for (const usage of spec.keyUsages) {
    if (!KNOWN_KEY_USAGES.has(usage)) {
      throw new KubepkiError("INVALID_ARGUMENT", `spec "${spec.id}": unknown key usage "${usage}"`, {
        details: { field: "keyUsages" },
      });
    }
  }
  for (const usage of spec.extKeyUsages) {
    if (!(usage in EKU_NAMES)) {
      throw new KubepkiError("INVALID_ARGUMENT", `spec "${spec.id}": unknown extended key usage "${usage}"`, {
        details: { field: "extKeyUsages" },
      });
    }
  }
}

function altNameLines(spec: OpensslCertSpec): string[] {
  const counters = { DNS: 0, IP: 0, URI: 0, email: 0 };
  return spec.sans.map((san, i) => {
    const what = `spec "${spec.id}" sans[${i}]`;
    switch (san?.type) {
      case "dns": {
        const value = confValue(san.value, what, "INVALID_SAN");
        if (
          !/^(\*\.)?[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/.test(
            san.value,
          )
        ) {
          throw new KubepkiError("INVALID_SAN", `${what}: "${san.value}" is not a DNS name`, {
            details: { value: san.value },
          });
        }
        return `DNS.${++counters.DNS} = ${value}`;
      }
      case "ip":
        if (!isIp(san.value)) {
          throw new KubepkiError("INVALID_IP", `${what}: "${san.value}" is not an IP address`, {
            details: { value: san.value },
          });
        }
        return `IP.${++counters.IP} = ${canonicalIp(san.value)}`;
      case "uri":
        return `URI.${++counters.URI} = ${confValue(san.value, what, "INVALID_SAN")}`;
      case "email":
        return `email.${++counters.email} = ${confValue(san.value, what, "INVALID_SAN")}`;
      default:
        throw new KubepkiError("INVALID_SAN", `${what}: type must be dns, ip, uri or email`, { details: { san } });
    }
  });
}

/**
 * Renders the openssl.cnf that makes the certificate a {@link OpensslCertSpec} describes — the
 * tutorial's config done right (reference §7 items 1, 10–14):
 *
 * - `[req]` has `prompt = no` and its `distinguished_name` section really exists (the tutorial's
 *   is missing, and OpenSSL 3 fails with "Unable to get 'req_distinguished_name' section");
 * - the subject is O (each organization, in order) then CN, as kubeadm encodes it (§1.2);
 * - `[ext]` (used with `-extensions ext` when signing) has critical basicConstraints (CA:TRUE with
 *   the optional pathlen, or CA:FALSE), critical keyUsage, extendedKeyUsage, subjectAltName,
 *   a subjectKeyIdentifier on CAs only (as kubeadm) and — for CA-signed certificates —
 *   authorityKeyIdentifier;
 * - `[req_ext]` asks for the same extensions in the CSR (minus AKI), for CAs that copy them.
 *
 * Values with `$`, `#`, quotes or backslashes are escaped; IPv6 SANs are written canonically.
 *
 * @throws {KubepkiError} `INVALID_SUBJECT` / `INVALID_SAN` / `INVALID_IP` for values that cannot
 * be written, `INVALID_ARGUMENT` for a bad id, validity, pathLength or usage name.
 * @example
 * ```ts
 * import { renderOpensslConfig } from "@kubepki/renderers";
 *
 * const cnf = renderOpensslConfig({
 *   id: "apiserver",
 *   subject: { commonName: "kube-apiserver" },
 *   sans: [{ type: "dns", value: "kubernetes.default.svc.cluster.local" }, { type: "ip", value: "10.96.0.1" }],
 *   keyUsages: ["digitalSignature", "keyEncipherment"],
 *   extKeyUsages: ["serverAuth"],
 *   isCa: false,
 *   validityDays: 365,
 *   keyAlgorithm: "RSA-2048",
 *   certPath: "apiserver.crt",
 *   keyPath: "apiserver.key",
 *   signer: "ca",
 * });
 * ```
 */
export function renderOpensslConfig(spec: OpensslCertSpec): string {
  assertSpec(spec);
  const organizations = spec.subject?.organizations ?? [];
  const dn = organizations.map(
    (o, i) => `${i}.O = ${confValue(o, `spec "${spec.id}" subject organization`, "INVALID_SUBJECT")}`,
  );
  dn.push(
    `CN = ${confValue(spec.subject?.commonName as string, `spec "${spec.id}" subject commonName`, "INVALID_SUBJECT")}`,
  );
  const alt = altNameLines(spec);

  const requested: string[] = [
    `basicConstraints = critical, ${spec.isCa ? `CA:TRUE${spec.pathLength === undefined ? "" : `, pathlen:${spec.pathLength}`}` : "CA:FALSE"}`,
  ];
  if (spec.keyUsages.length > 0) requested.push(`keyUsage = critical, ${spec.keyUsages.join(", ")}`);
  if (spec.extKeyUsages.length > 0)
    requested.push(`extendedKeyUsage = ${spec.extKeyUsages.map((u) => EKU_NAMES[u]).join(", ")}`);
  if (alt.length > 0) requested.push("subjectAltName = @alt_names");
  // kubeadm (Go) writes an SKI on CAs only (§1.2); OpenSSL 3 would add one to every certificate
  // unless told `none`.
  const signing = [...requested, `subjectKeyIdentifier = ${spec.isCa ? "hash" : "none"}`];
  // A self-signed CA has no issuer key id to point at; kubeadm's CAs carry no AKI either (§1.2).
  if (spec.signer !== "self") signing.push("authorityKeyIdentifier = keyid:always");

  const lines = [
    `# openssl config for "${spec.id}", generated by @kubepki/renderers (OpenSSL >= 3.0)`,
    "[req]",
    "distinguished_name = dn",
    "prompt = no",
    "utf8 = yes",
    "string_mask = utf8only",
    `req_extensions = ${REQUEST_SECTION}`,
    `x509_extensions = ${SIGN_SECTION}`,
    "",
    "[dn]",
    ...dn,
    "",
    `[${REQUEST_SECTION}]`,
    ...requested,
    "",
    `[${SIGN_SECTION}]`,
    ...signing,
  ];
  if (alt.length > 0) lines.push("", "[alt_names]", ...alt);
  return `${lines.join("\n")}\n`;
}
