import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { formatName } from "@kubepki/core/names";
import { toKubeadmFiles } from "@kubepki/k8s-profiles/files";
import { type ClusterPki, certificateName, generateCluster } from "@kubepki/k8s-profiles/generate";
import type { ParsedArgs } from "../args.js";
import { planFromArgs } from "../cluster-config.js";
import { CliError, ExitCode, UsageError } from "../io/cli-error.js";
import { abortOnSignals } from "../io/interrupt.js";
import { invocation } from "../io/invocation.js";
import { formatSans, formatTable } from "../io/table.js";
import type { Terminal } from "../io/terminal.js";
import { testHooksFromEnv } from "../io/test-hooks.js";
import { holdTreeLock } from "../io/tree-lock.js";
import { fitLines, wrapHanging } from "../io/wrap.js";
import { listFiles, type WriteTreeResult, writeTreeWithHooks } from "../io/write-tree.js";

async function readExistingCa(args: ParsedArgs) {
  const certFile = args.flags["ca-cert"];
  const keyFile = args.flags["ca-key"];
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (typeof certFile !== "string" || typeof keyFile !== "string") {
    throw new UsageError("--ca-cert and --ca-key go together: pass the CA certificate and its private key");
  }
  const read = (file: string, flag: string) =>
    readFile(file, "utf8").catch((error: Error) => {
      throw new CliError("FILE_UNREADABLE", `Cannot read --${flag} ${file}: ${error.message}`);
    });
  const certificatePem = await read(certFile, "ca-cert");
  let privateKeyPem = await read(keyFile, "ca-key");
  // An encrypted CA key (ca init --encrypt): its decryption is loaded only then.
  if (privateKeyPem.includes("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
    privateKeyPem = await (await import("./encrypt-ca-keys.js")).decryptCaKey(args, keyFile, privateKeyPem);
  }
  return { ca: { certificatePem, privateKeyPem } };
}

function summary(pki: ClusterPki, out: string, fileCount: number, width: number): string {
  const { config } = pki.plan;
  const workers = config.nodes.filter((node) => node.role === "worker").length;
  const rows = pki.certificates.map(({ spec, certificate }) => [
    certificateName(spec.role, spec.kubeconfig ?? spec.certPath),
    formatName(certificate.subject),
    formatSans(certificate.subjectAltNames),
    certificate.notAfter.toISOString().slice(0, 10),
  ]);
  const { command } = invocation(process.env);
  return [
    fitLines(`kubepki: wrote ${fileCount} files to ${out}`, width),
    fitLines(
      `cluster "${config.clusterName}": ${config.nodes.length - workers} control-plane node(s), ${workers} worker(s), ${config.keyAlgorithm} keys, services ${config.serviceSubnets.join(",")}, domain ${config.dnsDomain}`,
      width,
    ),
    "",
    formatTable(["CERTIFICATE", "SUBJECT", { header: "SANS", under: true }, "EXPIRES"], rows, width),
    ...wrapHanging("Kubeconfigs: ", pki.plan.kubeconfigs.map((kubeconfig) => kubeconfig.path).join(", "), width),
    ...nextSteps(command, out, width),
    "",
  ].join("\n");
}

/** Refuses a --out that has files, before any key is generated (issue 16: a refusal must cost nothing). */
async function refuseExistingFiles(root: string): Promise<void> {
  const depth = (path: string) => path.split("/").length;
  const existing = (await listFiles(root)).sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : 1));
  if (existing.length === 0) return;
  const shown = existing.slice(0, 50); // the top of the tree first: pki/ca.key, not nodes/n999/…
  const more = existing.length > shown.length ? `\n  … and ${existing.length - shown.length} more` : "";
  throw new CliError(
    "FILES_EXIST",
    `Refusing to overwrite or mix with ${existing.length} existing file(s) in ${root} (no key was generated, nothing was written):\n  ${shown.join("\n  ")}${more}\nUse --force to overwrite them, or choose another --out directory.`,
  );
}

/** The two checks to run next, spelled as they run here; on one line when it fits. */
function nextSteps(command: string, out: string, width: number): string[] {
  const steps = [`${command} audit ${out}`, `${command} check-expiration ${out}`];
  const oneLine = `Next: ${steps.join("   ·   ")}`;
  if (oneLine.length <= width) return [oneLine];
  return steps.flatMap((step, i) => wrapHanging(i === 0 ? "Next: " : "      ", step, width, 8));
}

/** `kubepki init`: lock → check → plan → generate (progress, Ctrl-C safe) → write atomically → summary. */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const out = args.flags.out;
  if (typeof out !== "string")
    throw new UsageError('Missing --out DIR: where to write the tree (e.g. "--out ./pki-demo")');
  const plan = await planFromArgs(args);
  for (const warning of plan.warnings)
    if (!terminal.json) terminal.err(`${fitLines(`warning: ${warning.message}`, terminal.width)}\n`);
  const existingCa = await readExistingCa(args);

  const names = new Map(
    plan.certificates.map((spec) => [spec.id, certificateName(spec.role, spec.kubeconfig ?? spec.certPath)]),
  );
  const force = args.flags.force === true;
  const encryptCaKeys = args.flags["encrypt-ca-keys"] === true;
  if (!encryptCaKeys && args.flags["ca-key"] === undefined && typeof args.flags["passphrase-file"] === "string") {
    throw new UsageError(
      "--passphrase-file is for --encrypt-ca-keys (encrypt the CA keys written) or an encrypted --ca-key",
    );
  }

  // Lock, then check, then generate, then write under the same lock: a refusal costs no key
  // generation, and no other writer can fill --out between the check and the write.
  const root = resolve(out);
  const lock = await holdTreeLock(root);
  let pki: ClusterPki;
  let result: WriteTreeResult;
  try {
    if (!force) await refuseExistingFiles(root);
    // Loaded with the flag only: init's plain path and its module trace stay as they were.
    const encryption = encryptCaKeys ? await import("./encrypt-ca-keys.js") : undefined;
    const passphrase = encryption ? await encryption.caKeysPassphrase(args, out) : undefined;
    const controller = new AbortController();
    const release = abortOnSignals(controller);
    try {
      pki = await generateCluster(plan, {
        signal: controller.signal,
        ...(existingCa ? { existingCa } : {}),
        onProgress: (event) => terminal.progress(event.done, event.total, names.get(event.id) ?? event.id),
      });
    } catch (error) {
      terminal.endProgress();
      if (controller.signal.aborted) {
        terminal.err("kubepki init: interrupted; nothing was written\n");
        return 130;
      }
      throw error;
    } finally {
      release();
    }
    terminal.endProgress();
    const kubeadmFiles = await toKubeadmFiles(pki);
    const files =
      encryption && passphrase !== undefined
        ? await encryption.encryptCaKeys(pki, kubeadmFiles, passphrase)
        : kubeadmFiles;
    result = await writeTreeWithHooks(root, files, { force, lock }, testHooksFromEnv());
  } finally {
    await lock.release();
  }
  if (encryptCaKeys && !terminal.json) {
    terminal.err(
      `${fitLines("kubepki init: the CA keys are encrypted (--encrypt-ca-keys): kubeadm and the controller-manager cannot read them; decrypt a key where it must sign (openssl pkey -in pki/ca.key -out ca.key)", terminal.width)}
`,
    );
  }
  for (const dir of result.tightened) {
    if (!terminal.json) terminal.err(`kubepki init: ${dir}/ holds private keys: its mode is now 0700\n`);
  }
  if (terminal.json) {
    terminal.out(
      `${JSON.stringify(
        {
          out: result.root,
          files: result.written,
          replaced: result.replaced,
          certificates: pki.certificates.map(({ spec, certificate }) => ({
            name: certificateName(spec.role, spec.kubeconfig ?? spec.certPath),
            id: spec.id,
            role: spec.role,
            path: spec.certPath,
            subject: formatName(certificate.subject),
            issuer: certificate.issuerText,
            sans: certificate.subjectAltNames,
            notAfter: certificate.notAfter.toISOString(),
            serialNumber: certificate.serialNumber,
          })),
          warnings: plan.warnings,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    terminal.out(summary(pki, out, result.written.length, terminal.width));
  }
  return ExitCode.ok;
}
