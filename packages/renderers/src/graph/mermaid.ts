import { CLASS_STYLE, EDGE_STYLE, type NodeClass, nodeClass, nodeText } from "./style.js";
import type { GraphNodeKind, TrustGraph } from "./types.js";

/** Mermaid shape brackets per node kind (flowchart syntax). */
const SHAPES: Readonly<Record<GraphNodeKind, readonly [string, string]>> = {
  ca: ["{{", "}}"],
  certificate: ["[", "]"],
  file: ["[(", ")]"],
  kubeconfig: ["[[", "]]"],
  flag: [">", "]"],
  component: ["([", "])"],
  group: ["[[", "]]"],
};

/**
 * Text inside a quoted Mermaid label: `"` and the characters Mermaid reads as markup become its
 * entity codes (`#quot;`, `#lt;` …), lines become `<br/>`.
 */
function escapeLabel(text: string): string {
  return text
    .replace(/#/g, "#35;")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/\|/g, "#124;")
    .replace(/[{}[\]()]/g, (char) => `#${char.charCodeAt(0)};`);
}

/**
 * The graph as a Mermaid `flowchart LR`. Node ids are made safe (`n<index>_<letters and digits>`,
 * never a keyword such as `end`), labels quoted with Mermaid's entity codes. Nodes with findings
 * get `class … error` / `warning` (with `classDef error` red, `warning` amber); the sides of a
 * rotation `rotationOld`/`rotationNew`. Signing edges are thick (`==>`), trust edges dotted and
 * labelled with their flag. Same graph, same bytes.
 *
 * @example
 * ```ts
 * import { graphToMermaid } from "@kubepki/renderers";
 *
 * const text = graphToMermaid({
 *   nodes: [{ id: "ca:ca", kind: "ca", label: "kubernetes (ca)" }, { id: "cert:admin", kind: "certificate", label: "kubernetes-admin" }],
 *   edges: [{ from: "ca:ca", to: "cert:admin", kind: "signs" }],
 * });
 * console.log(text.split("\n").slice(0, 4)); // ["flowchart LR", '  n0_ca_ca{{"kubernetes #40;ca#41;"}}', '  n1_cert_admin["kubernetes-admin"]', "  n0_ca_ca ==> n1_cert_admin"]
 * ```
 */
export function graphToMermaid(graph: TrustGraph): string {
  const ids = new Map(
    graph.nodes.map((node, index) => [
      node.id,
      `n${index}_${node.id.replace(/[^A-Za-z0-9]+/g, "_").replace(/_+$/, "")}`,
    ]),
  );
  const lines = ["flowchart LR"];
  const classes = new Map<NodeClass, string[]>();
  for (const node of graph.nodes) {
    const id = ids.get(node.id) as string;
    const [open, close] = SHAPES[node.kind];
    lines.push(`  ${id}${open}"${nodeText(node).map(escapeLabel).join("<br/>")}"${close}`);
    const klass = nodeClass(node);
    if (klass) classes.set(klass, [...(classes.get(klass) ?? []), id]);
  }
  for (const edge of graph.edges) {
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    if (from === undefined || to === undefined) continue;
    const arrow = EDGE_STYLE[edge.kind].mermaid;
    lines.push(`  ${from} ${arrow}${edge.label === undefined ? "" : `|"${escapeLabel(edge.label)}"|`} ${to}`);
  }
  for (const [klass, members] of classes) {
    const name = mermaidClass(klass);
    const { fill, stroke } = CLASS_STYLE[klass];
    lines.push(`  classDef ${name} fill:${fill},stroke:${stroke},stroke-width:2px`);
    lines.push(`  class ${members.join(",")} ${name}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Mermaid class names are identifiers: `rotation-old` → `rotationOld`. */
function mermaidClass(klass: NodeClass): string {
  return klass.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
