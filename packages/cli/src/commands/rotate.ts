import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  describeTree,
  type RotationPhase,
  type RotationResult,
  type RotationState,
  type RotationTarget,
  rotateCas,
  rotationStatus,
} from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { backupFiles, backupFolder } from "../io/backup.js";
import { CliError, ExitCode, UsageError } from "../io/cli-error.js";
import { invocation } from "../io/invocation.js";
import { readTree } from "../io/read-tree.js";
import { formatTable } from "../io/table.js";
import type { Terminal } from "../io/terminal.js";
import { testHooksFromEnv } from "../io/test-hooks.js";
import { holdTreeLock } from "../io/tree-lock.js";
import { wrapHanging } from "../io/wrap.js";
import { writeTreeWithHooks } from "../io/write-tree.js";

const TARGETS: readonly RotationTarget[] = ["ca", "etcd-ca", "front-proxy-ca", "sa"];
const PHASES: readonly RotationPhase[] = ["begin", "reissue", "finish"];
/** What each state waits for, as the phase to run next. */
const NEXT: Record<RotationState["phase"], RotationPhase> = { none: "begin", begun: "reissue", reissued: "finish" };

/** `--ca ca|etcd-ca|front-proxy-ca|sa|all` (repeatable, or comma-separated). */
function targetsFlag(value: unknown): readonly RotationTarget[] | "all" {
  const words = (Array.isArray(value) ? value : [value])
    .filter((word): word is string => typeof word === "string")
    .flatMap((word) => word.split(","));
  if (words.length === 0) throw new UsageError(`rotate needs --ca: one of ${TARGETS.join(", ")} or all`);
  if (words.includes("all")) return "all";
  for (const word of words) {
    if (!TARGETS.includes(word as RotationTarget)) {
      throw new UsageError(`--ca takes ${TARGETS.join(", ")} or all; got ${JSON.stringify(word)}`);
    }
  }
  return [...new Set(words)] as RotationTarget[];
}

/** `--ca-cert`/`--ca-key` for begin: the incoming CA, when the security team made it. */
async function suppliedCa(args: ParsedArgs) {
  const cert = args.flags["ca-cert"];
  const key = args.flags["ca-key"];
  if (cert === undefined && key === undefined) return undefined;
  if (typeof cert !== "string" || typeof key !== "string") {
    throw new UsageError("--ca-cert and --ca-key go together: the new CA's certificate and its private key");
  }
  const read = (file: string, flag: string) =>
    readFile(file, "utf8").catch((error: Error) => {
      throw new CliError("FILE_UNREADABLE", `Cannot read --${flag} ${file}: ${error.message}`);
    });
  return { certificatePem: await read(cert, "ca-cert"), privateKeyPem: await read(key, "ca-key") };
}

/** Where a tree stands, one row per CA (and the service-account key), with the command to run next. */
function statusText(dir: string, states: readonly RotationState[], width: number): string {
  const { command } = invocation(process.env);
  const rows = states.map((state) => [
    state.target,
    state.phase === "none" ? "no rotation" : state.phase,
    state.phase === "none"
      ? `${command} rotate ${dir} --ca ${state.target} begin`
      : `${command} rotate ${dir} --ca ${state.target} ${NEXT[state.phase]}`,
  ]);
  return formatTable(["CA", "PHASE", { header: "NEXT", under: true }], rows, width);
}

/** The node whose files a path is: `nodes/<name>/…`, else the tree root's (the first control-plane node). */
function nodeOf(path: string, rootNode: string): string {
  const match = /^nodes\/([^/]+)\//.exec(path);
  return match ? (match[1] as string) : rootNode;
}

/** Per node, the files this phase writes or removes; then the restarts, in order. */
function phaseText(result: RotationResult, rootNode: string, width: number): string {
  const byNode = new Map<string, string[]>();
  const add = (node: string, line: string) => byNode.set(node, [...(byNode.get(node) ?? []), line]);
  for (const file of result.files) add(nodeOf(file.path, rootNode), `~ ${file.path}`);
  for (const path of result.remove) add(nodeOf(path, rootNode), `- ${path} (to the backup)`);
  const lines: string[] = [];
  for (const [node, files] of byNode) {
    lines.push(`On ${node}:`);
    for (const file of files) lines.push(...wrapHanging("  ", file, width, 4));
  }
  if (result.restarts.length > 0) {
    lines.push("", "Then restart, in this order (roll the files out first):");
    result.restarts.forEach((step, i) => {
      const where = step.node === undefined ? rootNode : step.node;
      lines.push(...wrapHanging(`  ${i + 1}. `, `on ${where}: ${step.components.join(", ")}`, width, 5));
    });
  }
  for (const note of result.notes) lines.push(...wrapHanging("note: ", note, width));
  return `${lines.join("\n")}\n`;
}

/**
 * `kubepki rotate DIR --ca … begin|reissue|finish` and `kubepki rotate DIR status`: CA rotation in
 * the three phases of the Kubernetes docs' manual procedure. Each phase is one journaled write
 * under the tree's lock; replaced and removed files go to `tmp/kubepki-backup-<time>/`.
 */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const dir = resolve(args.positionals[0] as string);
  const action = args.positionals[1];
  if (action === "status") {
    const states = rotationStatus(await readTree(dir));
    if (terminal.json) terminal.out(`${JSON.stringify({ dir, states }, null, 2)}\n`);
    else terminal.out(statusText(args.positionals[0] as string, states, terminal.width));
    return ExitCode.ok;
  }
  if (!PHASES.includes(action as RotationPhase)) {
    throw new UsageError(`rotate takes a phase — ${PHASES.join(", ")} — or status; got ${JSON.stringify(action)}`);
  }
  const phase = action as RotationPhase;
  const targets = targetsFlag(args.flags.ca);
  const newCa = phase === "begin" ? await suppliedCa(args) : undefined;
  if (phase !== "begin" && (args.flags["ca-cert"] !== undefined || args.flags["ca-key"] !== undefined)) {
    throw new UsageError("--ca-cert/--ca-key bring the new CA: they go with begin only");
  }
  const dryRun = args.flags["dry-run"] === true;
  const now = new Date();
  const lock = await holdTreeLock(dir, { existing: true });
  let result: RotationResult;
  let backup: string | undefined;
  let rootNode = "the first control-plane node";
  try {
    const files = await readTree(dir, { lock });
    try {
      rootNode = describeTree(files).config.nodes?.find((node) => node.role === "control-plane")?.name ?? rootNode;
    } catch {
      // a tree describeTree cannot read: rotateCas says what is wrong with it
    }
    result = await rotateCas(files, { targets, phase, now, ...(newCa ? { newCa } : {}) });
    if (!dryRun) {
      const replaced = result.files.map((file) => file.path).filter((path) => files.has(path));
      const saved = [...replaced, ...result.remove];
      if (saved.length > 0) backup = backupFolder(dir, now);
      const backups = backup === undefined ? [] : await backupFiles(dir, saved, backup);
      const write = { force: true, lock, remove: result.remove };
      await writeTreeWithHooks(dir, [...result.files, ...backups], write, testHooksFromEnv());
    }
  } finally {
    await lock.release();
  }
  if (terminal.json) {
    const report = {
      dir,
      phase,
      dryRun,
      files: result.files.map((file) => file.path),
      removed: result.remove,
      restarts: result.restarts,
      notes: result.notes,
      states: result.states,
      backup: backup ?? null,
    };
    terminal.out(`${JSON.stringify(report, null, 2)}\n`);
    return ExitCode.ok;
  }
  terminal.out(phaseText(result, rootNode, terminal.width));
  const done = dryRun
    ? "Dry run: nothing written."
    : `kubepki rotate: ${phase} written in ${dir}.${backup === undefined ? "" : ` The old versions are in ${backup}/.`}`;
  terminal.out(`\n${wrapHanging("", done, terminal.width, 2).join("\n")}\n`);
  return ExitCode.ok;
}
