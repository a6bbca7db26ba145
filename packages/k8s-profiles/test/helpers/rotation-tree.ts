// Test-only: the trees of a CA rotation in progress, made by hand with core's API from a generated
// tree, following the fixed layout of issue 19 (begun / reissued / finished; the cluster CA's
// pki/ca-signing.crt; the incoming pair at pki/<ca>-new.crt/.key; sa.pub with two keys). The audit
// tests use them until the rotation library writes such trees itself.
import {
  type Certificate,
  createSelfSignedCa,
  exportPrivateKeyPem,
  exportPublicKeyPem,
  generateKeyPair,
  importPrivateKeyPem,
  issueCertificate,
  parseCertificates,
} from "@kubepki/core";

export type RotatedCa = "ca" | "etcd-ca" | "front-proxy-ca";
export type RotationPhase = "begun" | "reissued" | "finished";

/** The CA certificate file of each CA (its key is the same path with `.key`). */
export const CA_FILES: Readonly<Record<RotatedCa, string>> = {
  ca: "pki/ca.crt",
  "etcd-ca": "pki/etcd/ca.crt",
  "front-proxy-ca": "pki/front-proxy-ca.crt",
};

export const keyPath = (crt: string): string => crt.replace(/\.crt$/, ".key");
export const newPath = (crt: string): string => crt.replace(/\.crt$/, "-new.crt");
export const SIGNING_FILE = "pki/ca-signing.crt";

export interface CaPair {
  readonly certificate: Certificate;
  readonly keyPem: string;
}

/** A CA with the same subject as `old` (a fresh key and validity), as `rotate begin` makes one. */
export async function incomingCa(old: Certificate, now: Date = new Date()): Promise<CaPair> {
  const keyPair = await generateKeyPair("ECDSA-P256");
  const certificate = await createSelfSignedCa({
    keyPair,
    subject: old.subjectText,
    sans: old.subjectAltNames,
    now,
  });
  return { certificate, keyPem: await exportPrivateKeyPem(keyPair) };
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g;
const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
const unb64 = (text: string): string => Buffer.from(text, "base64").toString("utf8");

/** The same certificate (subject, SANs, usages, key, validity) signed by `by` instead. */
async function resign(certificate: Certificate, by: CaPair): Promise<string> {
  const { privateKey } = await importPrivateKeyPem(by.keyPem);
  const reissued = await issueCertificate({
    issuer: { certificate: by.certificate, privateKey },
    publicKey: certificate.publicKeyInfo,
    subject: certificate.subjectText,
    sans: certificate.subjectAltNames,
    ...(certificate.keyUsages ? { keyUsages: certificate.keyUsages } : {}),
    ...(certificate.extKeyUsages ? { extKeyUsages: certificate.extKeyUsages as never } : {}),
    validity: { notBefore: certificate.notBefore, notAfter: certificate.notAfter },
    clampToIssuer: true,
  });
  return reissued.pem;
}

/** Every PEM certificate block of `text` (a file or a kubeconfig's *-data) mapped through `change`. */
async function mapBlocks(text: string, change: (pem: string) => Promise<string>): Promise<string> {
  const blocks = text.match(CERTIFICATE_BLOCK) ?? [];
  let out = text;
  for (const block of blocks) out = out.replace(block, await change(block));
  return out;
}

/** Applies `change` to every certificate file and every kubeconfig's embedded certificate(s). */
async function mapCertificates(
  files: Map<string, string>,
  change: (pem: string, field: "file" | "certificate-authority-data" | "client-certificate-data") => Promise<string>,
): Promise<void> {
  for (const [path, text] of [...files]) {
    if (path.endsWith(".conf")) {
      let out = text;
      for (const field of ["certificate-authority-data", "client-certificate-data"] as const) {
        const pattern = new RegExp(`(${field}: )(\\S+)`, "g");
        for (const match of [...out.matchAll(pattern)]) {
          const pem = unb64(match[2] as string);
          out = out.replace(match[0], `${match[1]}${b64(await change(pem, field))}`);
        }
      }
      files.set(path, out);
    } else if (text.includes("-----BEGIN CERTIFICATE-----")) {
      files.set(path, await mapBlocks(text, (block) => change(block, "file")));
    }
  }
}

const norm = (pem: string): string => `${pem.trim()}\n`;

/**
 * The tree at `phase` of a rotation of `ca`: `base` is a normal tree (copied, not changed);
 * `incoming` the new pair. Leaves signed by the old CA are re-signed by the new one from
 * `reissued` on (same key; the library makes new keys, which the audit does not tell apart).
 */
export async function rotationTree(
  base: ReadonlyMap<string, string>,
  ca: RotatedCa,
  phase: RotationPhase,
  incoming: CaPair,
): Promise<Map<string, string>> {
  const files = new Map(base);
  const caFile = CA_FILES[ca];
  const oldPem = norm(base.get(caFile) as string);
  const [old] = parseCertificates(oldPem) as [Certificate];
  const newPem = norm(incoming.certificate.pem);
  const bundle = phase === "begun" ? oldPem + newPem : phase === "reissued" ? newPem + oldPem : newPem;
  const signer: CaPair | undefined = phase === "begun" ? undefined : incoming;
  await mapCertificates(files, async (pem, field) => {
    if (norm(pem) === oldPem) return field === "client-certificate-data" ? pem : bundle;
    const [cert] = parseCertificates(pem) as [Certificate];
    const byOld = !cert.isCa && Buffer.from(cert.issuerDer).equals(Buffer.from(old.subjectDer));
    return byOld && signer ? norm(await resign(cert, signer)) : pem;
  });
  if (phase === "begun") {
    files.set(newPath(caFile), newPem);
    files.set(keyPath(newPath(caFile)), incoming.keyPem);
  } else {
    files.set(keyPath(caFile), incoming.keyPem);
  }
  if (ca === "ca") {
    if (phase === "finished") files.delete(SIGNING_FILE);
    else files.set(SIGNING_FILE, phase === "begun" ? oldPem : newPem);
    const flags = "flags/kube-controller-manager.txt";
    const text = files.get(flags);
    if (text !== undefined) {
      files.set(
        flags,
        text.replace(
          /--cluster-signing-cert-file=\S+/,
          `--cluster-signing-cert-file=/etc/kubernetes/${phase === "finished" ? "pki/ca.crt" : SIGNING_FILE}`,
        ),
      );
    }
  }
  return files;
}

/** A new service-account key pair, as `rotate --ca sa begin` makes one. */
export async function incomingSaKey(): Promise<{ keyPem: string; publicPem: string }> {
  const keyPair = await generateKeyPair("ECDSA-P256");
  return { keyPem: await exportPrivateKeyPem(keyPair), publicPem: norm(await exportPublicKeyPem(keyPair.publicKey)) };
}

/** The tree at `phase` of a rotation of the service-account key. */
export function saRotationTree(
  base: ReadonlyMap<string, string>,
  phase: RotationPhase,
  incoming: { keyPem: string; publicPem: string },
): Map<string, string> {
  const files = new Map(base);
  const oldPub = norm(base.get("pki/sa.pub") as string);
  if (phase === "begun") {
    files.set("pki/sa.pub", oldPub + incoming.publicPem);
    files.set("pki/sa-new.key", incoming.keyPem);
  } else {
    files.set("pki/sa.key", incoming.keyPem);
    files.set("pki/sa.pub", phase === "reissued" ? incoming.publicPem + oldPub : incoming.publicPem);
  }
  return files;
}
