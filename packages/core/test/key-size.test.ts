/**
 * Key sizes are described exactly (issue 15 point 10): an RSA key is `RSA-<its modulus bits>`
 * whatever reads it (PKCS#1 / PKCS#8 private key files, certificates, CSRs, SPKI, WebCrypto
 * keys), never rounded to kubeadm's nearest RSA-2048/3072/4096. Keys made by openssl; the
 * RSA-16384 one is a checked-in fixture (`fixtures/rsa-16384.key`, test-only) because openssl
 * takes minutes to generate it.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCsr,
  describePrivateKeyPem,
  describePublicKeyInfo,
  generateKeyPair,
  importPrivateKeyPem,
  KubepkiError,
  parseCertificate,
  parseCsr,
  rsaKeyAlgorithm,
} from "../src/index.js";
import { opensslOk, tempDir } from "./helpers/openssl.js";

const FIXTURE = new URL("./fixtures/rsa-16384.key", import.meta.url);

let dir: { path: string; cleanup: () => Promise<void> };
const keys: Record<string, string> = {};
beforeAll(async () => {
  dir = await tempDir("kubepki-key-size-");
  const pkcs1 = await readFile(FIXTURE, "utf8");
  keys["16384-pkcs1"] = pkcs1;
  keys["16384-pkcs8"] = await opensslOk(["pkey", "-in", FIXTURE.pathname]);
  for (const bits of [3072, 2560]) {
    const file = join(dir.path, `rsa-${bits}.key`);
    await opensslOk(["genpkey", "-algorithm", "RSA", "-pkeyopt", `rsa_keygen_bits:${bits}`, "-out", file]);
    keys[`${bits}-pkcs8`] = await readFile(file, "utf8");
    keys[`${bits}-pkcs1`] = await opensslOk(["rsa", "-in", file, "-traditional"]);
  }
}, 60_000);
afterAll(() => dir.cleanup());

/** A self-signed certificate and a CSR made by openssl with the key. */
async function opensslCertificateAndCsr(keyPem: string, name: string): Promise<{ cert: string; csr: string }> {
  const keyFile = join(dir.path, `${name}.key`);
  await writeFile(keyFile, keyPem, { mode: 0o600 });
  const cert = await opensslOk(["req", "-new", "-x509", "-key", keyFile, "-subj", `/CN=${name}`, "-days", "1"]);
  const csr = await opensslOk(["req", "-new", "-key", keyFile, "-subj", `/CN=${name}`]);
  return { cert, csr };
}

describe.each([
  [16384, "RSA-16384"],
  [3072, "RSA-3072"],
  [2560, "RSA-2560"],
] as const)("an openssl RSA key of %i bits", (bits, name) => {
  it(`is ${name} in both private key formats, in its certificate, its CSR and its SPKI`, async () => {
    for (const format of ["pkcs1", "pkcs8"]) {
      const description = describePrivateKeyPem(keys[`${bits}-${format}`] as string);
      expect(description.algorithm, format).toBe(name);
      expect(describePublicKeyInfo(description.publicKeyInfo as Uint8Array)).toMatchObject({ algorithm: name, bits });
    }
    const { cert, csr } = await opensslCertificateAndCsr(keys[`${bits}-pkcs8`] as string, `rsa-${bits}`);
    expect(parseCertificate(cert)).toMatchObject({ keyAlgorithm: name, keyBits: bits });
    expect(parseCsr(csr)).toMatchObject({ keyAlgorithm: name, keyBits: bits });
  });

  it(`imports as ${name}, and a CSR kubepki makes with it says ${name}`, async () => {
    const pair = await importPrivateKeyPem(keys[`${bits}-pkcs1`] as string);
    expect(pair.algorithm).toBe(name);
    const csr = await createCsr({ keyPair: pair, subject: { commonName: "x" } });
    expect(csr.keyAlgorithm).toBe(name);
    expect(csr.keyBits).toBe(bits);
  }, 30_000);
});

describe("rsaKeyAlgorithm", () => {
  it("names every size ≥ 2048 exactly and nothing below", () => {
    expect([2048, 3072, 4096, 4097, 8192, 16384].map(rsaKeyAlgorithm)).toEqual([
      "RSA-2048",
      "RSA-3072",
      "RSA-4096",
      "RSA-4097",
      "RSA-8192",
      "RSA-16384",
    ]);
    expect(rsaKeyAlgorithm(2047)).toBeUndefined();
    expect(rsaKeyAlgorithm(1024)).toBeUndefined();
  });

  it("generateKeyPair refuses sizes Go cannot use, and odd sizes without anyRsaSize, with a typed error", async () => {
    for (const algorithm of ["RSA-1024", "RSA-8192", "RSA-32768", "RSA-2049", "RSA-", "RSA-abc"]) {
      const error = await generateKeyPair(algorithm as "RSA-2048").catch((caught: unknown) => caught);
      expect(error, algorithm).toBeInstanceOf(KubepkiError);
      expect(["WEAK_KEY", "UNSUPPORTED_ALGORITHM"], algorithm).toContain((error as KubepkiError).code);
    }
  });
});
