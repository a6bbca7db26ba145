// The Mermaid flowchart grammar graphToMermaid emits, line by line: no Mermaid parser runs in Node
// for flowcharts (the `mermaid` package needs a DOM, `@mermaid-js/parser` has no flowchart
// grammar), so a structural check stands in — every line one of the forms below, each id
// declared before an edge or class uses it, every used class defined.
const ID = "[A-Za-z][A-Za-z0-9_]*";
const LABEL = '"[^"]*"';
const NODE = new RegExp(
  `^  (${ID})(\\{\\{${LABEL}\\}\\}|\\[${LABEL}\\]|\\[\\(${LABEL}\\)\\]|\\[\\[${LABEL}\\]\\]|>${LABEL}\\]|\\(\\[${LABEL}\\]\\))$`,
);
const EDGE = new RegExp(`^  (${ID}) (==>|-->|-\\.->)(\\|${LABEL}\\|)? (${ID})$`);
const CLASS_DEF = new RegExp(`^  classDef (${ID}) [a-z-]+:[^ ]+$`);
const CLASS = new RegExp(`^  class (${ID}(?:,${ID})*) (${ID})$`);

/** The problems of a Mermaid text (empty: it follows the grammar). */
export function mermaidProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.split("\n");
  if (lines[0] !== "flowchart LR") problems.push(`first line: ${lines[0]}`);
  if (lines.at(-1) !== "") problems.push("no final newline");
  const declared = new Set<string>();
  const defined = new Set<string>();
  for (const line of lines.slice(1, -1)) {
    let match = NODE.exec(line);
    if (match) {
      if (declared.has(match[1] as string)) problems.push(`declared twice: ${line}`);
      if (/\bend\b/.test(match[1] as string) && match[1] === "end") problems.push(`keyword id: ${line}`);
      declared.add(match[1] as string);
      continue;
    }
    match = EDGE.exec(line);
    if (match) {
      for (const id of [match[1], match[4]])
        if (!declared.has(id as string)) problems.push(`undeclared ${id}: ${line}`);
      continue;
    }
    match = CLASS_DEF.exec(line);
    if (match) {
      defined.add(match[1] as string);
      continue;
    }
    match = CLASS.exec(line);
    if (match) {
      for (const id of (match[1] as string).split(","))
        if (!declared.has(id)) problems.push(`undeclared ${id}: ${line}`);
      if (!defined.has(match[2] as string)) problems.push(`class before its classDef: ${line}`);
      continue;
    }
    problems.push(`not in the grammar: ${line}`);
  }
  return problems;
}

/** The Mermaid ids of the nodes that carry `klass` (from the `class` lines). */
export function mermaidClassMembers(text: string, klass: string): string[] {
  return text.split("\n").flatMap((line) => {
    const match = CLASS.exec(line);
    return match && match[2] === klass ? (match[1] as string).split(",") : [];
  });
}

/** The Mermaid id declared for a node whose label starts with `label`. */
export function mermaidIdOf(text: string, label: string): string | undefined {
  for (const line of text.split("\n")) {
    const match = NODE.exec(line);
    if (match && (match[2] as string).includes(`"${label}`)) return match[1];
  }
  return undefined;
}

/**
 * `<g id="nodeN" class="…">…<title>ID</title>` of Graphviz's SVG: each node's DOT id and classes.
 * A backslash of an id comes back doubled: DOT keeps `\\` of a quoted id as it is (only labels
 * read escapes).
 */
export function svgNodes(svg: string): { title: string; classes: string[] }[] {
  const nodes: { title: string; classes: string[] }[] = [];
  const pattern = /<g id="node\d+" class="([^"]*)">\s*<title>([^<]*)<\/title>/g;
  for (const match of svg.matchAll(pattern)) {
    nodes.push({ title: unescapeXml(match[2] as string), classes: (match[1] as string).split(/\s+/) });
  }
  return nodes;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, "&");
}
