// Finds, type-checks and runs the TSDoc `@example` blocks of a package's sources, so that the
// documentation cannot drift from the code. Used by the core and cli example tests.
//
// An example is a ```ts block after `@example`. It is type-checked against the package's
// tsconfig (the `paths` map `@kubepki/*` to the sources), then transpiled and run as the body of
// an async function, its imports served by a loader the test gives. Each `console.log(...)`
// states what it prints in a `// …` comment on the same line, or on the `//` lines right below
// it: JS literals separated by spaces, one per argument (`Uint8Array [1, 2]` for bytes). A
// console.log without such a comment is run but not checked.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

export interface TsdocExample {
  /** Where the TSDoc comment starts, e.g. `certificate/issue.ts:23` (relative to the sources). */
  readonly where: string;
  /** The absolute path of the source file. */
  readonly file: string;
  /** The code of the ```ts block; `undefined` when the `@example` has no ```ts block. */
  readonly code: string | undefined;
}

/** Every `@example` in the TSDoc comments of the `.ts` files under `srcDir`, in file order. */
export function findExamples(srcDir: string): TsdocExample[] {
  const found: TsdocExample[] = [];
  const files = (readdirSync(srcDir, { recursive: true }) as string[]).filter((name) => name.endsWith(".ts")).sort();
  for (const name of files) {
    const file = join(srcDir, name);
    const text = readFileSync(file, "utf8");
    for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
      const body = comment[0]
        .split("\n")
        .map((line) => line.replace(/^\s*\/?\*\*?\/? ?/, ""))
        .join("\n");
      const line = text.slice(0, comment.index).split("\n").length;
      // Each @example runs up to the next block tag (a line starting with @) or the end.
      const tags = body.split(/^@example\b/m).slice(1);
      tags.forEach((tag, i) => {
        const section = tag.split(/^@\w+/m)[0] ?? "";
        const code = /^```ts\n([\s\S]*?)^```/m.exec(section.replace(/^[^\n]*\n/, ""))?.[1];
        const where = `${name.split("\\").join("/")}:${line}${tags.length > 1 ? ` #${i + 1}` : ""}`;
        found.push({ where, file, code });
      });
    }
  }
  return found;
}

/** The exports of `indexFile` (values and types) whose declarations carry no `@example` tag. */
export function exportsWithoutExample(indexFile: string): { exported: string[]; missing: string[] } {
  const program = ts.createProgram([indexFile], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(indexFile);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${indexFile} is not a module`);
  const exported = checker.getExportsOfModule(moduleSymbol);
  const missing = exported.filter((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return !(target.declarations ?? []).some((declaration) =>
      ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === "example"),
    );
  });
  return { exported: exported.map((symbol) => symbol.name), missing: missing.map((symbol) => symbol.name) };
}

/**
 * Type-checks every example as a module next to its source file (so relative imports resolve as
 * in the source), with the compiler options of `tsconfigFile`. Returns the errors by `where`.
 */
export function typecheckExamples(examples: readonly TsdocExample[], tsconfigFile: string): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfigFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  );
  if (!config) throw new Error(`Cannot read ${tsconfigFile}`);
  const options: ts.CompilerOptions = { ...config.options, noEmit: true };
  const virtual = new Map<string, { where: string; text: string }>();
  examples.forEach((example, i) => {
    if (example.code === undefined) return;
    const name = join(dirname(example.file), `__tsdoc_example_${i}.ts`);
    virtual.set(name, { where: example.where, text: `${example.code}\nexport {};\n` });
  });
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const example = virtual.get(fileName);
    return example
      ? ts.createSourceFile(fileName, example.text, languageVersion, true)
      : getSourceFile.call(host, fileName, languageVersion, ...rest);
  };
  host.fileExists = (fileName) => virtual.has(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => virtual.get(fileName)?.text ?? readFile.call(host, fileName);
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const errors = new Map<string, string[]>();
  for (const [fileName, { where }] of virtual) {
    const source = program.getSourceFile(fileName);
    if (!source) throw new Error(`${where}: the example was not compiled`);
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    errors.set(
      where,
      diagnostics.map((diagnostic) => {
        const { line } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
        return `line ${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
      }),
    );
  }
  return errors;
}

/**
 * What each `console.log(...)` call of the example says it prints, in source order: the text of
 * its trailing comment, of the `//` lines right below it, or `undefined` when it states nothing.
 */
export function statedOutputs(code: string): (string | undefined)[] {
  const source = ts.createSourceFile("example.ts", code, ts.ScriptTarget.ES2022, true);
  const lines = code.split("\n");
  const stated: (string | undefined)[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.getText(source) === "console.log"
    ) {
      const statement = ts.findAncestor(node, ts.isExpressionStatement) ?? node;
      const endLine = source.getLineAndCharacterOfPosition(statement.getEnd()).line;
      const trailing = /^\s*\/\/ ?(.*)$/.exec(code.slice(statement.getEnd()).split("\n")[0] ?? "")?.[1];
      if (trailing !== undefined) stated.push(trailing.trim());
      else {
        const below: string[] = [];
        for (let i = endLine + 1; i < lines.length; i++) {
          const comment = /^\s*\/\/ ?(.*)$/.exec(lines[i] as string)?.[1];
          if (comment === undefined) break;
          below.push(comment.trim());
        }
        stated.push(below.length > 0 ? below.join(" ") : undefined);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return stated;
}

/** Splits `4 "a b" [1, 2] Uint8Array [3]` into `4`, `"a b"`, `[1, 2]`, `Uint8Array [3]`. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quote) {
      if (char === "\\") {
        current += char + (text[++i] ?? "");
        continue;
      }
      if (char === quote) quote = "";
    } else if (char === '"' || char === "'" || char === "`") quote = char;
    else if ("[{(".includes(char)) depth++;
    else if ("]})".includes(char)) depth--;
    else if (/\s/.test(char) && depth === 0) {
      if (current) parts.push(current);
      current = "";
      continue;
    }
    current += char;
  }
  if (current) parts.push(current);
  // `Uint8Array [1, 2]` (as the comment shows bytes) is one value.
  return parts.reduce<string[]>((merged, part) => {
    const last = merged[merged.length - 1];
    if (last === "Uint8Array" && part.startsWith("[")) merged[merged.length - 1] = `Uint8Array.from(${part})`;
    else merged.push(part);
    return merged;
  }, []);
}

/** The values a stated output lists, one per console.log argument. */
export function statedValues(text: string): unknown[] {
  return splitTopLevel(text).map((literal) => {
    try {
      return new Function(`return (${literal});`)();
    } catch (cause) {
      throw new Error(`Cannot read ${JSON.stringify(literal)} of the stated output ${JSON.stringify(text)}`, { cause });
    }
  });
}

// biome-ignore lint/complexity/useArrowFunction: the constructor of async functions
const AsyncFunction = async function () {}.constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<void>;

/**
 * Runs an example: its imports are transpiled to `require` calls served from what `load` gives
 * for each specifier (loaded before the example starts). Returns the arguments of every
 * console.log call, in order.
 */
export async function runExample(
  example: TsdocExample,
  load: (specifier: string, example: TsdocExample) => unknown | Promise<unknown>,
): Promise<unknown[][]> {
  if (example.code === undefined) throw new Error(`${example.where}: the @example has no \`\`\`ts block`);
  const js = ts.transpileModule(example.code, {
    fileName: "example.ts",
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      verbatimModuleSyntax: false,
    },
  }).outputText;
  const modules = new Map<string, unknown>();
  for (const [, specifier] of js.matchAll(/\brequire\("([^"]+)"\)/g)) {
    if (!modules.has(specifier as string)) modules.set(specifier as string, await load(specifier as string, example));
  }
  const require = (specifier: string) => {
    if (!modules.has(specifier)) throw new Error(`${example.where}: unexpected require(${specifier})`);
    return modules.get(specifier);
  };
  const logs: unknown[][] = [];
  const exampleConsole = { ...console, log: (...args: unknown[]) => logs.push(args) };
  const module = { exports: {} };
  await new AsyncFunction("require", "exports", "module", "console", js)(
    require,
    module.exports,
    module,
    exampleConsole,
  );
  return logs;
}

/** `./parse.js` imported by an example of `certificate/issue.ts` → the absolute `.ts` path. */
export function sourceOf(specifier: string, example: TsdocExample): string {
  return join(dirname(example.file), specifier.replace(/\.js$/, ".ts"));
}

/** What a package's examples test needs to say about itself. */
export interface ExamplesSuite {
  /** The package name as examples import it, e.g. `@kubepki/core`. */
  readonly packageName: string;
  /** The package's `src/` directory and tsconfig (absolute paths). */
  readonly srcDir: string;
  readonly tsconfig: string;
  /** The package's sources (`import * as lib from "../src/index.js"`), handed to the examples. */
  readonly lib: unknown;
  /** Lower bounds that make an empty scan fail rather than pass. */
  readonly minExports: number;
  readonly minExamples: number;
  /**
   * Imports a bare specifier (another package) as the calling test file would: a dynamic import
   * here would resolve from core's directory, where the other packages are not dependencies.
   */
  readonly importPackage?: (specifier: string) => Promise<unknown>;
}

/**
 * The whole examples test of a package, the same for every package: every export of
 * `src/index.ts` has an @example, every @example is a ```ts block that logs, and each one
 * type-checks, runs and prints what its comments say.
 */
export function describeTsdocExamples(suite: ExamplesSuite): void {
  const all = findExamples(suite.srcDir);
  let typeErrors: Map<string, string[]> | undefined;
  const load = (specifier: string, example: TsdocExample): unknown => {
    if (specifier === suite.packageName) return suite.lib;
    if (specifier.startsWith(".")) return import(/* @vite-ignore */ sourceOf(specifier, example));
    return suite.importPackage ? suite.importPackage(specifier) : import(/* @vite-ignore */ specifier);
  };

  describe(`TSDoc examples of ${suite.packageName}`, () => {
    it("every export of src/index.ts has an @example (checked with the TypeScript compiler)", () => {
      const { exported, missing } = exportsWithoutExample(`${suite.srcDir}index.ts`);
      expect(exported.length).toBeGreaterThanOrEqual(suite.minExports);
      expect(missing).toEqual([]);
    });

    it("every @example is a ```ts block that logs something", () => {
      expect(all.length).toBeGreaterThanOrEqual(suite.minExamples);
      expect(all.filter((example) => example.code === undefined).map((example) => example.where)).toEqual([]);
      expect(all.filter((example) => statedOutputs(example.code ?? "").length === 0).map((e) => e.where)).toEqual([]);
    });

    for (const example of all) {
      it(`${example.where} type-checks, runs and logs what it says`, async () => {
        typeErrors ??= typecheckExamples(all, suite.tsconfig);
        expect(typeErrors.get(example.where)).toEqual([]);
        const logs = await runExample(example, load);
        const stated = statedOutputs(example.code ?? "");
        expect(logs).toHaveLength(stated.length);
        stated.forEach((text, i) => {
          if (text !== undefined) expect(logs[i], text).toEqual(statedValues(text));
        });
      });
    }
  });
}
