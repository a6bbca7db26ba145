import { resolve } from "node:path";
import {
  certificateTimes,
  checkExpiration,
  type ExpirationRow,
  expirationInfo,
  expirationTableCells,
  expiryStatus,
  formatExpirationTable,
} from "@kubepki/k8s-profiles";
import { renderExpirationInfoJson, renderExpirationInfoYaml, renderExpiryMetrics } from "@kubepki/renderers";
import type { ParsedArgs } from "../args.js";
import { ExitCode, UsageError } from "../io/cli-error.js";
import { noCertificates } from "../io/diagnostics.js";
import { parseDuration } from "../io/duration.js";
import { readTree } from "../io/read-tree.js";
import { formatTable } from "../io/table.js";
import type { Terminal } from "../io/terminal.js";

/**
 * kubeadm's two tables as kubeadm prints them when they fit the terminal; otherwise the same
 * columns laid out to fit (headers and cells wrapped, or one block per certificate).
 */
function expirationTables(rows: readonly ExpirationRow[], width: number): string {
  const kubeadm = formatExpirationTable(rows);
  if (kubeadm.split("\n").every((line) => line.length <= width)) return kubeadm;
  const tables = expirationTableCells(rows);
  return [tables.certificates, tables.authorities]
    .map(([headers, ...cells]) => formatTable(headers as string[], cells, width))
    .join("\n");
}

type OutputFormat = "table" | "json" | "yaml" | "prometheus";

/** `-o` (checked against the spec's choices by the parser); `--json` is kubepki's own JSON and excludes `-o`. */
function outputFormat(args: ParsedArgs, terminal: Terminal): OutputFormat | "kubepki-json" {
  const output = (args.flags.output as OutputFormat | undefined) ?? "table";
  if (terminal.json && output !== "table") {
    throw new UsageError("--json (kubepki's JSON) and -o (kubeadm's json/yaml, prometheus) exclude each other");
  }
  return terminal.json ? "kubepki-json" : output;
}

/**
 * `kubepki check-expiration DIR`: kubeadm's two tables, kubeadm's JSON/YAML, Prometheus metrics or
 * kubepki's JSON. Exit 3 when a certificate is expired or not yet valid, else 1 when one expires
 * within `--warn-within`, else 0; exit 1 when DIR has no certificate.
 */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const warnWithinMs =
    args.flags["warn-within"] === undefined ? undefined : parseDuration("warn-within", args.flags["warn-within"]);
  const format = outputFormat(args, terminal);
  const dir = resolve(args.positionals[0] as string);
  const files = await readTree(dir);
  const now = new Date();
  const rows = checkExpiration(files, { now });
  if (rows.length === 0) throw noCertificates(args.positionals[0] as string, files.size);
  const times = certificateTimes(files, { now });
  const text = {
    "kubepki-json": () => `${JSON.stringify({ dir, certificates: rows }, null, 2)}\n`,
    table: () => expirationTables(rows, terminal.width),
    json: () => renderExpirationInfoJson(expirationInfo(rows, now)),
    yaml: () => renderExpirationInfoYaml(expirationInfo(rows, now)),
    prometheus: () => renderExpiryMetrics(times),
  }[format];
  terminal.out(text());
  const { invalid, expiring } = expiryStatus(times, { now, ...(warnWithinMs === undefined ? {} : { warnWithinMs }) });
  const names = (list: readonly { name: string }[]) => list.map((c) => c.name).join(", ");
  if (invalid.length > 0) {
    terminal.err(`kubepki check-expiration: expired or not yet valid: ${names(invalid)}\n`);
    return ExitCode.expired;
  }
  if (expiring.length > 0) {
    terminal.err(
      `kubepki check-expiration: expiring within ${args.flags["warn-within"] as string}: ${names(expiring)}\n`,
    );
    return ExitCode.failure;
  }
  return ExitCode.ok;
}
