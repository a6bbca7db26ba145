// A CA rotation in progress (issue 19's layout): CA files that are trust bundles, the incoming pair
// `<ca>-new.crt/.key`, the controller-manager's `pki/ca-signing.crt`, and which phase each CA is in.
import type { Certificate } from "@kubepki/core";
import { FLAGS_DIR } from "../../files/kubeadm-files.js";
import { bytesEqual, splitNodePath, type TreeCertificate } from "../../files/read-files.js";
import { incomingCaFile, SIGNING_CERT } from "../../lifecycle/rotate/layout.js";
import { NODE_DIRS } from "../../roles/constants.js";
import { kubeadmLocation, ROLE_PROFILES, type Role } from "../../roles/profiles.js";
import type { Finding } from "../findings.js";
import type { TreeContext, TreeRule } from "./context.js";

/**
 * A rotation's phase, and the step that follows it. `unknown`: a tree without the CA key (a
 * worker's /etc/kubernetes) shows a bundle but not which side signs, so not the phase.
 */
export type RotationPhase = "begun" | "reissued" | "unknown";
const NEXT: Readonly<Record<RotationPhase, string>> = {
  begun: "kubepki rotate DIR --ca {what} reissue",
  reissued: "kubepki rotate DIR --ca {what} finish",
  unknown: "kubepki rotate DIR status on the tree that holds the CA keys",
};

/** The `ROTATION_IN_PROGRESS` finding of `what` (a CA role, or `sa`) at `phase`, shown by `files`. */
export function rotationInProgress(
  what: string,
  phase: RotationPhase,
  file: string,
  files: readonly string[],
  role?: Role,
): Finding {
  const next = NEXT[phase].replace("{what}", what);
  return {
    severity: "info",
    code: "ROTATION_IN_PROGRESS",
    file,
    ...(role ? { role } : {}),
    message: `rotation of ${what}: ${phase === "unknown" ? "in progress (no key here tells the phase)" : `phase ${phase}`}; next: ${next} (shown by ${files.join(", ")})`,
    fix: `roll the files out and restart what the phase names, then ${next}`,
  };
}

const CA_ROLES: readonly Role[] = ROLE_PROFILES.filter((profile) => profile.isCa).map((profile) => profile.role);

const sameCertificate = (a: Certificate, b: Certificate): boolean => a.fingerprintSha256 === b.fingerprintSha256;

/**
 * Whether a further certificate of a CA file belongs there: a CA with the first one's subject (the
 * other side of a rotation), or the issuer of a certificate before it (a chain up to a root).
 */
function belongsInBundle(certificate: Certificate, before: readonly Certificate[]): boolean {
  if (!certificate.isCa) return false;
  return before.some(
    (earlier, index) =>
      (index === 0 && earlier.subjectText === certificate.subjectText) ||
      bytesEqual(earlier.issuerDer, certificate.subjectDer),
  );
}

/** The other CAs of a bundle: the same subject as its first certificate (old and new of a rotation). */
export function rotationPartners(entry: TreeCertificate): readonly Certificate[] {
  return entry.chain.filter(
    (other) =>
      other.isCa && other.subjectText === entry.certificate.subjectText && !sameCertificate(other, entry.certificate),
  );
}

/** CA files of several certificates: each further one must be the first's rotation partner or issuer. */
function bundleFindings({ tree, matches }: TreeContext): Finding[] {
  const findings: Finding[] = [];
  for (const entry of tree.certificates) {
    const role = matches.get(entry)?.role;
    if (entry.source !== "file" || entry.chain.length === 0 || !entry.certificate.isCa) continue;
    const all = [entry.certificate, ...entry.chain];
    all.forEach((certificate, index) => {
      if (index === 0 || belongsInBundle(certificate, all.slice(0, index))) return;
      findings.push({
        severity: "error",
        code: "CA_BUNDLE_UNRELATED",
        file: entry.file,
        ...(role ? { role } : {}),
        message: `certificate ${index + 1} of this CA bundle (${certificate.subjectText}${certificate.isCa ? "" : ", not a CA"}) is neither ${entry.certificate.subjectText} of another key (a rotation's old or new CA) nor its issuer: every component reading the file trusts whatever it signed`,
        fix: `keep only ${entry.certificate.subjectText} (and, during a rotation, its old or new certificate) in ${entry.file}`,
      });
    });
  }
  return findings;
}

const fingerprints = (entry: TreeCertificate): string =>
  [entry.certificate, ...entry.chain]
    .map((certificate) => certificate.fingerprintSha256)
    .sort()
    .join(" ");

/**
 * Each node's copy of a CA file holds the same certificates as the tree root's while either is a
 * bundle: a node left with the old CA alone refuses what the new one signs (the kubelet's
 * clientCAFile, its kubeconfig's CA), one with the new alone what the old one still signs.
 */
function copyFindings(tree: TreeContext["tree"], current: TreeCertificate, role: Role): Finding[] {
  const copies = tree.certificates.filter(
    (entry) =>
      entry.source === "file" &&
      entry !== current &&
      splitNodePath(entry.file).rest === current.file &&
      (entry.chain.length > 0 || current.chain.length > 0) &&
      fingerprints(entry) !== fingerprints(current),
  );
  return copies.map((copy) => ({
    severity: "error",
    code: "ROTATION_INCONSISTENT",
    file: copy.file,
    role,
    ...(splitNodePath(copy.file).node !== undefined ? { node: splitNodePath(copy.file).node } : {}),
    message: `holds ${copy.chain.length + 1} certificate(s), not the ${current.chain.length + 1} of ${current.file}: during a rotation every copy of a CA file is the same bundle, or that node refuses what the other CA signs`,
    fix: `copy ${current.file} to ${copy.file}`,
  }));
}

/**
 * Leaves signed by a bundle's further certificate once the first is the new CA (phase reissued):
 * they work until finish removes the outgoing CA, and then they are refused.
 */
function outgoingLeaves({ tree, issuers, matches }: TreeContext, current: TreeCertificate, role: Role): Finding[] {
  const findings: Finding[] = [];
  for (const entry of tree.certificates) {
    const link = issuers.get(entry);
    if (!link?.signer || link.issuer?.file !== current.file || entry.certificate.isCa) continue;
    const match = matches.get(entry);
    findings.push({
      severity: "warning",
      code: "SIGNED_BY_OUTGOING_CA",
      file: entry.file,
      ...(match ? { role: match.role } : {}),
      ...(match?.node !== undefined ? { node: match.node } : {}),
      message: `${entry.kubeconfigUser !== undefined ? `user ${entry.kubeconfigUser}: ` : ""}still signed by the outgoing ${role} (the second certificate of ${current.file}): it is refused once the rotation finishes`,
      fix: `reissue it with the new CA (kubepki rotate DIR --ca ${role} reissue) before finish`,
    });
  }
  return findings;
}

/** One CA's rotation: its incoming pair, its signing file, its phase. */
function caRotation(ctx: TreeContext, role: Role): Finding[] {
  const { tree } = ctx;
  const caFile = kubeadmLocation(role);
  const at = (path: string) => tree.certificates.find((entry) => entry.source === "file" && entry.file === path);
  const current = at(caFile);
  if (!current) return [];
  const incoming = at(incomingCaFile(caFile));
  const signing = role === "ca" ? at(SIGNING_CERT) : undefined;
  const bundle = [current.certificate, ...current.chain];
  const findings: Finding[] = [];
  const error = (
    file: string,
    code: "ROTATION_INCONSISTENT" | "SIGNING_BUNDLE" | "SIGNING_CA_MISMATCH",
    message: string,
    fix: string,
  ) => findings.push({ severity: "error", code, file, role, message, fix });

  if (incoming) {
    const cert = incoming.certificate;
    if (!cert.isCa || cert.subjectText !== current.certificate.subjectText) {
      error(
        incoming.file,
        "ROTATION_INCONSISTENT",
        `the incoming CA ${cert.subjectText}${cert.isCa ? "" : " (not a CA)"} is not a CA named like ${caFile} (${current.certificate.subjectText}): nothing it would sign is trusted as ${role}`,
        `remove ${incoming.file} and its key, then run kubepki rotate DIR --ca ${role} begin again`,
      );
    } else if (!bundle.some((other) => sameCertificate(other, cert))) {
      error(
        incoming.file,
        "ROTATION_INCONSISTENT",
        `the incoming CA is not in ${caFile}: the trust bundle must hold the old and the new CA before anything is signed by the new one`,
        `put ${caFile} back as the old CA followed by ${incoming.file} (kubepki rotate DIR --ca ${role} begin)`,
      );
    }
    if (!incoming.key) {
      error(
        incoming.file,
        "ROTATION_INCONSISTENT",
        `the incoming CA has no key (looked for ${incoming.keyPath}): the reissue phase cannot sign with it`,
        `put its key at ${incoming.keyPath}, or remove ${incoming.file} and begin again`,
      );
    }
  }
  if (signing) {
    if (signing.chain.length > 0) {
      error(
        SIGNING_CERT,
        "SIGNING_BUNDLE",
        `${signing.chain.length + 1} certificates: the controller-manager's --cluster-signing-cert-file must name one certificate, the one whose key is ${caFile.replace(/\.crt$/, ".key")}; a bundle there is the trap of the manual CA rotation`,
        `write the first certificate of ${caFile} alone to ${SIGNING_CERT}`,
      );
    } else if (!sameCertificate(signing.certificate, current.certificate)) {
      error(
        SIGNING_CERT,
        "SIGNING_CA_MISMATCH",
        `is not the first certificate of ${caFile}, the one whose key (${caFile.replace(/\.crt$/, ".key")}) the controller-manager signs with: what it signs does not verify against it`,
        `write the first certificate of ${caFile} alone to ${SIGNING_CERT}`,
      );
    }
  }
  const phase: RotationPhase | undefined = incoming
    ? "begun"
    : rotationPartners(current).length === 0
      ? undefined
      : current.key
        ? "reissued"
        : "unknown";
  findings.push(...copyFindings(tree, current, role));
  if (phase === "reissued") findings.push(...outgoingLeaves(ctx, current, role));
  if (phase) {
    const shownBy = [
      caFile,
      ...(incoming ? [incoming.file, incoming.keyPath] : []),
      ...(signing ? [SIGNING_CERT] : []),
    ];
    findings.push(rotationInProgress(role, phase, caFile, shownBy, role));
    // Only a tree with the CA key is where the controller-manager signs.
    if (role === "ca" && !signing && current.key) {
      findings.push({
        severity: "warning",
        code: "SIGNING_BUNDLE",
        file: caFile,
        role,
        message: `a rotation is in progress and there is no ${SIGNING_CERT}: the controller-manager's --cluster-signing-cert-file would have to name ${caFile}, a bundle`,
        fix: `write the first certificate of ${caFile} alone to ${SIGNING_CERT} and point --cluster-signing-cert-file at it`,
      });
    }
  }
  return findings;
}

const CONTROLLER_MANAGER_FLAGS = `${FLAGS_DIR}/kube-controller-manager.txt`;
const ETC_KUBERNETES = `${NODE_DIRS.kubernetes}/`;

/**
 * The trap itself: the controller-manager's flags (kubepki's `flags/kube-controller-manager.txt`)
 * naming a bundle as `--cluster-signing-cert-file`. The flag must name one certificate, the one
 * whose key `--cluster-signing-key-file` is.
 */
function signingFlagFindings({ tree }: TreeContext): Finding[] {
  const findings: Finding[] = [];
  for (const [path, text] of tree.texts) {
    if (path !== CONTROLLER_MANAGER_FLAGS && !path.endsWith(`/${CONTROLLER_MANAGER_FLAGS}`)) continue;
    const named = /^--cluster-signing-cert-file=(\S+)$/m.exec(text)?.[1];
    if (named === undefined || !named.startsWith(ETC_KUBERNETES)) continue;
    const root = path.slice(0, path.length - CONTROLLER_MANAGER_FLAGS.length);
    const file = `${root}${named.slice(ETC_KUBERNETES.length)}`;
    const entry = tree.certificates.find((candidate) => candidate.source === "file" && candidate.file === file);
    // A bundle at ca-signing.crt is reported on that file (caRotation), not twice.
    if (!entry || entry.chain.length === 0 || file === `${root}${SIGNING_CERT}`) continue;
    findings.push({
      severity: "error",
      code: "SIGNING_BUNDLE",
      file: path,
      role: "ca",
      message: `--cluster-signing-cert-file=${named} is a bundle of ${entry.chain.length + 1} certificates: the controller-manager must sign with one certificate and its key (during a rotation, ${SIGNING_CERT})`,
      fix: `write the first certificate of ${file} alone to ${root}${SIGNING_CERT} and set --cluster-signing-cert-file=${ETC_KUBERNETES}${SIGNING_CERT}`,
    });
  }
  return findings;
}

/** Trust bundles in every CA file, and each CA's rotation. */
export const rotationFindings: TreeRule = (ctx) => [
  ...bundleFindings(ctx),
  ...signingFlagFindings(ctx),
  ...CA_ROLES.flatMap((role) => caRotation(ctx, role)),
];
