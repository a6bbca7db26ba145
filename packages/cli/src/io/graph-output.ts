// `plan --graph` and `audit DIR --graph`: the trust graph as Mermaid, DOT or SVG on stdout instead
// of the table. The SVG layout (Graphviz as WebAssembly) and the tree reader are loaded only when
// asked for, so `plan` without --graph loads neither.
import type { Finding } from "@kubepki/k8s-profiles";
import { graphPlan } from "@kubepki/k8s-profiles/files";
import { graphToDot, graphToMermaid, markFindings, planGraph, type TrustGraph } from "@kubepki/renderers";
import type { ParsedArgs } from "../args.js";
import { UsageError } from "./cli-error.js";
import type { Terminal } from "./terminal.js";

type GraphFormat = "mermaid" | "dot" | "svg";

/** The `--graph` format (checked against its choices by the parser), refused beside `--json`. */
function graphFormat(args: ParsedArgs, terminal: Terminal): GraphFormat {
  if (terminal.json) throw new UsageError("--graph prints a graph, not JSON: give one of --graph and --json");
  return args.flags.graph as GraphFormat;
}

async function renderGraph(graph: TrustGraph, format: GraphFormat): Promise<string> {
  if (format === "mermaid") return graphToMermaid(graph);
  if (format === "dot") return graphToDot(graph);
  const { graphToSvg } = await import("@kubepki/renderers/svg");
  const svg = await graphToSvg(graph);
  return svg.endsWith("\n") ? svg : `${svg}\n`;
}

/** `kubepki plan … --graph FORMAT [--expand]`: the plan's trust graph. */
export async function printPlanGraph(
  plan: Parameters<typeof graphPlan>[0],
  args: ParsedArgs,
  terminal: Terminal,
): Promise<void> {
  const format = graphFormat(args, terminal);
  terminal.out(await renderGraph(planGraph(graphPlan(plan), { expand: args.flags.expand === true }), format));
}

/** `kubepki audit DIR --graph FORMAT [--expand]`: the tree's trust graph with the findings on their files. */
export async function printTreeGraph(
  files: ReadonlyMap<string, string>,
  findings: readonly Finding[],
  args: ParsedArgs,
  terminal: Terminal,
): Promise<void> {
  const format = graphFormat(args, terminal);
  const { treeGraph } = await import("@kubepki/k8s-profiles");
  const graph = markFindings(treeGraph(files, { expand: args.flags.expand === true }), findings);
  terminal.out(await renderGraph(graph, format));
}
