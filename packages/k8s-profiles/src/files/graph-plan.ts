// The plan as the trust graph takes it: the plan plus each control-plane component's flags, from
// the one list that writes them (component-flags.ts). Apart from tree-graph.ts so that `plan
// --graph` loads no certificate parser.
import type { GraphComponentFlags, GraphPlan } from "@kubepki/renderers";
import type { ClusterPlan } from "../plan/plan.js";
import { componentFlags } from "./component-flags.js";

/**
 * A plan as the renderers' `planGraph` takes it, with each control-plane component's flags on
 * each control-plane node — rendered by the same functions that write the tree's `flags/` and
 * static Pods, so the graph's flag → file edges are the files' own. `caKeyWritten: false` (an
 * external cluster CA) leaves out the controller-manager's signing flags, as the tree does.
 *
 * @example
 * ```ts
 * import { graphPlan, planCluster } from "@kubepki/k8s-profiles";
 *
 * // planGraph(graphPlan(plan)) of @kubepki/renderers draws the graph, flags included.
 * const { components } = graphPlan(planCluster({}));
 * console.log(components?.map((flags) => flags.component)); // ["kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler"]
 * ```
 */
export function graphPlan(plan: ClusterPlan, options: { readonly caKeyWritten?: boolean } = {}): GraphPlan {
  const components: GraphComponentFlags[] = [];
  for (const node of plan.config.nodes) {
    if (node.role !== "control-plane") continue;
    for (const [component, render] of componentFlags(plan, options.caKeyWritten ?? true, node)) {
      components.push({ component, node: node.name, args: render() });
    }
  }
  return { ...plan, components };
}
