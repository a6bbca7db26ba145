/**
 * Chains of intermediate CAs (issue 20). kubeadm's intermediate-CA layout (kubernetes/kubernetes
 * PR #97266, kubernetes/kubeadm#2360): a CA file is the intermediate alone, which Go trusts
 * directly as an anchor, and every leaf file is the leaf followed by its intermediate(s), so that a
 * client trusting only the organisation's root still verifies it (RFC 8446 §4.4.2: the root is
 * not sent). Here: each link of a leaf file (signature, name chaining, CA flag, pathLen at every
 * CA), a leaf whose file lacks the intermediate that signed it, and, with a root, each CA file up
 * to that root. The chain search is trust.ts's (Go's `buildChains`); this file only names links.
 *
 * @internal
 */

import type { Certificate } from "@kubepki/core";
import { bytesEqual, type RoleMatch, type Tree, type TreeCertificate } from "../files/read-files.js";
import { roleProfile } from "../roles/profiles.js";
import type { Finding } from "./findings.js";
import { type CheckSignature, chainResult, type TrustVerdict } from "./trust.js";

const selfIssued = (certificate: Certificate): boolean => bytesEqual(certificate.subjectDer, certificate.issuerDer);

function baseOf(entry: TreeCertificate, match: RoleMatch | undefined) {
  return {
    file: entry.file,
    ...(match ? { role: match.role } : {}),
    ...(match?.node !== undefined ? { node: match.node } : {}),
  };
}

function named(certificate: Certificate, index: number): string {
  return `certificate ${index + 1} (${certificate.subjectText || `serial ${certificate.serialNumber}`})`;
}

const isCaForSigning = (certificate: Certificate): boolean =>
  certificate.version >= 3 &&
  certificate.isCa &&
  (certificate.keyUsages === undefined ||
    certificate.keyUsages.length === 0 ||
    certificate.keyUsages.includes("keyCertSign"));

/**
 * The links of a leaf file of several certificates, each signed by the next: the first broken
 * link is the finding (a file is fixed as a whole). Nothing for a CA file (a rotation's bundle,
 * audit/tree/rotation.ts) or a single certificate.
 */
export async function chainLinkFindings(
  entry: TreeCertificate,
  match: RoleMatch | undefined,
  check: CheckSignature,
): Promise<Finding[]> {
  if (entry.chain.length === 0 || entry.certificate.isCa) return [];
  const all = [entry.certificate, ...entry.chain];
  const who = entry.kubeconfigUser !== undefined ? `user ${entry.kubeconfigUser}: ` : "";
  const base = { severity: "error" as const, ...baseOf(entry, match), reference: "RFC 5280 §6.1, RFC 8446 §4.4.2" };
  for (let index = 0; index + 1 < all.length; index++) {
    const child = all[index] as Certificate;
    const parent = all[index + 1] as Certificate;
    const link = `${named(child, index)} → ${named(parent, index + 1)}`;
    if (!bytesEqual(child.issuerDer, parent.subjectDer)) {
      const later = all.findIndex((other, at) => at > index + 1 && bytesEqual(child.issuerDer, other.subjectDer));
      if (later > 0) {
        return [
          {
            ...base,
            code: "CHAIN_OUT_OF_ORDER",
            message: `${who}${link}: the issuer of ${named(child, index)} is ${named(all[later] as Certificate, later)}, further down: each certificate must be followed by its issuer (Go's TLS sends the file in order, and strict clients refuse a disordered chain)`,
            fix: "write the leaf first, then its CA, then that CA's issuer, towards the root",
          },
        ];
      }
      return [
        {
          ...base,
          code: "CHAIN_NAME_MISMATCH",
          message: `${who}${link}: ${named(child, index)} names ${child.issuerText} as its issuer, not ${parent.subjectText}: no client builds a chain through this link`,
          fix: `re-issue ${named(child, index)} from ${parent.subjectText}, or replace certificate ${index + 2} with its real issuer`,
        },
      ];
    }
    if (!isCaForSigning(parent)) {
      return [
        {
          ...base,
          code: "CHAIN_BROKEN",
          message: `${who}${link}: ${named(parent, index + 1)} is not a CA (basicConstraints CA:TRUE and keyCertSign), so it cannot have signed the certificate before it`,
          fix: "follow the leaf with the CA certificates that issued it, not with other leaves",
        },
      ];
    }
    const signature = await check(child, parent);
    if (signature !== "ok") {
      if (signature === "weak") return []; // WEAK_SIGNATURE says it
      return [
        {
          ...base,
          code: "CHAIN_BROKEN",
          message: `${who}${link}: the signature of ${named(child, index)} does not verify with the key of ${named(parent, index + 1)} (another CA of the same name?)`,
          fix: "follow the leaf with the CA certificate that actually signed it",
        },
      ];
    }
    // CAs below the parent on this path: the CAs before it in the file (the leaf is not one).
    if (parent.pathLength !== undefined && index > parent.pathLength) {
      return [
        {
          ...base,
          code: "PATH_LENGTH_EXCEEDED",
          message: `${who}${named(parent, index + 1)} has pathlen:${parent.pathLength} but ${index} CA(s) sit below it in this chain: Go refuses it ("x509: too many intermediates for path length constraint"), openssl too ("path length constraint exceeded")`,
          fix: `re-create ${parent.subjectText} with a pathlen that allows the CAs below it (basicConstraints=critical,CA:TRUE,pathlen:${index}), or shorten the chain`,
          reference: "RFC 5280 §4.2.1.9",
        },
      ];
    }
  }
  return [];
}

/**
 * A leaf its consumer's CA file verifies, where that CA is an intermediate (not self-issued) and
 * the leaf's file does not carry it: the components that trust the intermediate accept it, but a
 * client trusting only the root (a kubeconfig with the organisation's root) cannot build a chain.
 * With `rootCa`, the leaf file's own chain must reach the root.
 */
export async function incompleteChainFindings(
  entry: TreeCertificate,
  match: RoleMatch | undefined,
  verdict: TrustVerdict,
  roots: readonly Certificate[],
  check: CheckSignature,
): Promise<Finding[]> {
  const anchor = verdict.anchor;
  if (!verdict.trusted || !anchor || entry.certificate.isCa || selfIssued(anchor.certificate)) return [];
  const carried = entry.chain.some(
    (certificate) => certificate.fingerprintSha256 === anchor.certificate.fingerprintSha256,
  );
  const reachesRoot =
    roots.length === 0 || (await chainResult(entry.certificate, roots, entry.chain, check)).status === "trusted";
  if (carried && reachesRoot) return [];
  const consumer = match ? roleProfile(match.role).verifiedBy?.consumer : undefined;
  const who = entry.kubeconfigUser !== undefined ? `user ${entry.kubeconfigUser}: ` : "";
  const missing = carried
    ? "the CAs between its CA and the root"
    : `its CA ${anchor.certificate.subjectText} (an intermediate)`;
  return [
    {
      severity: "warning",
      code: "CHAIN_INCOMPLETE",
      ...baseOf(entry, match),
      message: `${who}the file lacks ${missing}: ${consumer ?? "its consumer"} accepts it (${anchor.file} is its trust anchor), but a client that trusts only the root cannot verify it`,
      fix: `append the intermediate CA certificate(s) to the leaf: cat leaf.crt ${anchor.file} > leaf-chain.crt (kubeadm: "the intermediate CA certificate must be appended to each signed certificate")`,
      reference: "kubernetes/kubernetes PR #97266",
    },
  ];
}

/**
 * Each CA file up to the root the caller names (`rootCa`: the root, optionally with intermediates
 * between it and the cluster's CAs): reached by signatures and names within every pathLen
 * (trust.ts), and ending no later than the certificates above it.
 */
export async function rootFindings(
  tree: Tree,
  matches: ReadonlyMap<TreeCertificate, RoleMatch | undefined>,
  rootCa: readonly Certificate[],
  check: CheckSignature,
): Promise<Finding[]> {
  const roots = rootCa.filter(selfIssued);
  const anchors = roots.length > 0 ? roots : rootCa;
  // What the tree carries above its CAs: the further certificates of its leaf files.
  const carried = tree.certificates.flatMap((entry) => (entry.certificate.isCa ? [] : entry.chain));
  const intermediates = [...rootCa.filter((certificate) => !anchors.includes(certificate)), ...carried];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const entry of tree.certificates) {
    const match = matches.get(entry);
    if (entry.source !== "file" || !match || !roleProfile(match.role).isCa || entry.file.startsWith("nodes/")) continue;
    const ca = entry.certificate;
    if (seen.has(`${entry.file}\0${ca.fingerprintSha256}`)) continue;
    seen.add(`${entry.file}\0${ca.fingerprintSha256}`);
    if (anchors.some((root) => root.fingerprintSha256 === ca.fingerprintSha256)) continue;
    const base = { ...baseOf(entry, match), reference: "RFC 5280 §6.1" };
    const result = await chainResult(ca, anchors, [...entry.chain, ...intermediates], check);
    if (result.status === "path-length") {
      findings.push({
        ...base,
        severity: "error",
        code: "PATH_LENGTH_EXCEEDED",
        message: `the CA ${result.ca.subjectText} above it has pathlen:${result.ca.pathLength} but ${result.below} CA(s) sit below it on the way to ${ca.subjectText}: Go and openssl refuse every leaf of this CA for clients that trust the root`,
        fix: `re-create ${result.ca.subjectText} with basicConstraints=critical,CA:TRUE,pathlen:${result.below}, or issue the cluster's CA from a CA higher up`,
      });
      continue;
    }
    if (result.status !== "trusted") {
      const self = selfIssued(ca);
      findings.push({
        ...base,
        severity: "error",
        code: "NOT_UNDER_ROOT",
        message: self
          ? `${ca.subjectText} is self-signed: it is not under the root ${anchors.map((root) => root.subjectText).join(", ")}`
          : `${ca.subjectText} (issued by ${ca.issuerText}) does not chain to the root ${anchors.map((root) => root.subjectText).join(", ")} by signatures and names, even with the intermediates the tree's leaf files carry`,
        fix: "issue the CA from the root (kubepki init --root-ca/--root-key), or pass the root (and the intermediates between them) that issued it",
      });
      continue;
    }
    // Validity nesting: a CA outliving what signed it fails early, at its issuer's end.
    const above = [...intermediates, ...anchors].filter(
      (candidate) => bytesEqual(candidate.subjectDer, ca.issuerDer) && candidate.notAfter < ca.notAfter,
    );
    for (const issuer of above) {
      if ((await check(ca, issuer)) !== "ok") continue;
      findings.push({
        ...base,
        severity: "warning",
        code: "VALIDITY_EXCEEDS_CA",
        message: `valid until ${ca.notAfter.toISOString()}, after its issuer ${issuer.subjectText} expires (${issuer.notAfter.toISOString()}): every chain through it breaks then`,
        fix: "re-issue the CA to end before its issuer, or renew the issuer first",
      });
      break;
    }
  }
  return findings;
}
