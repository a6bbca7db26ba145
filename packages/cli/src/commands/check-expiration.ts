import { resolve } from "node:path";
import {
  checkExpiration,
  type ExpirationRow,
  expirationTableCells,
  formatExpirationTable,
} from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { ExitCode } from "../io/cli-error.js";
import { noCertificates } from "../io/diagnostics.js";
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

/** `kubepki check-expiration DIR`: kubeadm's two tables, or JSON; exit 1 when DIR has no certificate. */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const dir = resolve(args.positionals[0] as string);
  const files = await readTree(dir);
  const rows = checkExpiration(files);
  if (rows.length === 0) throw noCertificates(args.positionals[0] as string, files.size);
  terminal.out(
    terminal.json
      ? `${JSON.stringify({ dir, certificates: rows }, null, 2)}\n`
      : expirationTables(rows, terminal.width),
  );
  return ExitCode.ok;
}
