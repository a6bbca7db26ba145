/**
 * The config parser and the tree readers on hostile input (issue 15, "Keep": a fuzz test for
 * every parser and auditCluster): resolveClusterConfig on any value, and readTree's users
 * (checkExpiration, auditCluster, renewCertificates) on random trees made of real files with
 * random edits. Only KubepkiError is ever thrown. Inputs are bounded in size, so the work per
 * case is too. fast-check prints the seed of a failing run; FC_SEED replays it (the default seed
 * makes every run the same).
 */
import { KubepkiError } from "@kubepki/core";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { auditCluster, checkExpiration, renewCertificates, resolveClusterConfig } from "../src/index.js";
import { buildKubepkiTree } from "./helpers/kubepki-tree.js";

const SEED = Number(process.env.FC_SEED ?? 20261205);

function typed(error: unknown, what: string): void {
  if (!(error instanceof KubepkiError)) throw new Error(`untyped ${String(error)} for ${what}`);
  expect(typeof error.code).toBe("string");
}

function parsesOrRefuses(run: () => unknown, what: string): void {
  try {
    run();
  } catch (error) {
    typed(error, what);
  }
}

async function resolvesOrRejects(run: () => Promise<unknown>, what: string): Promise<void> {
  try {
    await run();
  } catch (error) {
    typed(error, what);
  }
}

describe("resolveClusterConfig fuzz", () => {
  const scalar = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double());
  const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.jsonValue({ maxDepth: 3 }));
  // The resolved config's keys: every input field, and the derived ones (unknown keys to the parser).
  const fields = Object.keys(resolveClusterConfig({}));

  it("any value, and any value in each field, resolves or is a KubepkiError", () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3 }), (input) => {
        parsesOrRefuses(() => resolveClusterConfig(input as never), JSON.stringify(input)?.slice(0, 200) ?? "?");
      }),
      { numRuns: 500, seed: SEED },
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 4 }), (input) => {
        parsesOrRefuses(() => resolveClusterConfig(input as never), JSON.stringify(input).slice(0, 200));
      }),
      { numRuns: 800, seed: SEED },
    );
  });

  it("nodes and etcd of almost the right shape", () => {
    const node = fc.record(
      {
        name: fc.oneof(fc.constantFrom("cp-1", "w-1", "CP_1", "", "a".repeat(70)), fc.string({ maxLength: 10 })),
        role: fc.oneof(fc.constantFrom("control-plane", "worker"), fc.string({ maxLength: 8 })),
        addresses: fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 16 })), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.array(node, { maxLength: 4 }),
        fc.oneof(fc.constant(undefined), fc.record({ type: fc.constantFrom("local", "external", "x") })),
        fc.oneof(fc.constant(undefined), fc.string({ maxLength: 20 }), fc.ipV4()),
        (nodes, etcd, controlPlaneEndpoint) => {
          const input = { nodes, ...(etcd ? { etcd } : {}), ...(controlPlaneEndpoint ? { controlPlaneEndpoint } : {}) };
          parsesOrRefuses(() => resolveClusterConfig(input as never), JSON.stringify(input).slice(0, 200));
        },
      ),
      { numRuns: 600, seed: SEED },
    );
  });
});

describe("tree readers fuzz (checkExpiration, auditCluster, renewCertificates)", () => {
  let real: [string, string][];
  beforeAll(async () => {
    const files = await buildKubepkiTree({
      keyAlgorithm: "ECDSA-P256",
      nodes: [{ name: "cp-1", role: "control-plane", addresses: ["10.0.0.11"] }],
    });
    real = [...files];
  }, 60_000);

  /** A few real files, each maybe edited (cut, spliced), under a real or a random path. */
  const tree = () =>
    fc.array(
      fc.record({
        pick: fc.nat(),
        path: fc.option(fc.constantFrom("admin.conf", "pki/ca.crt", "pki/x.key", "a.csr", "pki/etcd/server.crt", "x"), {
          nil: undefined,
        }),
        at: fc.nat({ max: 4000 }),
        remove: fc.nat({ max: 64 }),
        insert: fc.string({ maxLength: 16 }),
      }),
      { maxLength: 6 },
    );

  function build(picks: { pick: number; path?: string; at: number; remove: number; insert: string }[]) {
    const out = new Map<string, string>();
    for (const { pick, path, at, remove, insert } of picks) {
      const [realPath, text] = real[pick % real.length] as [string, string];
      const cut = at % (text.length + 1);
      out.set(path ?? realPath, text.slice(0, cut) + insert + text.slice(cut + remove));
    }
    return out;
  }

  it("checkExpiration lists or refuses", () => {
    fc.assert(
      fc.property(tree(), (picks) => {
        const files = build(picks);
        parsesOrRefuses(() => checkExpiration(files), [...files.keys()].join(","));
      }),
      { numRuns: 400, seed: SEED },
    );
  });

  it("auditCluster and renewCertificates (reusing keys) report or refuse", async () => {
    await fc.assert(
      fc.asyncProperty(tree(), async (picks) => {
        const files = build(picks);
        const what = [...files.keys()].join(",");
        await resolvesOrRejects(() => auditCluster(files), what);
        await resolvesOrRejects(() => renewCertificates(files, { reuseKey: true }), what);
      }),
      { numRuns: 150, seed: SEED },
    );
  }, 120_000);
});
