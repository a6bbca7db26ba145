import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  // tsup's dts step sets baseUrl to the package directory when none is given, which breaks the
  // root-relative `paths` of tsconfig.base.json; resolving them from the root lets the declarations
  // build against core's sources without building core first (the import stays external).
  dts: { compilerOptions: { baseUrl: "../.." } },
  clean: true,
  treeshake: true,
  target: "es2022",
  platform: "neutral",
  // @kubepki/core is a dependency, so tsup leaves it external; said here so nobody bundles it by accident.
  external: ["@kubepki/core"],
});
