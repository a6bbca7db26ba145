import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { formatName } from "@kubepki/core/names";
import { toKubeadmFiles, toNodeFiles } from "@kubepki/k8s-profiles/files";
import { type ClusterPki, certificateName, generateCluster } from "@kubepki/k8s-profiles/generate";
import { kubernetesRelease } from "@kubepki/renderers";
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
  return {
    ca: {
      certificatePem: await readInput(certFile, "ca-cert"),
      privateKeyPem: await readKeyInput(args, keyFile, "ca-key", CA_KEY_PASSPHRASE),
    },
  };
}

/**
 * `--root-ca FILE --root-key FILE`: the offline root that issues the cluster's three CAs. The key
 * is read as plain PEM here; an encrypted root key (its passphrase) is decrypted in this one place
 * before generateCluster sees it. Not with --ca-cert: bring either the root or the CA.
 */
async function readRootCa(args: ParsedArgs) {
  const certFile = args.flags["root-ca"];
  const keyFile = args.flags["root-key"];
  if (certFile === undefined && keyFile === undefined) {
    if (args.flags["root-passphrase-file"] !== undefined) {
      throw new UsageError("--root-passphrase-file is for an encrypted --root-key: pass --root-ca and --root-key too");
    }
    return undefined;
  }
  if (typeof certFile !== "string" || typeof keyFile !== "string") {
    throw new UsageError("--root-ca and --root-key go together: pass the root certificate and its private key");
  }
  if (args.flags["ca-cert"] !== undefined || args.flags["ca-key"] !== undefined) {
    throw new UsageError(
      "--root-ca makes the cluster CA as an intermediate of the root; --ca-cert brings a CA: pass one of them",
    );
  }
  return {
    certificatePem: await readInput(certFile, "root-ca"),
    privateKeyPem: await readKeyInput(args, keyFile, "root-key", ROOT_KEY_PASSPHRASE),
  };
}

/** Where the passphrase of an encrypted key comes from: the root's has its own, so both can differ. */
const CA_KEY_PASSPHRASE = { flag: "passphrase-file", envName: "KUBEPKI_PASSPHRASE" } as const;
const ROOT_KEY_PASSPHRASE = { flag: "root-passphrase-file", envName: "KUBEPKI_ROOT_PASSPHRASE" } as const;

/**
 * A key file, decrypted when it is an `ENCRYPTED PRIVATE KEY` (`kubepki ca init --encrypt`): the
 * passphrase from the file flag, else the environment variable, else the terminal; a wrong one is
 * `WRONG_PASSPHRASE` before any key is generated or file written. The decryption code is loaded
 * only for an encrypted key.
 */
async function readKeyInput(
  args: ParsedArgs,
  file: string,
  flag: string,
  source: { readonly flag: string; readonly envName: string },
): Promise<string> {
  const pem = await readInput(file, flag);
  if (!pem.includes("-----BEGIN ENCRYPTED PRIVATE KEY-----")) return pem;
  return (await import("./encrypt-ca-keys.js")).decryptKey(args, file, pem, source);
}

function readInput(file: string, flag: string): Promise<string> {
  return readFile(file, "utf8").catch((error: Error) => {
    throw new CliError("FILE_UNREADABLE", `Cannot read --${flag} ${file}: ${error.message}`);
  });
}

/** For a tree of intermediates: whose, and the openssl command that proves a leaf up to the root. */
function rootLines(pki: ClusterPki, out: string, rootFile: string | undefined, width: number): string[] {
  // The CAs whose leaves carry a chain: an intermediate brought as one certificate keeps its
  // leaves alone, as before, and is not announced.
  const carried = pki.certificates.filter((entry) => !entry.spec.isCa && entry.chain.length > 0);
  const first = carried[0];
  if (!first) return [];
  const root = first.chain.at(-1)?.issuerText ?? "";
  const intermediates = pki.certificates.filter(
    (entry) => entry.spec.isCa && carried.some((leaf) => leaf.spec.signer === entry.spec.role),
  );
  const roles = intermediates.map((entry) => entry.spec.role).join(", ");
  const anchor = rootFile ?? "ROOT.crt";
  return [
    "",
    fitLines(
      `${intermediates.length > 1 ? `CAs ${roles} are intermediates` : `CA ${roles} is an intermediate`} of ${root}: each of their leaf files is the leaf followed by its CA`,
      width,
    ),
    ...wrapHanging(
      "Prove a leaf: ",
      `openssl verify -CAfile ${anchor} -untrusted ${out}/pki/ca.crt ${out}/pki/apiserver.crt`,
      width,
    ),
  ];
}

function summary(
  pki: ClusterPki,
  out: string,
  fileCount: number,
  width: number,
  rootFile?: string,
  layout: Layout = "default",
): string {
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
    ...rootLines(pki, out, rootFile, width),
    ...layoutLines(pki, out, layout, width),
    ...nextSteps(command, layout === "per-node" ? perNodeAuditDir(pki, out) : out, width, layout),
    "",
  ].join("\n");
}

/** Where init's output goes: today's tree (default) or one folder per node (`toNodeFiles`). */
type Layout = "default" | "per-node";

/** `--layout` and `--kubernetes-version`, checked before any key is made. */
function layoutFromArgs(args: ParsedArgs): { layout: Layout; kubernetesVersion?: string } {
  const layout = (args.flags.layout ?? "default") as Layout;
  const version = args.flags["kubernetes-version"];
  if (layout !== "per-node" && version !== undefined) {
    throw new UsageError(
      "--kubernetes-version is for --layout per-node (the static Pods' images); the default layout has no manifests",
    );
  }
  if (layout === "per-node" && args.flags["encrypt-ca-keys"] === true) {
    throw new UsageError(
      "--encrypt-ca-keys and --layout per-node do not go together: a control-plane node's components read its CA keys unencrypted; encrypt the default layout's keys for storage instead",
    );
  }
  // Checked here, before any key is made (toNodeFiles would refuse it only after generation).
  if (typeof version === "string") kubernetesRelease(version);
  return { layout, ...(typeof version === "string" ? { kubernetesVersion: version } : {}) };
}

/** The first control-plane node's /etc/kubernetes in a per-node tree: what to audit first. */
function perNodeAuditDir(pki: ClusterPki, out: string): string {
  const first = pki.plan.config.nodes.find((node) => node.role === "control-plane");
  return `${out}/${first?.name ?? ""}/etc/kubernetes`;
}

/** The per-node layout, said in the summary: where each node's folder is and how it is deployed. */
function layoutLines(pki: ClusterPki, out: string, layout: Layout, width: number): string[] {
  if (layout !== "per-node") return [];
  const names = pki.plan.config.nodes.map((node) => node.name);
  return [
    ...wrapHanging(
      "Layout: ",
      `per-node — ${names.map((name) => `${out}/${name}/`).join(", ")}, ${out}/admin/ (admin.conf, pki/ca.crt, kubepki.yaml)`,
      width,
    ),
    fitLines(
      `Deploy: rsync -a ${out}/<node>/ root@<node>:/   (control-plane nodes get etc/kubernetes/manifests/)`,
      width,
    ),
  ];
}

/** Refuses a --out that has files, before any key is generated (issue 16: a refusal must cost nothing). */
export async function refuseExistingFiles(root: string): Promise<void> {
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
function nextSteps(command: string, out: string, width: number, layout: Layout = "default"): string[] {
  const scope = layout === "per-node" ? " --scope control-plane" : "";
  const steps = [`${command} audit ${out}${scope}`, `${command} check-expiration ${out}`];
  const oneLine = `Next: ${steps.join("   ·   ")}`;
  if (oneLine.length <= width) return [oneLine];
  return steps.flatMap((step, i) => wrapHanging(i === 0 ? "Next: " : "      ", step, width, 8));
}

/** `kubepki init`: lock → check → plan → generate (progress, Ctrl-C safe) → write atomically → summary. */
/** Every key and certificate, with progress; `"interrupted"` when a signal stopped it (nothing written). */
async function generate(
  plan: Parameters<typeof generateCluster>[0],
  cas: {
    readonly existingCa: Awaited<ReturnType<typeof readExistingCa>>;
    readonly rootCa: Awaited<ReturnType<typeof readRootCa>>;
  },
  names: ReadonlyMap<string, string>,
  terminal: Terminal,
): Promise<ClusterPki | "interrupted"> {
  const controller = new AbortController();
  const release = abortOnSignals(controller);
  try {
    const pki = await generateCluster(plan, {
      signal: controller.signal,
      ...(cas.existingCa ? { existingCa: cas.existingCa } : {}),
      ...(cas.rootCa ? { rootCa: cas.rootCa } : {}),
      onProgress: (event) => terminal.progress(event.done, event.total, names.get(event.id) ?? event.id),
    });
    terminal.endProgress();
    return pki;
  } catch (error) {
    terminal.endProgress();
    if (controller.signal.aborted) {
      terminal.err("kubepki init: interrupted; nothing was written\n");
      return "interrupted";
    }
    throw error;
  } finally {
    release();
  }
}

/** `init --json`: where the tree went and every certificate in it. */
function jsonResult(pki: ClusterPki, result: WriteTreeResult, warnings: readonly unknown[]) {
  return {
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
    warnings,
  };
}

export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const out = args.flags.out;
  if (typeof out !== "string")
    throw new UsageError('Missing --out DIR: where to write the tree (e.g. "--out ./pki-demo")');
  const plan = await planFromArgs(args);
  for (const warning of plan.warnings)
    if (!terminal.json) terminal.err(`${fitLines(`warning: ${warning.message}`, terminal.width)}\n`);
  const { layout, kubernetesVersion } = layoutFromArgs(args);
  const rootCa = await readRootCa(args);
  const existingCa = await readExistingCa(args);

  const names = new Map(
    plan.certificates.map((spec) => [spec.id, certificateName(spec.role, spec.kubeconfig ?? spec.certPath)]),
  );
  const force = args.flags.force === true;
  const encryptCaKeys = args.flags["encrypt-ca-keys"] === true;
  if (!encryptCaKeys && args.flags["ca-key"] === undefined && typeof args.flags["passphrase-file"] === "string") {
    throw new UsageError(
      "--passphrase-file is for --encrypt-ca-keys (encrypt the CA keys written) or an encrypted --ca-key; an encrypted --root-key takes --root-passphrase-file",
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
    const generated = await generate(plan, { existingCa, rootCa }, names, terminal);
    if (generated === "interrupted") return 130;
    pki = generated;
    const kubeadmFiles =
      layout === "per-node"
        ? toNodeFiles(pki, kubernetesVersion === undefined ? {} : { kubernetesVersion })
        : await toKubeadmFiles(pki);
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
    const json = jsonResult(pki, result, plan.warnings);
    terminal.out(`${JSON.stringify(layout === "per-node" ? { ...json, layout } : json, null, 2)}\n`);
  } else {
    const rootFile = typeof args.flags["root-ca"] === "string" ? args.flags["root-ca"] : undefined;
    terminal.out(summary(pki, out, result.written.length, terminal.width, rootFile, layout));
  }
  return ExitCode.ok;
}
