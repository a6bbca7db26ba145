import { describeTree, type ResolvedClusterConfig, resolveClusterConfig } from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { clusterConfigFromArgs, namingFlags } from "../cluster-config.js";

/** Where the day-2 commands' wanted cluster came from, for the first line they print. */
export interface WantedConfig {
  readonly config: ResolvedClusterConfig;
  /** `--config FILE`, the tree's `kubepki.yaml`, or its certificates (a tree kubepki did not make). */
  readonly source: string;
  /** What describing a tree from its certificates had to assume. */
  readonly notes: readonly string[];
}

/**
 * The cluster `plan --against DIR` and `apply DIR` aim for: `--config FILE` when given, else the
 * tree's own description (its `kubepki.yaml`, or what its certificates say), with the cluster
 * flags on top (`--worker w-3=10.0.0.23` adds a node, `--remove-node w-2` drops one,
 * `--cert-san` adds a name). With no flag at all it is the tree's cluster: nothing to do.
 */
export async function wantedConfigFromArgs(
  args: ParsedArgs,
  files: ReadonlyMap<string, string>,
): Promise<WantedConfig> {
  const fromConfig = typeof args.flags.config === "string";
  const described = fromConfig ? undefined : describeTree(files);
  const input = await clusterConfigFromArgs(args, (described?.config ?? {}) as Record<string, unknown>);
  const config = namingFlags(input, () => resolveClusterConfig(input.config));
  const flagged = input.origins.length > 0 || Array.isArray(args.flags["remove-node"]);
  const base = fromConfig
    ? `--config ${args.flags.config}`
    : described?.record === "kubepki.yaml"
      ? "the tree's kubepki.yaml"
      : "the tree's certificates (it has no kubepki.yaml)";
  return { config, source: flagged ? `${base} and flags` : base, notes: described?.notes ?? [] };
}
