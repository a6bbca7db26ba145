/**
 * `@kubepki/core/vocabulary` (issue 17): the words every package shares, in one dependency-free
 * place. Its modules import nothing but each other (no ASN.1, no crypto, no other core module),
 * the main entry hands out the very same values, and the built subpath resolves in ESM, in Node's
 * bundled build and in CJS to one `KubepkiError` per build.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as main from "../src/index.js";
import * as vocabulary from "../src/vocabulary/index.js";

const DIR = fileURLToPath(new URL("../src/vocabulary/", import.meta.url));
const PACKAGE = fileURLToPath(new URL("../", import.meta.url));

describe("the vocabulary is dependency-free", () => {
  it("its modules import only each other", () => {
    const files = readdirSync(DIR).filter((file) => file.endsWith(".ts"));
    expect(files.sort()).toEqual([
      "base64.ts",
      "certificate-purpose.ts",
      "cidr.ts",
      "dns-name.ts",
      "errors.ts",
      "index.ts",
      "ip.ts",
      "key-usages.ts",
      "subject-alt-name.ts",
    ]);
    for (const file of files) {
      const text = readFileSync(`${DIR}${file}`, "utf8");
      const specifiers = [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
      for (const specifier of specifiers) expect(specifier, file).toMatch(/^\.\/[a-z0-9-]+\.js$/);
      expect(text, file).not.toMatch(/\bimport\(|crypto\.|subtle/);
    }
  });
});

describe("one vocabulary, the same values everywhere", () => {
  // Base64 is the packages' internal plumbing: the subpath has it, the main entry never did.
  const BASE64 = ["fromBase64", "fromBase64Url", "fromGoBase64", "toBase64", "toBase64Lines", "toBase64Url"];

  it("the main entry re-exports every word of the vocabulary (base64 apart), the same objects", () => {
    // Whole-module views as plain records (the test looks every name up).
    const fromMain: Record<string, unknown> = { ...main };
    const fromVocabulary: Record<string, unknown> = { ...vocabulary };
    const words = Object.keys(fromVocabulary).filter((name) => !BASE64.includes(name));
    expect(words.length).toBeGreaterThan(15);
    for (const name of words) expect(fromMain[name], name).toBe(fromVocabulary[name]);
    for (const name of BASE64) expect(name in main, name).toBe(false);
  });

  it("the built subpath resolves for import (bundled for Node, per module otherwise) and require", async () => {
    const require = createRequire(import.meta.url);
    const builds = [
      [await import(`${PACKAGE}dist/node/vocabulary/index.js`), await import(`${PACKAGE}dist/node/index.js`)],
      [await import(`${PACKAGE}dist/vocabulary/index.js`), await import(`${PACKAGE}dist/index.js`)],
      [require(`${PACKAGE}dist/vocabulary/index.cjs`), require(`${PACKAGE}dist/index.cjs`)],
    ];
    for (const [subpath, full] of builds) {
      expect(subpath.KubepkiError).toBe(full.KubepkiError);
      expect(subpath.parseCidr).toBe(full.parseCidr);
    }
    const manifest = require(`${PACKAGE}package.json`);
    expect(manifest.exports["./vocabulary"].import.node).toBe("./dist/node/vocabulary/index.js");
    expect(manifest.typesVersions["*"].vocabulary).toEqual(["./dist/vocabulary/index.d.ts"]);
  });
});
