import { instance } from "@viz-js/viz";
import { graphToDot } from "./dot.js";
import type { TrustGraph } from "./types.js";

/**
 * The graph as SVG, laid out by Graphviz (`@viz-js/viz`, Graphviz compiled to WebAssembly: the
 * same in Node and in browsers) from {@link graphToDot}'s text. Each node's `<g>` carries the
 * DOT classes (`node kind-file error` …), so a stylesheet or a test can find the nodes with
 * findings; the `<svg>` has `role="img"` and an `aria-label` that counts what it shows. The WebAssembly module is loaded on each call: a caller drawing many graphs pays it
 * each time, and nothing is kept between calls.
 *
 * @example
 * ```ts
 * import { graphToSvg } from "@kubepki/renderers/svg";
 *
 * // Resolves to `<?xml …><svg …>…</svg>`, one `<g class="node kind-ca">` for the CA.
 * const svg: Promise<string> = graphToSvg({ nodes: [{ id: "ca:ca", kind: "ca", label: "kubernetes (ca)" }], edges: [] });
 * ```
 */
export async function graphToSvg(graph: TrustGraph): Promise<string> {
  const viz = await instance();
  const svg = viz.renderString(graphToDot(graph), { format: "svg" });
  // Graphviz titles only its inner group; the image itself needs a name for screen readers.
  return svg.replace("<svg ", `<svg role="img" aria-label="${escapeXml(describeGraph(graph))}" `);
}

/** A one-line account of the graph, for `aria-label`: what kinds of nodes it has and how many findings. */
function describeGraph(graph: TrustGraph): string {
  const count = (kind: string) => graph.nodes.filter((node) => node.kind === kind).length;
  const marked = (severity: string) => graph.nodes.filter((node) => node.severity === severity).length;
  return `Trust graph: ${count("ca")} CAs, ${count("certificate")} certificates, ${count("file")} files, ${count("component")} components; ${marked("error")} with errors, ${marked("warning")} with warnings`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}
