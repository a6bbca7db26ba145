import { KubepkiError } from "@kubepki/core/names";
import type { ClusterConfig, ClusterKeyAlgorithm, NodeConfig } from "@kubepki/k8s-profiles";
import { parse as parseYaml } from "yaml";
import { FORM_FIELDS, type FormValues } from "./fields.js";

/**
 * The form as a {@link ClusterConfig}, unvalidated: `resolveClusterConfig` is the one place that
 * validates it. Only what the config cannot say is refused here — a node line that is not
 * `name=IP` — with the field `nodes[i]` resolve would use for that node, so every error maps to
 * its input the same way.
 */
export function configFromForm(values: FormValues): ClusterConfig {
  const controlPlanes = nodeLines(values.controlPlanes, "control-plane", 0);
  const workers = nodeLines(values.workers, "worker", controlPlanes.length);
  const text = (value: string) => (value.trim() === "" ? undefined : value.trim());
  const endpoint = text(values.endpoint);
  const serviceCidr = text(values.serviceCidr);
  const clusterName = text(values.clusterName);
  const dnsDomain = text(values.dnsDomain);
  return {
    ...(clusterName === undefined ? {} : { clusterName }),
    nodes: [...controlPlanes, ...workers],
    ...(endpoint === undefined ? {} : { controlPlaneEndpoint: endpoint }),
    ...(serviceCidr === undefined ? {} : { serviceSubnets: serviceCidr }),
    ...(dnsDomain === undefined ? {} : { dnsDomain }),
    keyAlgorithm: values.keyAlgorithm as ClusterKeyAlgorithm,
    validity: { caDays: days(values.caDays), leafDays: days(values.leafDays) },
  };
}

/** A whole number as typed; anything else goes through as NaN, which resolve refuses at its field. */
function days(value: string): number {
  return value.trim() === "" ? Number.NaN : Number(value);
}

function nodeLines(text: string, role: NodeConfig["role"], first: number): NodeConfig[] {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  return lines.map((line, index) => {
    const equals = line.indexOf("=");
    const addresses = line
      .slice(equals + 1)
      .split(",")
      .map((address) => address.trim())
      .filter((address) => address !== "");
    if (equals <= 0 || addresses.length === 0) {
      const field = `nodes[${first + index}]`;
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        `${field}: ${JSON.stringify(line)} is not name=IP (or name=IP,IP for dual-stack)`,
        { details: { field } },
      );
    }
    return { name: line.slice(0, equals).trim(), role, addresses };
  });
}

/** Pasted YAML (the cluster config format `resolveClusterConfig` takes) as a config; a syntax error is `INVALID_CONFIG`. */
export function configFromYaml(text: string): ClusterConfig {
  let parsed: unknown;
  try {
    parsed = parseYaml(text, { logLevel: "error" });
  } catch (error) {
    throw new KubepkiError("INVALID_CONFIG", `the YAML does not parse: ${(error as Error).message}`, {
      details: { field: "yaml" },
    });
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new KubepkiError("INVALID_CONFIG", "the YAML must be a mapping of cluster config fields", {
      details: { field: "yaml" },
    });
  }
  return parsed as ClusterConfig;
}

/** The form control (its element id) that an error's `details.field` is about. */
export function controlForField(field: string | undefined, controlPlaneCount: number): string | undefined {
  if (field === undefined) return undefined;
  const node = /^nodes\[(\d+)\]/.exec(field);
  if (node) return Number(node[1]) < controlPlaneCount ? "control-planes" : "workers";
  const covers = (name: string) => field === name || field.startsWith(`${name}[`) || field.startsWith(`${name}.`);
  return FORM_FIELDS.find((row) => row.configFields.some(covers))?.id;
}
