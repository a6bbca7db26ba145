import { readFile } from "node:fs/promises";
import type { ClusterConfig, NodeConfig } from "@kubepki/k8s-profiles";
import { parse as parseYaml } from "yaml";
import type { ParsedArgs } from "./args.js";
import { CliError, UsageError } from "./io/cli-error.js";

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

/**
 * The cluster description from `--config` (YAML with ClusterConfig's fields) and the init/plan
 * flags, flags winning. Validation is the profiles package's (`planCluster` names the field);
 * this only reads and maps.
 */
export async function clusterConfigFromArgs(args: ParsedArgs): Promise<ClusterConfig> {
  const flags = args.flags;
  let config: Record<string, unknown> = {};
  if (typeof flags.config === "string") {
    let text: string;
    try {
      text = await readFile(flags.config, "utf8");
    } catch (error) {
      throw new CliError("CONFIG_UNREADABLE", `Cannot read --config ${flags.config}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      // No yaml warnings on stderr: they quote the source line (a key, when a kubeconfig is passed).
      parsed = parseYaml(text, { logLevel: "error" });
    } catch (error) {
      throw new CliError("INVALID_CONFIG", `--config ${flags.config} is not valid YAML: ${(error as Error).message}`);
    }
    if (parsed === null || parsed === undefined) parsed = {};
    if (typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new CliError("INVALID_CONFIG", `--config ${flags.config} must be a YAML mapping of ClusterConfig fields`);
    }
    config = { ...(parsed as Record<string, unknown>) };
  }
  const controlPlanes = ((flags["control-plane"] as string[] | undefined) ?? []).map((value) =>
    parseNodeFlag(value, "control-plane", "control-plane"),
  );
  const workers = ((flags.worker as string[] | undefined) ?? []).map((value) =>
    parseNodeFlag(value, "worker", "worker"),
  );
  if (controlPlanes.length > 0 || workers.length > 0) {
    if (controlPlanes.length === 0) {
      throw new UsageError("--worker needs at least one --control-plane NAME=IP to go with it");
    }
    config.nodes = [...controlPlanes, ...workers];
  }
  if (typeof flags["control-plane-endpoint"] === "string")
    config.controlPlaneEndpoint = flags["control-plane-endpoint"];
  if (typeof flags["service-cidr"] === "string") config.serviceSubnets = flags["service-cidr"].split(",");
  if (typeof flags["dns-domain"] === "string") config.dnsDomain = flags["dns-domain"];
  if (typeof flags["cluster-name"] === "string") config.clusterName = flags["cluster-name"];
  if (Array.isArray(flags["cert-san"]))
    config.certSANs = [...((config.certSANs as string[]) ?? []), ...flags["cert-san"]];
  if (typeof flags["key-algorithm"] === "string") config.keyAlgorithm = flags["key-algorithm"];
  if (typeof flags["kube-proxy"] === "string") config.kubeProxy = flags["kube-proxy"];
  return config as ClusterConfig;
}
