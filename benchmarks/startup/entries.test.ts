/**
 * What Node loads when a program imports kubepki. Node loads every module an entry imports,
 * used or not, and its ESM loader costs about a millisecond per module, so (1) Node resolves the
 * packages to their bundled build, dist/node/ (the "node" export condition: a few files instead
 * of one per module), and (2) the lean entries (`@kubepki/core/issue`,
 * `@kubepki/k8s-profiles/generate`) are what a generating program imports to start fast
 * (benchmarks/README.md, whole-process times). These checks keep it so: the resolution, no
 * `@peculiar/*` (the certificate parser) and no `yaml` behind the lean entries, a handful of
 * files, and the same values as the main entries. They run the built dist/ (`pnpm -r build`
 * first), in a child Node with a resolve hook that reports every module (loaded-modules.mjs).
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

function node(args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: 30_000, cwd }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

const loadedBy = async (entry: string): Promise<Loaded> =>
  JSON.parse(await node([`${HERE}loaded-modules.mjs`, `${PACKAGES}${entry}`]));

const packagesOf = (urls: string[]) =>
  [...new Set(urls.map((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(url)?.[1]))]
    .filter((name): name is string => name !== undefined)
    .sort();

const PARSER_OR_YAML = /^(@peculiar\/|yaml$)/;

describe("lean entries: what Node loads at import", () => {
  it("Node resolves every entry to the bundled build in dist/node/", async () => {
    // From inside the workspace, as a dependent package resolves its dependencies.
    const specifiers = ["@kubepki/core", "@kubepki/core/issue", "@kubepki/renderers"];
    const script = `for (const s of ${JSON.stringify(specifiers)}) console.log(import.meta.resolve(s));`;
    const resolved = await node(["--input-type=module", "-e", script], `${PACKAGES}k8s-profiles`);
    expect(resolved.trim().split("\n")).toEqual([
      `file://${PACKAGES}core/dist/node/index.js`,
      `file://${PACKAGES}core/dist/node/issue.js`,
      `file://${PACKAGES}renderers/dist/node/index.js`,
    ]);
    const own = await node(
      ["--input-type=module", "-e", script.replace(/\[.*\]/, '["@kubepki/k8s-profiles/generate"]')],
      `${PACKAGES}cli`,
    );
    expect(own.trim()).toBe(`file://${PACKAGES}k8s-profiles/dist/node/generate-entry.js`);
  });

  it("@kubepki/k8s-profiles/generate loads neither the certificate parser nor yaml; the main entry does", async () => {
    const lean = await loadedBy("k8s-profiles/dist/node/generate-entry.js");
    const full = await loadedBy("k8s-profiles/dist/node/index.js");
    expect(packagesOf(lean.urls).filter((name) => PARSER_OR_YAML.test(name))).toEqual([]);
    // Bundled: the entry and its chunks (shared with the plan and files entries), core's issue
    // and names entries and their chunks (four since core has four entries: 10 files, 17.8 ms to
    // import on 2026-12-07, the same as with one chunk fewer).
    expect(lean.urls.length).toBeLessThanOrEqual(10);
    // The per-module build (what bundlers get) is lean too.
    const perModule = await loadedBy("k8s-profiles/dist/generate-entry.js");
    expect(packagesOf(perModule.urls).filter((name) => PARSER_OR_YAML.test(name))).toEqual([]);
    // The check can see them: the main entry loads both.
    expect(packagesOf(full.urls).filter((name) => PARSER_OR_YAML.test(name))).toEqual([
      "@peculiar/asn1-schema",
      "yaml",
    ]);
    expect(lean.exports).toContain("generateCluster");
    expect(lean.exports).toContain("planCluster");
    expect(lean.exports.every((name) => full.exports.includes(name))).toBe(true);
  });

  it("@kubepki/k8s-profiles/plan and @kubepki/core/names load no crypto, parser or yaml; /files no parser", async () => {
    for (const entry of ["k8s-profiles/dist/node/plan-entry.js", "core/dist/node/names-entry.js"]) {
      const lean = await loadedBy(entry);
      expect(packagesOf(lean.urls), entry).toEqual([]);
      expect(
        lean.urls.filter((url) => /\/(issue|generate-entry)\.js$/.test(url)),
        entry,
      ).toEqual([]);
    }
    const files = await loadedBy("k8s-profiles/dist/node/files-entry.js");
    expect(packagesOf(files.urls)).toEqual(["yaml"]);
    // Issue 21: the per-node layout is in the same entry (a browser makes the same folders).
    // Issue 23: so is the trust graph's input (its flags come from the flag renderers, as the files').
    expect(files.exports).toEqual([
      "ADMIN_DIR",
      "DEFAULT_KUBERNETES_VERSION",
      "NODE_FLAGS_DIR",
      "graphPlan",
      "toKubeadmFiles",
      "toNodeFiles",
    ]);
  });

  it("@kubepki/core/issue loads no @peculiar package; the main entry does", async () => {
    const lean = await loadedBy("core/dist/node/issue.js");
    const full = await loadedBy("core/dist/node/index.js");
    expect(packagesOf(lean.urls).filter((name) => PARSER_OR_YAML.test(name))).toEqual([]);
    expect(packagesOf(full.urls)).toContain("@peculiar/asn1-schema");
    expect(lean.exports).toEqual(
      full.exports.filter(
        (name) =>
          ![
            "keyMatchesCertificate",
            "parseCertificate",
            "parseCertificates",
            "parseCsr",
            "verifyCsr",
            // Issue 20: key encryption is for the offline side (ca init, --encrypt-ca-keys), not issuing.
            "decryptPrivateKeyPem",
            "encryptPrivateKeyPem",
          ].includes(name),
      ),
    );
  });

  // Same objects, so `instanceof KubepkiError` holds whichever entry threw (CJS shares chunks).
  it("the lean entries hand out the very same values as the main ones, in ESM and in CJS", async () => {
    const pairs = [
      ["core/dist/issue", "core/dist/index"],
      ["core/dist/node/issue", "core/dist/node/index"],
      ["k8s-profiles/dist/generate-entry", "k8s-profiles/dist/index"],
      ["k8s-profiles/dist/node/generate-entry", "k8s-profiles/dist/node/index"],
      ["core/dist/names-entry", "core/dist/index"],
      ["core/dist/node/names-entry", "core/dist/node/index"],
      ["k8s-profiles/dist/plan-entry", "k8s-profiles/dist/index"],
      ["k8s-profiles/dist/node/plan-entry", "k8s-profiles/dist/node/index"],
      ["k8s-profiles/dist/node/files-entry", "k8s-profiles/dist/node/index"],
    ] as const;
    const require = createRequire(import.meta.url);
    for (const [leanPath, fullPath] of pairs) {
      const esm = [await import(`${PACKAGES}${leanPath}.js`), await import(`${PACKAGES}${fullPath}.js`)];
      const builds = [esm];
      if (!leanPath.includes("/node/")) {
        builds.push([require(`${PACKAGES}${leanPath}.cjs`), require(`${PACKAGES}${fullPath}.cjs`)]);
      }
      for (const [lean, full] of builds) {
        for (const name of Object.keys(lean)) expect(lean[name], `${leanPath} ${name}`).toBe(full[name]);
      }
      // files-entry has the one function; names-entry 17 values; the others more than 20.
      const least = leanPath.endsWith("files-entry") ? 0 : leanPath.endsWith("names-entry") ? 10 : 20;
      expect(Object.keys(esm[0]).length).toBeGreaterThan(least);
    }
  });
});
