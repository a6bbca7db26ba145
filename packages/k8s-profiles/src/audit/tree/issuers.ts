// Who signed each certificate, found by signature among the tree's CAs, and whether kubeadm's CA for the role did (reference §1.1, §7 items 20, 38).
import type { Certificate } from "@kubepki/core";
import { bytesEqual, type RoleMatch, type Tree, type TreeCertificate } from "../../files/read-files.js";
import { kubeadmLocation, roleProfile } from "../../roles/profiles.js";
import type { Finding } from "../findings.js";
import type { CheckSignature } from "../trust.js";

export interface IssuerLink {
  readonly issuer: TreeCertificate | undefined;
  /** The certificate that signed, when it is not the issuer file's first (a rotation's bundle). */
  readonly signer?: Certificate;
  readonly status: "signed" | "self-signed" | "bad-signature" | "weak-signature" | "not-in-tree";
}

/** A map key for DER bytes (a Name): one character per byte. */
function derKey(der: Uint8Array): string {
  let key = "";
  for (let i = 0; i < der.length; i++) key += String.fromCharCode(der[i] as number);
  return key;
}

export async function findIssuers(tree: Tree, check: CheckSignature): Promise<Map<TreeCertificate, IssuerLink>> {
  const candidates = tree.certificates
    .filter((entry) => entry.source === "file")
    .sort(
      (a, b) =>
        Number(a.file.startsWith("nodes/")) - Number(b.file.startsWith("nodes/")) || a.file.length - b.file.length,
    );
  // The possible issuers of a certificate are the ones whose subject is its issuer name: indexed
  // by the name's bytes, so a 1000-node tree does not compare every pair.
  const bySubject = new Map<string, TreeCertificate[]>();
  // Copies of a certificate share one object (and so its name arrays): each name becomes a key once.
  const nameKeys = new Map<Uint8Array, string>();
  const nameKey = (der: Uint8Array): string => {
    let key = nameKeys.get(der);
    if (key === undefined) {
      key = derKey(der);
      nameKeys.set(der, key);
    }
    return key;
  };
  for (const candidate of candidates) {
    const key = nameKey(candidate.certificate.subjectDer);
    const list = bySubject.get(key);
    if (list) list.push(candidate);
    else bySubject.set(key, [candidate]);
  }
  // The further CAs of bundle files (a rotation's old and new CA), tried only when no file's first
  // certificate of that name signed.
  const bundled = new Map<string, { entry: TreeCertificate; certificate: Certificate }[]>();
  for (const candidate of candidates) {
    // A leaf file's chain (leaf + intermediates) is not a CA file: its CAs are found in their own files.
    if (!candidate.certificate.isCa) continue;
    for (const certificate of candidate.chain) {
      if (!certificate.isCa) continue;
      const key = nameKey(certificate.subjectDer);
      const list = bundled.get(key);
      if (list) list.push({ entry: candidate, certificate });
      else bundled.set(key, [{ entry: candidate, certificate }]);
    }
  }
  // A tree holds the same certificate many times (node copies of ca.crt, kubeconfig-embedded
  // client certificates): `check` checks each (certificate, issuer) pair once.
  const linkOf = async (entry: TreeCertificate): Promise<IssuerLink> => {
    const cert = entry.certificate;
    let link: IssuerLink = { issuer: undefined, status: "not-in-tree" };
    if (bytesEqual(cert.subjectDer, cert.issuerDer)) {
      if ((await check(cert, cert)) === "ok") link = { issuer: entry, status: "self-signed" };
    }
    if (link.status === "not-in-tree") {
      for (const candidate of bySubject.get(nameKey(cert.issuerDer)) ?? []) {
        if (candidate === entry) continue;
        const result = await check(cert, candidate.certificate);
        if (result === "ok") {
          link = { issuer: candidate, status: "signed" };
          break;
        }
        link = { issuer: undefined, status: result === "weak" ? "weak-signature" : "bad-signature" };
      }
    }
    if (link.status === "bad-signature") {
      // A CA file that is a rotation's bundle: the further CA of that name may be the signer
      // (the outgoing CA, once the new one comes first).
      for (const candidate of bundled.get(nameKey(cert.issuerDer)) ?? []) {
        if (candidate.entry === entry || (await check(cert, candidate.certificate)) !== "ok") continue;
        link = { issuer: candidate.entry, signer: candidate.certificate, status: "signed" };
        break;
      }
    }
    return link;
  };
  const links = await Promise.all(tree.certificates.map(linkOf));
  return new Map(tree.certificates.map((entry, index) => [entry, links[index] as IssuerLink]));
}

/**
 * Signature algorithms Go refuses as insecure, by OID, with Go's name for them
 * (crypto/x509/x509.go: signatureAlgorithmDetails, InsecureAlgorithmError).
 */
const INSECURE_SIGNATURES: Readonly<Record<string, { hash: string; name: string; go: string }>> = {
  "1.2.840.113549.1.1.2": { hash: "MD2", name: "md2WithRSAEncryption", go: "MD2-RSA" },
  "1.2.840.113549.1.1.4": { hash: "MD5", name: "md5WithRSAEncryption", go: "MD5-RSA" },
  "1.2.840.113549.1.1.5": { hash: "SHA-1", name: "sha1WithRSAEncryption", go: "SHA1-RSA" },
  "1.2.840.10045.4.1": { hash: "SHA-1", name: "ecdsa-with-SHA1", go: "ECDSA-SHA1" },
  "1.2.840.10040.4.3": { hash: "SHA-1", name: "dsa-with-sha1", go: "DSA-SHA1" },
};

export function issuerFindings(
  entry: TreeCertificate,
  match: RoleMatch | undefined,
  link: IssuerLink,
  matches: ReadonlyMap<TreeCertificate, RoleMatch | undefined>,
): Finding[] {
  const base = {
    file: entry.file,
    ...(match ? { role: match.role } : {}),
    ...(match?.node ? { node: match.node } : {}),
  };
  const cert = entry.certificate;
  const expected = match ? roleProfile(match.role).signer : undefined;
  switch (link.status) {
    case "bad-signature":
      return [
        {
          ...base,
          severity: "error",
          code: "BAD_SIGNATURE",
          message: `names ${cert.issuerText} as issuer, but no CA of that name in the tree signed it (another CA with the same name, or an altered file)`,
          fix: "re-issue it from the CA that is actually deployed",
        },
      ];
    case "weak-signature": {
      const weak = INSECURE_SIGNATURES[cert.signatureAlgorithm];
      return [
        {
          ...base,
          severity: "error",
          code: "WEAK_SIGNATURE",
          message: weak
            ? `signed with ${weak.hash} (${weak.name}): Go refuses it ("x509: cannot verify signature: insecure algorithm ${weak.go}"), and ${weak.hash} collisions are practical`
            : `signed with ${cert.signatureAlgorithm}, which kubepki cannot check (Kubernetes components expect SHA-256/384 with RSA or ECDSA)`,
          fix: "re-issue it with SHA-256 (openssl x509 -req … -sha256)",
          reference: "§1.2",
        },
      ];
    }
    case "not-in-tree":
      if (expected === "self") return [];
      return [
        {
          ...base,
          severity: "warning",
          code: "UNKNOWN_ISSUER",
          message: `its issuer ${cert.issuerText} is not in the tree, so its chain could not be checked`,
          fix: `add the issuing CA certificate (kubeadm: ${kubeadmLocation(expected ?? "ca")})`,
        },
      ];
    case "self-signed":
      if (!match || expected === "self") return [];
      return [
        {
          ...base,
          severity: "error",
          code: "WRONG_ISSUER",
          message: `self-signed: nothing in the cluster trusts it (kubeadm signs ${match.role} with ${expected})`,
          fix: `sign it with ${kubeadmLocation(expected ?? "ca")}: openssl x509 -req -in <name>.csr -CA ${kubeadmLocation(expected ?? "ca")} -CAkey ${kubeadmLocation(expected ?? "ca").replace(/\.crt$/, ".key")} …`,
          reference: "§1.1",
        },
      ];
    case "signed": {
      const issuerRole = link.issuer ? matches.get(link.issuer)?.role : undefined;
      if (!match || expected === undefined || expected === "self" || !issuerRole || issuerRole === expected) return [];
      const etcd = expected === "etcd-ca";
      return [
        {
          ...base,
          severity: "error",
          code: "WRONG_ISSUER",
          message: `signed by ${link.issuer?.file} (${issuerRole}); kubeadm signs ${match.role} with ${expected}${etcd ? ": etcd must have its own CA, or every certificate of the cluster CA can talk to etcd" : ""}`,
          fix: `create ${kubeadmLocation(expected)} (openssl req -x509 -new -key ${kubeadmLocation(expected).replace(/\.crt$/, ".key")} -subj "/CN=${expected}" -days 3650) and sign with it: openssl x509 -req -in <name>.csr -CA ${kubeadmLocation(expected)} -CAkey ${kubeadmLocation(expected).replace(/\.crt$/, ".key")} …`,
          reference: etcd ? "§1.1, §7 item 26" : "§1.1",
        },
      ];
    }
  }
}
