/**
 * Passphrase-encrypted private keys (PKCS#8 `ENCRYPTED PRIVATE KEY`, PBES2 of RFC 8018): what
 * kubepki writes is read by openssl, what openssl writes (`openssl pkcs8 -topk8 -v2 …`) is read
 * by kubepki, the DER is the one @peculiar/asn1-schema writes for the same values, and every bad
 * file or passphrase is a typed error.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { EncryptedPrivateKeyInfo } from "@peculiar/asn1-pkcs8";
import { AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, OctetString } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier } from "@peculiar/asn1-x509";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decodePem,
  decryptPrivateKeyPem,
  describePrivateKeyPem,
  encodePem,
  encryptPrivateKeyPem,
  exportPrivateKeyPem,
  exportPublicKeyPem,
  generateKeyPair,
  importPrivateKeyPem,
  isKubepkiError,
  type KeyAlgorithm,
  type KubepkiErrorCode,
} from "../src/index.js";
import { readEncryptedPrivateKeyInfo, writeEncryptedPrivateKeyInfo } from "../src/keys/pbes2.js";
import { toHex } from "../src/lib/bytes.js";
import { NULL, octetString, oid, sequence, tlv } from "../src/lib/der.js";
import { caught } from "./helpers/caught.js";
import { run, runOk, tempDir } from "./helpers/run-command.js";

const PASS = "correct horse battery staple";
/** Fast enough for tests; the default (600,000) is checked once. */
const FAST = { iterations: 1000 };

let dir: string;
let cleanup: () => Promise<void>;
let passFile: string;
beforeAll(async () => {
  ({ path: dir, cleanup } = await tempDir("kubepki-encrypted-"));
  passFile = join(dir, "pass.txt");
  await writeFile(passFile, `${PASS}\n`);
});
afterAll(() => cleanup());

async function expectCode(run: () => unknown, code: KubepkiErrorCode): Promise<void> {
  const error = await caught(run);
  expect(isKubepkiError(error), String(error)).toBe(true);
  expect((error as { code: string }).code, String(error)).toBe(code);
}

/** openssl's view of a key's public half (`openssl pkey -pubout`), SPKI PEM. */
async function opensslPublicKey(file: string, passin?: string): Promise<string> {
  return runOk("openssl", ["pkey", "-in", file, ...(passin ? ["-passin", passin] : []), "-pubout"]);
}

/** `openssl pkcs8 -topk8 FLAGS` of a plain key file, with the test passphrase. */
function opensslEncrypt(plainFile: string, flags: readonly string[]): Promise<string> {
  return runOk("openssl", ["pkcs8", "-topk8", ...flags, "-in", plainFile, "-passout", `file:${passFile}`]);
}

const ALGORITHMS: readonly KeyAlgorithm[] = ["RSA-2048", "ECDSA-P256", "ECDSA-P384", "Ed25519"];
const OPENSSL_GENPKEY: Readonly<Record<string, readonly string[]>> = {
  "RSA-2048": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
  "ECDSA-P256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
  "ECDSA-P384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
  Ed25519: ["-algorithm", "ed25519"],
};

describe("encryptPrivateKeyPem → importPrivateKeyPem / decryptPrivateKeyPem / openssl", () => {
  for (const algorithm of ALGORITHMS) {
    it(`${algorithm}: round trip, and openssl reads ours with -passin file:`, async () => {
      const keys = await generateKeyPair(algorithm);
      const pem = await encryptPrivateKeyPem(keys, PASS, FAST);
      expect(pem.split("\n")[0]).toBe("-----BEGIN ENCRYPTED PRIVATE KEY-----");
      const back = await importPrivateKeyPem(pem, { passphrase: PASS });
      expect(back.algorithm).toBe(algorithm);
      const publicPem = await exportPublicKeyPem(keys);
      expect(await exportPublicKeyPem(back)).toBe(publicPem);
      const plain = await decryptPrivateKeyPem(pem, new TextEncoder().encode(PASS));
      expect(plain.split("\n")[0]).toBe("-----BEGIN PRIVATE KEY-----");
      expect(describePrivateKeyPem(plain).algorithm).toBe(algorithm);

      const file = join(dir, `ours-${algorithm}.pem`);
      await writeFile(file, pem);
      expect(await opensslPublicKey(file, `file:${passFile}`)).toBe(publicPem);
      // openssl pkcs8 (the brief's command) decrypts it to the same key.
      const decrypted = await runOk("openssl", ["pkcs8", "-in", file, "-passin", `file:${passFile}`]);
      expect(decodePem(decrypted, ["PRIVATE KEY"]).der).toEqual(decodePem(plain, ["PRIVATE KEY"]).der);
      const wrong = await run("openssl", ["pkey", "-in", file, "-passin", "pass:wrong", "-noout"]);
      expect(wrong.code).not.toBe(0);
    });
  }

  it("writes exactly openssl's scheme: PBES2, PBKDF2 hmacWithSHA256, AES-256-CBC, 16-byte salt, 600,000 iterations by default", async () => {
    const pem = await encryptPrivateKeyPem(await generateKeyPair("ECDSA-P256"), PASS);
    const { parameters } = readEncryptedPrivateKeyInfo(decodePem(pem).der);
    expect(parameters.iterations).toBe(600_000);
    expect(parameters.salt.length).toBe(16);
    expect(parameters.iv.length).toBe(16);
    const file = join(dir, "default.pem");
    await writeFile(file, pem);
    const parsed = await runOk("openssl", ["asn1parse", "-in", file]);
    expect(parsed).toMatch(/:PBES2\s/);
    expect(parsed).toMatch(/:PBKDF2\s/);
    expect(parsed).toMatch(/:hmacWithSHA256\s/);
    expect(parsed).toMatch(/:aes-256-cbc\s/);
    expect(parsed).toMatch(/INTEGER\s+:0927C0/); // 600000
    expect(await importPrivateKeyPem(pem, { passphrase: PASS })).toMatchObject({ algorithm: "ECDSA-P256" });
  });

  it("a fresh salt and IV each time", async () => {
    const keys = await generateKeyPair("ECDSA-P256");
    const a = readEncryptedPrivateKeyInfo(decodePem(await encryptPrivateKeyPem(keys, PASS, FAST)).der);
    const b = readEncryptedPrivateKeyInfo(decodePem(await encryptPrivateKeyPem(keys, PASS, FAST)).der);
    expect(toHex(a.parameters.salt)).not.toBe(toHex(b.parameters.salt));
    expect(toHex(a.parameters.iv)).not.toBe(toHex(b.parameters.iv));
  });

  it("encrypts an unencrypted PEM (PKCS#1, SEC1, PKCS#8) as well as a key pair", async () => {
    for (const algorithm of ["RSA-2048", "ECDSA-P384"] as const) {
      const keys = await generateKeyPair(algorithm);
      for (const format of ["pkcs8", algorithm === "RSA-2048" ? "pkcs1" : "sec1"] as const) {
        const pem = await encryptPrivateKeyPem(await exportPrivateKeyPem(keys, { format }), PASS, FAST);
        const back = await importPrivateKeyPem(pem, { passphrase: PASS });
        expect(await exportPublicKeyPem(back)).toBe(await exportPublicKeyPem(keys));
      }
    }
  });

  it("refuses bad arguments with INVALID_ARGUMENT", async () => {
    const keys = await generateKeyPair("ECDSA-P256");
    await expectCode(() => encryptPrivateKeyPem(keys, PASS, { iterations: 999 }), "INVALID_ARGUMENT");
    await expectCode(() => encryptPrivateKeyPem(keys, PASS, { iterations: 10_000_001 }), "INVALID_ARGUMENT");
    await expectCode(() => encryptPrivateKeyPem(keys, PASS, { iterations: 1000.5 }), "INVALID_ARGUMENT");
    await expectCode(() => encryptPrivateKeyPem(keys, ""), "INVALID_ARGUMENT");
    await expectCode(() => encryptPrivateKeyPem(keys, 42 as never), "INVALID_ARGUMENT");
    await expectCode(() => encryptPrivateKeyPem(keys.publicKey, PASS), "INVALID_ARGUMENT");
    const encrypted = await encryptPrivateKeyPem(keys, PASS, FAST);
    await expectCode(() => encryptPrivateKeyPem(encrypted, PASS), "INVALID_ARGUMENT");
    await expectCode(() => encryptPrivateKeyPem("not a key", PASS), "INVALID_PEM");
  });
});

describe("keys openssl encrypted (openssl pkcs8 -topk8 -v2 …) are read", () => {
  const VARIANTS: [string, string[]][] = [
    ["aes-256-cbc, hmacWithSHA256", ["-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA256"]],
    ["aes-128-cbc, openssl's default PRF", ["-v2", "aes-128-cbc"]],
    ["aes-192-cbc, hmacWithSHA1 (PRF omitted as DEFAULT)", ["-v2", "aes-192-cbc", "-v2prf", "hmacWithSHA1"]],
    ["aes-256-cbc, hmacWithSHA384", ["-v2", "aes-256-cbc", "-v2prf", "hmacWithSHA384"]],
    ["aes-128-cbc, hmacWithSHA512", ["-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA512"]],
  ];
  for (const algorithm of ALGORITHMS) {
    it(`${algorithm}: every -v2 AES-CBC variant and PRF`, async () => {
      const plainFile = join(dir, `openssl-${algorithm}.pem`);
      await runOk("openssl", ["genpkey", ...(OPENSSL_GENPKEY[algorithm] ?? []), "-out", plainFile]);
      const publicPem = await opensslPublicKey(plainFile);
      for (const [name, flags] of VARIANTS) {
        const encrypted = await opensslEncrypt(plainFile, flags);
        expect(encrypted, name).toContain("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        const keys = await importPrivateKeyPem(encrypted, { passphrase: PASS });
        expect(keys.algorithm, name).toBe(algorithm);
        expect(await exportPublicKeyPem(keys), name).toBe(publicPem);
        await expectCode(() => importPrivateKeyPem(encrypted, { passphrase: "wrong" }), "WRONG_PASSPHRASE");
      }
    });
  }

  const REFUSED: [string, string[], RegExp][] = [
    ["-v1 PBE-SHA1-3DES", ["-v1", "PBE-SHA1-3DES"], /PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC/],
    ["-scrypt", ["-scrypt"], /scrypt/],
    ["-v2 des3", ["-v2", "des3"], /des-ede3-cbc/],
  ];
  for (const [name, flags, scheme] of REFUSED) {
    it(`${name} → UNSUPPORTED_KEY_ENCRYPTION naming the scheme`, async () => {
      const plainFile = join(dir, "refused-plain.pem");
      await runOk("openssl", ["genpkey", ...(OPENSSL_GENPKEY["ECDSA-P256"] ?? []), "-out", plainFile]);
      const encrypted = await opensslEncrypt(plainFile, flags);
      for (const read of [
        () => importPrivateKeyPem(encrypted, { passphrase: PASS }),
        () => decryptPrivateKeyPem(encrypted, PASS),
      ]) {
        const error = await caught(read);
        expect(isKubepkiError(error, "UNSUPPORTED_KEY_ENCRYPTION"), String(error)).toBe(true);
        expect((error as Error).message).toMatch(scheme);
      }
    });
  }
});

describe("without the passphrase, or with the wrong one", () => {
  it("PASSPHRASE_REQUIRED from importPrivateKeyPem and describePrivateKeyPem (details.encrypted)", async () => {
    const pem = await encryptPrivateKeyPem(await generateKeyPair("ECDSA-P256"), PASS, FAST);
    await expectCode(() => importPrivateKeyPem(pem), "PASSPHRASE_REQUIRED");
    const error = await caught(() => describePrivateKeyPem(pem));
    expect(isKubepkiError(error, "PASSPHRASE_REQUIRED"), String(error)).toBe(true);
    expect((error as { details?: { encrypted?: unknown } }).details?.encrypted).toBe(true);
  });

  it("WRONG_PASSPHRASE from importPrivateKeyPem and decryptPrivateKeyPem; a passphrase for a plain key is ignored", async () => {
    const keys = await generateKeyPair("Ed25519");
    const pem = await encryptPrivateKeyPem(keys, PASS, FAST);
    // Many wrong passphrases: some give valid CBC padding by chance, and must still be refused.
    for (let i = 0; i < 40; i++) {
      await expectCode(() => decryptPrivateKeyPem(pem, `wrong ${i}`), "WRONG_PASSPHRASE");
    }
    await expectCode(() => importPrivateKeyPem(pem, { passphrase: "" }), "WRONG_PASSPHRASE");
    const plain = await exportPrivateKeyPem(keys);
    expect((await importPrivateKeyPem(plain, { passphrase: "anything" })).algorithm).toBe("Ed25519");
    await expectCode(() => decryptPrivateKeyPem(plain, PASS), "INVALID_PEM");
  });
});

// The same structure declared with @peculiar/asn1-schema, to check lib/der's bytes against.
@AsnType({ type: AsnTypeTypes.Sequence })
class Pbkdf2Params {
  @AsnProp({ type: OctetString })
  salt = new OctetString();
  @AsnProp({ type: AsnPropTypes.Integer })
  iterationCount = 0;
  @AsnProp({ type: AsnPropTypes.Integer, optional: true })
  keyLength?: number;
  @AsnProp({ type: AlgorithmIdentifier, optional: true })
  prf?: AlgorithmIdentifier;
}

@AsnType({ type: AsnTypeTypes.Sequence })
class Pbes2Params {
  @AsnProp({ type: AlgorithmIdentifier })
  keyDerivationFunc = new AlgorithmIdentifier();
  @AsnProp({ type: AlgorithmIdentifier })
  encryptionScheme = new AlgorithmIdentifier();
}

const NULL_PARAMS = Uint8Array.of(5, 0).buffer;

describe("the DER is what @peculiar/asn1-schema writes for the same values", () => {
  function schemaBytes(
    salt: Uint8Array,
    iterations: number,
    prf: string | undefined,
    cipher: string,
    iv: Uint8Array,
    ciphertext: Uint8Array,
  ) {
    const kdf = new Pbkdf2Params();
    kdf.salt = new OctetString(Uint8Array.from(salt));
    kdf.iterationCount = iterations;
    if (prf) kdf.prf = new AlgorithmIdentifier({ algorithm: prf, parameters: NULL_PARAMS });
    const params = new Pbes2Params();
    params.keyDerivationFunc = new AlgorithmIdentifier({
      algorithm: "1.2.840.113549.1.5.12",
      parameters: AsnConvert.serialize(kdf),
    });
    params.encryptionScheme = new AlgorithmIdentifier({
      algorithm: cipher,
      parameters: AsnConvert.serialize(new OctetString(Uint8Array.from(iv))),
    });
    const info = new EncryptedPrivateKeyInfo({
      encryptionAlgorithm: new AlgorithmIdentifier({
        algorithm: "1.2.840.113549.1.5.13",
        parameters: AsnConvert.serialize(params),
      }),
      encryptedData: new OctetString(Uint8Array.from(ciphertext)),
    });
    return toHex(new Uint8Array(AsnConvert.serialize(info)));
  }

  it("for what encryptPrivateKeyPem writes", async () => {
    for (const algorithm of ALGORITHMS) {
      const der = decodePem(await encryptPrivateKeyPem(await generateKeyPair(algorithm), PASS, FAST)).der;
      const { parameters, ciphertext } = readEncryptedPrivateKeyInfo(der);
      expect(toHex(der)).toBe(
        schemaBytes(
          parameters.salt,
          parameters.iterations,
          parameters.prf,
          parameters.cipher,
          parameters.iv,
          ciphertext,
        ),
      );
    }
  });

  it("for any salt, iteration count, PRF, cipher and ciphertext (property)", () => {
    const prfs = ["1.2.840.113549.2.7", "1.2.840.113549.2.9", "1.2.840.113549.2.10", "1.2.840.113549.2.11"] as const;
    const ciphers = ["2.16.840.1.101.3.4.1.2", "2.16.840.1.101.3.4.1.22", "2.16.840.1.101.3.4.1.42"] as const;
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.constantFrom(...prfs),
        fc.constantFrom(...ciphers),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 1, max: 200 }).map((blocks) => new Uint8Array(blocks * 16).fill(blocks)),
        (salt, iterations, prf, cipher, iv, ciphertext) => {
          const der = writeEncryptedPrivateKeyInfo({ salt, iterations, prf, cipher, iv }, ciphertext);
          // hmacWithSHA1 is the DEFAULT, so DER leaves it out.
          const expected = schemaBytes(salt, iterations, prf === prfs[0] ? undefined : prf, cipher, iv, ciphertext);
          expect(toHex(der)).toBe(expected);
          expect(readEncryptedPrivateKeyInfo(der).parameters).toMatchObject({ iterations, prf, cipher });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("hostile or malformed encrypted keys are typed errors, never a hang or a crash", () => {
  const salt = new Uint8Array(16).fill(1);
  const iv = new Uint8Array(16).fill(2);
  const ciphertext = new Uint8Array(64).fill(3);
  const params = { salt, iv, prf: "1.2.840.113549.2.9", cipher: "2.16.840.1.101.3.4.1.42" } as const;
  const pemOf = (der: Uint8Array) => encodePem("ENCRYPTED PRIVATE KEY", der);
  const hex = (der: Uint8Array) => toHex(der);
  const fromHex = (text: string) => Uint8Array.from(Buffer.from(text, "hex"));

  it("an iteration count above 10,000,000 (or beyond any number) → UNSUPPORTED_KEY_ENCRYPTION, at once", async () => {
    const der = writeEncryptedPrivateKeyInfo({ ...params, iterations: 2_000_000_000 }, ciphertext);
    await expectCode(() => importPrivateKeyPem(pemOf(der), { passphrase: PASS }), "UNSUPPORTED_KEY_ENCRYPTION");
    // The count as a 9-byte INTEGER, every length around it right.
    const pbkdf2 = sequence([
      octetString(salt),
      tlv(0x02, new Uint8Array(9).fill(0x7f)),
      sequence([oid(params.prf), NULL]),
    ]);
    const hugeDer = sequence([
      sequence([
        oid("1.2.840.113549.1.5.13"),
        sequence([sequence([oid("1.2.840.113549.1.5.12"), pbkdf2]), sequence([oid(params.cipher), octetString(iv)])]),
      ]),
      octetString(ciphertext),
    ]);
    const error = await caught(() => decryptPrivateKeyPem(pemOf(hugeDer), PASS));
    expect(isKubepkiError(error, "UNSUPPORTED_KEY_ENCRYPTION"), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/more than 2\^39 PBKDF2 iterations/);
  });

  it("bad lengths, wrong tags, non-minimal integers, a key length that does not fit, a short IV → INVALID_DER", async () => {
    const good = writeEncryptedPrivateKeyInfo({ ...params, iterations: 2000 }, ciphertext);
    const goodHex = hex(good);
    const cases: string[] = [
      goodHex.slice(0, -2), // truncated
      `${goodHex}00`, // trailing byte
      goodHex.replace("020207d0", "0203 0007d0".replace(" ", "")), // non-minimal INTEGER (lengths then wrong)
      goodHex.replace(/^3081/, "3080"), // indefinite length
    ];
    for (const text of cases) {
      await expectCode(() => decryptPrivateKeyPem(pemOf(fromHex(text)), PASS), "INVALID_DER");
    }
    await expectCode(
      () => decryptPrivateKeyPem(pemOf(writeEncryptedPrivateKeyInfo({ ...params, iterations: 0 }, ciphertext)), PASS),
      "INVALID_DER",
    );
    await expectCode(
      () =>
        decryptPrivateKeyPem(
          pemOf(writeEncryptedPrivateKeyInfo({ ...params, iterations: 2000, keyLength: 16 }, ciphertext)),
          PASS,
        ),
      "INVALID_DER",
    );
    await expectCode(
      () =>
        decryptPrivateKeyPem(
          pemOf(writeEncryptedPrivateKeyInfo({ ...params, iterations: 2000, iv: new Uint8Array(8) }, ciphertext)),
          PASS,
        ),
      "INVALID_DER",
    );
    await expectCode(
      () =>
        decryptPrivateKeyPem(
          pemOf(writeEncryptedPrivateKeyInfo({ ...params, iterations: 2000 }, new Uint8Array(20))),
          PASS,
        ),
      "INVALID_DER",
    );
    // A keyLength that fits (openssl writes none, others do) is read.
    const withLength = writeEncryptedPrivateKeyInfo({ ...params, iterations: 2000, keyLength: 32 }, ciphertext);
    expect(readEncryptedPrivateKeyInfo(withLength).parameters.keyLength).toBe(32);
  });

  it("random damage to a real encrypted key is always a KubepkiError (fuzz)", async () => {
    const der = decodePem(await encryptPrivateKeyPem(await generateKeyPair("ECDSA-P256"), PASS, FAST)).der;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: der.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (position, xor) => {
          const damaged = Uint8Array.from(der);
          damaged[position] = (damaged[position] as number) ^ xor;
          const error = await caught(() => importPrivateKeyPem(pemOf(damaged), { passphrase: PASS })).catch(
            () => undefined,
          );
          // A flip in a field that is not checked (salt or ciphertext bytes) decrypts to garbage:
          // WRONG_PASSPHRASE. Either way a typed error, unless the flip left the key intact.
          if (error !== undefined) expect(isKubepkiError(error), String(error)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
