// The look of the graph, one table for both languages: a shape per node kind, a colour per
// severity and rotation side, a line per edge kind. Trust edges are dashed and coloured apart
// from the signing ones, which the issue asks for.
import type { GraphEdgeKind, GraphNode, GraphNodeKind } from "./types.js";

/** Fill and stroke per node kind (no finding). */
export const KIND_STYLE: Readonly<Record<GraphNodeKind, { readonly dotShape: string; readonly fill: string }>> = {
  ca: { dotShape: "hexagon", fill: "#dbeafe" },
  certificate: { dotShape: "note", fill: "#f8fafc" },
  file: { dotShape: "folder", fill: "#f1f5f9" },
  kubeconfig: { dotShape: "component", fill: "#ede9fe" },
  flag: { dotShape: "cds", fill: "#f8fafc" },
  component: { dotShape: "ellipse", fill: "#dcfce7" },
  group: { dotShape: "box3d", fill: "#e2e8f0" },
};

/** The classes a node may carry, with their colours: findings (red, amber) and the sides of a rotation. */
export const CLASS_STYLE = {
  error: { fill: "#fecaca", stroke: "#dc2626" },
  warning: { fill: "#fde68a", stroke: "#d97706" },
  "rotation-old": { fill: "#e5e7eb", stroke: "#6b7280" },
  "rotation-new": { fill: "#bbf7d0", stroke: "#16a34a" },
} as const;

export type NodeClass = keyof typeof CLASS_STYLE;

/** The class of a node: a finding's severity first (info draws no colour), else its rotation side. */
export function nodeClass(node: GraphNode): NodeClass | undefined {
  if (node.severity === "error" || node.severity === "warning") return node.severity;
  if (node.rotation) return `rotation-${node.rotation}`;
  return undefined;
}

/** The line of each edge kind: signing bold, trust dashed and violet, the rest thin. */
export const EDGE_STYLE: Readonly<Record<GraphEdgeKind, { readonly dot: string; readonly mermaid: string }>> = {
  signs: { dot: 'style=bold, color="#1d4ed8"', mermaid: "==>" },
  "stored-in": { dot: 'color="#64748b"', mermaid: "-->" },
  "used-by": { dot: 'color="#64748b"', mermaid: "-->" },
  reads: { dot: 'color="#64748b"', mermaid: "-->" },
  trusts: { dot: 'style=dashed, color="#7c3aed", fontcolor="#7c3aed", constraint=false', mermaid: "-.->" },
};

/** The text shown for a node: its label, and the findings under it. */
export function nodeText(node: GraphNode): string[] {
  return [...node.label.split("\n"), ...(node.findings ?? [])];
}
