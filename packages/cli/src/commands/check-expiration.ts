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
import {
  endpointFailures,
  endpointReports,
  endpointRequest,
  endpointVerdict,
  fetchEndpoints,
  formatEndpointTable,
  verdictExitCode,
} from "./endpoints.js";

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

/** Exit 3 when a certificate is expired or not yet valid, else 1 when one expires within the window; names on stderr. */
function filesExitCode(
  times: ReturnType<typeof certificateTimes>,
  now: Date,
  warnWithin: { readonly text: string; readonly ms: number } | undefined,
  terminal: Terminal,
): number {
  const warnWithinMs = warnWithin?.ms;
  const { invalid, expiring } = expiryStatus(times, { now, ...(warnWithinMs === undefined ? {} : { warnWithinMs }) });
  const names = (list: readonly { name: string }[]) => list.map((c) => c.name).join(", ");
  if (invalid.length > 0) {
    terminal.err(`kubepki check-expiration: expired or not yet valid: ${names(invalid)}\n`);
    return ExitCode.expired;
  }
  if (expiring.length > 0) {
    terminal.err(`kubepki check-expiration: expiring within ${warnWithin?.text}: ${names(expiring)}\n`);
    return ExitCode.failure;
  }
  return ExitCode.ok;
}

/** The worse of two exit codes: 3 (expired) over 1 over 0. */
function worseExit(a: number, b: number): number {
  const rank = [ExitCode.ok, ExitCode.failure, ExitCode.expired] as number[];
  return rank.indexOf(a) >= rank.indexOf(b) ? a : b;
}

/**
 * `kubepki check-expiration [DIR] [--endpoint URL…]`: kubeadm's two tables (and a third for the
 * endpoints), kubeadm's JSON/YAML, Prometheus metrics or kubepki's JSON. Exit 3 when a certificate
 * (on disk or served) is expired or not yet valid, else 1 when one expires within `--warn-within`
 * or an endpoint cannot be fetched, else 0; exit 1 when DIR has no certificate.
 */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const text = args.flags["warn-within"] as string | undefined;
  const warnWithin = text === undefined ? undefined : { text, ms: parseDuration("warn-within", text) };
  const format = outputFormat(args, terminal);
  const request = await endpointRequest(args);
  if (args.positionals[0] === undefined && request === undefined) {
    throw new UsageError("Missing DIR: kubepki check-expiration DIR, or --endpoint https://HOST:PORT");
  }
  if (request && !["table", "kubepki-json"].includes(format)) {
    // kubeadm's CertificateExpirationInfo and the textfile metrics describe files; endpoints have no place there.
    throw new UsageError("--endpoint is reported in the table and in --json, not with -o json|yaml|prometheus");
  }
  const dir = args.positionals[0] === undefined ? undefined : resolve(args.positionals[0]);
  const files = dir === undefined ? undefined : await readTree(dir);
  const now = new Date();
  const rows = files ? checkExpiration(files, { now }) : [];
  if (files && rows.length === 0) throw noCertificates(args.positionals[0] as string, files.size);
  const times = files ? certificateTimes(files, { now }) : [];
  // Fetched once the tree has read fine: an unreadable DIR stops the command without sockets left open.
  const endpoints = request ? await endpointReports(await fetchEndpoints(request), files, now) : undefined;
  const render = {
    "kubepki-json": () =>
      `${JSON.stringify({ ...(dir ? { dir, certificates: rows } : {}), ...(endpoints ? { endpoints } : {}) }, null, 2)}\n`,
    table: () =>
      [
        ...(files ? [expirationTables(rows, terminal.width)] : []),
        ...(endpoints ? [formatEndpointTable(endpoints, terminal.width)] : []),
      ]
        .filter((table) => table !== "")
        .join("\n"),
    json: () => renderExpirationInfoJson(expirationInfo(rows, now)),
    yaml: () => renderExpirationInfoYaml(expirationInfo(rows, now)),
    prometheus: () => renderExpiryMetrics(times),
  }[format];
  terminal.out(render());
  const filesExit = files ? filesExitCode(times, now, warnWithin, terminal) : ExitCode.ok;
  if (!endpoints) return filesExit;
  terminal.err(endpointFailures(endpoints, "check-expiration"));
  return worseExit(filesExit, verdictExitCode(endpointVerdict(endpoints, now, warnWithin?.ms)));
}
