import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { isKubepkiError, KubepkiError } from "@kubepki/core/vocabulary";
import {
  type CsrProblem,
  certificateName,
  type ExternalCas,
  finishCsrs,
  generateCsrs,
  type SigningEntry,
  signingList,
  toCsrFiles,
} from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { planFromArgs } from "../cluster-config.js";
import { CliError, ExitCode, UsageError } from "../io/cli-error.js";
import { abortOnSignals } from "../io/interrupt.js";
import { invocation } from "../io/invocation.js";
import { readTree } from "../io/read-tree.js";
import { formatTable } from "../io/table.js";
import type { Terminal } from "../io/terminal.js";
import { testHooksFromEnv } from "../io/test-hooks.js";
import { holdTreeLock } from "../io/tree-lock.js";
import { fitLines, wrapHanging } from "../io/wrap.js";
import { writeTreeWithHooks } from "../io/write-tree.js";
import { refuseExistingFiles } from "./init.js";

/** Where `--ca-dir` keeps each external CA's certificate: kubeadm's names, under pki/ as they are. */
const CA_FILES: Record<keyof ExternalCas, string> = {
  ca: "ca.crt",
  etcdCa: "etcd/ca.crt",
  frontProxyCa: "front-proxy-ca.crt",
};

/** The flags of `kubepki csr` that make no sense with `finish`. */
const MAKE_ONLY_FLAGS = [
  "out",
  "ca-dir",
  "force",
  "config",
  "control-plane",
  "worker",
  "control-plane-endpoint",
  "service-cidr",
  "dns-domain",
  "cluster-name",
  "cert-san",
  "key-algorithm",
  "kube-proxy",
];

/**
 * Reads the three CA certificates of `--ca-dir` (a missing one is left out: generateCsrs names
 * it when the plan needs it). Only those `.crt` files are read: a CA key in the directory is
 * never opened or copied.
 */
async function readCas(caDir: string): Promise<ExternalCas> {
  const cas: Partial<Record<keyof ExternalCas, string>> = {};
  for (const [option, file] of Object.entries(CA_FILES) as [keyof ExternalCas, string][]) {
    const path = join(caDir, file);
    try {
      cas[option] = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw new CliError("FILE_UNREADABLE", `Cannot read ${path}: ${(error as Error).message}`);
    }
  }
  return cas as ExternalCas;
}

/** A CA the library refused (`details.field` `cas.<option>`), named by its file in --ca-dir. */
function inCaDir(error: unknown, caDir: string): unknown {
  const field = isKubepkiError(error) ? error.details?.field : undefined;
  const option =
    typeof field === "string" && field.startsWith("cas.") ? (field.slice(4) as keyof ExternalCas) : undefined;
  if (!isKubepkiError(error) || option === undefined || !(option in CA_FILES)) return error;
  return new KubepkiError(error.code, `${join(caDir, CA_FILES[option])}: ${error.message}`, {
    cause: error,
    details: { ...error.details },
  });
}

/** The signing instructions: per request its CA, then one openssl command as an example, then finish. */
function signingText(out: string, list: readonly SigningEntry[], fileCount: number, width: number): string {
  const { command } = invocation(process.env);
  const rows = list.map((entry) => [entry.csr, entry.ca, String(entry.days), entry.certificate]);
  const [first] = list;
  const example = first
    ? `openssl x509 -req -in ${join(out, first.csr)} -CA <${first.ca}.crt> -CAkey <${first.ca}.key> -copy_extensions copyall -days ${first.days} -out ${join(out, first.certificate)}`
    : "";
  return [
    fitLines(`kubepki csr: wrote ${fileCount} files to ${out} (keys, requests, no CA key)`, width),
    "",
    formatTable(["REQUEST", "SIGN WITH", "DAYS", { header: "PUT THE CERTIFICATE AT", under: true }], rows, width),
    ...wrapHanging(
      "",
      `Sign each request with its CA (the list is also in ${join(out, "csr-signing.json")}). The requests carry the role's usages: sign them with their extensions copied, e.g.`,
      width,
    ),
    ...wrapHanging("  ", example, width, 4),
    ...wrapHanging("", "An intermediate CA appends its own certificate to each signed certificate.", width),
    ...wrapHanging("Next: ", `${command} csr finish ${out}`, width, 6),
    "",
  ].join("\n");
}

/** `kubepki csr --out DIR --ca-dir CADIR …`: keys and requests for every node, no CA key anywhere. */
async function makeRequests(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const out = args.flags.out;
  if (typeof out !== "string") throw new UsageError("Missing --out DIR: where to write the keys and requests");
  const caDir = args.flags["ca-dir"];
  if (typeof caDir !== "string") {
    throw new UsageError(
      "Missing --ca-dir DIR: the external CAs' certificates (ca.crt, front-proxy-ca.crt, etcd/ca.crt)",
    );
  }
  const plan = await planFromArgs(args);
  for (const warning of plan.warnings)
    if (!terminal.json) terminal.err(`${fitLines(`warning: ${warning.message}`, terminal.width)}\n`);
  const cas = await readCas(resolve(caDir));
  const names = new Map(
    plan.certificates.map((spec) => [spec.id, certificateName(spec.role, spec.kubeconfig ?? spec.certPath)]),
  );
  const force = args.flags.force === true;
  const root = resolve(out);
  const lock = await holdTreeLock(root);
  let written: readonly string[];
  let list: SigningEntry[];
  try {
    if (!force) await refuseExistingFiles(root);
    const controller = new AbortController();
    const release = abortOnSignals(controller);
    let set: Awaited<ReturnType<typeof generateCsrs>>;
    try {
      set = await generateCsrs(plan, {
        cas,
        signal: controller.signal,
        onProgress: (event) => terminal.progress(event.done, event.total, names.get(event.id) ?? event.id),
      });
    } catch (error) {
      terminal.endProgress();
      if (controller.signal.aborted) {
        terminal.err("kubepki csr: interrupted; nothing was written\n");
        return 130;
      }
      throw inCaDir(error, caDir);
    } finally {
      release();
    }
    terminal.endProgress();
    list = signingList(set);
    const result = await writeTreeWithHooks(root, toCsrFiles(set), { force, lock }, testHooksFromEnv());
    written = result.written;
  } finally {
    await lock.release();
  }
  if (terminal.json) {
    const { command } = invocation(process.env);
    terminal.out(
      `${JSON.stringify({ out: root, files: written, requests: list, next: `${command} csr finish ${out}` }, null, 2)}\n`,
    );
  } else {
    terminal.out(signingText(out, list, written.length, terminal.width));
  }
  return ExitCode.ok;
}

/** `kubepki csr finish DIR`: the returned certificates checked, the tree completed in one write. */
async function finish(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const given = args.positionals[1];
  if (given === undefined) throw new UsageError("csr finish needs DIR: the tree kubepki csr wrote");
  const misplaced = MAKE_ONLY_FLAGS.filter((flag) => args.flags[flag] !== undefined);
  if (misplaced.length > 0) {
    throw new UsageError(
      `--${misplaced[0]} is for kubepki csr, not csr finish (the tree's kubepki.yaml says the cluster)`,
    );
  }
  const dir = resolve(given);
  const lock = await holdTreeLock(dir, { existing: true });
  let written: readonly string[];
  let removed: readonly string[];
  let warnings: readonly CsrProblem[];
  try {
    const files = await readTree(dir, { lock });
    let result: Awaited<ReturnType<typeof finishCsrs>>;
    try {
      result = await finishCsrs(files);
    } catch (error) {
      if (!isKubepkiError(error) || error.code !== "CSR_FINISH_REFUSED") throw error;
      return refused(error.details?.problems as CsrProblem[], error.message, terminal);
    }
    // Only what changes: certificates and keys stay as they are, byte for byte.
    const changed = result.files.filter((file) => files.get(file.path) !== file.contents);
    const outcome = await writeTreeWithHooks(
      dir,
      changed,
      { force: true, lock, remove: result.remove },
      testHooksFromEnv(),
    );
    written = outcome.written;
    removed = outcome.removed;
    warnings = result.warnings;
  } finally {
    await lock.release();
  }
  const { command } = invocation(process.env);
  if (terminal.json) {
    terminal.out(
      `${JSON.stringify({ dir, files: written, removed, warnings, next: `${command} audit ${given}` }, null, 2)}\n`,
    );
    return ExitCode.ok;
  }
  const lines = [
    fitLines(
      `kubepki csr finish: wrote ${written.length} files, removed ${removed.length} in ${given}`,
      terminal.width,
    ),
    ...warnings.flatMap((warning) => wrapHanging("warning: ", `${warning.file}: ${warning.reason}`, terminal.width)),
    ...wrapHanging("Next: ", `${command} audit ${given}`, terminal.width, 6),
    "",
  ];
  terminal.out(lines.join("\n"));
  return ExitCode.ok;
}

/** Every problem as `file: reason`; nothing was written. */
function refused(problems: readonly CsrProblem[], message: string, terminal: Terminal): number {
  if (terminal.json) {
    terminal.out(`${JSON.stringify({ error: { code: "CSR_FINISH_REFUSED", message, problems } }, null, 2)}\n`);
  }
  const lines = problems.flatMap((problem) =>
    wrapHanging("  ", `${problem.file}: ${problem.reason}`, terminal.width, 4),
  );
  terminal.err(
    `kubepki csr finish: refused, nothing written (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}\n`,
  );
  return ExitCode.failure;
}

/** `kubepki csr …` and `kubepki csr finish DIR`. */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const [action] = args.positionals;
  if (action === "finish") return finish(args, terminal);
  if (action !== undefined) throw new UsageError(`csr takes no argument but finish DIR; got ${JSON.stringify(action)}`);
  return makeRequests(args, terminal);
}
