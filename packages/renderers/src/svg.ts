/**
 * @kubepki/renderers/svg — the trust graph as SVG, laid out by Graphviz compiled to WebAssembly
 * (`@viz-js/viz`). A subpath of its own so that the main entry never loads the layout engine.
 *
 * @packageDocumentation
 */

export { graphToSvg } from "./graph/svg.js";
