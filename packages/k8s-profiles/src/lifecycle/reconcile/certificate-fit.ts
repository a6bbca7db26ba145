// Does a certificate of the tree still fit its planned spec? kubeadm's "using existing
// certificate" (cmd/kubeadm/app/phases/certs/certs.go, validateCertificateWithConfig) checks the
// signer and the SANs; kubepki checks everything the plan decides, and says what differs.
import { type Certificate, canonicalIp, describePrivateKeyPem, formatName, normalizeName } from "@kubepki/core";
import { bytesEqual, type TreeCertificate } from "../../files/read-files.js";
import type { CertSpec } from "../../roles/profiles.js";
import type { DiffRun } from "./options.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** The default renew window: a third of the certificate's lifetime, at most this many days. */
const MAX_RENEW_BEFORE_DAYS = 30;

/** `DNS:name`, `IP:10.0.0.1` (canonical), as openssl and the plan print SANs. */
export function sanText(san: { readonly type: string; readonly value: string }): string {
  if (san.type === "ip") {
    try {
      return `IP:${canonicalIp(san.value)}`;
    } catch {
      return `IP:${san.value}`;
    }
  }
  return `${san.type === "dns" ? "DNS" : san.type === "email" ? "email" : "URI"}:${san.value}`;
}

/**
 * The same name attribute by attribute, each multi-valued one as a set. Not DER equality: openssl
 * writes UTF8String where Go (and kubepki) write PrintableString, and kubeadm reads both the same.
 */
function sameName(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const canonical = (name: Record<string, unknown>) =>
    JSON.stringify(
      Object.keys(name)
        .filter(
          (key) => name[key] !== undefined && !(Array.isArray(name[key]) && (name[key] as unknown[]).length === 0),
        )
        .sort()
        .map((key) => {
          const value = name[key];
          return [key, Array.isArray(value) ? value.map((item) => JSON.stringify(item)).sort() : value];
        }),
    );
  return canonical(a) === canonical(b);
}

function setDifference(wanted: readonly string[], present: readonly string[]): { added: string[]; removed: string[] } {
  return {
    added: wanted.filter((item) => !present.includes(item)),
    removed: present.filter((item) => !wanted.includes(item)),
  };
}

/** Whether `cert` was issued by `ca`: issuer DN = CA subject, and AKI = CA SKI when both are present. */
export function issuedBy(cert: Certificate, ca: Certificate): boolean {
  if (!bytesEqual(cert.issuerDer, ca.subjectDer)) return false;
  const aki = cert.authorityKeyIdentifier;
  const ski = ca.subjectKeyIdentifier;
  return aki === undefined || ski === undefined || aki === ski;
}

/** Why a certificate expiring soon is reissued, or undefined when it is not. */
export function expiryReason(cert: Certificate, run: DiffRun): string | undefined {
  const left = cert.notAfter.getTime() - run.now.getTime();
  const date = cert.notAfter.toISOString().slice(0, 10);
  if (left <= 0) return `expired ${date}`;
  const lifetime = cert.notAfter.getTime() - cert.notBefore.getTime();
  const windowMs =
    run.renewBeforeDays !== undefined
      ? run.renewBeforeDays * DAY_MS
      : Math.min(MAX_RENEW_BEFORE_DAYS * DAY_MS, lifetime / 3);
  if (left > windowMs) return undefined;
  return `expires ${date} (within ${Math.round((windowMs / DAY_MS) * 10) / 10} days)`;
}

/** The key's problem, if any: missing, unreadable, or not the certificate's. */
function keyReason(cert: Certificate, keyPem: string | undefined, keyPath: string): string | undefined {
  if (keyPem === undefined) return `key ${keyPath} missing`;
  try {
    const { publicKeyInfo } = describePrivateKeyPem(keyPem);
    if (publicKeyInfo && !bytesEqual(publicKeyInfo, cert.publicKeyInfo))
      return `key ${keyPath} does not match the certificate`;
  } catch {
    return `key ${keyPath} unreadable`;
  }
  return undefined;
}

/**
 * Why the tree's certificate no longer fits the leaf `spec` (empty when it fits): subject, SANs
 * (each `DNS:`/`IP:` added or removed), key usages, extended key usages, issuer (the tree's CA file
 * `caPath`), its key, and expiry within the renew window. The key algorithm is not a reason: a new
 * one applies to reissued leaves only (the caller notes it).
 */
export function leafMisfits(
  spec: CertSpec,
  entry: TreeCertificate,
  ca: { readonly certificate: Certificate; readonly path: string },
  keyPem: string | undefined,
  keyPath: string,
  run: DiffRun,
): string[] {
  const cert = entry.certificate;
  const reasons: string[] = [];
  const wantedSubject = normalizeName(spec.subject);
  if (!sameName(wantedSubject as Record<string, unknown>, cert.subject as Record<string, unknown>)) {
    reasons.push(`subject ${cert.subjectText} → ${formatName(wantedSubject)}`);
  }
  const sans = setDifference(spec.sans.map(sanText), cert.subjectAltNames.map(sanText));
  for (const san of sans.added) reasons.push(`SAN ${san} added`);
  for (const san of sans.removed) reasons.push(`SAN ${san} removed`);
  const usages = setDifference(spec.keyUsages, cert.keyUsages ?? []);
  if (usages.added.length + usages.removed.length > 0) {
    reasons.push(`key usages ${(cert.keyUsages ?? []).join(",") || "none"} → ${spec.keyUsages.join(",")}`);
  }
  const extUsages = setDifference(spec.extKeyUsages, cert.extKeyUsages ?? []);
  if (extUsages.added.length + extUsages.removed.length > 0) {
    reasons.push(
      `extended key usages ${(cert.extKeyUsages ?? []).join(",") || "none"} → ${spec.extKeyUsages.join(",")}`,
    );
  }
  if (cert.isCa) reasons.push("is a CA certificate");
  if (!issuedBy(cert, ca.certificate)) reasons.push(`issuer is not ${ca.path}`);
  const key = keyReason(cert, keyPem, keyPath);
  if (key) reasons.push(key);
  const expiry = expiryReason(cert, run);
  if (expiry) reasons.push(expiry);
  return reasons;
}
