import { resolve } from "node:path";
import {
  checkExpiration,
  type ExpirationRow,
  expirationTableCells,
  formatExpirationTable,
} from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { ExitCode, UsageError } from "../io/cli-error.js";
import { noCertificates } from "../io/diagnostics.js";
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

/**
 * `kubepki check-expiration [DIR] [--endpoint URL…]`: kubeadm's two tables (and a third for the
 * endpoints), or JSON; exit 1 when DIR has no certificate or an endpoint cannot be fetched, 3 when
 * a served certificate is expired.
 */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const request = await endpointRequest(args);
  if (args.positionals[0] === undefined && request === undefined) {
    throw new UsageError("Missing DIR: kubepki check-expiration DIR, or --endpoint https://HOST:PORT");
  }
  const dir = args.positionals[0] === undefined ? undefined : resolve(args.positionals[0]);
  const files = dir === undefined ? undefined : await readTree(dir);
  const rows = files ? checkExpiration(files) : [];
  if (files && rows.length === 0) throw noCertificates(args.positionals[0] as string, files.size);
  // Fetched once the tree has read fine: an unreadable DIR stops the command without sockets left open.
  const endpoints = request ? await endpointReports(await fetchEndpoints(request), files, new Date()) : undefined;
  if (terminal.json) {
    terminal.out(
      `${JSON.stringify({ ...(dir ? { dir, certificates: rows } : {}), ...(endpoints ? { endpoints } : {}) }, null, 2)}\n`,
    );
  } else {
    const tables = [
      ...(files ? [expirationTables(rows, terminal.width)] : []),
      ...(endpoints ? [formatEndpointTable(endpoints, terminal.width)] : []),
    ].filter((table) => table !== "");
    terminal.out(tables.join("\n"));
  }
  if (!endpoints) return ExitCode.ok;
  terminal.err(endpointFailures(endpoints, "check-expiration"));
  return verdictExitCode(endpointVerdict(endpoints, new Date()));
}
