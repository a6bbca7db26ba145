// Test-only: an offline root and intermediate CAs made in process (core), for the two-tier tests.
import {
  type Certificate,
  createSelfSignedCa,
  exportPrivateKeyPem,
  generateKeyPair,
  issueCertificate,
  type KeyPair,
} from "@kubepki/core";
import type { ExistingCaPem } from "../../src/index.js";

/** A CA with its key, and both as the PEM pair generateCluster takes. */
export interface CaPair {
  certificate: Certificate;
  keyPair: KeyPair;
  pem: ExistingCaPem;
}

async function pair(certificate: Certificate, keyPair: KeyPair): Promise<CaPair> {
  return {
    certificate,
    keyPair,
    pem: { certificatePem: certificate.pem, privateKeyPem: await exportPrivateKeyPem(keyPair) },
  };
}

/** A self-signed root (P-256), `days` long, with `pathLength` when given. */
export async function makeRoot(subject: string, pathLength?: number, days = 7300): Promise<CaPair> {
  const keyPair = await generateKeyPair("ECDSA-P256");
  const certificate = await createSelfSignedCa({
    keyPair,
    subject,
    validity: { days },
    ...(pathLength === undefined ? {} : { pathLength }),
  });
  return pair(certificate, keyPair);
}

/**
 * An intermediate CA issued by `issuer` (5000 days, or a day less than the issuer has left: an
 * intermediate of an intermediate made a second later would otherwise outlive it by that second),
 * with `pathLength` when given.
 */
export async function makeIntermediate(issuer: CaPair, subject: string, pathLength?: number): Promise<CaPair> {
  const left = Math.floor((issuer.certificate.notAfter.getTime() - Date.now()) / 86_400_000);
  const days = Math.min(5000, left - 1);
  const keyPair = await generateKeyPair("ECDSA-P256");
  const certificate = await issueCertificate({
    issuer: { certificate: issuer.certificate, privateKey: issuer.keyPair.privateKey },
    publicKey: keyPair.publicKey,
    subject,
    isCa: true,
    keyUsages: ["digitalSignature", "keyCertSign", "cRLSign"],
    validity: { days },
    ...(pathLength === undefined ? {} : { pathLength }),
  });
  return pair(certificate, keyPair);
}
