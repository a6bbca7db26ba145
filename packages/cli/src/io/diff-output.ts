import type { ClusterDiff } from "@kubepki/k8s-profiles";
import { restartAdvice } from "./restarts.js";
import { fitLines, wrapHanging } from "./wrap.js";

const SIGN = { add: "+", change: "~", remove: "-" } as const;

/**
 * The difference between the wanted cluster and a tree, as `plan --against` and `apply` print it:
 * one line a file that changes (`+` new, `~` changed, `-` to remove) with its reasons, the count of
 * files kept as they are, then what to restart and what to copy to which node.
 */
export function formatDiff(
  diff: ClusterDiff,
  options: { source: string; prune: boolean; width: number; notes?: readonly string[] },
): string {
  const { config } = diff;
  const { width } = options;
  const workers = config.nodes.filter((node) => node.role === "worker").length;
  const lines = [
    fitLines(
      `Cluster "${config.clusterName}" from ${options.source}: ${config.nodes.length - workers} control-plane node(s), ${workers} worker(s)`,
      width,
    ),
    "",
  ];
  for (const file of diff.files) {
    if (file.change === "keep") continue;
    const reasons = [...file.reasons];
    if (file.change === "remove") reasons.push(options.prune ? "moved to the backup" : "kept unless --prune");
    lines.push(...wrapHanging(`${SIGN[file.change]} `, `${file.path} (${reasons.join("; ")})`, width, 4));
  }
  lines.push(`= ${diff.counts.keep} unchanged`);
  const changing = diff.counts.add + diff.counts.change + (options.prune ? diff.counts.remove : 0);
  if (changing > 0) {
    // New files alone restart nothing: a new node's kubelet starts with them.
    const restarts = diff.restarts.length > 0 ? restartAdvice(diff.restarts) : "No running component needs a restart.";
    lines.push("", ...wrapHanging("", restarts, width, 2));
    for (const { node, files } of diff.copies) {
      if (files.length === 0) continue;
      lines.push(`Copy to ${node}:`);
      for (const file of files) {
        lines.push(...wrapHanging("  ", file.onNode ? `${file.path} → ${file.onNode}` : file.path, width, 4));
      }
    }
  }
  for (const note of [...(options.notes ?? []), ...diff.notes]) lines.push(...wrapHanging("note: ", note, width));
  return `${lines.join("\n")}\n`;
}

/** The same as data (`--json`): the diff's files and certificates, and what to restart and copy. */
export function diffJson(diff: ClusterDiff, source: string, notes: readonly string[] = []) {
  return {
    source,
    counts: diff.counts,
    files: diff.files,
    certificates: diff.certificates,
    restarts: diff.restarts,
    copies: diff.copies,
    notes: [...notes, ...diff.notes],
  };
}
