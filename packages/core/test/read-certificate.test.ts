import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSelfSignedCa, issueCertificate } from "../src/certificate/issue.js";
import { certificateFromDer } from "../src/certificate/parse.js";
import { readCommonCertificate } from "../src/certificate/read-certificate.js";
import { generateKeyPair } from "../src/keys/generate.js";
import { decodePem } from "../src/pem/pem.js";
import { KubepkiError } from "../src/vocabulary/errors.js";
import { opensslOk, tempDir } from "./helpers/openssl.js";

/**
 * parseCertificate's fast path (certificate/read-certificate.ts) against the asn1-schema path it
 * short-cuts: for every certificate the result must be the same, field by field, and for damaged
 * input both must fail with the same code (the fast path only ever accepts or hands over).
 */

type Outcome = { ok: true; value: unknown } | { ok: false; code: string };

function outcome(der: Uint8Array, fastPath: boolean): Outcome {
  try {
    return { ok: true, value: certificateFromDer(der.slice(), { fastPath }) };
  } catch (error) {
    return { ok: false, code: error instanceof KubepkiError ? error.code : `not a KubepkiError: ${String(error)}` };
  }
}

function expectSameReading(der: Uint8Array): void {
  expect(outcome(der, true)).toEqual(outcome(der, false));
}

const now = new Date("2026-11-28T12:00:00Z");

async function kubepkiCorpus(): Promise<{ name: string; der: Uint8Array }[]> {
  const out: { name: string; der: Uint8Array }[] = [];
  for (const algorithm of ["ECDSA-P256", "ECDSA-P384", "RSA-2048"] as const) {
    const caKeys = await generateKeyPair(algorithm);
    const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=kubernetes", sans: ["kubernetes"], now });
    const intermediate = await issueCertificate({
      issuer: { certificate: ca, privateKey: caKeys.privateKey },
      publicKey: (await generateKeyPair("ECDSA-P256")).publicKey,
      subject: { commonName: "intermediate", organizations: ["b-org", "a-org"], countries: ["DE"] },
      isCa: true,
      pathLength: 0,
      now,
    });
    const leafKey = (await generateKeyPair("ECDSA-P256")).publicKey;
    const issuer = { certificate: ca, privateKey: caKeys.privateKey };
    const leaves = await Promise.all([
      issueCertificate({
        issuer,
        publicKey: leafKey,
        subject: "/CN=kube-apiserver",
        sans: ["kubernetes.default.svc", "10.96.0.1", "fd00::1", "2001:db8::a:b:0:1"],
        extKeyUsages: ["serverAuth"],
        now,
      }),
      issueCertificate({
        issuer,
        publicKey: leafKey,
        subject: "/O=system:nodes/CN=system:node:worker-1",
        extKeyUsages: ["clientAuth", "serverAuth"],
        keyUsages: ["digitalSignature", "keyEncipherment", "dataEncipherment", "keyAgreement"],
        now,
      }),
      // Non-ASCII subject: the fast path hands it to asn1-schema.
      issueCertificate({ issuer, publicKey: leafKey, subject: { commonName: "grüße" }, now }),
      // No subject, only a SAN (the SAN extension is then critical); valid past 2049 (GeneralizedTime).
      issueCertificate({
        issuer,
        publicKey: leafKey,
        sans: ["only.example"],
        validity: { notBefore: now, notAfter: new Date("2050-06-01T00:00:00Z") },
        clampToIssuer: true,
        now,
      }),
      issueCertificate({ issuer, publicKey: leafKey, subject: "/CN=with-ski", subjectKeyIdentifier: true, now }),
    ]);
    out.push(
      { name: `${algorithm} CA`, der: ca.der },
      { name: `${algorithm} intermediate`, der: intermediate.der },
      ...leaves.map((leaf, index) => ({ name: `${algorithm} leaf ${index}`, der: leaf.der })),
    );
  }
  return out;
}

async function opensslCorpus(): Promise<{ name: string; der: Uint8Array }[]> {
  const dir = await tempDir();
  try {
    const key = join(dir.path, "k.pem");
    await opensslOk(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key]);
    const make = async (name: string, extra: string[]) => {
      const out = join(dir.path, `${name}.pem`);
      await opensslOk(["req", "-x509", "-new", "-key", key, "-days", "30", "-out", out, ...extra]);
      return { name: `openssl ${name}`, der: decodePem(await readFile(out, "utf8")).der };
    };
    return [
      await make("default", ["-subj", "/C=DE/ST=Berlin/L=Berlin/O=Acme/OU=Ops/CN=acme ca"]),
      await make("all-sans", [
        "-subj",
        "/CN=all",
        "-addext",
        "subjectAltName=DNS:a.example,IP:10.0.0.1,IP:::1,email:ops@example.com,URI:spiffe://cluster.local/ns/a",
        "-addext",
        "extendedKeyUsage=serverAuth,clientAuth,codeSigning,1.2.3.4",
        "-addext",
        "certificatePolicies=1.2.3.5",
      ]),
      await make("otherName", ["-subj", "/CN=other", "-addext", "subjectAltName=otherName:1.2.3.4;UTF8:x"]),
      await make("utf8", ["-utf8", "-subj", "/CN=ünïcode/O=Ωmega"]),
      await make("email-in-subject", ["-subj", "/CN=mail/emailAddress=ops@example.com"]),
      await make("multi-valued-rdn", ["-multivalue-rdn", "-subj", "/CN=a+OU=b/O=c"]),
      await make("plain", ["-subj", "/CN=plain"]),
    ];
  } finally {
    await dir.cleanup();
  }
}

describe("parseCertificate fast path = asn1-schema path", () => {
  it("reads every kubepki-made certificate exactly as asn1-schema does, on the fast path", async () => {
    for (const { name, der } of await kubepkiCorpus()) {
      expect(outcome(der, true), name).toEqual(outcome(der, false));
      // Names of any string type are read by the shared name reader, so non-ASCII ones too.
      expect(readCommonCertificate(der), `${name} takes the fast path`).toBeDefined();
    }
  });

  it("reads openssl-made certificates (SAN types, policies, UTF-8, multi-valued RDNs) as asn1-schema does", async () => {
    for (const { name, der } of await opensslCorpus()) {
      expect(outcome(der, true), name).toEqual(outcome(der, false));
    }
  });

  it("damaged certificates fail (or read) identically on both paths", async () => {
    const corpus = await kubepkiCorpus();
    const ders = corpus.map((entry) => entry.der);
    fc.assert(
      fc.property(
        fc.constantFrom(...ders),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
        (der, flips) => {
          const damaged = der.slice();
          for (const [position, mask] of flips) {
            const index = position % damaged.length;
            damaged[index] = (damaged[index] as number) ^ mask;
          }
          expectSameReading(damaged);
        },
      ),
      { numRuns: 1500 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...ders), fc.nat(), (der, cut) => {
        expectSameReading(der.subarray(0, cut % der.length));
      }),
      { numRuns: 200 },
    );
  });
});
