import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    // dist/ is emptied by the build script: two configs share it, so neither may clean it.
    treeshake: true,
    target: "node20",
    platform: "node",
  },
  {
    // The bin is ESM only; commands are split out and imported on demand so `kubepki --help`
    // never loads the crypto stack.
    entry: { bin: "src/bin.ts" },
    format: ["esm"],
    splitting: true,
    treeshake: true,
    target: "node20",
    platform: "node",
    banner: { js: "#!/usr/bin/env node" },
  },
]);
