import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { parseCertificates } from "@kubepki/core";
import { type ApplyResult, applyCluster, type ClusterDiff, diffCluster } from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { backupFiles, backupFolder } from "../io/backup.js";
import { CliError, ExitCode, UsageError } from "../io/cli-error.js";
import { diffJson, formatDiff } from "../io/diff-output.js";
import { readTree } from "../io/read-tree.js";
import { validityFlag } from "../io/restarts.js";
import type { Terminal } from "../io/terminal.js";
import { testHooksFromEnv } from "../io/test-hooks.js";
import { holdTreeLock } from "../io/tree-lock.js";
import { wrapHanging } from "../io/wrap.js";
import { writeTreeWithHooks } from "../io/write-tree.js";
import { wantedConfigFromArgs } from "./wanted-config.js";

/**
 * `--ca-cert` on apply: the tree's own CA is fine (a no-op); another one would replace the CA,
 * which only a rotation may do.
 */
async function refuseOtherCa(args: ParsedArgs, files: ReadonlyMap<string, string>): Promise<void> {
  const file = args.flags["ca-cert"];
  if (typeof file !== "string") return;
  const text = await readFile(file, "utf8").catch((error: Error) => {
    throw new CliError("FILE_UNREADABLE", `Cannot read --ca-cert ${file}: ${error.message}`);
  });
  const fingerprint = (pem: string | undefined) => {
    try {
      return pem === undefined ? undefined : parseCertificates(pem)[0]?.fingerprintSha256;
    } catch {
      return undefined;
    }
  };
  const given = fingerprint(text);
  if (given === undefined) throw new CliError("INVALID_PEM", `--ca-cert ${file} holds no readable certificate`);
  if (given === fingerprint(files.get("pki/ca.crt"))) return;
  throw new CliError(
    "CA_REPLACEMENT_REFUSED",
    `--ca-cert ${file} is not the tree's cluster CA (pki/ca.crt): apply never replaces a CA, because every node and kubeconfig trusts the one there. Changing it is a CA rotation (kubepki rotate, in phases); nothing was written.`,
  );
}

/** How many files the diff would write or remove. */
const pending = (diff: ClusterDiff, prune: boolean) =>
  diff.counts.add + diff.counts.change + (prune ? diff.counts.remove : 0);

/** Asks on the terminal; without one, `--yes` is required (a script must say it means it). */
async function confirmed(args: ParsedArgs, count: number, dir: string): Promise<boolean> {
  if (args.flags.yes === true) return true;
  if (process.stdin.isTTY !== true) {
    throw new UsageError(
      `apply would change ${count} file(s) in ${dir}: pass --yes to apply them (no terminal to ask on), or --dry-run to only see them`,
    );
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`Apply these ${count} change(s) to ${dir}? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}

/**
 * `kubepki apply DIR`: makes the tree what the wanted cluster needs and nothing more — the plan of
 * `plan --against DIR`, carried out under the tree's lock in one journaled transaction (an
 * interrupted apply leaves the old tree or the new one). CAs and fitting certificates are kept
 * byte for byte; replaced and pruned files are moved to `tmp/kubepki-backup-<time>/` in DIR.
 */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const dir = resolve(args.positionals[0] as string);
  const prune = args.flags.prune === true;
  const dryRun = args.flags["dry-run"] === true;
  const validityDays = validityFlag(args);
  const now = new Date();
  const lock = await holdTreeLock(dir, { existing: true });
  let result: ApplyResult | undefined;
  let backup: string | undefined;
  let diff: ClusterDiff;
  let source: string;
  let notes: readonly string[];
  try {
    const files = await readTree(dir, { lock });
    const wanted = await wantedConfigFromArgs(args, files);
    ({ source, notes } = wanted);
    await refuseOtherCa(args, files);
    diff = diffCluster(wanted.config, files, { now });
    if (!terminal.json) terminal.out(formatDiff(diff, { source, prune, width: terminal.width, notes }));
    const count = pending(diff, prune);
    if (count > 0 && !dryRun) {
      if (!(await confirmed(args, count, dir))) {
        terminal.err("kubepki apply: not confirmed; nothing written\n");
        return ExitCode.failure;
      }
      const controller = new AbortController();
      result = await applyCluster(wanted.config, files, {
        now,
        prune,
        reuseKey: args.flags["reuse-key"] === true,
        ...(validityDays === undefined ? {} : { validityDays }),
        signal: controller.signal,
        onProgress: (event) => terminal.progress(event.done, event.total, event.name),
      });
      terminal.endProgress();
      const replaced = result.files.map((file) => file.path).filter((path) => files.has(path));
      const saved = [...replaced, ...result.remove];
      if (saved.length > 0) backup = backupFolder(dir, now);
      const backups = backup === undefined ? [] : await backupFiles(dir, saved, backup);
      await writeTreeWithHooks(
        dir,
        [...result.files, ...backups],
        { force: true, lock, remove: result.remove },
        testHooksFromEnv(),
      );
    }
  } finally {
    await lock.release();
  }
  if (terminal.json) {
    const written = result?.files.map((file) => file.path) ?? [];
    terminal.out(
      `${JSON.stringify({ dir, dryRun, ...diffJson(diff, source, notes), written, removed: result?.remove ?? [], backup: backup ?? null }, null, 2)}\n`,
    );
    return ExitCode.ok;
  }
  if (result === undefined) {
    terminal.out(
      pending(diff, prune) === 0
        ? `\nNothing to do: ${dir} is what the cluster needs.\n`
        : "\nDry run: nothing written.\n",
    );
    return ExitCode.ok;
  }
  for (const note of result.notes) if (!diff.notes.includes(note)) terminal.err(`warning: ${note}\n`);
  const removed = result.remove.length > 0 ? `, ${result.remove.length} removed` : "";
  const kept =
    result.kept.length > 0 ? ` ${result.kept.length} file(s) of removed nodes kept (--prune moves them).` : "";
  const saved = backup === undefined ? "" : ` The old versions are in ${backup}/.`;
  const summary = `kubepki apply: ${result.files.length} file(s) written${removed} in ${dir}.${saved}${kept}`;
  terminal.out(`\n${wrapHanging("", summary, terminal.width, 2).join("\n")}\n`);
  return ExitCode.ok;
}
