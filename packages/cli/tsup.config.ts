import { defineConfig } from "tsup";

export default defineConfig([
  {
    // The library API (`main`, `writeTree`, `readTree`): the sibling packages stay dependencies.
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    // dist/ is emptied by the build script: two configs share it, so neither may clean it.
    treeshake: true,
    target: "node20",
    platform: "node",
  },
  {
    // The bin, ESM only. Commands are imported on demand (main.ts), and the libraries and `yaml`
    // are bundled in from their one-file-per-module ESM builds (`import`/`default` conditions, not
    // the `node` one), so each command's chunks hold only the modules it reaches: `--help` and
    // `plan` load no key, certificate or ASN.1 code, `init` no parser, and a few files instead of
    // ~80 (yaml's CJS build alone took ~40 ms to load). `@peculiar/*` stays external: one copy of
    // asn1-schema for the workspace (a dependency of this package for that reason).
    // test/command-modules.test.ts checks what each command loads.
    entry: { bin: "src/bin.ts" },
    format: ["esm"],
    splitting: true,
    target: "node20",
    platform: "neutral",
    noExternal: [/^@kubepki\//, "yaml", "fflate", "nanotar"],
    external: [/^node:/, /^@peculiar\//],
    esbuildOptions(options) {
      options.conditions = ["import", "default"];
    },
    banner: { js: "#!/usr/bin/env node" },
  },
]);
