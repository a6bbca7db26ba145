// Runs every TSDoc @example of src/ and checks each `console.log(...) // expected` comment, so the
// documentation cannot drift from the code. (Node built-ins are fine in tests, not in src/.)
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as core from "@kubepki/core";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { statedValues } from "../../core/test/helpers/tsdoc-examples.js";
import * as archive from "../src/archive-entry.js";
import * as index from "../src/index.js";

// The main entry and the subpath entries whose exports are not in it (`/archive`).
const lib = { ...index, ...archive };

const srcDir = fileURLToPath(new URL("../src/", import.meta.url));

interface Example {
  file: string;
  index: number;
  code: string;
}

function examples(): Example[] {
  const found: Example[] = [];
  for (const file of readdirSync(srcDir, { recursive: true, encoding: "utf8" }).filter((name) =>
    name.endsWith(".ts"),
  )) {
    const text = readFileSync(srcDir + file, "utf8");
    let index = 0;
    for (const match of text.matchAll(
      /@example\s*\n((?:\s*\*.*\n)*?)\s*\*\/|@example\s*\n((?:\s*\*.*\n)*?)\s*\*\s*@/g,
    )) {
      const body = (match[1] ?? match[2] ?? "")
        .split("\n")
        .map((line) => line.replace(/^\s*\* ?/, ""))
        .join("\n");
      const code = /```ts\n([\s\S]*?)```/.exec(body)?.[1];
      if (code) found.push({ file, index: index++, code });
    }
  }
  return found;
}

/** Splits the example into code and the expected values of its console.log calls, in order. */
function expectations(code: string): string[] {
  const lines = code.split("\n");
  const expected: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!/console\.log\(/.test(line)) continue;
    let comment = /\)\s*;\s*\/\/ (.*)$/.exec(line)?.[1] ?? "";
    while (/^\s*\/\/ /.test(lines[i + 1] ?? "")) comment += ` ${(lines[++i] as string).replace(/^\s*\/\/ /, "")}`;
    expected.push(comment.trim());
  }
  return expected;
}

function run(code: string): unknown[][] {
  const logs: unknown[][] = [];
  const body = code
    .replace(/^import type .*$/gm, "")
    .replace(
      /^import \{([^}]*)\} from "@kubepki\/k8s-profiles(?:\/archive)?";$/gm,
      (_m, names: string) => `const {${names.replace(/\btype \w+,?/g, "")}} = lib;`,
    )
    .replace(
      /^import \{([^}]*)\} from "@kubepki\/core";$/gm,
      (_m, names: string) => `const {${names.replace(/\btype \w+,?/g, "")}} = core;`,
    );
  const js = ts.transpileModule(body, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None },
  }).outputText;
  new Function("lib", "core", "console", js)(lib, core, { log: (...args: unknown[]) => logs.push(args) });
  return logs;
}

const all = examples();

describe("TSDoc examples", () => {
  it("every export of the index has TSDoc with an @example", () => {
    // The CIDR functions are core's vocabulary, re-exported: their TSDoc (and examples) are there.
    const vocabularyDir = fileURLToPath(new URL("../../core/src/vocabulary/", import.meta.url));
    const sources = [srcDir, vocabularyDir]
      .flatMap((dir) =>
        readdirSync(dir, { recursive: true, encoding: "utf8" })
          .filter((name) => name.endsWith(".ts"))
          .map((name) => readFileSync(dir + name, "utf8")),
      )
      .join("\n");
    const missing = Object.keys(lib).filter((name) => {
      const doc = new RegExp(
        `/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*export (?:const|function|type|interface|class) ${name}\\b`,
      ).exec(sources);
      return !doc?.[1]?.includes("@example");
    });
    expect(missing).toEqual([]);
    // Type-only exports are erased from `lib`; count their examples too.
    expect(all.length).toBeGreaterThan(Object.keys(lib).length);
  });

  for (const example of all) {
    it(`${example.file} #${example.index}`, () => {
      const logs = run(example.code);
      const expected = expectations(example.code);
      expect(logs).toHaveLength(expected.length);
      expected.forEach((text, i) => {
        if (text === "") return;
        // The comment lists the logged values as JS literals separated by spaces, one per argument.
        expect(logs[i]).toEqual(statedValues(text));
      });
    });
  }
});
