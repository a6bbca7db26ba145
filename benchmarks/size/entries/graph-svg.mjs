// The trust graph as SVG: @kubepki/renderers/svg, Graphviz compiled to WebAssembly (@viz-js/viz).
export { graphToSvg } from "@kubepki/renderers/svg";
