// What a change of the cluster record means, in the words of the plan: "node worker-2 added",
// "controlPlaneEndpoint none → k8s.example.com:6443" — not "the YAML differs".
import type { ClusterConfig, ResolvedClusterConfig } from "../../config/resolve.js";
import { clusterRecord, readClusterRecord } from "../../files/record.js";

/** A record field as one comparable text (lists and mappings as JSON). */
const text = (value: unknown): string =>
  value === undefined ? "none" : typeof value === "string" ? value : JSON.stringify(value);

/**
 * The fields of the tree's record that the wanted config changes, one phrase each; nodes and
 * certSANs item by item. A record that does not parse, or no difference found (formatting only),
 * gives the generic reason.
 */
export function recordChanges(treeText: string, wanted: ResolvedClusterConfig): string[] {
  let old: ClusterConfig | undefined;
  try {
    old = readClusterRecord({ "kubepki.yaml": treeText });
  } catch {
    return ["rendered from the new config"];
  }
  const next = clusterRecord(wanted);
  const reasons: string[] = [];
  const before = (old ?? {}) as Record<string, unknown>;
  const after = next as Record<string, unknown>;
  const named = (list: unknown) =>
    new Map((Array.isArray(list) ? list : []).map((node) => [String((node as { name?: unknown })?.name), text(node)]));
  const oldNodes = named(before.nodes);
  const newNodes = named(after.nodes);
  for (const [name, node] of newNodes) {
    if (!oldNodes.has(name)) reasons.push(`node ${name} added`);
    else if (oldNodes.get(name) !== node) reasons.push(`node ${name} changed`);
  }
  for (const name of oldNodes.keys()) if (!newNodes.has(name)) reasons.push(`node ${name} removed`);
  const oldSans = new Set((Array.isArray(before.certSANs) ? before.certSANs : []).map(String));
  const newSans = new Set((after.certSANs as string[] | undefined) ?? []);
  for (const san of newSans) if (!oldSans.has(san)) reasons.push(`certSANs ${san} added`);
  for (const san of oldSans) if (!newSans.has(san)) reasons.push(`certSANs ${san} removed`);
  for (const field of new Set([...Object.keys(after), ...Object.keys(before)])) {
    if (field === "nodes" || field === "certSANs") continue;
    if (text(before[field]) !== text(after[field])) {
      reasons.push(`${field} ${text(before[field])} → ${text(after[field])}`);
    }
  }
  return reasons.length > 0 ? reasons : ["rendered from the new config"];
}
