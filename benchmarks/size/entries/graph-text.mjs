// The trust graph as text: planGraph + Mermaid + DOT (@kubepki/renderers main entry, no Graphviz).
export { graphToDot, graphToMermaid, markFindings, planGraph } from "@kubepki/renderers";
