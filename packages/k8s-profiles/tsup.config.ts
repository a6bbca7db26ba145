import { readdirSync } from "node:fs";
import { defineConfig } from "tsup";

// ESM is published one file per source module, so a bundler that honours `"sideEffects": false`
// keeps only what a caller reaches: the presets and planCluster without generate/audit and their
// share of core's ASN.1 code (benchmarks/size budget: 8 KB gz). CJS stays one bundled file.
const modules = readdirSync("src", { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".ts"))
  .map((file) => `src/${file}`);

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  // tsup's dts step sets baseUrl to the package directory when none is given, which breaks the
  // root-relative `paths` of tsconfig.base.json; resolving them from the root lets the declarations
  // build against core's sources without building core first (the import stays external).
  dts: { entry: "src/index.ts", compilerOptions: { baseUrl: "../.." } },
  clean: true,
  target: "es2022",
  platform: "neutral",
  // @kubepki/core is a dependency, so tsup leaves it external; said here so nobody bundles it by accident.
  external: ["@kubepki/core"],
  esbuildOptions(options, { format }) {
    if (format === "esm") {
      options.bundle = false;
      options.entryPoints = modules;
    }
  },
});
