import type { Restart } from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { UsageError } from "./cli-error.js";

// What the lifecycle commands (renew, apply) tell the operator to do next, and the flag they share.

/** "a, b and c". */
export function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** "Restart kube-apiserver and etcd." per node, from the role table's `restarts` column. */
export function restartAdvice(restarts: readonly Restart[]): string {
  if (restarts.length === 0) {
    return "Nothing to restart: no running component loads these (kubeconfigs such as admin.conf are read at each use).";
  }
  const byNode = new Map<string | undefined, string[]>();
  for (const { component, node } of restarts) byNode.set(node, [...(byNode.get(node) ?? []), component]);
  return [...byNode]
    .map(([node, components]) =>
      node === undefined
        ? `Restart ${listWords(components)} to use them.`
        : `On ${node}, restart ${listWords(components)}.`,
    )
    .join(" ");
}

/** `--validity DAYS` (renew, apply): a whole number of days > 0, checked before the tree is locked or read. */
export function validityFlag(args: ParsedArgs): number | undefined {
  const value = args.flags.validity;
  if (typeof value !== "string") return undefined;
  const days = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(days) || days <= 0) {
    throw new UsageError(`--validity takes a whole number of days > 0, got ${JSON.stringify(value)}`);
  }
  return days;
}
