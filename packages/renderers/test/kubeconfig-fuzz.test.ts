/**
 * parseKubeconfig on hostile text (issue 15, "Keep": a fuzz test for every parser): random text,
 * random YAML/JSON values, and real kubeconfigs with random edits. Whatever comes in, the result
 * is a Kubeconfig or a KubepkiError (kubepki's one error class, from core's vocabulary) — never a TypeError, a RangeError or the yaml package's own error.
 * Inputs are bounded in size, so the work per case is too. fast-check prints the seed of a
 * failing run; FC_SEED replays it (the default seed makes every run the same).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KubepkiError, parseKubeconfig, renderKubeconfig } from "../src/index.js";

const SEED = Number(process.env.FC_SEED ?? 20261205);

function parsesOrRefuses(text: string): void {
  for (const strict of [true, false]) {
    try {
      parseKubeconfig(text, { strict });
    } catch (error) {
      if (!(error instanceof KubepkiError)) {
        throw new Error(`untyped ${String(error)} for ${JSON.stringify(text.slice(0, 200))}`);
      }
      expect(error.name).toBe("KubepkiError");
      expect(typeof error.code).toBe("string");
    }
  }
}

const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const REAL = renderKubeconfig({
  clusters: [{ name: "kubernetes", server: "https://10.0.0.1:6443", certificateAuthority: { pem } }],
  users: [
    { name: "admin", clientCertificate: { pem }, clientKey: { pem: pem.replace(/CERTIFICATE/g, "EC PRIVATE KEY") } },
  ],
  contexts: [{ name: "admin@kubernetes", cluster: "kubernetes", user: "admin" }],
  currentContext: "admin@kubernetes",
});

describe("parseKubeconfig fuzz", () => {
  it("random text, and random text framed like a kubeconfig", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        parsesOrRefuses(text);
        parsesOrRefuses(`apiVersion: v1\nkind: Config\n${text}`);
      }),
      { numRuns: 600, seed: SEED },
    );
  });

  it("any JSON value, and any value at each top-level field", () => {
    const field = fc.constantFrom("clusters", "users", "contexts", "current-context", "preferences", "kind");
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), field, (value, key) => {
        parsesOrRefuses(JSON.stringify(value));
        parsesOrRefuses(JSON.stringify({ apiVersion: "v1", kind: "Config", [key]: value }));
      }),
      { numRuns: 600, seed: SEED },
    );
  });

  it("a real kubeconfig with random characters spliced in, cut or deleted", () => {
    const edit = fc.record({
      at: fc.nat({ max: REAL.length }),
      remove: fc.nat({ max: 40 }),
      insert: fc.string({
        maxLength: 12,
        unit: fc.constantFrom(":", "-", " ", "\n", "\t", "[", "{", "&", "*", "!", "'", '"', "a", "0"),
      }),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = REAL;
        for (const { at, remove, insert } of edits) text = text.slice(0, at) + insert + text.slice(at + remove);
        parsesOrRefuses(text);
      }),
      { numRuns: 800, seed: SEED },
    );
  });
});
