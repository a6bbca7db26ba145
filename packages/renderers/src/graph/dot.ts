import { CLASS_STYLE, EDGE_STYLE, KIND_STYLE, nodeClass, nodeText } from "./style.js";
import type { TrustGraph } from "./types.js";

/** A DOT double-quoted string: backslash and quote escaped, lines as `\n`. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

/**
 * The graph as Graphviz DOT (`digraph`, left to right). Every id and label is quoted and escaped,
 * so any text is safe. A node with an error or warning carries `class="error"`/`"warning"` (which
 * Graphviz writes into SVG) and a red/amber fill; the sides of a rotation `rotation-old`/`-new`.
 * Trust edges are dashed, violet and do not constrain the layout. Same graph, same bytes.
 *
 * @example
 * ```ts
 * import { graphToDot } from "@kubepki/renderers";
 *
 * const dot = graphToDot({
 *   nodes: [{ id: "ca:ca", kind: "ca", label: "kubernetes (ca)" }, { id: "cert:admin", kind: "certificate", label: "kubernetes-admin" }],
 *   edges: [{ from: "ca:ca", to: "cert:admin", kind: "signs" }],
 * });
 * console.log(dot.split("\n")[0]); // "digraph trust {"
 * ```
 */
export function graphToDot(graph: TrustGraph): string {
  const lines = [
    "digraph trust {",
    "  rankdir=LR;",
    '  graph [fontname="Helvetica", nodesep=0.25, ranksep=0.6];',
    '  node [fontname="Helvetica", fontsize=11, style=filled, color="#475569"];',
    '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];',
  ];
  for (const node of graph.nodes) {
    const kind = KIND_STYLE[node.kind];
    const klass = nodeClass(node);
    const colours = klass ? CLASS_STYLE[klass] : { fill: kind.fill, stroke: "#475569" };
    const attributes = [
      `label=${quote(nodeText(node).join("\n"))}`,
      `shape=${kind.dotShape}`,
      `fillcolor=${quote(colours.fill)}`,
      `color=${quote(colours.stroke)}`,
      `class=${quote([`kind-${node.kind}`, ...(klass ? [klass] : [])].join(" "))}`,
      ...(klass === "error" || klass === "warning" ? ["penwidth=2"] : []),
    ];
    lines.push(`  ${quote(node.id)} [${attributes.join(", ")}];`);
  }
  for (const edge of graph.edges) {
    const attributes = [EDGE_STYLE[edge.kind].dot, `class=${quote(`edge-${edge.kind}`)}`];
    if (edge.label !== undefined) attributes.push(`label=${quote(edge.label)}`);
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [${attributes.join(", ")}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
