import { resolve } from "node:path";
import { checkExpiration, formatExpirationTable } from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { ExitCode } from "../io/cli-error.js";
import { readTree } from "../io/read-tree.js";
import type { Terminal } from "../io/terminal.js";

/** `kubepki check-expiration DIR`: kubeadm's two tables, or JSON. */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const dir = resolve(args.positionals[0] as string);
  const rows = await checkExpiration(await readTree(dir));
  terminal.out(
    terminal.json ? `${JSON.stringify({ dir, certificates: rows }, null, 2)}\n` : formatExpirationTable(rows),
  );
  return ExitCode.ok;
}
