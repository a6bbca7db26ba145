/**
 * Every error core throws on bad input is a KubepkiError with a known code (issue 17: one error
 * class). And `isKubepkiError` / `instanceof KubepkiError` test kubepki's brand, so that they hold
 * for the other packages' error classes and for errors from another copy of core (its CJS build).
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import * as core from "../src/index.js";
import { isKubepkiError, KubepkiError, type KubepkiErrorCode } from "../src/index.js";
import { caught } from "./helpers/caught.js";

const NOT_PEM = "this is not PEM";
const BROKEN_CERT = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

describe("core: bad input through each public entry is a KubepkiError with a known code", () => {
  const cases: [string, () => unknown, KubepkiErrorCode][] = [
    ["parseCertificate(not PEM)", () => core.parseCertificate(NOT_PEM), "INVALID_PEM"],
    ["parseCertificate(broken DER)", () => core.parseCertificate(BROKEN_CERT), "INVALID_DER"],
    ["parseCertificates(not PEM)", () => core.parseCertificates(NOT_PEM), "INVALID_PEM"],
    [
      "parseCsr(broken DER)",
      () => core.parseCsr(BROKEN_CERT.replaceAll("CERTIFICATE", "CERTIFICATE REQUEST")),
      "INVALID_DER",
    ],
    ["verifyCsr(not PEM)", () => core.verifyCsr(NOT_PEM), "INVALID_PEM"],
    [
      "createSelfSignedCa(no key pair)",
      () => core.createSelfSignedCa({ subject: { commonName: "ca" }, keyPair: null as never }),
      "INVALID_ARGUMENT",
    ],
    ["generateKeyPair(unknown algorithm)", () => core.generateKeyPair("DSA-1024" as never), "UNSUPPORTED_ALGORITHM"],
    ["generateKeyPair(RSA-1024)", () => core.generateKeyPair("RSA-1024" as never), "WEAK_KEY"],
    ["importPrivateKeyPem(not PEM)", () => core.importPrivateKeyPem(NOT_PEM), "INVALID_PEM"],
    ["importPublicKeyPem(not PEM)", () => core.importPublicKeyPem(NOT_PEM), "INVALID_PEM"],
    ["describePrivateKeyPem(not PEM)", () => core.describePrivateKeyPem(NOT_PEM), "INVALID_PEM"],
    ["describePublicKeyInfo(3 bytes)", () => core.describePublicKeyInfo(new Uint8Array([1, 2, 3])), "INVALID_DER"],
    ["checkDnsName(space)", () => core.checkDnsName("bad name"), "INVALID_DNS_NAME"],
    ["canonicalIp(10.0.0.300)", () => core.canonicalIp("10.0.0.300"), "INVALID_IP"],
    ["parseCidr(/33)", () => core.parseCidr("10.96.0.0/33"), "INVALID_IP"],
    ["cidrAddress(block too small)", () => core.cidrAddress("10.96.0.0/30", 10), "INVALID_ARGUMENT"],
    ["formatIp(3 bytes)", () => core.formatIp(new Uint8Array(3)), "INVALID_IP"],
    ["normalizeSubjectAltNames(bad DNS)", () => core.normalizeSubjectAltNames(["bad name!"]), "INVALID_DNS_NAME"],
    ["parseSubject(no slash)", () => core.parseSubject("garbage"), "INVALID_SUBJECT"],
    ["decodePem(not PEM)", () => core.decodePem(NOT_PEM), "INVALID_PEM"],
    ["encryptPrivateKeyPem(not PEM)", () => core.encryptPrivateKeyPem(NOT_PEM, "pass"), "INVALID_PEM"],
    [
      "encryptPrivateKeyPem(iterations 10)",
      () => core.encryptPrivateKeyPem(NOT_PEM, "p", { iterations: 10 }),
      "INVALID_ARGUMENT",
    ],
    ["decryptPrivateKeyPem(not PEM)", () => core.decryptPrivateKeyPem(NOT_PEM, "pass"), "INVALID_PEM"],
    [
      "decryptPrivateKeyPem(no passphrase)",
      () => core.decryptPrivateKeyPem(NOT_PEM, undefined as never),
      "PASSPHRASE_REQUIRED",
    ],
    [
      "decryptPrivateKeyPem(broken DER)",
      () => core.decryptPrivateKeyPem(BROKEN_CERT.replaceAll("CERTIFICATE", "ENCRYPTED PRIVATE KEY"), "pass"),
      "INVALID_DER",
    ],
    [
      "describePrivateKeyPem(encrypted)",
      () => core.describePrivateKeyPem(BROKEN_CERT.replaceAll("CERTIFICATE", "ENCRYPTED PRIVATE KEY")),
      "PASSPHRASE_REQUIRED",
    ],
  ];
  for (const [name, run, code] of cases) {
    it(name, async () => {
      const error = await caught(run);
      expect(isKubepkiError(error), String(error)).toBe(true);
      expect(error).toBeInstanceOf(KubepkiError);
      expect((error as KubepkiError).code).toBe(code);
    });
  }

  it("issueCertificate with a SAN that is not a DNS name or IP, and a CA key that is not a CA", async () => {
    const caKeys = await core.generateKeyPair("ECDSA-P256");
    const issuer = {
      certificate: await core.createSelfSignedCa({ keyPair: caKeys, subject: "/CN=kubernetes" }),
      privateKey: caKeys.privateKey,
    };
    const publicKey = (await core.generateKeyPair("ECDSA-P256")).publicKey;
    const badSan = await caught(() =>
      core.issueCertificate({ issuer, publicKey, subject: "/CN=x", sans: ["bad name!"] }),
    );
    expect(isKubepkiError(badSan, "INVALID_DNS_NAME"), String(badSan)).toBe(true);
    const badSubject = await caught(() => core.issueCertificate({ issuer, publicKey, subject: "CN=no-slash" }));
    expect(isKubepkiError(badSubject, "INVALID_SUBJECT"), String(badSubject)).toBe(true);
  });
});

describe("isKubepkiError and instanceof KubepkiError test kubepki's brand", () => {
  const BRAND = Symbol.for("kubepki.error");

  it("recognise an error of another package's class that carries the brand (renderers, CLI)", () => {
    // What @kubepki/renderers' RendererError and @kubepki/cli's CliError do, without importing core.
    class OtherPackageError extends Error {
      readonly code = "INVALID_KUBECONFIG";
      get [BRAND]() {
        return true;
      }
    }
    const error: unknown = new OtherPackageError("not a kubeconfig");
    expect(isKubepkiError(error)).toBe(true);
    expect(isKubepkiError(error, "INVALID_KUBECONFIG")).toBe(true);
    expect(isKubepkiError(error, "INVALID_PEM")).toBe(false);
    expect(error instanceof KubepkiError).toBe(true);
  });

  it("recognise an error thrown by another copy of core (the CJS build)", () => {
    const cjs = createRequire(import.meta.url)("../dist/index.cjs") as typeof core;
    expect(cjs.KubepkiError).not.toBe(KubepkiError);
    let error: unknown;
    try {
      cjs.canonicalIp("10.0.0.300");
    } catch (e) {
      error = e;
    }
    expect(isKubepkiError(error, "INVALID_IP")).toBe(true);
    expect(error instanceof KubepkiError).toBe(true);
    expect(cjs.isKubepkiError(new KubepkiError("WEAK_KEY", "small"))).toBe(true);
  });

  it("refuse look-alikes without the brand: a name and a code are not enough", () => {
    const lookAlike = Object.assign(new Error("x"), { name: "KubepkiError", code: "INVALID_PEM" });
    expect(isKubepkiError(lookAlike)).toBe(false);
    expect(lookAlike instanceof KubepkiError).toBe(false);
    for (const value of [null, undefined, "INVALID_PEM", 42, { code: "INVALID_PEM" }]) {
      expect(isKubepkiError(value)).toBe(false);
    }
  });

  it("keep the ordinary prototype test for a subclass, and no own enumerable brand property", () => {
    class Narrower extends KubepkiError {}
    expect(new KubepkiError("WEAK_KEY", "small") instanceof Narrower).toBe(false);
    expect(new Narrower("WEAK_KEY", "small") instanceof Narrower).toBe(true);
    expect(new Narrower("WEAK_KEY", "small") instanceof KubepkiError).toBe(true);
    expect(Object.getOwnPropertySymbols(new KubepkiError("WEAK_KEY", "small"))).toEqual([]);
  });
});
