import { type ClusterPlan, type Finding, graphPlan, treeGraph } from "@kubepki/k8s-profiles";
import { markFindings, planGraph } from "@kubepki/renderers";
import { graphToSvg } from "@kubepki/renderers/svg";
import type { TreeFiles } from "./audit-input.js";

/**
 * The plan's trust graph as inline SVG (Graphviz compiled to WebAssembly, in the page): each CA,
 * what it signs, the files, and who reads them; workers folded into one group.
 */
export function planGraphSvg(plan: ClusterPlan): Promise<string> {
  return graphToSvg(planGraph(graphPlan(plan)));
}

/** The audited tree's graph with each finding on its node (the error and warning classes colour it). */
export function auditGraphSvg(files: TreeFiles, findings: readonly Finding[]): Promise<string> {
  return graphToSvg(markFindings(treeGraph(files), findings));
}
