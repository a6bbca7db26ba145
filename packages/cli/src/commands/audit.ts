import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  type AuditScope,
  auditCluster,
  CLUSTER_RECORD_PATH,
  type ResolvedClusterConfig,
  readClusterRecord,
  resolveClusterConfig,
} from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { resolvedConfigFromArgs } from "../cluster-config.js";
import { CliError, ExitCode, UsageError } from "../io/cli-error.js";
import { formatFindings, noCertificates } from "../io/diagnostics.js";
import { readTree } from "../io/read-tree.js";
import type { Terminal } from "../io/terminal.js";
import { fitLines } from "../io/wrap.js";

/**
 * The cluster to check against: `--config` (and flags), else the tree's own record (kubepki.yaml,
 * written by init and apply), else none (a tree kubepki did not make: no exact SAN and file checks).
 */
async function auditConfig(
  args: ParsedArgs,
  files: ReadonlyMap<string, string>,
): Promise<ResolvedClusterConfig | undefined> {
  if (typeof args.flags.config === "string") return resolvedConfigFromArgs(args);
  const record = readClusterRecord(files);
  if (record === undefined) return undefined;
  try {
    return resolveClusterConfig(record);
  } catch (error) {
    const { message } = error as Error;
    throw new CliError("INVALID_CONFIG", `${CLUSTER_RECORD_PATH} in the tree does not validate: ${message}`);
  }
}

/** `--root-ca FILE`: the organisation's root (PEM, optionally with the intermediates below it). */
async function readRootCa(file: unknown): Promise<string | undefined> {
  if (file === undefined) return undefined;
  if (typeof file !== "string") throw new UsageError("--root-ca takes a file: the root certificate (PEM)");
  return readFile(file, "utf8").catch((error: Error) => {
    throw new CliError("FILE_UNREADABLE", `Cannot read --root-ca ${file}: ${error.message}`);
  });
}

/**
 * `kubepki audit DIR`: findings grouped by file (or JSON); exit 1 when any is an error, or when DIR
 * holds no certificate at all.
 */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const dir = resolve(args.positionals[0] as string);
  const files = await readTree(dir);
  const config = await auditConfig(args, files);
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
  const rootCa = await readRootCa(args.flags["root-ca"]);
  const { findings, certificates } = await auditCluster(files, {
    ...(rootCa === undefined ? {} : { rootCa }),
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
  if (typeof args.flags.graph === "string") {
    await (await import("../io/graph-output.js")).printTreeGraph(files, findings, args, terminal);
  } else if (terminal.json) {
    terminal.out(`${JSON.stringify({ dir, errors, findings }, null, 2)}\n`);
  } else if (findings.length === 0) {
    terminal.out(`${fitLines(`kubepki audit: no findings in ${dir} (${files.size} files read)`, terminal.width)}\n`);
  } else {
    terminal.out(formatFindings(findings, terminal.width));
    terminal.out(`\n${fitLines(`${findings.length} finding(s), ${errors} error(s) in ${dir}`, terminal.width)}\n`);
  }
  return errors > 0 ? ExitCode.failure : ExitCode.ok;
}
