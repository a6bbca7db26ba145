// The guides show their code inline (so it reads on GitHub and npm), and every block is a copy of
// a file under examples/ that examples.test.ts runs. Each copy is marked by an HTML comment naming
// its file on the line before the fence:
//
//   <!-- examples/quick-start/cli.sh -->
//   ```sh
//   …the file's exact text…
//   ```
//
// syncGuide rewrites every marked block from its file; guides.test.ts fails when that changes
// anything (a block drifted from the code CI runs) and UPDATE_EXAMPLES=1 writes the result.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLES, ROOT } from "./examples.js";

export const GUIDES = join(ROOT, "docs/guides");

/** The guides, as file name → text, in order. */
export function readGuides(): Map<string, string> {
  const guides = new Map<string, string>();
  for (const name of readdirSync(GUIDES).sort()) {
    if (name.endsWith(".md")) guides.set(name, readFileSync(join(GUIDES, name), "utf8"));
  }
  return guides;
}

/** The fence language for an example file: what GitHub and typedoc highlight it as. */
export function fenceLanguage(file: string): string {
  if (file.endsWith(".out")) return "text";
  if (file.endsWith(".ts")) return "ts";
  if (file.endsWith(".mjs") || file.endsWith(".js")) return "js";
  if (file.endsWith(".sh")) return "sh";
  if (file.endsWith(".json")) return "json";
  throw new Error(`no fence language for ${file}`);
}

/** A fenced block holding `text` exactly (a longer fence if the text itself holds one). */
export function fencedBlock(file: string, text: string): string {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  let fence = "```";
  while (body.includes(fence)) fence += "`";
  return `${fence}${fenceLanguage(file)}\n${body}${fence}`;
}

const MARKER = /^<!-- (examples\/[^\s]+) -->$/;

/** The example files a guide shows (the paths in its markers, relative to the repository). */
export function shownFiles(guide: string): string[] {
  return guide
    .split("\n")
    .map((line) => MARKER.exec(line)?.[1])
    .filter((path): path is string => path !== undefined);
}

/**
 * The guide with every marked block replaced by its file's current text. Throws when a marker is
 * not followed by a fenced block, or names a file that does not exist.
 */
export function syncGuide(guide: string, read = (path: string) => readFileSync(join(ROOT, path), "utf8")): string {
  const lines = guide.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    out.push(line);
    const path = MARKER.exec(line)?.[1];
    if (path === undefined) continue;
    const open = /^(`{3,})\S*$/.exec(lines[i + 1] ?? "");
    if (!open) throw new Error(`line ${i + 2}: the marker for ${path} must be followed by a fenced block`);
    const fence = open[1] as string;
    let close = i + 2;
    while (close < lines.length && lines[close] !== fence) close++;
    if (close >= lines.length) throw new Error(`line ${i + 2}: the block for ${path} is not closed`);
    out.push(fencedBlock(path, read(path)));
    i = close;
  }
  return out.join("\n");
}

/** Every file under examples/<guide>/ a guide must show: the scripts, their helpers and their outputs. */
export function exampleFiles(): string[] {
  const files: string[] = [];
  for (const guide of readdirSync(EXAMPLES, { withFileTypes: true })) {
    if (!guide.isDirectory() || ["smoke", "node_modules"].includes(guide.name) || guide.name.startsWith(".")) continue;
    for (const file of readdirSync(join(EXAMPLES, guide.name)).sort()) {
      // .json: configuration an example's reader needs (a cfssl profile), shown but not run.
      if (/\.(mjs|ts|sh|out|json)$/.test(file)) files.push(`examples/${guide.name}/${file}`);
    }
  }
  return files;
}
