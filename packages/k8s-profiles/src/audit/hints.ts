// The fix texts the rules share: openssl subjects, extensions and the command that re-signs.
import type { SubjectAltName } from "@kubepki/core";
import { kubeadmLocation, type Role, roleProfile } from "../roles/profiles.js";
import type { RuleContext } from "./certificate/context.js";

/** `/CN=…/O=…` for openssl -subj. */
export function subjText(commonName: string, organizations: readonly string[] = []): string {
  return `/CN=${commonName}${organizations.map((group) => `/O=${group}`).join("")}`;
}

export function sanText(san: SubjectAltName): string {
  return `${san.type === "ip" ? "IP" : san.type === "dns" ? "DNS" : san.type.toUpperCase()}:${san.value}`;
}

export function sameSan(a: SubjectAltName, b: SubjectAltName): boolean {
  return a.type === b.type && a.value.toLowerCase() === b.value.toLowerCase();
}

/** The extension lines openssl needs for a leaf of this role (for `-extfile`). */
export function opensslExtensions(role: Role, sans: readonly SubjectAltName[]): string {
  const profile = roleProfile(role);
  const lines = profile.isCa
    ? ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign"]
    : [
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature,keyEncipherment",
        `extendedKeyUsage=${profile.extKeyUsages.join(",")}`,
      ];
  if (sans.length > 0) lines.push(`subjectAltName=${sans.map(sanText).join(",")}`);
  return lines.join("\\n");
}

export function signHint(ctx: RuleContext, role: Role, sans: readonly SubjectAltName[] = []): string {
  const stem = ctx.entry.file.replace(/\.[^./]+$/, "");
  const signer = roleProfile(role).signer;
  if (signer === "self") {
    return `openssl req -x509 -new -key ${stem}.key -subj "${subjText(roleProfile(role).commonName as string)}" -days 3650 -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" -out ${stem}.crt (or kubepki createSelfSignedCa)`;
  }
  const ca = kubeadmLocation(signer).replace(/\.crt$/, "");
  return `printf '${opensslExtensions(role, sans)}\\n' > ${stem}.ext && openssl x509 -req -in ${stem}.csr -CA ${ca}.crt -CAkey ${ca}.key -CAcreateserial -days 365 -extfile ${stem}.ext -out ${stem}.crt (or kubepki certSpec(config, "${role}", node) + issueCertificate)`;
}

/** The (DNS/IP) SANs of a certificate as `DNS:x` / `IP:y` texts. */
export function sanTexts(sans: readonly SubjectAltName[]): string[] {
  return sans.map(sanText);
}
