import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  type AuditScope,
  auditCluster,
  CLUSTER_RECORD_PATH,
  compareServedCertificates,
  type Finding,
  type FindingCode,
  type ResolvedClusterConfig,
  readClusterRecord,
  resolveClusterConfig,
} from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { resolvedConfigFromArgs } from "../cluster-config.js";
import { CliError, ExitCode, UsageError } from "../io/cli-error.js";
import { formatFindings, noCertificates } from "../io/diagnostics.js";
import { parseDuration } from "../io/duration.js";
import { readTree } from "../io/read-tree.js";
import type { Terminal } from "../io/terminal.js";
import { fitLines } from "../io/wrap.js";
import { endpointRequest, fetchEndpoints, servedChains } from "./endpoints.js";

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

const DAY_MS = 86_400_000;

/** `--expiring-within` in days: a duration (`30d`, `720h`, `90m`, `3600s`), or a bare number of days as before. */
function expiringWithin(args: ParsedArgs): number | undefined {
  const value = args.flags["expiring-within"];
  return value === undefined ? undefined : parseDuration("expiring-within", value, "d") / DAY_MS;
}

/**
 * 3 when a certificate (on disk, or served with `--endpoint`) is expired or not yet valid (it fails every handshake now), else 1 for any
 * other error finding, and 1 for a certificate expiring within an `--expiring-within` the user
 * gave (the default window only warns), else 0.
 */
function auditExitCode(findings: readonly Finding[], explicitWindow: boolean): number {
  const has = (code: FindingCode) => findings.some((finding) => finding.code === code);
  if (has("EXPIRED") || has("NOT_YET_VALID") || has("SERVED_CERT_EXPIRED")) return ExitCode.expired;
  if (findings.some((finding) => finding.severity === "error")) return ExitCode.failure;
  return explicitWindow && has("EXPIRES_SOON") ? ExitCode.failure : ExitCode.ok;
}

/**
 * `kubepki audit DIR`: findings grouped by file (or JSON); exit codes as {@link auditExitCode};
 * exit 1 when DIR holds no certificate at all.
 */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const dir = resolve(args.positionals[0] as string);
  const files = await readTree(dir);
  const config = await auditConfig(args, files);
  const expiringWithinDays = expiringWithin(args);
  const scope = args.flags.scope;
  if (scope !== undefined && !["node", "control-plane", "cluster"].includes(scope as string)) {
    throw new UsageError(`--scope takes node, control-plane or cluster, got ${String(scope)}`);
  }
  const rootCa = await readRootCa(args.flags["root-ca"]);
  const request = await endpointRequest(args);
  const { findings: treeFindings, certificates } = await auditCluster(files, {
    ...(rootCa === undefined ? {} : { rootCa }),
    ...(typeof scope === "string" ? { scope: scope as AuditScope } : {}),
    ...(config ? { config } : {}),
    ...(expiringWithinDays === undefined ? {} : { expiringWithinDays }),
    ...(args.flags["pairwise-keys"] === true ? { keyCheck: "pairwise" as const } : {}),
  });
  // What the servers present, beside what is on disk (`--endpoint`).
  const findings = [
    ...treeFindings,
    ...(request ? await compareServedCertificates(files, servedChains(await fetchEndpoints(request))) : []),
  ];
  const errors = findings.filter((finding) => finding.severity === "error").length;
  if (certificates.length === 0) {
    // An empty or wrong directory is not a clean cluster: "no findings" would read as a pass. The
    // library's NO_CERTIFICATES finding says what the error below says: only the others are shown.
    const others = findings.filter((finding) => finding.code !== "NO_CERTIFICATES");
    if (!terminal.json && others.length > 0) terminal.out(formatFindings(others, terminal.width));
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
  return auditExitCode(findings, expiringWithinDays !== undefined);
}
