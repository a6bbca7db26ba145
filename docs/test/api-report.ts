// The public API of each package, as a text file checked into the repository
// (`packages/<name>/api-report.md`): every entry of `exports`, every name it exports, and each
// declaration as the published `.d.ts` gives it, without comments. A change to the surface
// (an export added, removed or retyped) changes this text, so it shows in review; the test in
// api-report.test.ts fails until the report is regenerated (`UPDATE_API=1`).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

interface ExportsEntry {
  readonly import?: { readonly types?: string } | string;
  readonly types?: string;
}

/** The `.d.ts` of each subpath of a package's `exports` (ESM types). */
export function entryTypes(packageDir: string): { subpath: string; types: string }[] {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    exports: Record<string, ExportsEntry | string>;
  };
  const entries: { subpath: string; types: string }[] = [];
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === "string") continue; // ./package.json
    const types = typeof target.import === "object" ? target.import.types : target.types;
    if (types) entries.push({ subpath, types: join(packageDir, types) });
  }
  return entries;
}

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** One line (or block) per exported name: its declaration(s), comments removed, sorted by name. */
function describeExports(file: string): string[] {
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`cannot read ${file}`);
  const module = checker.getSymbolAtLocation(source);
  if (!module) return [];
  const lines: string[] = [];
  for (const exported of checker.getExportsOfModule(module).sort((a, b) => a.name.localeCompare(b.name))) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const texts = (symbol.declarations ?? []).map((declaration) => {
      const printed = printer.printNode(ts.EmitHint.Unspecified, declaration, declaration.getSourceFile()).trim();
      // A variable's declaration prints as `name: Type`; say what it is.
      const text = ts.isVariableDeclaration(declaration) ? `const ${printed};` : printed;
      return text.replace(/^export (declare )?/, "").replace(/^declare /, "");
    });
    const alias = symbol.name !== exported.name && symbol.name !== "default" ? ` (as ${exported.name})` : "";
    lines.push(`${texts.join("\n")}${alias}`);
  }
  return lines;
}

/** The report of one package: a section per entry, its declarations in a `ts` block. */
export function apiReport(packageDir: string, name: string): string {
  const sections = entryTypes(packageDir).map(({ subpath, types }) => {
    const specifier = subpath === "." ? name : `${name}/${subpath.slice(2)}`;
    const declarations = describeExports(types);
    return `## \`${specifier}\`\n\n${declarations.length} exports.\n\n\`\`\`ts\n${declarations.join("\n\n")}\n\`\`\`\n`;
  });
  return `# API report: ${name}\n\nGenerated from the published \`.d.ts\` by \`docs/test/api-report.test.ts\` (\`UPDATE_API=1\` rewrites it). Any change to this file is a change to the public API: review it as one, and record it in a changeset.\n\n${sections.join("\n")}`;
}
