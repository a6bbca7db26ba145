import { resolve } from "node:path";
import { type RenewResult, renewCertificates } from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { ExitCode, UsageError } from "../io/cli-error.js";
import { readTree } from "../io/read-tree.js";
import type { Terminal } from "../io/terminal.js";
import { testHooksFromEnv } from "../io/test-hooks.js";
import { holdTreeLock } from "../io/tree-lock.js";
import { fitLines } from "../io/wrap.js";
import { writeTreeWithHooks } from "../io/write-tree.js";

/** "Restart kube-apiserver and etcd." per node, from the role table's `restarts` column. */
function restartAdvice(result: RenewResult): string {
  if (result.restarts.length === 0) {
    return "Nothing to restart: no running component loads these (kubeconfigs such as admin.conf are read at each use).";
  }
  const byNode = new Map<string | undefined, string[]>();
  for (const { component, node } of result.restarts) byNode.set(node, [...(byNode.get(node) ?? []), component]);
  const list = (names: readonly string[]) =>
    names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  return [...byNode]
    .map(([node, components]) =>
      node === undefined ? `Restart ${list(components)} to use them.` : `On ${node}, restart ${list(components)}.`,
    )
    .join(" ");
}

/** `--validity DAYS`: a whole number of days > 0, checked before the tree is locked or read. */
function validityFlag(args: ParsedArgs): number | undefined {
  const value = args.flags.validity;
  if (typeof value !== "string") return undefined;
  const days = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(days) || days <= 0) {
    throw new UsageError(`--validity takes a whole number of days > 0, got ${JSON.stringify(value)}`);
  }
  return days;
}

/**
 * `kubepki renew DIR [NAME|all] [--validity DAYS]`: kubeadm's `certs renew` on a tree — same
 * subject, SANs and usages, same CA, new keys (same algorithm and size) unless --reuse-key;
 * kubeconfigs rewritten. The validity is the cluster's (kubepki.yaml, else each certificate's
 * lifetime) unless --validity; one cut short by its CA is a warning.
 * Everything asked is renewed or nothing is: renewCertificates throws (naming each failure)
 * before any file is written, and the changed files replace the old ones atomically.
 */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const dir = resolve(args.positionals[0] as string);
  const name = args.positionals[1] ?? "all";
  const validityDays = validityFlag(args);
  // One lock from read to write: two renews cannot interleave (issue 15: a mixed tree).
  const lock = await holdTreeLock(dir, { existing: true });
  let result: RenewResult;
  try {
    try {
      result = await renewCertificates(await readTree(dir, { lock }), {
        names: name === "all" ? "all" : [name],
        reuseKey: args.flags["reuse-key"] === true,
        ...(validityDays === undefined ? {} : { validityDays }),
      });
    } catch (error) {
      // By code, not instanceof: the error may come from another copy of @kubepki/core (main.ts does the same).
      const { code, message, details } = (error ?? {}) as { code?: unknown; message?: string; details?: unknown };
      if (code !== "RENEW_INCOMPLETE") throw error;
      const failures = ((details as { failures?: unknown } | undefined)?.failures ?? []) as {
        name: string;
        reason: string;
      }[];
      const lines = failures.map((failure) =>
        failure.name === "all" ? `  - no certificates found in ${dir}` : `  - ${failure.name}: ${failure.reason}`,
      );
      if (terminal.json) {
        terminal.out(`${JSON.stringify({ error: { code, message, failures } }, null, 2)}\n`);
      }
      terminal.err(`kubepki renew: nothing renewed, nothing changed in ${dir}; cannot renew:\n${lines.join("\n")}\n`);
      return ExitCode.failure;
    }
    await writeTreeWithHooks(dir, result.files, { force: true, lock }, testHooksFromEnv());
  } finally {
    await lock.release();
  }
  if (terminal.json) {
    terminal.out(
      `${JSON.stringify(
        {
          dir,
          renewed: result.renewed,
          certificates: result.certificates,
          skipped: result.skipped,
          restarts: result.restarts,
          files: result.files.map((f) => f.path),
          notes: result.notes,
          warnings: result.warnings,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    for (const renewed of result.renewed) terminal.out(`renewed ${renewed}\n`);
    for (const { name: skipped, reason } of result.skipped) terminal.out(`skipped ${skipped}: ${reason}\n`);
    for (const note of result.notes) if (!result.warnings.includes(note)) terminal.out(`note: ${note}\n`);
    for (const warning of result.warnings) terminal.err(`${fitLines(`warning: ${warning}`, terminal.width)}\n`);
    terminal.out(`\n${result.renewed.length} certificate(s) renewed in ${dir}. ${restartAdvice(result)}\n`);
  }
  return ExitCode.ok;
}
