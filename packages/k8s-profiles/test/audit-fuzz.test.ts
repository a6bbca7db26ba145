// Issue 15 "Keep": auditCluster never throws an untyped error (nor hangs: the test's timeout bounds
// every run) on mutations of a real tree: truncated PEMs, swapped files, random bytes, broken YAML,
// flipped characters, removed files. Fixed seed (FC_SEED overrides it); fast-check prints the seed
// and the shrunk counterexample on failure.
import { isKubepkiError } from "@kubepki/core";
import { isRendererError } from "@kubepki/renderers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { auditCluster } from "../src/index.js";
import { buildKubepkiTree } from "./helpers/kubepki-tree.js";

const SEED = Number(process.env.FC_SEED ?? 20_261_205);
// A small cluster's files of every kind: certificates, keys (PKCS#1/SEC1), kubeconfigs, sa.key/pub.
const KEEP = [
  "pki/ca.crt",
  "pki/ca.key",
  "pki/apiserver.crt",
  "pki/apiserver.key",
  "pki/etcd/ca.crt",
  "pki/etcd/server.crt",
  "pki/etcd/server.key",
  "pki/front-proxy-ca.crt",
  "pki/front-proxy-client.crt",
  "pki/sa.key",
  "pki/sa.pub",
  "admin.conf",
  "super-admin.conf",
  "kubelet.conf",
  "nodes/worker-1/pki/ca.crt",
];
const YAML_NOISE = ["*", "&", ":", "{", "}", "[", "]", '"', "'", "|", ">", "\t", "\n", "- ", "!!binary ", "<<: "];

type Tree = Map<string, string | Uint8Array>;
type Mutation = (tree: Tree, paths: readonly string[]) => void;

const text = (value: string | Uint8Array | undefined): string =>
  typeof value === "string" ? value : new TextDecoder().decode(value ?? new Uint8Array());

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ file: fc.nat(), at: fc.double({ min: 0, max: 1, noNaN: true }) }).map(
    ({ file, at }): Mutation =>
      (tree, paths) => {
        const path = paths[file % paths.length] as string;
        const value = text(tree.get(path));
        tree.set(path, value.slice(0, Math.floor(value.length * at)));
      },
  ),
  fc.record({ a: fc.nat(), b: fc.nat() }).map(
    ({ a, b }): Mutation =>
      (tree, paths) => {
        const [first, second] = [paths[a % paths.length] as string, paths[b % paths.length] as string];
        const swap = tree.get(first) as string | Uint8Array;
        tree.set(first, tree.get(second) as string | Uint8Array);
        tree.set(second, swap);
      },
  ),
  fc.record({ file: fc.nat(), bytes: fc.uint8Array({ maxLength: 300 }) }).map(
    ({ file, bytes }): Mutation =>
      (tree, paths) => {
        tree.set(paths[file % paths.length] as string, bytes);
      },
  ),
  fc
    .record({ file: fc.nat(), at: fc.double({ min: 0, max: 1, noNaN: true }), noise: fc.constantFrom(...YAML_NOISE) })
    .map(
      ({ file, at, noise }): Mutation =>
        (tree, paths) => {
          const confs = paths.filter((path) => path.endsWith(".conf"));
          const path = confs[file % confs.length] as string;
          const value = text(tree.get(path));
          const cut = Math.floor(value.length * at);
          tree.set(path, value.slice(0, cut) + noise + value.slice(cut));
        },
    ),
  fc
    .record({
      file: fc.nat(),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      char: fc.string({ minLength: 1, maxLength: 1 }),
    })
    .map(
      ({ file, at, char }): Mutation =>
        (tree, paths) => {
          const path = paths[file % paths.length] as string;
          const value = text(tree.get(path));
          const cut = Math.floor(value.length * at);
          tree.set(path, value.slice(0, cut) + char + value.slice(cut + 1));
        },
    ),
  fc.nat().map(
    (file): Mutation =>
      (tree, paths) => {
        tree.delete(paths[file % paths.length] as string);
      },
  ),
);

describe("auditCluster on mutated trees", () => {
  let base: Map<string, string>;
  beforeAll(async () => {
    const files = await buildKubepkiTree();
    base = new Map(KEEP.map((path) => [path, files.get(path) as string]));
    expect(base.size).toBe(KEEP.length);
  }, 60_000);

  it("resolves with findings, or rejects only with a typed error, for 2000 mutated trees", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        const tree: Tree = new Map(base);
        for (const mutate of mutations) mutate(tree, [...tree.keys()].length > 0 ? [...tree.keys()] : KEEP);
        try {
          const report = await auditCluster(tree);
          expect(Array.isArray(report.findings)).toBe(true);
          for (const finding of report.findings) expect(typeof finding.message).toBe("string");
        } catch (error) {
          expect(isKubepkiError(error) || isRendererError(error), String((error as Error)?.stack ?? error)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  }, 300_000);
});
