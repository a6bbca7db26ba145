import { resolve } from "node:path";
import { diffCluster } from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { ExitCode } from "../io/cli-error.js";
import { diffJson, formatDiff } from "../io/diff-output.js";
import { readTree } from "../io/read-tree.js";
import type { Terminal } from "../io/terminal.js";
import { wantedConfigFromArgs } from "./wanted-config.js";

/**
 * `kubepki plan --against DIR`: what `apply DIR` with the same flags would do, file by file, with
 * the reason, and what to restart and copy where. Reads the tree only; writes nothing.
 */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const dir = resolve(args.flags.against as string);
  const files = await readTree(dir);
  const wanted = await wantedConfigFromArgs(args, files);
  const diff = diffCluster(wanted.config, files);
  if (terminal.json) {
    terminal.out(`${JSON.stringify({ dir, ...diffJson(diff, wanted.source, wanted.notes) }, null, 2)}\n`);
    return ExitCode.ok;
  }
  const prune = args.flags.prune === true;
  terminal.out(formatDiff(diff, { source: wanted.source, prune, width: terminal.width, notes: wanted.notes }));
  return ExitCode.ok;
}
