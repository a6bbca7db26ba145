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
    entry: { bin: "src/bin.ts" },
    format: ["esm"],
    splitting: true,
    target: "node20",
    platform: "neutral",
    noExternal: [/^@kubepki\//, "yaml"],
    external: [/^node:/, /^@peculiar\//],
    esbuildOptions(options) {
      options.conditions = ["import", "default"];
      options.metafile = true;
    },
    metafile: true,
    banner: { js: "#!/usr/bin/env node" },
  },
]);
