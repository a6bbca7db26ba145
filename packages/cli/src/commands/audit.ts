import { resolve } from "node:path";
import { type AuditScope, auditCluster } from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { resolvedConfigFromArgs } from "../cluster-config.js";
import { ExitCode, UsageError } from "../io/cli-error.js";
import { formatFindings, noCertificates } from "../io/diagnostics.js";
import { readTree } from "../io/read-tree.js";
import type { Terminal } from "../io/terminal.js";
import { fitLines } from "../io/wrap.js";

/**
 * `kubepki audit DIR`: findings grouped by file (or JSON); exit 1 when any is an error, or when DIR
 * holds no certificate at all.
 */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const dir = resolve(args.positionals[0] as string);
  const files = await readTree(dir);
  const config = typeof args.flags.config === "string" ? await resolvedConfigFromArgs(args) : undefined;
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
  const { findings, certificates } = await auditCluster(files, {
    ...(typeof scope === "string" ? { scope: scope as AuditScope } : {}),
    ...(config ? { config } : {}),
    ...(expiringWithinDays === undefined ? {} : { expiringWithinDays }),
    ...(args.flags["pairwise-keys"] === true ? { keyCheck: "pairwise" as const } : {}),
  });
  const errors = findings.filter((finding) => finding.severity === "error").length;
  if (certificates.length === 0) {
    // An empty or wrong directory is not a clean cluster: "no findings" would read as a pass.
    if (!terminal.json && findings.length > 0) terminal.out(formatFindings(findings, terminal.width));
    throw noCertificates(args.positionals[0] as string, files.size);
  }
  if (terminal.json) {
    terminal.out(`${JSON.stringify({ dir, errors, findings }, null, 2)}\n`);
  } else if (findings.length === 0) {
    terminal.out(`${fitLines(`kubepki audit: no findings in ${dir} (${files.size} files read)`, terminal.width)}\n`);
  } else {
    terminal.out(formatFindings(findings, terminal.width));
    terminal.out(`\n${fitLines(`${findings.length} finding(s), ${errors} error(s) in ${dir}`, terminal.width)}\n`);
  }
  return errors > 0 ? ExitCode.failure : ExitCode.ok;
}
