import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const VOCABULARY = fileURLToPath(new URL("../../core/src/vocabulary/", import.meta.url));

// The renderers may import one part of core, its vocabulary (errors, IP/CIDR, DNS names, key
// usages, base64): any other core module, or ASN.1 or crypto code, in a bundle is a leak.
const CORE_OUTSIDE_VOCABULARY = /packages\/core\/(?!src\/vocabulary\/)/;
const ASN1 = /asn1|@peculiar/i;
const CRYPTO = /\bsubtle\b|getRandomValues|randomUUID|importKey|generateKey/;

async function bundle(contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: SRC, loader: "ts" },
    bundle: true,
    minify: true,
    write: false,
    format: "esm",
    platform: "browser",
    metafile: true,
    alias: { "@kubepki/renderers": join(SRC, "index.ts"), "@kubepki/core/vocabulary": join(VOCABULARY, "index.ts") },
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
    expect(code).not.toMatch(ASN1);
    expect(code).not.toMatch(CRYPTO);
    expect(inputs.filter((i) => ASN1.test(i) || CORE_OUTSIDE_VOCABULARY.test(i))).toEqual([]);
    // The parser side of `yaml` and the other renderers are tree-shaken away.
    expect(inputs.some((i) => i.includes("kubeconfig/parse"))).toBe(false);
    expect(inputs.some((i) => i.includes("openssl/"))).toBe(false);
    expect(gzip).toBeLessThanOrEqual(20 * 1024);
  });

  it("the whole package bundles for the browser (no Node built-ins) with no core but its vocabulary", async () => {
    const { code, inputs } = await bundle('export * from "@kubepki/renderers";');
    expect(code).not.toMatch(ASN1);
    expect(code).not.toMatch(CRYPTO);
    expect(inputs.filter((i) => CORE_OUTSIDE_VOCABULARY.test(i) || /node:/.test(i))).toEqual([]);
    // The check can see the vocabulary: the errors and the IP/CIDR reader come from there.
    expect(inputs.some((i) => i.includes("core/src/vocabulary/errors.ts"))).toBe(true);
    expect(inputs.some((i) => i.includes("core/src/vocabulary/cidr.ts"))).toBe(true);
  });

  it("the check for crypto and ASN.1 code sees them in core's main entry", async () => {
    const { code } = await bundle(
      'import { generateKeyPair, parseCertificate } from "../../core/src/index.ts"; console.log(generateKeyPair, parseCertificate);',
    );
    expect(code).toMatch(CRYPTO);
    expect(code).toMatch(ASN1);
  });

  it("src/ uses no Node built-ins, Buffer or process", async () => {
    const files = (await readdir(SRC, { recursive: true })).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = (await readFile(join(SRC, file), "utf8"))
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/(^|\s)\/\/.*$/gm, "");
      expect(text, file).not.toMatch(/from\s+["']node:|require\(|\bBuffer\b|\bprocess\./);
      // Of core, only the dependency-free vocabulary subpath.
      expect(text, file).not.toMatch(/(from\s+|import\()["']@kubepki\/core(?!\/vocabulary["'])/);
    }
  });
});
