import { readdirSync } from "node:fs";
import { defineConfig } from "tsup";

// ESM is published one file per source module (jose's layout), so a bundler that honours
// `"sideEffects": false` drops every module a caller does not reach — and the ASN.1 packages they
// import, which carry no such flag. One bundled dist/index.js would keep them all: importing `isIp`
// cost ~40 KB gz (benchmarks/size). CJS stays one bundled file; `require` loads it all anyway.
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
