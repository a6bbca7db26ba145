// Every exported symbol has TSDoc with an @example, and every example runs: its `console.log(x); // y`
// lines are checked, so the documentation cannot drift from the code.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as main from "../src/index.js";
import * as svg from "../src/svg.js";

// The main entry and the `svg` subpath, as the examples import them.
const lib = { ...main, ...svg };

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

function examples(): { where: string; code: string }[] {
  const found: { where: string; code: string }[] = [];
  for (const file of readdirSync(SRC, { recursive: true }) as string[]) {
    if (!file.endsWith(".ts")) continue;
    const text = readFileSync(join(SRC, file), "utf8");
    for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
      const body = comment[0]
        .split("\n")
        .map((line) => line.replace(/^\s*\/?\*\*?\/? ?/, ""))
        .join("\n");
      for (const block of body.matchAll(/@example\s*\n```ts\n([\s\S]*?)```/g)) {
        const line = text.slice(0, comment.index).split("\n").length;
        found.push({ where: `${file}:${line}`, code: block[1]! });
      }
    }
  }
  return found;
}

function runExample(code: string): { logs: unknown[]; expected: string[] } {
  const expected: string[] = [];
  for (const line of code.split("\n")) {
    const m = /console\.log\(.*\);\s*\/\/ (.*)$/.exec(line);
    if (/console\.log\(/.test(line)) expected.push(m ? m[1]!.trim() : "");
  }
  const body = code
    .replace(/^import type .*$/gm, "")
    .replace(/^import \{([^}]*)\} from "@kubepki\/renderers(?:\/svg)?";$/gm, (_m, names: string) => {
      const values = names
        .split(",")
        .map((n) => n.trim())
        .filter((n) => n && !n.startsWith("type "));
      return `const { ${values.join(", ")} } = lib;`;
    });
  const js = ts.transpileModule(body, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None },
  }).outputText;
  const logs: unknown[] = [];
  new Function("lib", "console", js)(lib, { log: (value: unknown) => logs.push(value), error: () => {} });
  return { logs, expected };
}

describe("TSDoc examples", () => {
  const all = examples();

  it("there is one per exported symbol (checked with the TypeScript compiler)", () => {
    const program = ts.createProgram([join(SRC, "index.ts")], {
      target: ts.ScriptTarget.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      module: ts.ModuleKind.ESNext,
    });
    const checker = program.getTypeChecker();
    const index = program.getSourceFile(join(SRC, "index.ts"))!;
    const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(index)!);
    expect(exports.length).toBeGreaterThan(40);
    const missing = exports
      .filter((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return !(target.declarations ?? []).some((decl) =>
          ts.getJSDocTags(decl).some((tag) => tag.tagName.text === "example"),
        );
      })
      .map((s) => s.name);
    expect(missing).toEqual([]);
  });

  for (const example of all) {
    it(`${example.where} runs and logs what it says`, () => {
      const { logs, expected } = runExample(example.code);
      expect(logs.length).toBe(expected.length);
      expected.forEach((text, i) => {
        if (text !== "") expect(logs[i], text).toEqual(new Function(`return (${text});`)());
      });
    });
  }
});
