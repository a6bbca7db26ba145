// Runs every guide example (Node for *.mjs and *.sh, Deno for *.deno.ts) and compares its masked
// stdout with the *.out checked in beside it, so an example that no longer runs, or no longer
// prints what the guide shows, fails here. The guides show both files inline (guides.test.ts keeps
// those copies exact).
//
// After an intended change: UPDATE_EXAMPLES=1 pnpm vitest run --project docs docs/test/examples.test.ts
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLES, expectedOutput, findExamples, mask, outName, ROOT, runExample } from "./examples.js";

const examples = findExamples();
const update = process.env.UPDATE_EXAMPLES === "1";

describe("examples", () => {
  it("the packages are built (examples import dist/, as users do)", () => {
    for (const name of ["core", "k8s-profiles", "renderers", "cli"]) {
      expect(existsSync(join(ROOT, "packages", name, "dist/index.js")), `run pnpm -r build first (${name})`).toBe(true);
    }
  });

  it("there is one per guide section, in Node and at least two in Deno", () => {
    const guides = new Set(examples.map((example) => example.name.split("/")[0]));
    expect([...guides].sort()).toEqual([
      "checking-a-cluster",
      "day-2",
      "from-the-tutorial",
      "in-the-browser",
      "offline-root",
      "per-node",
      "pieces",
      "quick-start",
      "recipes",
      "rotating-a-ca",
    ]);
    expect(examples.filter((example) => example.runtime === "deno").length).toBeGreaterThanOrEqual(2);
  });

  it.concurrent.each(examples.map((example) => [example.name, example] as const))(
    "%s prints its .out",
    async (_name, example) => {
      const result = await runExample(example);
      expect(result.code, `${example.name} failed:\n${result.stderr}`).toBe(0);
      if (update) {
        writeFileSync(example.outPath, result.masked);
        return;
      }
      const expected = expectedOutput(example);
      expect(expected, `no ${outName(example)}: run with UPDATE_EXAMPLES=1 to create it`).toBeDefined();
      expect(result.masked, `${example.name} no longer prints ${outName(example)}`).toBe(expected);
    },
    45_000,
  );

  it("masks what changes between runs and nothing else", () => {
    const text = [
      "serial 7f3a9c0e11d2b4a5c6e7f8091a2b3c4d, fingerprint AB:CD:EF:01:23:45:67:89:AB",
      "Nov 28, 2027 16:36 UTC   364d   2036-11-25   2025-01-01T00:00:00.000Z   took 12.5 ms",
      "-----BEGIN CERTIFICATE-----\nMIIBkTCCATegAwIBAgIQ\n-----END CERTIFICATE-----",
      `client-key-data: ${"QUJD".repeat(15)}=  in ${EXAMPLES}/x`,
      "/CN=kube-apiserver DNS:kubernetes.default.svc IP:10.96.0.1 365 days",
    ].join("\n");
    expect(mask(text, EXAMPLES)).toBe(
      [
        "serial <hex>, fingerprint <hex>",
        "<date>   364d   <date>   <date>   took <time>",
        "-----BEGIN CERTIFICATE-----<pem>\n-----END CERTIFICATE-----",
        "client-key-data: <base64>  in <tmp>/x",
        "/CN=kube-apiserver DNS:kubernetes.default.svc IP:10.96.0.1 365 days",
      ].join("\n"),
    );
  });
});
