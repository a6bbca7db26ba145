import type { GraphFinding, GraphNode, GraphSeverity, TrustGraph } from "./types.js";

const RANK: Readonly<Record<GraphSeverity, number>> = { info: 0, warning: 1, error: 2 };

/**
 * The graph with each finding laid on the node of its file: the node whose `paths` (or file id)
 * name the finding's `file` gets the finding's message and the worst severity of its findings.
 * A finding on a file the graph does not draw (a stray file, a missing one) gets a file node of
 * its own, so none is lost; findings without a file stay off the graph.
 *
 * @example
 * ```ts
 * import { markFindings } from "@kubepki/renderers";
 *
 * const graph = { nodes: [{ id: "file:pki/ca.crt", kind: "file" as const, label: "pki/ca.crt", paths: ["pki/ca.crt", "pki/ca.key"] }], edges: [] };
 * const marked = markFindings(graph, [{ file: "pki/ca.key", severity: "error", code: "KEY_MISMATCH", message: "key does not match" }]);
 * console.log(marked.nodes[0]?.severity); // "error"
 * console.log(marked.nodes[0]?.findings); // ["KEY_MISMATCH: key does not match"]
 * ```
 */
export function markFindings(graph: TrustGraph, findings: readonly GraphFinding[]): TrustGraph {
  const nodes: GraphNode[] = graph.nodes.map((node) => ({ ...node }));
  const nodeOf = (file: string): number => {
    const index = nodes.findIndex((node) => node.paths?.includes(file) || node.id === `file:${file}`);
    if (index >= 0) return index;
    nodes.push({ id: `file:${file}`, kind: "file", label: file, paths: [file] });
    return nodes.length - 1;
  };
  for (const finding of findings) {
    if (finding.file === undefined) continue;
    const index = nodeOf(finding.file);
    const node = nodes[index] as GraphNode;
    const severity =
      node.severity === undefined || RANK[finding.severity] > RANK[node.severity] ? finding.severity : node.severity;
    nodes[index] = { ...node, severity, findings: [...(node.findings ?? []), `${finding.code}: ${finding.message}`] };
  }
  return { nodes, edges: graph.edges };
}
