/**
 * Property-based round trips: any subject (non-ASCII, multi-valued O, escaped characters), any
 * SAN mix (IPv4, IPv6 in any spelling, DNS, wildcard, URI, e-mail), any key usages and extended
 * key usages go into a certificate and come back out of parseCertificate — and out of
 * @peculiar/x509, the independent parser — exactly as normalised.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Certificate,
  createSelfSignedCa,
  type DistinguishedName,
  type ExtKeyUsage,
  generateKeyPair,
  issueCertificate,
  KEY_USAGES,
  type KeyPair,
  type KeyUsage,
  normalizeSubjectAltNames,
  parseCertificate,
  type SubjectAltName,
} from "../src/index.js";

const text = fc
  .string({ minLength: 1, maxLength: 16, unit: "grapheme" })
  .filter((s) => !/[\u0000\uD800-\uDFFF]/.test(s) && s.trim() === s && s.length > 0);
const nameArb: fc.Arbitrary<DistinguishedName> = fc.record(
  {
    commonName: fc.oneof(text, fc.constantFrom("system:node:wörker-1", "a/b+c\\d", "kube-apiserver")),
    organizations: fc.uniqueArray(fc.oneof(text, fc.constantFrom("system:nodes", "kubeadm:cluster-admins")), {
      minLength: 1,
      maxLength: 3,
    }),
    organizationalUnits: fc.uniqueArray(text, { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: ["commonName"] },
);
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const dns = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join("."));
const ipv6Spellings = fc.ipV6().chain((ip) => fc.constantFrom(ip, ip.toUpperCase()));
const sanArb: fc.Arbitrary<SubjectAltName> = fc.oneof(
  dns.map((value) => ({ type: "dns" as const, value })),
  fc.tuple(label, dns).map(([a, b]) => ({ type: "dns" as const, value: `*.${a}.${b}` })),
  fc.ipV4().map((value) => ({ type: "ip" as const, value })),
  ipv6Spellings.map((value) => ({ type: "ip" as const, value })),
  fc.webUrl().map((value) => ({ type: "uri" as const, value })),
  fc.emailAddress().map((value) => ({ type: "email" as const, value })),
);
const ekus: ExtKeyUsage[] = [
  "serverAuth",
  "clientAuth",
  "codeSigning",
  "emailProtection",
  "timeStamping",
  "ocspSigning",
];

let caKeys: KeyPair;
let leafKeys: KeyPair;
let ca: Certificate;
beforeAll(async () => {
  caKeys = await generateKeyPair("ECDSA-P256");
  leafKeys = await generateKeyPair("ECDSA-P256");
  ca = await createSelfSignedCa({ keyPair: caKeys, subject: { commonName: "round-trip-ca" } });
});

const sorted = <T>(values: readonly T[] | undefined) => (values ? [...values].sort() : values);
const canonicalName = (name: DistinguishedName) => ({
  commonName: name.commonName,
  organizations: sorted(name.organizations),
  organizationalUnits: sorted(name.organizationalUnits),
});

describe("issue → parse round trips (fast-check)", () => {
  it("subject, SANs, key usages and extended key usages survive, read by kubepki and @peculiar/x509", async () => {
    await fc.assert(
      fc.asyncProperty(
        nameArb,
        fc.array(sanArb, { maxLength: 8 }),
        fc.subarray([...KEY_USAGES], { minLength: 1 }) as fc.Arbitrary<KeyUsage[]>,
        fc.subarray(ekus),
        async (subject, sans, keyUsages, extKeyUsages) => {
          const issued = await issueCertificate({
            issuer: { certificate: ca, privateKey: caKeys.privateKey },
            publicKey: leafKeys.publicKey,
            subject,
            sans,
            keyUsages,
            extKeyUsages,
          });
          const parsed = parseCertificate(issued.pem);
          const { tbsDer: _a, signatureValue: _b, ...reported } = issued;
          const { tbsDer: _c, signatureValue: _d, ...reread } = parsed;
          expect(reread).toEqual(reported);
          // What went in, normalised, is what came out (O order is DER's SET order).
          expect(canonicalName(parsed.subject)).toEqual(canonicalName(subject));
          expect(parsed.subjectAltNames).toEqual(normalizeSubjectAltNames(sans));
          expect(sorted(parsed.keyUsages)).toEqual(sorted([...new Set(keyUsages)]));
          expect(parsed.extKeyUsages).toEqual(extKeyUsages.length > 0 ? extKeyUsages : undefined);
          // The independent parser sees the same SANs.
          const peculiar = new x509.X509Certificate(issued.pem);
          const names = peculiar.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON() ?? [];
          expect(names.map((n) => `${n.type === "url" ? "uri" : n.type}:${n.value.toLowerCase()}`)).toEqual(
            parsed.subjectAltNames.map((san) => `${san.type}:${san.value.toLowerCase()}`),
          );
          expect(peculiar.subjectName.getField("CN")).toEqual([subject.commonName]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
