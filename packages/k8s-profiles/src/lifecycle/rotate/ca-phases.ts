// The three phases of one CA's rotation over the working tree (layout in layout.ts).
import {
  type Certificate,
  createSelfSignedCa,
  generateKeyPair,
  importPrivateKeyPem,
  KubepkiError,
  parseCertificate,
  prepareIssuer,
} from "@kubepki/core";
import { bytesEqual, readTree, roleByPath, type TreeCertificate } from "../../files/read-files.js";
import { sentAbove } from "../../generate/chain.js";
import { leafValidity } from "../renew/validity.js";
import { exportKey, issueLike, newKeyAlgorithm, rewrite } from "../renew.js";
import { type CaLayout, keyMatches, pemBlocks, SIGNING_CERT } from "./layout.js";
import type { RotateRun } from "./run.js";
import { pointSigningFlag, setTrust } from "./trust.js";
import type { Work } from "./work.js";

const DAY_MS = 24 * 60 * 60 * 1000;

function keyMissing(path: string, why: string): KubepkiError {
  return new KubepkiError("CA_KEY_MISSING", `${path} is not in the tree: ${why}`, { details: { path } });
}

/** The certificates of C, parsed (the state check made sure there are as many as the phase needs). */
function caCertificates(work: Work, layout: CaLayout): Certificate[] {
  return pemBlocks(work.texts.get(layout.cert), "CERTIFICATE").map((block) => parseCertificate(block));
}

/** A given CA checked for this rotation: a CA, the current CA's subject, its key its certificate's. */
function givenCa(run: RotateRun, layout: CaLayout, old: Certificate): { cert: Certificate; keyPem: string } {
  const given = run.newCa as NonNullable<RotateRun["newCa"]>;
  const invalid = (field: string, why: string) =>
    new KubepkiError("INVALID_ARGUMENT", `newCa.${field}: ${why}`, { details: { field: `newCa.${field}` } });
  let cert: Certificate;
  try {
    cert = parseCertificate(given.certificatePem);
  } catch (error) {
    throw invalid("certificatePem", `not a certificate (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!cert.isCa) throw invalid("certificatePem", `${cert.subjectText} is not a CA certificate`);
  // The same name, compared by attributes: a CA made with openssl spells CN=kubernetes as a
  // UTF8String where kubepki writes a PrintableString; each leaf names its own CA's bytes.
  if (cert.subjectText !== old.subjectText) {
    throw invalid(
      "certificatePem",
      `its subject ${cert.subjectText} is not the subject of ${layout.cert} (${old.subjectText}); a rotated CA keeps its name`,
    );
  }
  if (bytesEqual(cert.publicKeyInfo, old.publicKeyInfo)) {
    throw invalid("certificatePem", `it has the key of the CA in ${layout.cert}: a rotation needs a new key`);
  }
  if (!keyMatches(given.privateKeyPem, cert.publicKeyInfo)) {
    throw invalid("privateKeyPem", "not the private key of newCa.certificatePem");
  }
  return { cert, keyPem: given.privateKeyPem };
}

/** A new CA like the old one (same subject, SANs and usages: what certSpec(config, role) gave it at init), new key, fresh validity. */
async function freshCa(
  run: RotateRun,
  old: Certificate,
  oldKeyPem: string,
): Promise<{ cert: Certificate; keyPem: string }> {
  const keyPair = await generateKeyPair(run.keyAlgorithm ?? newKeyAlgorithm(old, undefined), {
    ...run.crypto,
    anyRsaSize: true,
  });
  const days = run.caDays ?? Math.max(1, Math.round((old.notAfter.getTime() - old.notBefore.getTime()) / DAY_MS));
  const cert = await createSelfSignedCa({
    keyPair,
    subject: old.subject,
    sans: old.subjectAltNames,
    ...(old.keyUsages ? { keyUsages: old.keyUsages } : {}),
    validity: { days },
    now: run.now,
    ...run.crypto,
  });
  return { cert, keyPem: await exportKey(keyPair, oldKeyPem, run.crypto) };
}

/** begin: the new pair beside the old, C := old + new everywhere, signing stays with the old. */
export async function beginCa(work: Work, layout: CaLayout, run: RotateRun): Promise<void> {
  const [old] = caCertificates(work, layout) as [Certificate];
  const oldKeyPem = work.texts.get(layout.key);
  if (oldKeyPem === undefined)
    throw keyMissing(layout.key, `the key of ${layout.cert} (external CA): rotate it where its key is`);
  const fresh = run.newCa ? givenCa(run, layout, old) : await freshCa(run, old, oldKeyPem);
  work.set(layout.newCert, fresh.cert.pem);
  work.set(layout.newKey, fresh.keyPem);
  setTrust(work, layout, `${old.pem}${fresh.cert.pem}`, [old.fingerprintSha256, fresh.cert.fingerprintSha256]);
  if (layout.target === "ca") {
    work.set(SIGNING_CERT, old.pem);
    pointSigningFlag(work, layout.cert, "signing");
  }
}

/** reissue: every leaf of the old CA signed by the new one (new keys); K := new key; C := new + old. */
export async function reissueCa(work: Work, layout: CaLayout, run: RotateRun): Promise<void> {
  const [old, inBundle] = caCertificates(work, layout) as [Certificate, Certificate];
  const newKeyPem = work.texts.get(layout.newKey);
  if (newKeyPem === undefined) throw keyMissing(layout.newKey, `the key of ${layout.newCert}, made by begin`);
  const newCertText = work.texts.get(layout.newCert) as string;
  const fresh = parseCertificate(newCertText);
  if (fresh.fingerprintSha256 !== inBundle.fingerprintSha256 || !keyMatches(newKeyPem, fresh.publicKeyInfo)) {
    throw new KubepkiError(
      "ROTATION_REFUSED",
      `${layout.newCert} and ${layout.newKey} are not the new CA of ${layout.cert}'s bundle (changed since begin?)`,
      { details: { path: layout.newCert } },
    );
  }
  const issuer = await prepareIssuer({
    certificate: fresh,
    privateKey: (await importPrivateKeyPem(newKeyPem, run.crypto)).privateKey,
  });
  await reissueLeaves(work, old, issuer, run);
  work.set(layout.key, newKeyPem);
  work.remove(layout.newCert);
  work.remove(layout.newKey);
  setTrust(work, layout, `${fresh.pem}${old.pem}`, [old.fingerprintSha256, fresh.fingerprintSha256]);
  if (layout.target === "ca") work.set(SIGNING_CERT, fresh.pem);
}

/** finish: C := new only everywhere; the signing file goes, the flag points at C again. */
export function finishCa(work: Work, layout: CaLayout): void {
  const [fresh, old] = caCertificates(work, layout) as [Certificate, Certificate];
  setTrust(work, layout, fresh.pem, [old.fingerprintSha256, fresh.fingerprintSha256]);
  if (layout.target === "ca") {
    work.remove(SIGNING_CERT);
    pointSigningFlag(work, layout.cert, "ca");
  }
}

/** Whether `cert` is a leaf the old CA signed (same issuer name, and its key identifier when both carry one). */
function signedByOld(cert: Certificate, old: Certificate): boolean {
  return (
    !cert.isCa &&
    bytesEqual(cert.issuerDer, old.subjectDer) &&
    (cert.authorityKeyIdentifier === undefined ||
      old.subjectKeyIdentifier === undefined ||
      cert.authorityKeyIdentifier === old.subjectKeyIdentifier)
  );
}

/**
 * Each leaf of the old CA, once per certificate (a kubeconfig's client certificate and its
 * `users/` copy are one), issued again by the new CA with a new key, the same subject, SANs and
 * usages, and written wherever the tree holds it.
 */
async function reissueLeaves(
  work: Work,
  old: Certificate,
  issuer: Awaited<ReturnType<typeof prepareIssuer>>,
  run: RotateRun,
): Promise<void> {
  const tree = readTree(work.texts);
  const groups = new Map<string, TreeCertificate[]>();
  for (const entry of tree.certificates) {
    if (!signedByOld(entry.certificate, old)) continue;
    const key = entry.certificate.fingerprintSha256;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  for (const entries of groups.values()) {
    const cert = (entries[0] as TreeCertificate).certificate;
    const keyPair = await generateKeyPair(newKeyAlgorithm(cert, undefined), { ...run.crypto, anyRsaSize: true });
    const { days } = run.validity ?? leafValidity(cert, old);
    const leaf = await issueLike(cert, {
      issuer,
      publicKey: keyPair.publicKey,
      days,
      now: run.now,
      crypto: run.crypto,
    });
    const keyPem = await exportKey(keyPair, entries.find((entry) => entry.key)?.key?.pem, run.crypto);
    for (const entry of entries) {
      const role = roleByPath(entry.file)?.role;
      const target = { name: entry.file, entry, kind: "certificate" as const, ...(role ? { role } : {}) };
      // The live texts: an earlier entry may have rewritten the same kubeconfig.
      // The new CA is self-signed: nothing of the old CA's chain stays after the leaf.
      const tail = sentAbove(issuer.certificate, []);
      for (const file of await rewrite({ ...tree, texts: work.texts }, target, leaf, keyPem, tail)) {
        work.set(file.path, file.contents, file.mode);
      }
    }
  }
}
