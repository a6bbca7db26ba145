import { readdirSync } from "node:fs";
import { build, defineConfig, type Options } from "tsup";

/**
 * The build of the three libraries (core, renderers, k8s-profiles), shared so the packaging
 * rules live once. ESM is published one file per source module (jose's layout): a bundler that
 * honours `"sideEffects": false` then drops every module a caller does not reach — and with it the
 * ASN.1 packages they import, which carry no such flag. One bundled dist/index.js kept them all:
 * importing `isIp` cost ~40 KB gz, presets + planCluster 42 KB (benchmarks/size). CJS is bundled
 * (a file per entry, shared chunks); `require` loads it all anyway. Types: a .d.ts / .d.cts per entry.
 *
 * A package may have subpath entries besides `index` (core's `issue`, k8s-profiles' `generate`:
 * the same API without the modules that load the parser and yaml, which Node would load at
 * import). In ESM they are just more modules of the same tree; in CJS the entries share their
 * code through chunks (`splitting`), so `KubepkiError` of one entry is `KubepkiError` of the other.
 *
 * Node gets its own ESM build, `dist/node/` (the `"node"` export condition): each entry bundled
 * into one file, entries sharing chunks, dependencies external. Node's ESM loader costs ~1.3 ms per
 * module on a small machine whatever its size, so the one-file-per-module layout that bundlers
 * need made `import "@kubepki/k8s-profiles/generate"` take ~70 ms; bundled, ~10-15 ms
 * (benchmarks/startup). Browser bundlers do not match `"node"` and keep tree-shaking the modules.
 *
 * tsup's dts step sets baseUrl to the package directory when none is given, which breaks the
 * root-relative `paths` of tsconfig.base.json; resolving them from the root lets a package's
 * declarations build against its siblings' sources without building them first (the imports
 * stay external: workspace dependencies are never bundled).
 */
export function libraryConfig(entries: readonly string[] = ["index"]): Options {
  const modules = readdirSync("src", { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => `src/${file}`);
  const entry = entries.map((name) => `src/${name}.ts`);
  return {
    entry,
    format: ["esm", "cjs"],
    splitting: true,
    dts: { entry, compilerOptions: { baseUrl: "../.." } },
    clean: true,
    target: "es2022",
    platform: "neutral",
    external: [/^@kubepki\//],
    // After the main build (which cleans dist/), the Node build; sequential, so nothing races the clean.
    async onSuccess() {
      await build({
        config: false,
        entry,
        format: ["esm"],
        outDir: "dist/node",
        splitting: true,
        target: "es2022",
        platform: "neutral",
        external: [/^@kubepki\//],
        dts: false,
        clean: false,
        silent: true,
      });
    },
    esbuildOptions(options, { format }) {
      if (format === "esm") {
        options.bundle = false;
        options.entryPoints = modules;
      }
    },
  };
}

export default defineConfig(libraryConfig());
