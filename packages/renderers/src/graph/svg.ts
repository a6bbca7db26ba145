import { instance } from "@viz-js/viz";
import { graphToDot } from "./dot.js";
import type { TrustGraph } from "./types.js";

/**
 * The graph as SVG, laid out by Graphviz (`@viz-js/viz`, Graphviz compiled to WebAssembly: the
 * same in Node and in browsers) from {@link graphToDot}'s text. Each node's `<g>` carries the
 * DOT classes (`node kind-file error` …), so a stylesheet or a test can find the nodes with
 * findings. The WebAssembly module is loaded on each call: a caller drawing many graphs pays it
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
  return viz.renderString(graphToDot(graph), { format: "svg" });
}
