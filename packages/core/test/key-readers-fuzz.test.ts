/**
 * The key readers that malformed.test.ts and keys.test.ts do not fuzz yet (issue 15, "Keep"):
 * describePrivateKeyPem (the sync reader audit uses), describePublicKeyInfo and
 * importPublicKeyPem, on real keys of every kind with random bytes spliced over them and on
 * random bytes. Only KubepkiError is ever thrown; inputs are bounded in size, so the work per
 * case is too. fast-check prints the seed of a failing run; FC_SEED replays it (the default seed
 * makes every run the same).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  decodePem,
  describePrivateKeyPem,
  describePublicKeyInfo,
  encodePem,
  exportPrivateKeyPem,
  exportPublicKeyInfo,
  generateKeyPair,
  importPublicKeyPem,
  KubepkiError,
  type PrivateKeyFormat,
} from "../src/index.js";

const SEED = Number(process.env.FC_SEED ?? 20261205);

function typed(error: unknown, what: string): void {
  if (!(error instanceof KubepkiError)) throw new Error(`untyped ${String(error)} for ${what}`);
  expect(typeof error.code).toBe("string");
}

const privateKeys: { label: string; der: Uint8Array }[] = [];
const publicKeys: Uint8Array[] = [];
beforeAll(async () => {
  const kinds: [Parameters<typeof generateKeyPair>[0], PrivateKeyFormat[]][] = [
    ["RSA-2048", ["pkcs1", "pkcs8"]],
    ["ECDSA-P256", ["sec1", "pkcs8"]],
    ["ECDSA-P384", ["sec1", "pkcs8"]],
    ["Ed25519", ["pkcs8"]],
  ];
  for (const [algorithm, formats] of kinds) {
    const pair = await generateKeyPair(algorithm);
    for (const format of formats) {
      const pem = await exportPrivateKeyPem(pair, { format });
      const block = decodePem(pem);
      privateKeys.push({ label: block.label, der: block.der });
    }
    publicKeys.push(await exportPublicKeyInfo(pair.publicKey));
  }
}, 60_000);

/** `der` with `patch` written at `position` (wrapped), the length kept. */
function splice(der: Uint8Array, position: number, patch: Uint8Array): Uint8Array {
  const out = der.slice();
  const at = position % out.length;
  out.set(patch.subarray(0, out.length - at), at);
  return out;
}

describe("key readers fuzz", () => {
  it("describePrivateKeyPem: real keys with random bytes spliced in, cut, or random bytes", () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat({ max: 4000 }),
        fc.uint8Array({ minLength: 1, maxLength: 12 }),
        fc.nat({ max: 4000 }),
        (pick, position, patch, cut) => {
          const { label, der } = privateKeys[pick % privateKeys.length] as { label: string; der: Uint8Array };
          for (const bytes of [splice(der, position, patch), der.subarray(0, cut % der.length), patch]) {
            try {
              describePrivateKeyPem(encodePem(label, bytes));
            } catch (error) {
              typed(error, `${label} ${bytes.length} bytes`);
            }
          }
        },
      ),
      { numRuns: 1000, seed: SEED },
    );
  });

  it("describePublicKeyInfo and importPublicKeyPem: spliced, cut and random SPKI / PKCS#1", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.nat({ max: 600 }),
        fc.uint8Array({ minLength: 1, maxLength: 12 }),
        fc.constantFrom("PUBLIC KEY", "RSA PUBLIC KEY"),
        async (pick, position, patch, label) => {
          const spki = publicKeys[pick % publicKeys.length] as Uint8Array;
          for (const bytes of [splice(spki, position, patch), spki.subarray(0, position % spki.length), patch]) {
            try {
              describePublicKeyInfo(bytes);
            } catch (error) {
              typed(error, `describePublicKeyInfo ${bytes.length} bytes`);
            }
            await importPublicKeyPem(encodePem(label, bytes)).catch((error: unknown) =>
              typed(error, `importPublicKeyPem ${label} ${bytes.length} bytes`),
            );
          }
        },
      ),
      { numRuns: 500, seed: SEED },
    );
  });
});
