import { resolve } from "node:path";
import { renewCertificates } from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { ExitCode } from "../io/cli-error.js";
import { readTree } from "../io/read-tree.js";
import type { Terminal } from "../io/terminal.js";
import { testHooksFromEnv } from "../io/test-hooks.js";
import { holdTreeLock } from "../io/tree-lock.js";
import { writeTreeWithHooks } from "../io/write-tree.js";

/**
 * `kubepki renew DIR [NAME|all]`: kubeadm's `certs renew` on a tree — same subject, SANs and
 * usages, same CA, new keys unless --reuse-key; kubeconfigs rewritten. The changed files replace
 * the old ones atomically (all or none).
 */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const dir = resolve(args.positionals[0] as string);
  const name = args.positionals[1] ?? "all";
  // One lock from read to write: two renews cannot interleave (issue 15: a mixed tree).
  const lock = await holdTreeLock(dir, { existing: true });
  let result: Awaited<ReturnType<typeof renewCertificates>>;
  try {
    result = await renewCertificates(await readTree(dir, { lock }), {
      names: name === "all" ? "all" : [name],
      reuseKey: args.flags["reuse-key"] === true,
    });
    await writeTreeWithHooks(dir, result.files, { force: true, lock }, testHooksFromEnv());
  } finally {
    await lock.release();
  }
  if (terminal.json) {
    terminal.out(
      `${JSON.stringify({ dir, renewed: result.renewed, files: result.files.map((f) => f.path) }, null, 2)}\n`,
    );
  } else {
    for (const renewed of result.renewed) terminal.out(`renewed ${renewed}\n`);
    terminal.out(
      `\n${result.renewed.length} certificate(s) renewed in ${dir}. Restart kube-apiserver, kube-controller-manager, kube-scheduler and etcd to use them.\n`,
    );
  }
  return ExitCode.ok;
}
