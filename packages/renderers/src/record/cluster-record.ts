import { KubepkiError } from "@kubepki/core/vocabulary";
import { parse, stringify } from "yaml";

/** The first lines of every record: what the file is, and that it holds nothing secret. */
const HEADER = [
  "# The cluster this tree was made for, written by kubepki (no keys, no secrets).",
  "# plan --against, apply and renew read it; it is also a valid --config file.",
];

/**
 * Renders a cluster record — the description a tree was made from, kept next to its files like
 * kubeadm's `kubeadm-config` ConfigMap — as YAML: a comment header, then the fields as given
 * (insertion order, block style). The caller chooses the fields; nothing here is a secret.
 *
 * @example
 * ```ts
 * import { renderClusterRecord } from "@kubepki/renderers";
 *
 * const text = renderClusterRecord({ clusterName: "kubernetes", validity: { caDays: 3650, leafDays: 90 } });
 * console.log(text.split("\n").slice(2, 5).join("|")); // "clusterName: kubernetes|validity:|  caDays: 3650"
 * ```
 */
export function renderClusterRecord(fields: Readonly<Record<string, unknown>>): string {
  return `${HEADER.join("\n")}\n${stringify(fields, { lineWidth: 0, indentSeq: false })}`;
}

/**
 * Reads a cluster record (or any `--config` file): a YAML mapping, returned as a fresh plain
 * object. An empty document is an empty mapping.
 *
 * @throws KubepkiError `INVALID_CONFIG` when the text is not YAML or not a mapping (`details.path`
 * is `path`).
 *
 * @example
 * ```ts
 * import { parseClusterRecord } from "@kubepki/renderers";
 *
 * console.log(parseClusterRecord("clusterName: prod\n", "kubepki.yaml")); // { clusterName: "prod" }
 * ```
 */
export function parseClusterRecord(text: string, path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    // No warnings on stderr: they would quote the source line.
    parsed = parse(text, { logLevel: "error" });
  } catch (error) {
    throw new KubepkiError("INVALID_CONFIG", `${path} is not valid YAML: ${(error as Error).message}`, {
      details: { path },
    });
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new KubepkiError("INVALID_CONFIG", `${path} must be a YAML mapping of ClusterConfig fields`, {
      details: { path },
    });
  }
  return { ...(parsed as Record<string, unknown>) };
}
