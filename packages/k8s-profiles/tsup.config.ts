import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  treeshake: true,
  target: "es2022",
  platform: "neutral",
  // @kubepki/core is a dependency, so tsup leaves it external; said here so nobody bundles it by accident.
  external: ["@kubepki/core"],
});
