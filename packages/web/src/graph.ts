import type { ClusterPlan, Finding } from "@kubepki/k8s-profiles";
import type { TreeFiles } from "./audit-input.js";

/**
 * The trust graph as inline SVG. TODO(issue 23, graph API): `graphToSvg(planGraph(plan))` from
 * `@kubepki/renderers` once it exists; until then the pane says so.
 */
export async function planGraphSvg(_plan: ClusterPlan): Promise<string | undefined> {
  return undefined;
}

/** The audited tree's graph with each finding on its node. TODO as {@link planGraphSvg}. */
export async function auditGraphSvg(_files: TreeFiles, _findings: readonly Finding[]): Promise<string | undefined> {
  return undefined;
}
