/**
 * The cross-runtime suite: one file, no test framework, no Node built-ins, so the very same checks
 * run under Node (through vitest), Deno and Bun (thin runners beside this file). It exercises what
 * "WebCrypto only" promises: every algorithm the runtime supports generates, signs, exports and
 * re-imports, issues a chain that verifies, and bad input fails with the documented codes.
 */
import type * as Core from "../../src/index.js";

export interface SuiteResult {
  passed: number;
  failed: number;
  failures: string[];
  lines: string[];
}

type CoreModule = typeof Core;

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function expectCode(core: CoreModule, run: () => unknown, code: string): Promise<void> {
  try {
    await run();
  } catch (error) {
    assert(error instanceof core.KubepkiError, `expected KubepkiError ${code}, got ${String(error)}`);
    assert(error.code === code, `expected code ${code}, got ${error.code}: ${error.message}`);
    return;
  }
  throw new Error(`expected KubepkiError ${code}, but nothing was thrown`);
}

/** Runs every case against the given build of @kubepki/core and reports one line per case. */
export async function runCoreSuite(core: CoreModule, algorithms: readonly Core.KeyAlgorithm[]): Promise<SuiteResult> {
  const result: SuiteResult = { passed: 0, failed: 0, failures: [], lines: [] };
  const test = async (name: string, body: () => Promise<void>) => {
    try {
      await body();
      result.passed++;
      result.lines.push(`ok - ${name}`);
    } catch (error) {
      result.failed++;
      const message = `${name}: ${error instanceof Error ? error.message : String(error)}`;
      result.failures.push(message);
      result.lines.push(`not ok - ${message}`);
    }
  };

  for (const algorithm of algorithms) {
    await test(`${algorithm}: keys round-trip through PEM`, async () => {
      const keys = await core.generateKeyPair(algorithm);
      const formats: Core.PrivateKeyFormat[] = algorithm.startsWith("RSA")
        ? ["pkcs1", "pkcs8"]
        : algorithm.startsWith("ECDSA")
          ? ["sec1", "pkcs8"]
          : ["pkcs8"];
      for (const format of formats) {
        const pem = await core.exportPrivateKeyPem(keys, { format });
        const again = await core.importPrivateKeyPem(pem);
        assert(again.algorithm === algorithm, `${format}: algorithm ${again.algorithm}`);
        assert(
          (await core.exportPublicKeyPem(again)) === (await core.exportPublicKeyPem(keys)),
          `${format}: public key differs`,
        );
      }
    });

    await test(`${algorithm}: CSR → CA-signed leaf → parse → verifyChain`, async () => {
      const caKeys = await core.generateKeyPair(algorithm);
      const ca = await core.createSelfSignedCa({
        keyPair: caKeys,
        subject: { commonName: "kubernetes" },
        sans: ["kubernetes"],
      });
      const keys = await core.generateKeyPair(algorithm);
      const csr = await core.createCsr({
        keyPair: keys,
        subject: "/CN=system:node:worker-1/O=system:nodes",
        sans: ["worker-1", "10.0.0.21", "fd00::21"],
      });
      assert((await core.verifyCsr(csr.pem)).subjectText === "/O=system:nodes/CN=system:node:worker-1", "CSR subject");
      const leaf = await core.issueCertificate({
        issuer: { certificate: ca, privateKey: caKeys.privateKey },
        csr: core.parseCsr(csr.pem),
        extKeyUsages: ["serverAuth"],
      });
      const parsed = core.parseCertificate(leaf.pem);
      assert(parsed.fingerprintSha256 === leaf.fingerprintSha256, "fingerprint differs after parse");
      assert(
        JSON.stringify(parsed.subjectAltNames) ===
          JSON.stringify([
            { type: "dns", value: "worker-1" },
            { type: "ip", value: "10.0.0.21" },
            { type: "ip", value: "fd00::21" },
          ]),
        `SANs ${JSON.stringify(parsed.subjectAltNames)}`,
      );
      await core.verifyChain(parsed, [], [ca], { usage: "serverAuth", ipAddress: "fd00::21" });
      await expectCode(core, () => core.verifyChain(parsed, [], [ca], { dnsName: "worker-2" }), "NAME_MISMATCH");
      await expectCode(core, () => core.verifyChain(parsed, [], [ca], { usage: "clientAuth" }), "USAGE_NOT_ALLOWED");
      assert(await core.keyMatchesCertificate(keys, parsed), "key does not match its certificate");
      assert(!(await core.keyMatchesCertificate(caKeys, parsed)), "CA key matches the leaf");
    });
  }

  await test("an encrypted private key (PBES2, AES-256-CBC) round-trips with its passphrase", async () => {
    const keys = await core.generateKeyPair("ECDSA-P256");
    const pem = await core.encryptPrivateKeyPem(keys, "pässphrase", { iterations: 1000 });
    assert(pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), "not an ENCRYPTED PRIVATE KEY");
    const again = await core.importPrivateKeyPem(pem, { passphrase: "pässphrase" });
    assert(
      (await core.exportPublicKeyPem(again)) === (await core.exportPublicKeyPem(keys)),
      "public key differs after decryption",
    );
    await expectCode(core, () => core.importPrivateKeyPem(pem, { passphrase: "wrong" }), "WRONG_PASSPHRASE");
    await expectCode(core, () => core.importPrivateKeyPem(pem), "PASSPHRASE_REQUIRED");
  });

  await test("bad input fails with the documented codes", async () => {
    await expectCode(core, () => core.parseCertificate(""), "INVALID_PEM");
    await expectCode(
      core,
      () => core.parseCertificate(new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])),
      "INVALID_DER",
    );
    await expectCode(core, () => core.generateKeyPair("RSA-1024" as Core.KeyAlgorithm), "WEAK_KEY");
    await expectCode(core, () => core.parseSubject("CN=missing-slash"), "INVALID_SUBJECT");
    await expectCode(core, () => core.normalizeSubjectAltNames([{ type: "ip", value: "300.1.1.1" }]), "INVALID_IP");
  });

  return result;
}

/** Formats a result as the runner output: one line per case and the closing count line. */
export function formatResult(runtime: string, result: SuiteResult): string {
  return `${result.lines.map((line) => `${line}`).join("\n")}\n${runtime}: ${result.passed} passed, ${result.failed} failed\n`;
}
