import { describe, expect, it } from "vitest";
import { createSelfSignedCa, issueCertificate } from "../src/certificate/issue.js";
import { parseCertificate } from "../src/certificate/parse.js";
import { createCsr } from "../src/csr/create.js";
import { generateKeyPair } from "../src/keys/generate.js";
import type { KeyPair } from "../src/keys/types.js";
import { KubepkiError } from "../src/vocabulary/errors.js";

const ecdsa = async (): Promise<KeyPair> => {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  return { algorithm: "ECDSA-P256", ...pair };
};

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected KubepkiError ${code}`).toBeInstanceOf(KubepkiError);
  expect((error as KubepkiError).code).toBe(code);
  return error as KubepkiError;
}

describe("createSelfSignedCa / issueCertificate rules", () => {
  const now = new Date("2026-11-28T12:00:00.789Z");
  const fixedRandom = (length: number) => new Uint8Array(length).fill(0xab);

  it("concurrent issuances share one issuer-key check: a wrong key fails every one of them, every time", async () => {
    const caKeys = await ecdsa();
    const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=kubernetes", now });
    const leafKeys = await ecdsa();
    const wrongKeys = await ecdsa();
    const issue = (privateKey: CryptoKey) =>
      issueCertificate({
        issuer: { certificate: ca, privateKey },
        publicKey: leafKeys.publicKey,
        subject: "/CN=x",
        now,
      });
    for (let round = 0; round < 2; round++) {
      const results = await Promise.allSettled(Array.from({ length: 8 }, () => issue(wrongKeys.privateKey)));
      for (const result of results) {
        expect(result.status).toBe("rejected");
        expect(((result as PromiseRejectedResult).reason as KubepkiError).code).toBe("KEY_MISMATCH");
      }
    }
    const made = await Promise.all(Array.from({ length: 8 }, () => issue(caKeys.privateKey)));
    expect(made.map((certificate) => certificate.issuerText)).toEqual(Array(8).fill("/CN=kubernetes"));
  });

  it("writes the issuer's subjectKeyIdentifier as the AKI as it is at each call, and refuses one that is not hex", async () => {
    const caKeys = await ecdsa();
    const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=kubernetes", now });
    const leafKeys = await ecdsa();
    const issue = () =>
      issueCertificate({
        issuer: { certificate: ca, privateKey: caKeys.privateKey },
        publicKey: leafKeys.publicKey,
        subject: "/CN=x",
        now,
      });
    const original = ca.subjectKeyIdentifier as string;
    expect(original).toMatch(/^[0-9a-f]{40}$/);
    expect((await issue()).authorityKeyIdentifier).toBe(original);
    // The bytes are decoded once per issuer certificate; a changed identifier must not reuse them.
    const mutable = ca as { subjectKeyIdentifier: string | undefined };
    mutable.subjectKeyIdentifier = "0123456789abcdef0123456789abcdef01234567";
    const changed = await issue();
    expect(changed.authorityKeyIdentifier).toBe("0123456789abcdef0123456789abcdef01234567");
    expect(parseCertificate(changed.pem).authorityKeyIdentifier).toBe("0123456789abcdef0123456789abcdef01234567");
    mutable.subjectKeyIdentifier = "not hex";
    await expectCode(issue(), "INVALID_ARGUMENT");
    mutable.subjectKeyIdentifier = original;
    expect(parseCertificate((await issue()).pem).authorityKeyIdentifier).toBe(original);
  });

  it("is deterministic with an injected clock and random source; NotBefore is backdated 5 minutes", async () => {
    const keys = await ecdsa();
    const ca = await createSelfSignedCa({ keyPair: keys, subject: "/CN=kubernetes", now, random: fixedRandom });
    expect(ca.serialNumber).toBe("ab".repeat(16));
    expect(ca.notBefore.toISOString()).toBe("2026-11-28T11:55:00.000Z");
    expect(ca.notAfter.toISOString()).toBe("2036-11-25T12:00:00.000Z"); // 3650 days
    expect(ca.isCa).toBe(true);
    expect(ca.pathLength).toBeUndefined();
    expect(ca.subjectKeyIdentifier).toMatch(/^[0-9a-f]{40}$/);
    expect(ca.authorityKeyIdentifier).toBeUndefined();
    expect(ca.keyUsages).toEqual(["digitalSignature", "keyCertSign"]);
  });

  it("writes a positive serial of 128 random bits even when the top bit is set", async () => {
    const keys = await ecdsa();
    const ca = await createSelfSignedCa({
      keyPair: keys,
      subject: "/CN=ca",
      now,
      random: (n) => new Uint8Array(n).fill(0xff),
    });
    expect(ca.serialNumber).toBe("ff".repeat(16));
    // INTEGER of 17 octets: a leading zero keeps it positive (RFC 5280 §4.1.2.2 allows up to 20).
    expect(Buffer.from(ca.tbsDer).toString("hex")).toContain(`a00302010202110${"0"}${"ff".repeat(16)}`);
  });

  it("links the leaf to its issuer: AKI = issuer SKI, issuer name bytes copied, no SKI on leaves by default", async () => {
    const caKeys = await ecdsa();
    const ca = await createSelfSignedCa({ keyPair: caKeys, subject: { commonName: "etcd-ca" }, now });
    const leafKeys = await ecdsa();
    const leaf = await issueCertificate({
      issuer: { certificate: ca, privateKey: caKeys.privateKey },
      publicKey: leafKeys.publicKey,
      subject: { commonName: "kube-etcd-healthcheck-client" },
      extKeyUsages: ["clientAuth"],
      now,
    });
    expect(leaf.authorityKeyIdentifier).toBe(ca.subjectKeyIdentifier);
    expect(leaf.subjectKeyIdentifier).toBeUndefined();
    expect(leaf.issuerDer).toEqual(ca.subjectDer);
    expect(leaf.issuerText).toBe("/CN=etcd-ca");
    expect(leaf.isCa).toBe(false);
    expect(leaf.keyUsages).toEqual(["digitalSignature"]);
    expect(leaf.notAfter.getTime() - now.getTime()).toBeLessThanOrEqual(365 * 86400_000);
  });

  it("refuses a leaf that would outlive its issuer, unless asked to clamp", async () => {
    const caKeys = await ecdsa();
    const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=short-ca", validity: { days: 30 }, now });
    const leafKeys = await ecdsa();
    const base = {
      issuer: { certificate: ca, privateKey: caKeys.privateKey },
      publicKey: leafKeys.publicKey,
      subject: "/CN=leaf",
      now,
    };
    const error = await expectCode(issueCertificate(base), "VALIDITY_EXCEEDS_ISSUER");
    expect(error.message).toContain("clampToIssuer");
    const clamped = await issueCertificate({ ...base, clampToIssuer: true });
    expect(clamped.notAfter).toEqual(ca.notAfter);
  });

  it("refuses a non-CA issuer, an issuer key that is not the issuer's, and weak or missing keys", async () => {
    const caKeys = await ecdsa();
    const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=ca", now });
    const leafKeys = await ecdsa();
    const leaf = await issueCertificate({
      issuer: { certificate: ca, privateKey: caKeys.privateKey },
      publicKey: leafKeys.publicKey,
      subject: "/CN=leaf",
      now,
    });
    await expectCode(
      issueCertificate({
        issuer: { certificate: leaf, privateKey: leafKeys.privateKey },
        publicKey: leafKeys.publicKey,
        subject: "/CN=x",
        now,
      }),
      "NOT_A_CA",
    );
    const otherKeys = await ecdsa();
    await expectCode(
      issueCertificate({
        issuer: { certificate: ca, privateKey: otherKeys.privateKey },
        publicKey: leafKeys.publicKey,
        subject: "/CN=x",
        now,
      }),
      "KEY_MISMATCH",
    );
    const weak = (await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: Uint8Array.of(1, 0, 1), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    await expectCode(
      issueCertificate({
        issuer: { certificate: ca, privateKey: caKeys.privateKey },
        publicKey: weak.publicKey,
        subject: "/CN=x",
        now,
      }),
      "WEAK_KEY",
    );
    await expectCode(
      // @ts-expect-error: neither publicKey nor csr
      issueCertificate({ issuer: { certificate: ca, privateKey: caKeys.privateKey }, subject: "/CN=x", now }),
      "INVALID_ARGUMENT",
    );
  });

  it("validates names, SANs, usages and validity before signing anything", async () => {
    const keys = await ecdsa();
    await expectCode(createSelfSignedCa({ keyPair: keys, subject: "CN=no-slash" }), "INVALID_SUBJECT");
    await expectCode(createSelfSignedCa({ keyPair: keys, subject: "/XX=unknown" }), "INVALID_SUBJECT");
    await expectCode(createSelfSignedCa({ keyPair: keys, subject: {} }), "INVALID_SUBJECT");
    await expectCode(createSelfSignedCa({ keyPair: keys, subject: "/CN=ca", sans: ["bad_name"] }), "INVALID_DNS_NAME");
    await expectCode(
      createSelfSignedCa({ keyPair: keys, subject: "/CN=ca", sans: [{ type: "ip", value: "10.0.0.256" }] }),
      "INVALID_IP",
    );
    await expectCode(
      createSelfSignedCa({ keyPair: keys, subject: "/CN=ca", validity: { days: 0 } }),
      "INVALID_VALIDITY",
    );
    await expectCode(
      createSelfSignedCa({ keyPair: keys, subject: "/CN=ca", validity: { notBefore: now, notAfter: now } }),
      "INVALID_VALIDITY",
    );
    await expectCode(
      // @ts-expect-error: misspelt usage from plain data
      createSelfSignedCa({ keyPair: keys, subject: "/CN=ca", keyUsages: ["keyCertSign", "digitalSignture"] }),
      "INVALID_ARGUMENT",
    );
    await expectCode(
      createSelfSignedCa({ keyPair: keys, subject: "/CN=ca", keyUsages: ["digitalSignature"] }),
      "INVALID_ARGUMENT",
    );
    await expectCode(createCsr({ keyPair: keys, subject: {} }), "INVALID_SUBJECT");
  });

  it("an empty subject is allowed only with SANs, and then the SAN extension is critical (RFC 5280 §4.2.1.6)", async () => {
    const caKeys = await ecdsa();
    const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=ca", now });
    const leafKeys = await ecdsa();
    const leaf = await issueCertificate({
      issuer: { certificate: ca, privateKey: caKeys.privateKey },
      publicKey: leafKeys.publicKey,
      subject: {},
      sans: ["spiffe://cluster.local/ns/default/sa/x"],
      now,
    });
    expect(leaf.subjectText).toBe("");
    // critical BOOLEAN TRUE right after the SAN OID 55 1d 11
    const hex = Buffer.from(leaf.tbsDer).toString("hex");
    expect(hex).toContain("0603551d110101ff");
  });
});

describe("fingerprint and PEM computed on first read", () => {
  it("is SHA-256 of the DER, as parseCertificate reads it, and survives JSON, spread and structuredClone", async () => {
    const ca = await createSelfSignedCa({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=kubernetes" });
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", ca.der as Uint8Array<ArrayBuffer>));
    const hex = [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    expect(ca.fingerprintSha256).toBe(hex);
    expect(ca.fingerprintSha256).toBe(hex); // kept, same answer
    expect(parseCertificate(ca.pem).fingerprintSha256).toBe(hex);
    expect(JSON.parse(JSON.stringify(ca)).fingerprintSha256).toBe(hex);
    expect({ ...ca }.fingerprintSha256).toBe(hex);
    expect(structuredClone(ca).fingerprintSha256).toBe(hex);
    expect(Object.keys(ca)).toContain("fingerprintSha256");
    // A parsed certificate writes its PEM on first read: the same text, in JSON and clones too.
    const parsed = parseCertificate(ca.der);
    expect(parsed.pem).toBe(ca.pem);
    expect(structuredClone(parsed).pem).toBe(ca.pem);
    expect(JSON.parse(JSON.stringify(parsed)).pem).toBe(ca.pem);
  });
});
