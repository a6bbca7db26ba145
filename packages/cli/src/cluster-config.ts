import { readFile } from "node:fs/promises";
import {
  type ClusterConfig,
  type ClusterPlan,
  type NodeConfig,
  planCluster,
  type ResolvedClusterConfig,
  resolveClusterConfig,
} from "@kubepki/k8s-profiles/plan";
import type { ParsedArgs } from "./args.js";
import { CliError, UsageError } from "./io/cli-error.js";

/** A config field set from a flag, and that flag as the user typed it (`--control-plane cp-1=10.0.0.1`). */
interface FlagOrigin {
  readonly field: string;
  readonly typed: string;
}

/** The cluster description, and which of its fields came from flags (to name them in errors). */
export interface ConfigFromArgs {
  readonly config: ClusterConfig;
  readonly origins: readonly FlagOrigin[];
}

/** The single-valued cluster flags and the ClusterConfig field each sets (flags win over --config). */
const SCALAR_FLAGS: readonly { flag: string; field: keyof ClusterConfig; list?: true }[] = [
  { flag: "control-plane-endpoint", field: "controlPlaneEndpoint" },
  { flag: "service-cidr", field: "serviceSubnets", list: true },
  { flag: "dns-domain", field: "dnsDomain" },
  { flag: "cluster-name", field: "clusterName" },
  { flag: "key-algorithm", field: "keyAlgorithm" },
  { flag: "kube-proxy", field: "kubeProxy" },
];

function parseNodeFlag(value: string, role: NodeConfig["role"], flag: string): NodeConfig {
  const equals = value.indexOf("=");
  const name = value.slice(0, equals);
  const addresses = value
    .slice(equals + 1)
    .split(",")
    .filter((address) => address !== "");
  if (equals <= 0 || addresses.length === 0) {
    throw new UsageError(`--${flag} takes NAME=IP (or NAME=IP,IP for dual-stack), got ${JSON.stringify(value)}`);
  }
  return { name, role, addresses };
}

async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CliError("CONFIG_UNREADABLE", `Cannot read --config ${file}: ${(error as Error).message}`);
  }
  // Loaded only for --config: `yaml` is ~40 ms of start-up that flags-only runs do not pay.
  const { parse: parseYaml } = await import("yaml");
  let parsed: unknown;
  try {
    // No yaml warnings on stderr: they quote the source line (a key, when a kubeconfig is passed).
    parsed = parseYaml(text, { logLevel: "error" });
  } catch (error) {
    throw new CliError("INVALID_CONFIG", `--config ${file} is not valid YAML: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new CliError("INVALID_CONFIG", `--config ${file} must be a YAML mapping of ClusterConfig fields`);
  }
  return { ...(parsed as Record<string, unknown>) };
}

/**
 * The nodes of `--config` and of `--control-plane`/`--worker` together: a flag node replaces the
 * config's node of the same name (flags win), the others are added after the config's. Nothing
 * the config lists is dropped.
 */
function mergeNodes(
  fromConfig: unknown,
  flagNodes: readonly { node: NodeConfig; typed: string }[],
  origins: FlagOrigin[],
): unknown {
  // A `nodes` that is not a list is left as is: validation names that field.
  if (flagNodes.length === 0 || (fromConfig !== undefined && !Array.isArray(fromConfig))) return fromConfig;
  const nodes: unknown[] = [...((fromConfig as unknown[] | undefined) ?? [])];
  for (const { node, typed } of flagNodes) {
    const same = nodes.findIndex((other) => (other as { name?: unknown } | null)?.name === node.name);
    const index = same >= 0 ? same : nodes.length;
    nodes[index] = node;
    origins.push({ field: `nodes[${index}]`, typed });
  }
  if (!nodes.some((node) => (node as { role?: unknown } | null)?.role === "control-plane")) {
    throw new UsageError("--worker needs at least one --control-plane NAME=IP to go with it");
  }
  return nodes;
}

/** `--remove-node NAME` (apply, plan --against): the node leaves the description; an unknown name is a usage error. */
function removeNodes(config: Record<string, unknown>, names: unknown): void {
  if (!Array.isArray(names) || names.length === 0) return;
  const nodes = Array.isArray(config.nodes) ? (config.nodes as unknown[]) : [];
  const nameOf = (node: unknown) => (node as { name?: unknown } | null)?.name;
  for (const name of names) {
    if (!nodes.some((node) => nameOf(node) === name)) {
      const known = nodes.map(nameOf).filter((known) => typeof known === "string");
      throw new UsageError(
        `--remove-node ${name}: the cluster has no node ${JSON.stringify(name)} (it has ${known.join(", ") || "none"})`,
      );
    }
  }
  config.nodes = nodes.filter((node) => !names.includes(nameOf(node)));
}

/**
 * The cluster description from `--config` (YAML with ClusterConfig's fields) and the init/plan
 * flags over `base` when there is no `--config` (the tree's own description, for day-2 commands):
 * scalar flags win, nodes are merged (see {@link mergeNodes}), `--cert-san` adds, `--remove-node`
 * removes. Validation
 * is the profiles package's; this reads, maps, and remembers which field came from which flag.
 */
export async function clusterConfigFromArgs(
  args: ParsedArgs,
  base: Readonly<Record<string, unknown>> = {},
): Promise<ConfigFromArgs> {
  const flags = args.flags;
  const config = typeof flags.config === "string" ? await readConfigFile(flags.config) : { ...base };
  const origins: FlagOrigin[] = [];
  removeNodes(config, flags["remove-node"]);
  const flagNodes = [
    ...((flags["control-plane"] as string[] | undefined) ?? []).map((typed) => ({
      node: parseNodeFlag(typed, "control-plane", "control-plane"),
      typed: `--control-plane ${typed}`,
    })),
    ...((flags.worker as string[] | undefined) ?? []).map((typed) => ({
      node: parseNodeFlag(typed, "worker", "worker"),
      typed: `--worker ${typed}`,
    })),
  ];
  const nodes = mergeNodes(config.nodes, flagNodes, origins);
  if (nodes !== undefined) config.nodes = nodes;
  for (const { flag, field, list } of SCALAR_FLAGS) {
    const value = flags[flag];
    if (typeof value !== "string") continue;
    config[field] = list ? value.split(",") : value;
    origins.push({ field, typed: `--${flag} ${value}` });
  }
  if (Array.isArray(flags["cert-san"])) {
    const fromConfig = Array.isArray(config.certSANs) ? (config.certSANs as unknown[]) : [];
    flags["cert-san"].forEach((san, i) => {
      origins.push({ field: `certSANs[${fromConfig.length + i}]`, typed: `--cert-san ${san}` });
    });
    config.certSANs = [...fromConfig, ...flags["cert-san"]];
  }
  return { config: config as ClusterConfig, origins };
}

function isFieldError(error: unknown): error is Error & { details: { field: string } } {
  const details = (error as { details?: { field?: unknown } } | null)?.details;
  return error instanceof Error && error.name === "KubepkiError" && typeof details?.field === "string";
}

/**
 * Runs `step` (validation, planning) and turns an error about a field that came from a flag into a
 * usage error that names the flag as typed: `--control-plane cp-1=10.0.0.300: "10.0.0.300" is not
 * an IPv4 or IPv6 address`, not `nodes[0].addresses[0]: …`. Errors in --config's own fields stay as
 * they are (the field is what the user wrote there).
 */
export function namingFlags<T>({ origins }: ConfigFromArgs, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!isFieldError(error)) throw error;
    const field = error.details.field;
    const origin = origins.find(
      (candidate) =>
        field === candidate.field || field.startsWith(`${candidate.field}.`) || field.startsWith(`${candidate.field}[`),
    );
    if (!origin) throw error;
    const message = error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
    throw new UsageError(`${origin.typed}: ${message}`);
  }
}

/** {@link clusterConfigFromArgs}, planned: the plan of `init` and `plan`. */
export async function planFromArgs(args: ParsedArgs): Promise<ClusterPlan> {
  const input = await clusterConfigFromArgs(args);
  return namingFlags(input, () => planCluster(input.config));
}

/** {@link clusterConfigFromArgs}, validated: the config `audit --config` checks against. */
export async function resolvedConfigFromArgs(args: ParsedArgs): Promise<ResolvedClusterConfig> {
  const input = await clusterConfigFromArgs(args);
  return namingFlags(input, () => resolveClusterConfig(input.config));
}
