/**
 * What Node loads when a program imports kubepki. Node loads every module an entry imports,
 * used or not, so the lean entries (`@kubepki/core/issue`, `@kubepki/k8s-profiles/generate`) are
 * what a generating program imports to start fast (benchmarks/README.md, whole-process times).
 * These checks keep them lean: no `@peculiar/*` (the certificate parser) and no `yaml`, and
 * the same values as the main entries. They run the built dist/ (`pnpm -r build` first), in a
 * child Node with a resolve hook that reports every module (loaded-modules.mjs).
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const PACKAGES = fileURLToPath(new URL("../../packages/", import.meta.url));

interface Loaded {
  importMs: number;
  exports: string[];
  urls: string[];
}

function loadedBy(entry: string): Promise<Loaded> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [`${HERE}loaded-modules.mjs`, `${PACKAGES}${entry}`],
      { timeout: 30_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });
}

const packagesOf = (urls: string[]) =>
  [...new Set(urls.map((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(url)?.[1]))]
    .filter((name): name is string => name !== undefined)
    .sort();

const PARSER_OR_YAML = /^(@peculiar\/|yaml$)/;

describe("lean entries: what Node loads at import", () => {
  it("@kubepki/k8s-profiles/generate loads neither the certificate parser nor yaml; the main entry does", async () => {
    const lean = await loadedBy("k8s-profiles/dist/generate-entry.js");
    const full = await loadedBy("k8s-profiles/dist/index.js");
    expect(packagesOf(lean.urls).filter((name) => PARSER_OR_YAML.test(name))).toEqual([]);
    expect(lean.urls.some((url) => url.includes("/packages/core/dist/certificate/parse.js"))).toBe(false);
    // The check can see them: the main entry loads both.
    expect(packagesOf(full.urls).filter((name) => PARSER_OR_YAML.test(name))).toEqual([
      "@peculiar/asn1-schema",
      "yaml",
    ]);
    expect(lean.exports).toContain("generateCluster");
    expect(lean.exports).toContain("planCluster");
    expect(lean.exports.every((name) => full.exports.includes(name))).toBe(true);
  });

  it("@kubepki/core/issue loads no @peculiar package; the main entry does", async () => {
    const lean = await loadedBy("core/dist/issue.js");
    const full = await loadedBy("core/dist/index.js");
    expect(packagesOf(lean.urls).filter((name) => PARSER_OR_YAML.test(name))).toEqual([]);
    expect(packagesOf(full.urls)).toContain("@peculiar/asn1-schema");
    expect(lean.exports).toEqual(
      full.exports.filter(
        (name) =>
          !["keyMatchesCertificate", "parseCertificate", "parseCertificates", "parseCsr", "verifyCsr"].includes(name),
      ),
    );
  });

  // Same objects, so `instanceof KubepkiError` holds whichever entry threw (CJS shares chunks).
  it("the lean entries hand out the very same values as the main ones, in ESM and in CJS", async () => {
    const pairs = [
      ["core/dist/issue", "core/dist/index"],
      ["k8s-profiles/dist/generate-entry", "k8s-profiles/dist/index"],
    ] as const;
    const require = createRequire(import.meta.url);
    for (const [leanPath, fullPath] of pairs) {
      const esm = [await import(`${PACKAGES}${leanPath}.js`), await import(`${PACKAGES}${fullPath}.js`)];
      const cjs = [require(`${PACKAGES}${leanPath}.cjs`), require(`${PACKAGES}${fullPath}.cjs`)];
      for (const [lean, full] of [esm, cjs]) {
        for (const name of Object.keys(lean)) expect(lean[name], `${leanPath} ${name}`).toBe(full[name]);
      }
      expect(Object.keys(cjs[0]).length).toBeGreaterThan(20);
    }
  });
});
