/**
 * Differential tests of kubepki's DER writer against @peculiar/asn1-schema: for each structure
 * kubepki writes, the same values are built with the asn1-x509 / asn1-csr schemas, serialised by
 * asn1-schema, and the bytes must be identical.
 */
import { Attributes, CertificationRequest, CertificationRequestInfo } from "@peculiar/asn1-csr";
import { ECDSASigValue } from "@peculiar/asn1-ecc";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import * as asn from "@peculiar/asn1-x509";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ExtensionValues, encodeExtensions } from "../src/certificate/extensions.js";
import { createSelfSignedCa, issueCertificate } from "../src/certificate/issue.js";
import { createCsr } from "../src/csr/create.js";
import { toHex } from "../src/lib/bytes.js";
import { sequence, time } from "../src/lib/der.js";
import { OID } from "../src/lib/oids.js";
import { ecdsaRawToDer } from "../src/lib/signature.js";
import type { DistinguishedName } from "../src/names/distinguished-name.js";
import { directoryStringTag, encodeName } from "../src/names/encode-name.js";
import { normalizeSubjectAltNames } from "../src/names/san.js";
import { formatName, nameToRdns } from "../src/names/subject.js";
import { EXT_KEY_USAGE_OIDS, KEY_USAGES, type KeyUsage } from "../src/vocabulary/key-usages.js";
import type { SubjectAltName } from "../src/vocabulary/subject-alt-name.js";

/** INTEGER content octets of a positive serial given as magnitude hex (a 00 before a set top bit). */
function integerContent(magnitudeHex: string): ArrayBuffer {
  const even = magnitudeHex.length % 2 ? `0${magnitudeHex}` : magnitudeHex;
  const bytes = Buffer.from(even, "hex");
  return Uint8Array.from((bytes[0] as number) & 0x80 ? [0, ...bytes] : bytes).buffer;
}

const hex = (value: ArrayBuffer | Uint8Array) => toHex(value instanceof Uint8Array ? value : new Uint8Array(value));

/** The same name built with asn1-x509, with Go's string-type choice, SET members DER-sorted. */
function schemaName(name: DistinguishedName): asn.Name {
  return new asn.Name(
    nameToRdns(name).map((rdn) => {
      const atvs = rdn.map(
        (attribute) =>
          new asn.AttributeTypeAndValue({
            type: attribute.oid,
            value: new asn.AttributeValue(
              directoryStringTag(attribute.value) === 0x13
                ? { printableString: attribute.value }
                : { utf8String: attribute.value },
            ),
          }),
      );
      // asn1-schema writes SET OF in the given order; DER sorts by encoding.
      atvs.sort((a, b) => Buffer.compare(Buffer.from(AsnConvert.serialize(a)), Buffer.from(AsnConvert.serialize(b))));
      return new asn.RelativeDistinguishedName(atvs);
    }),
  );
}

function schemaGeneralNames(sans: readonly SubjectAltName[]): asn.GeneralName[] {
  return sans.map((san) => {
    switch (san.type) {
      case "dns":
        return new asn.GeneralName({ dNSName: san.value });
      case "email":
        return new asn.GeneralName({ rfc822Name: san.value });
      case "uri":
        return new asn.GeneralName({ uniformResourceIdentifier: san.value });
      default:
        return new asn.GeneralName({ iPAddress: san.value });
    }
  });
}

function schemaExtensions(values: ExtensionValues): asn.Extension[] {
  const out: asn.Extension[] = [];
  const add = (extnID: string, critical: boolean, value: unknown) =>
    out.push(new asn.Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) }));
  if (values.keyUsages?.length) {
    let flags = 0;
    for (const usage of values.keyUsages) flags |= 1 << KEY_USAGES.indexOf(usage);
    add(OID.keyUsage, true, new asn.KeyUsage(flags));
  }
  if (values.extKeyUsages?.length) {
    add(OID.extKeyUsage, false, new asn.ExtendedKeyUsage(values.extKeyUsages.map((u) => EXT_KEY_USAGE_OIDS[u])));
  }
  if (values.basicConstraints) {
    const { isCa, pathLength } = values.basicConstraints;
    add(
      OID.basicConstraints,
      true,
      new asn.BasicConstraints(
        isCa ? (pathLength === undefined ? { cA: true } : { cA: true, pathLenConstraint: pathLength }) : {},
      ),
    );
  }
  if (values.subjectKeyIdentifier)
    add(OID.subjectKeyIdentifier, false, new asn.SubjectKeyIdentifier(values.subjectKeyIdentifier));
  if (values.authorityKeyIdentifier) {
    add(
      OID.authorityKeyIdentifier,
      false,
      new asn.AuthorityKeyIdentifier({ keyIdentifier: new asn.KeyIdentifier(values.authorityKeyIdentifier) }),
    );
  }
  if (values.subjectAltNames?.length) {
    add(
      OID.subjectAltName,
      values.subjectIsEmpty === true,
      new asn.SubjectAlternativeName(schemaGeneralNames(values.subjectAltNames)),
    );
  }
  return out;
}

// Values that exercise every string type, multi-valued RDNs, IPv6 and non-ASCII names.
const printable = fc.stringMatching(/^[A-Za-z0-9 :.\-=]{1,20}$/);
const anyText = fc.string({ minLength: 1, maxLength: 20, unit: "grapheme" }).filter((s) => !s.includes("\u0000"));
const nameArb: fc.Arbitrary<DistinguishedName> = fc.record(
  {
    commonName: fc.oneof(printable, anyText),
    organizations: fc.array(fc.oneof(printable, anyText), { minLength: 1, maxLength: 3 }),
    organizationalUnits: fc.array(anyText, { minLength: 1, maxLength: 2 }),
    countries: fc.array(fc.stringMatching(/^[A-Z]{2}$/), { minLength: 1, maxLength: 1 }),
  },
  { requiredKeys: [] },
);
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const sanArb: fc.Arbitrary<SubjectAltName> = fc.oneof(
  fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => ({ type: "dns" as const, value: labels.join(".") })),
  fc.ipV4().map((value) => ({ type: "ip" as const, value })),
  fc.ipV6().map((value) => ({ type: "ip" as const, value })),
  fc.webUrl().map((value) => ({ type: "uri" as const, value })),
  fc.emailAddress().map((value) => ({ type: "email" as const, value })),
);
const usagesArb = fc.subarray([...KEY_USAGES], { minLength: 1 }) as fc.Arbitrary<KeyUsage[]>;

describe("DER writer equals asn1-schema, byte for byte", () => {
  it("Name, for any attribute mix (PrintableString vs UTF8String, multi-valued RDNs, non-ASCII)", () => {
    fc.assert(
      fc.property(nameArb, (name) => {
        const encoded = encodeName(name);
        expect(hex(encoded.der)).toBe(hex(AsnConvert.serialize(schemaName(name))));
        // The text made while encoding is the one formatName gives for the encoded name.
        expect(encoded.text).toBe(formatName(encoded.name));
      }),
      { numRuns: 300 },
    );
  });

  it("ECDSA signatures: P1363 r||s to ECDSA-Sig-Value, for any r and s (leading zeros, top bit set)", () => {
    const coordinate = (size: number) =>
      fc.oneof(
        fc.uint8Array({ minLength: size, maxLength: size }),
        // Leading zero octets, and a set top bit after them, are the cases the encoder trims or pads.
        fc
          .tuple(fc.integer({ min: 0, max: size }), fc.uint8Array({ minLength: size, maxLength: size }))
          .map(([zeros, bytes]) => Uint8Array.from(bytes, (byte, i) => (i < zeros ? 0 : byte))),
      );
    fc.assert(
      fc.property(
        fc.constantFrom(32, 48, 66).chain((size) => fc.tuple(coordinate(size), coordinate(size))),
        ([r, s]) => {
          const raw = new Uint8Array(r.length * 2);
          raw.set(r);
          raw.set(s, r.length);
          const schema = new ECDSASigValue({
            r: integerContent(toHex(r).replace(/^(00)+(?=..)/, "")),
            s: integerContent(toHex(s).replace(/^(00)+(?=..)/, "")),
          });
          expect(hex(ecdsaRawToDer(raw))).toBe(hex(AsnConvert.serialize(schema)));
        },
      ),
      { numRuns: 600 },
    );
  });

  it("Validity times: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)", () => {
    const dates = [
      new Date("1950-01-01T00:00:00Z"),
      new Date("1999-12-31T23:59:59Z"),
      new Date("2026-11-28T15:04:05.999Z"),
      new Date("2049-12-31T23:59:59Z"),
      new Date("2050-01-01T00:00:00Z"),
      new Date("2125-06-01T12:00:00Z"),
    ];
    for (const date of dates) {
      const wholeSecond = new Date(Math.floor(date.getTime() / 1000) * 1000);
      expect(hex(time(date)), date.toISOString()).toBe(hex(AsnConvert.serialize(new asn.Time(wholeSecond))));
    }
    const validity = sequence([time(dates[2] as Date), time(dates[5] as Date)]);
    expect(hex(validity)).toBe(
      hex(
        AsnConvert.serialize(
          new asn.Validity({ notBefore: new Date("2026-11-28T15:04:05Z"), notAfter: dates[5] as Date }),
        ),
      ),
    );
  });

  it("the five extensions, for any usages, SANs, key identifiers and CA flags", () => {
    fc.assert(
      fc.property(
        usagesArb,
        fc.subarray([
          "serverAuth",
          "clientAuth",
          "codeSigning",
          "emailProtection",
          "timeStamping",
          "ocspSigning",
        ] as const),
        fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
        fc.array(sanArb, { maxLength: 6 }),
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.boolean(),
        (keyUsages, extKeyUsages, isCa, pathLength, sans, keyId, subjectIsEmpty) => {
          const values: ExtensionValues = {
            keyUsages,
            extKeyUsages,
            basicConstraints: { isCa, pathLength: isCa ? pathLength : undefined },
            subjectKeyIdentifier: keyId,
            authorityKeyIdentifier: keyId.slice().reverse(),
            subjectAltNames: normalizeSubjectAltNames(sans),
            subjectIsEmpty,
          };
          const ours = encodeExtensions(values).map(hex);
          const theirs = schemaExtensions(values).map((extension) => hex(AsnConvert.serialize(extension)));
          expect(ours).toEqual(theirs);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("whole TBSCertificate and Certificate of a CA and a leaf (RSA and ECDSA)", async () => {
    for (const params of [
      { name: "ECDSA", namedCurve: "P-256" },
      { name: "ECDSA", namedCurve: "P-384" },
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: "SHA-256" },
    ] as const) {
      const caKeys = (await crypto.subtle.generateKey(params, true, ["sign", "verify"])) as CryptoKeyPair;
      const leafKeys = (await crypto.subtle.generateKey(params, true, ["sign", "verify"])) as CryptoKeyPair;
      const now = new Date("2026-11-28T12:00:00Z");
      const ca = await createSelfSignedCa({
        keyPair: caKeys,
        subject: { commonName: "kubernetes" },
        sans: ["kubernetes"],
        now,
      });
      const leaf = await issueCertificate({
        issuer: { certificate: ca, privateKey: caKeys.privateKey },
        publicKey: leafKeys.publicKey,
        subject: { commonName: "system:node:worker-1", organizations: ["system:nodes"] },
        sans: ["worker-1", "192.168.10.21", "fd00::21"],
        extKeyUsages: ["serverAuth"],
        now,
      });
      for (const certificate of [ca, leaf]) {
        const algorithm = AsnConvert.parse(certificate.der, asn.Certificate).signatureAlgorithm;
        const tbs = new asn.TBSCertificate({
          version: asn.Version.v3,
          serialNumber: integerContent(certificate.serialNumber),
          signature: algorithm,
          issuer: schemaName(certificate.issuer),
          validity: new asn.Validity({ notBefore: certificate.notBefore, notAfter: certificate.notAfter }),
          subject: schemaName(certificate.subject),
          subjectPublicKeyInfo: AsnConvert.parse(certificate.publicKeyInfo, asn.SubjectPublicKeyInfo),
          extensions: new asn.Extensions(
            schemaExtensions({
              keyUsages: certificate.keyUsages as KeyUsage[],
              extKeyUsages: certificate.extKeyUsages as ExtensionValues["extKeyUsages"],
              basicConstraints: { isCa: certificate.isCa, pathLength: certificate.pathLength },
              subjectKeyIdentifier: certificate.subjectKeyIdentifier
                ? Buffer.from(certificate.subjectKeyIdentifier, "hex")
                : undefined,
              authorityKeyIdentifier: certificate.authorityKeyIdentifier
                ? Buffer.from(certificate.authorityKeyIdentifier, "hex")
                : undefined,
              subjectAltNames: certificate.subjectAltNames,
            }),
          ),
        });
        expect(hex(certificate.tbsDer)).toBe(hex(AsnConvert.serialize(tbs)));
        const whole = new asn.Certificate({
          tbsCertificate: tbs,
          signatureAlgorithm: algorithm,
          signatureValue: certificate.signatureValue.slice().buffer,
        });
        expect(hex(certificate.der)).toBe(hex(AsnConvert.serialize(whole)));
      }
    }
  });

  it("CertificationRequest with and without requested extensions", async () => {
    const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    for (const sans of [[], ["worker-1", "10.0.0.21"]]) {
      const subject = { commonName: "system:node:worker-1", organizations: ["system:nodes"] };
      const csr = await createCsr({ keyPair: keys, subject, sans });
      const attributes = new Attributes();
      if (sans.length > 0) {
        const extensions = new asn.Extensions(schemaExtensions({ subjectAltNames: csr.subjectAltNames }));
        attributes.push(new asn.Attribute({ type: OID.extensionRequest, values: [AsnConvert.serialize(extensions)] }));
      }
      const info = new CertificationRequestInfo({
        subject: schemaName(subject),
        subjectPKInfo: AsnConvert.parse(csr.publicKeyInfo, asn.SubjectPublicKeyInfo),
        attributes,
      });
      expect(hex(csr.infoDer)).toBe(hex(AsnConvert.serialize(info)));
      const whole = new CertificationRequest({
        certificationRequestInfo: info,
        signatureAlgorithm: new asn.AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 }),
        signature: csr.signatureValue.slice().buffer,
      });
      expect(hex(csr.der)).toBe(hex(AsnConvert.serialize(whole)));
    }
  });

  it("CertificationRequest requesting a role's usages and CA:FALSE (what the external-CA flow asks for)", async () => {
    const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    const subject = { commonName: "kube-apiserver" };
    const requested = [
      { keyUsages: ["digitalSignature", "keyEncipherment"], extKeyUsages: ["serverAuth"], isCa: false },
      { keyUsages: ["digitalSignature"], extKeyUsages: ["clientAuth", "serverAuth"], isCa: false },
      { keyUsages: [], extKeyUsages: [], isCa: true },
    ] as const;
    for (const { keyUsages, extKeyUsages, isCa } of requested) {
      const csr = await createCsr({
        keyPair: keys,
        subject,
        sans: ["kubernetes", "10.96.0.1"],
        keyUsages,
        extKeyUsages,
        basicConstraints: { isCa },
      });
      const extensions = new asn.Extensions(
        schemaExtensions({
          keyUsages,
          extKeyUsages,
          basicConstraints: { isCa },
          subjectAltNames: csr.subjectAltNames,
        }),
      );
      const attributes = new Attributes();
      attributes.push(new asn.Attribute({ type: OID.extensionRequest, values: [AsnConvert.serialize(extensions)] }));
      const info = new CertificationRequestInfo({
        subject: schemaName(subject),
        subjectPKInfo: AsnConvert.parse(csr.publicKeyInfo, asn.SubjectPublicKeyInfo),
        attributes,
      });
      expect(hex(csr.infoDer)).toBe(hex(AsnConvert.serialize(info)));
    }
    const invalid = [{ isCa: false, pathLength: 0 }, { isCa: "no" }, { isCa: true, pathLength: -1 }];
    for (const basicConstraints of invalid) {
      await expect(
        createCsr({ keyPair: keys, subject, basicConstraints: basicConstraints as { isCa: boolean } }),
      ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    }
  });
});
