/**
 * Trust as each consumer sees it: a certificate is checked against the CA file its consumer is
 * configured with (`ROLE_PROFILES[].verifiedBy`: the apiserver's `--client-ca-file` is
 * `pki/ca.crt`, etcd's `--trusted-ca-file` is `pki/etcd/ca.crt`…), never against whatever
 * CA-looking file happens to sit in the tree (`ca.crt.bak`, `backup/ca.crt`, another node's copy).
 * The chain walk follows Go's `x509.Certificate.Verify` (crypto/x509/verify.go): the anchor
 * file's certificates are the roots, the certificate file's further blocks the intermediates,
 * and every CA's pathLenConstraint bounds the intermediates below it (RFC 5280 §4.2.1.9).
 *
 * @internal
 */

import { type Certificate, isKubepkiError, verifyCertificateSignature } from "@kubepki/core";
import { bytesEqual, type RoleMatch, splitNodePath, type Tree, type TreeCertificate } from "../files/read-files.js";
import { PKI_DIR } from "../roles/constants.js";
import { roleProfile } from "../roles/profiles.js";
import type { Finding } from "./findings.js";

/** Whether an issuer's key made a certificate's signature. */
export type SignatureCheck = "ok" | "bad" | "weak";

/** Memoised signature checks: a tree repeats the same (certificate, issuer) pairs many times. */
export type CheckSignature = (certificate: Certificate, issuer: Certificate) => Promise<SignatureCheck>;

/**
 * Signature checks through core's verifyCertificateSignature (the signature only, so the audit
 * can tell who signed what even when the signer is a v1 CA), each pair checked once.
 */
export function createSignatureChecks(crypto: Crypto | undefined): CheckSignature {
  const checks = new Map<Certificate, Map<Certificate, Promise<SignatureCheck>>>();
  const options = crypto ? { crypto } : {};
  return (certificate, issuer) => {
    let byIssuer = checks.get(certificate);
    if (byIssuer === undefined) {
      byIssuer = new Map();
      checks.set(certificate, byIssuer);
    }
    let pending = byIssuer.get(issuer);
    if (pending === undefined) {
      pending = verifyCertificateSignature(certificate, issuer, options).then(
        (ok): SignatureCheck => (ok ? "ok" : "bad"),
        (error: unknown): SignatureCheck => (isKubepkiError(error, "UNSUPPORTED_ALGORITHM") ? "weak" : "bad"),
      );
      byIssuer.set(issuer, pending);
    }
    return pending;
  };
}

/**
 * The tree file holding the CA a consumer of `file` uses: `caFile` under the entry's own node
 * directory first (`nodes/<name>/pki/ca.crt`, that node's /etc/kubernetes), then at the tree root,
 * then without the `pki/` prefix (a tree rooted at /etc/kubernetes/pki, or a flat directory).
 */
export function anchorFile(file: string, caFile: string, tree: Tree): TreeCertificate | undefined {
  const { node } = splitNodePath(file);
  const root = node === undefined ? "" : `nodes/${node}/`;
  const bare = caFile.startsWith(`${PKI_DIR}/`) ? caFile.slice(PKI_DIR.length + 1) : caFile;
  for (const path of [`${root}${caFile}`, caFile, `${root}${bare}`, bare]) {
    const found = tree.certificates.find((candidate) => candidate.source === "file" && candidate.file === path);
    if (found) return found;
  }
  return undefined;
}

/**
 * For a client certificate embedded in a kubeconfig whose tree has no CA file (a worker's
 * directory with kubelet.conf alone): the kubeconfig's own certificate-authority-data, which
 * kubeadm sets to the CA that also signs the client (kubeconfig/kubeconfig.go).
 */
function kubeconfigAnchor(entry: TreeCertificate, tree: Tree): TreeCertificate | undefined {
  if (entry.source !== "kubeconfig") return undefined;
  const config = tree.kubeconfigs.find((candidate) => candidate.file === entry.file)?.config;
  const authority = config?.clusters.find(
    (cluster) => cluster.certificateAuthority && "pem" in cluster.certificateAuthority,
  )?.certificateAuthority as { pem: string } | undefined;
  if (!authority) return undefined;
  try {
    const [certificate, ...chain] = tree.parseCertificates(authority.pem);
    if (!certificate) return undefined;
    return { ...entry, file: `${entry.file} certificate-authority-data`, certificate, chain };
  } catch {
    return undefined;
  }
}

export type ChainResult =
  | { readonly status: "trusted" }
  | { readonly status: "weak" }
  | { readonly status: "untrusted" }
  | { readonly status: "path-length"; readonly ca: Certificate; readonly below: number };

/** Go's buildChains, depth first, roots before intermediates, with the pathLen check. */
async function walk(
  current: readonly Certificate[],
  roots: readonly Certificate[],
  intermediates: readonly Certificate[],
  check: CheckSignature,
  caStart = 0,
): Promise<ChainResult> {
  const certificate = current[current.length - 1] as Certificate;
  let result: ChainResult = { status: "untrusted" };
  for (const [isRoot, pool] of [
    [true, roots],
    [false, intermediates],
  ] as const) {
    for (const candidate of pool) {
      if (!bytesEqual(candidate.subjectDer, certificate.issuerDer) || current.includes(candidate)) continue;
      const signature = await check(certificate, candidate);
      if (signature === "weak" && result.status === "untrusted") result = { status: "weak" };
      if (signature !== "ok") continue;
      // The CAs below the candidate: those walked, plus the first when it is a CA file itself.
      const below = current.length - 1 + caStart;
      if (candidate.pathLength !== undefined && below > candidate.pathLength) {
        result = { status: "path-length", ca: candidate, below };
        continue;
      }
      if (isRoot) return { status: "trusted" };
      const deeper = await walk([...current, candidate], roots, intermediates, check, caStart);
      if (deeper.status === "trusted") return deeper;
      if (deeper.status === "path-length") result = deeper;
    }
  }
  return result;
}

/**
 * Whether `certificate` chains to one of `roots` through `intermediates` (Go's chain search,
 * with pathLen); the audit's chain rules (chains.ts) ask it too. A CA as `certificate` counts
 * for the pathLen of the CAs above it.
 */
export function chainResult(
  certificate: Certificate,
  roots: readonly Certificate[],
  intermediates: readonly Certificate[],
  check: CheckSignature,
): Promise<ChainResult> {
  return walk([certificate], roots, intermediates, check, certificate.isCa ? 1 : 0);
}

/** The trust verdict for one certificate, with the findings it gives. */
export interface TrustVerdict {
  /** The anchor was found and the certificate does not chain to it (or not within pathLen). */
  readonly failed: boolean;
  /** The anchor was found and the certificate chains to it. */
  readonly trusted?: boolean;
  /** The CA file (or kubeconfig certificate-authority-data) its consumer verifies it with, when found. */
  readonly anchor?: TreeCertificate;
  readonly findings: readonly Finding[];
}

/**
 * Checks `entry` against the CA file its role's consumer uses. No verdict (`failed: false`, no
 * findings) when the role is a CA, unknown, or its CA file is not in the tree: the issuer search
 * of the audit then says what it can.
 */
export async function consumerTrust(
  entry: TreeCertificate,
  match: RoleMatch | undefined,
  tree: Tree,
  check: CheckSignature,
): Promise<TrustVerdict> {
  const verifiedBy = match ? roleProfile(match.role).verifiedBy : undefined;
  if (!verifiedBy) return { failed: false, findings: [] };
  const anchor = anchorFile(entry.file, verifiedBy.caFile, tree) ?? kubeconfigAnchor(entry, tree);
  if (!anchor) return { failed: false, findings: [] };
  const roots = [anchor.certificate, ...anchor.chain];
  const result = await walk([entry.certificate], roots, entry.chain, check);
  // A signature Go refuses as insecure (MD5, SHA-1) is the audit's WEAK_SIGNATURE finding.
  if (result.status === "trusted") return { failed: false, trusted: true, anchor, findings: [] };
  if (result.status === "weak") return { failed: false, findings: [] };
  const base = {
    severity: "error" as const,
    file: entry.file,
    ...(match ? { role: match.role } : {}),
    ...(match?.node !== undefined ? { node: match.node } : {}),
  };
  const who = entry.kubeconfigUser !== undefined ? `user ${entry.kubeconfigUser}: ` : "";
  if (result.status === "path-length") {
    return {
      failed: true,
      findings: [
        {
          ...base,
          code: "PATH_LENGTH_EXCEEDED",
          message: `${who}the CA ${result.ca.subjectText} has pathlen:${result.ca.pathLength} but ${result.below} intermediate CA(s) sit below it on the way to ${anchor.file}: Go refuses the chain ("x509: too many intermediates for path length constraint"), openssl too ("path length constraint exceeded")`,
          fix: `re-issue it directly from ${anchor.file}, or re-create the root with a pathlen that allows the intermediate (basicConstraints=critical,CA:TRUE,pathlen:1)`,
          reference: "RFC 5280 §4.2.1.9",
        },
      ],
    };
  }
  const signedElsewhere = tree.certificates.find(
    (candidate) =>
      candidate.source === "file" &&
      candidate !== anchor &&
      candidate.certificate !== entry.certificate &&
      bytesEqual(candidate.certificate.subjectDer, entry.certificate.issuerDer),
  );
  const elsewhere =
    signedElsewhere && (await check(entry.certificate, signedElsewhere.certificate)) === "ok"
      ? ` (it was signed by ${signedElsewhere.file}, which no component uses to verify it)`
      : "";
  return {
    failed: true,
    findings: [
      {
        ...base,
        code: "NOT_TRUSTED",
        message: `${who}does not chain to ${anchor.file}, the CA ${verifiedBy.consumer} uses: it is refused with "x509: certificate signed by unknown authority"${elsewhere}`,
        fix: `re-issue it from ${anchor.file} (kubepki renew, or kubeadm certs renew), or put back at ${anchor.file} the CA that signed it`,
        reference: "§1.1",
      },
    ],
  };
}
