import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseCertificates } from "@kubepki/core";
import {
  type ApplyOptions,
  type ApplyResult,
  applyCluster,
  type ClusterDiff,
  diffCluster,
} from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { backupFiles, backupFolder } from "../io/backup.js";
import { CliError, ExitCode, UsageError } from "../io/cli-error.js";
import { diffJson, formatDiff } from "../io/diff-output.js";
import { abortOnSignals } from "../io/interrupt.js";
import { readTree } from "../io/read-tree.js";
import { validityFlag } from "../io/restarts.js";
import type { Terminal } from "../io/terminal.js";
import { testHooksFromEnv } from "../io/test-hooks.js";
import { type HeldTreeLock, holdTreeLock } from "../io/tree-lock.js";
import { wrapHanging } from "../io/wrap.js";
import { writeTreeWithHooks } from "../io/write-tree.js";
import { type WantedConfig, wantedConfigFromArgs } from "./wanted-config.js";

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
  // The callback API: `node:readline/promises` is one more builtin that bundlers may not resolve.
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await new Promise<string>((resolve) => {
    prompt.question(`Apply these ${count} change(s) to ${dir}? [y/N] `, resolve);
    prompt.once("close", () => resolve(""));
  });
  prompt.close();
  return /^y(es)?$/i.test(answer.trim());
}

/** What apply wrote: the library's result and the backup folder (none when nothing was replaced). */
interface Written {
  readonly result: ApplyResult;
  readonly backup: string | undefined;
}

/**
 * Issues the difference (Ctrl-C before the write: nothing written, exit 130), then writes it with
 * the backups of every replaced and pruned file, and the removals, as one journaled transaction.
 */
async function carryOut(
  dir: string,
  files: ReadonlyMap<string, string>,
  wanted: WantedConfig,
  options: ApplyOptions,
  lock: HeldTreeLock,
  terminal: Terminal,
): Promise<Written | "interrupted"> {
  const controller = new AbortController();
  const release = abortOnSignals(controller);
  let result: ApplyResult;
  try {
    result = await applyCluster(wanted.config, files, {
      ...options,
      signal: controller.signal,
      onProgress: (event) => terminal.progress(event.done, event.total, event.name),
    });
  } catch (error) {
    if (controller.signal.aborted) return "interrupted";
    throw error;
  } finally {
    terminal.endProgress();
    release();
  }
  const replaced = result.files.map((file) => file.path).filter((path) => files.has(path));
  const saved = [...replaced, ...result.remove];
  const backup = saved.length > 0 ? backupFolder(dir, options.now ?? new Date()) : undefined;
  const backups = backup === undefined ? [] : await backupFiles(dir, saved, backup);
  const write = { force: true, lock, remove: result.remove };
  await writeTreeWithHooks(dir, [...result.files, ...backups], write, testHooksFromEnv());
  return { result, backup };
}

/** The last lines: what was written, removed and kept, and where the old files are. */
function summary({ result, backup }: Written, dir: string, width: number): string {
  const removed = result.remove.length > 0 ? `, ${result.remove.length} removed` : "";
  const kept =
    result.kept.length > 0 ? ` ${result.kept.length} file(s) of removed nodes kept (--prune moves them).` : "";
  const saved = backup === undefined ? "" : ` The old versions are in ${backup}/.`;
  const text = `kubepki apply: ${result.files.length} file(s) written${removed} in ${dir}.${saved}${kept}`;
  return `\n${wrapHanging("", text, width, 2).join("\n")}\n`;
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
  const validityDays = validityFlag(args);
  const options: ApplyOptions = {
    now: new Date(),
    prune,
    reuseKey: args.flags["reuse-key"] === true,
    ...(validityDays === undefined ? {} : { validityDays }),
  };
  const lock = await holdTreeLock(dir, { existing: true });
  let written: Written | "interrupted" | undefined;
  let diff: ClusterDiff;
  let wanted: WantedConfig;
  try {
    const files = await readTree(dir, { lock });
    wanted = await wantedConfigFromArgs(args, files);
    await refuseOtherCa(args, files);
    diff = diffCluster(wanted.config, files, { now: options.now });
    const shown = { source: wanted.source, prune, width: terminal.width, notes: wanted.notes };
    if (!terminal.json) terminal.out(formatDiff(diff, shown));
    const count = pending(diff, prune);
    if (count > 0 && args.flags["dry-run"] !== true) {
      if (!(await confirmed(args, count, dir))) {
        terminal.err("kubepki apply: not confirmed; nothing written\n");
        return ExitCode.failure;
      }
      written = await carryOut(dir, files, wanted, options, lock, terminal);
    }
  } finally {
    await lock.release();
  }
  if (written === "interrupted") {
    terminal.err("kubepki apply: interrupted; nothing was written\n");
    return 130;
  }
  if (terminal.json) {
    const { result, backup } = written ?? {};
    const report = {
      dir,
      dryRun: args.flags["dry-run"] === true,
      ...diffJson(diff, wanted.source, wanted.notes),
      written: result?.files.map((file) => file.path) ?? [],
      removed: result?.remove ?? [],
      backup: backup ?? null,
    };
    terminal.out(`${JSON.stringify(report, null, 2)}\n`);
    return ExitCode.ok;
  }
  if (written === undefined) {
    const nothing = pending(diff, prune) === 0;
    terminal.out(nothing ? `\nNothing to do: ${dir} is what the cluster needs.\n` : "\nDry run: nothing written.\n");
    return ExitCode.ok;
  }
  for (const note of written.result.notes) if (!diff.notes.includes(note)) terminal.err(`warning: ${note}\n`);
  terminal.out(summary(written, dir, terminal.width));
  return ExitCode.ok;
}
