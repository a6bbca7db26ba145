import { readdirSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

/**
 * The build of the three libraries (core, renderers, k8s-profiles), shared so the packaging
 * rules live once. ESM is published one file per source module (jose's layout): a bundler that
 * honours `"sideEffects": false` then drops every module a caller does not reach — and with it the
 * ASN.1 packages they import, which carry no such flag. One bundled dist/index.js kept them all:
 * importing `isIp` cost ~40 KB gz, presets + planCluster 42 KB (benchmarks/size). CJS stays one
 * bundled file; `require` loads it all anyway. Types: one index.d.ts / index.d.cts.
 *
 * tsup's dts step sets baseUrl to the package directory when none is given, which breaks the
 * root-relative `paths` of tsconfig.base.json; resolving them from the root lets a package's
 * declarations build against its siblings' sources without building them first (the imports
 * stay external: workspace dependencies are never bundled).
 */
export function libraryConfig(): Options {
  const modules = readdirSync("src", { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => `src/${file}`);
  return {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: { entry: "src/index.ts", compilerOptions: { baseUrl: "../.." } },
    clean: true,
    target: "es2022",
    platform: "neutral",
    external: [/^@kubepki\//],
    esbuildOptions(options, { format }) {
      if (format === "esm") {
        options.bundle = false;
        options.entryPoints = modules;
      }
    },
  };
}

export default defineConfig(libraryConfig());
