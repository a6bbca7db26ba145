import { resolve } from "node:path";
import { type AuditScope, auditCluster, resolveClusterConfig } from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { clusterConfigFromArgs } from "../cluster-config.js";
import { ExitCode, UsageError } from "../io/cli-error.js";
import { readTree } from "../io/read-tree.js";
import { formatTable } from "../io/table.js";
import type { Terminal } from "../io/terminal.js";

/** `kubepki audit DIR`: findings as a table (or JSON); exit 1 when any is an error. */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const dir = resolve(args.positionals[0] as string);
  const files = await readTree(dir);
  const config =
    typeof args.flags.config === "string" ? resolveClusterConfig(await clusterConfigFromArgs(args)) : undefined;
  let expiringWithinDays: number | undefined;
  if (typeof args.flags["expiring-within"] === "string") {
    expiringWithinDays = Number(args.flags["expiring-within"]);
    if (!Number.isInteger(expiringWithinDays) || expiringWithinDays < 0) {
      throw new UsageError(`--expiring-within takes a whole number of days, got ${args.flags["expiring-within"]}`);
    }
  }
  const scope = args.flags.scope;
  if (scope !== undefined && !["node", "control-plane", "cluster"].includes(scope as string)) {
    throw new UsageError(`--scope takes node, control-plane or cluster, got ${String(scope)}`);
  }
  const { findings } = await auditCluster(files, {
    ...(typeof scope === "string" ? { scope: scope as AuditScope } : {}),
    ...(config ? { config } : {}),
    ...(expiringWithinDays === undefined ? {} : { expiringWithinDays }),
    ...(args.flags["pairwise-keys"] === true ? { keyCheck: "pairwise" as const } : {}),
  });
  const errors = findings.filter((finding) => finding.severity === "error").length;
  if (terminal.json) {
    terminal.out(`${JSON.stringify({ dir, errors, findings }, null, 2)}\n`);
  } else if (findings.length === 0) {
    terminal.out(`kubepki audit: no findings in ${dir} (${files.size} files read)\n`);
  } else {
    terminal.out(
      formatTable(
        ["SEVERITY", "FILE", "ROLE", "PROBLEM", "FIX"],
        findings.map((finding) => [finding.severity, finding.file, finding.role ?? "-", finding.message, finding.fix]),
      ),
    );
    terminal.out(`\n${findings.length} finding(s), ${errors} error(s) in ${dir}\n`);
  }
  return errors > 0 ? ExitCode.failure : ExitCode.ok;
}
