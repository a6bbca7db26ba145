import { readdirSync } from "node:fs";
import { defineConfig } from "tsup";

// ESM is published one file per source module, so a bundler that honours `"sideEffects": false`
// drops the renderers a caller does not import (module-level tables such as KNOWN_FLAGS included);
// one bundled dist/index.js kept them (benchmarks/size). CJS stays one bundled file.
const modules = readdirSync("src", { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".ts"))
  .map((file) => `src/${file}`);

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: { entry: "src/index.ts" },
  clean: true,
  target: "es2022",
  platform: "neutral",
  esbuildOptions(options, { format }) {
    if (format === "esm") {
      options.bundle = false;
      options.entryPoints = modules;
    }
  },
});
