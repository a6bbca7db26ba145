import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

async function bundle(contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: SRC, loader: "ts" },
    bundle: true,
    minify: true,
    write: false,
    format: "esm",
    platform: "browser",
    metafile: true,
    alias: { "@kubepki/renderers": join(SRC, "index.ts") },
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.text;
  // Modules that actually contribute bytes (the metafile lists every resolved module, even tree-shaken ones).
  const output = Object.values(result.metafile.outputs)[0]!;
  const inputs = Object.entries(output.inputs)
    .filter(([, info]) => info.bytesInOutput > 0)
    .map(([path]) => path);
  return { code, gzip: gzipSync(code).length, inputs };
}

describe("bundle", () => {
  it("renderKubeconfig alone: no ASN.1 / @peculiar code, ≤ 20 KB gzipped", async () => {
    const { code, gzip, inputs } = await bundle(
      'import { renderKubeconfig } from "@kubepki/renderers"; console.log(renderKubeconfig);',
    );
    expect(code).not.toMatch(/asn1|@peculiar/i);
    expect(inputs.filter((i) => /asn1|@peculiar|packages\/core/.test(i))).toEqual([]);
    // The parser side of `yaml` and the other renderers are tree-shaken away.
    expect(inputs.some((i) => i.includes("kubeconfig/parse"))).toBe(false);
    expect(inputs.some((i) => i.includes("openssl/"))).toBe(false);
    expect(gzip).toBeLessThanOrEqual(20 * 1024);
  });

  it("the whole package bundles for the browser (no Node built-ins) without @kubepki/core", async () => {
    const { code, inputs } = await bundle('export * from "@kubepki/renderers";');
    expect(code).not.toMatch(/asn1|@peculiar/i);
    expect(inputs.filter((i) => /packages\/core|node:/.test(i))).toEqual([]);
  });

  it("src/ uses no Node built-ins, Buffer or process", async () => {
    const files = (await readdir(SRC, { recursive: true })).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = (await readFile(join(SRC, file), "utf8"))
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/(^|\s)\/\/.*$/gm, "");
      expect(text, file).not.toMatch(/from\s+["']node:|require\(|\bBuffer\b|\bprocess\./);
      expect(text, file).not.toMatch(/(from\s+|import\()["']@kubepki\/core/);
    }
  });
});
