import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  createSelfSignedCa,
  encryptPrivateKeyPem,
  exportPrivateKeyPem,
  generateKeyPair,
  type KeyAlgorithm,
} from "@kubepki/core";
import type { ParsedArgs } from "../args.js";
import { CliError, ExitCode, UsageError } from "../io/cli-error.js";
import { invocation } from "../io/invocation.js";
import { passphraseFromArgs } from "../io/passphrase.js";
import type { Terminal } from "../io/terminal.js";
import { testHooksFromEnv } from "../io/test-hooks.js";
import { holdTreeLock } from "../io/tree-lock.js";
import { fitLines, wrapHanging } from "../io/wrap.js";
import { writeTreeWithHooks } from "../io/write-tree.js";
import { CA_INIT_DEFAULTS } from "./specs.js";

/**
 * `kubepki ca init`: an offline root CA — a self-signed certificate and its key, made once,
 * kept off the cluster's machines, used only to sign the cluster's CAs (`kubepki init --root-ca`).
 * Its pathLenConstraint defaults to 1: root → the cluster's intermediate CAs → leaves, and no CA
 * below the intermediates (RFC 5280 §4.2.1.9).
 *
 * Ed25519 is offered for the root: Go's crypto/x509 (and so kubectl, etcd, the API server)
 * verifies Ed25519 signatures on certificates. The cluster's own keys stay RSA/ECDSA: kubeadm and
 * client-go's key loaders refuse Ed25519 keys.
 */

const FILES = { certificate: "ca.crt", key: "ca.key" } as const;

function positiveInteger(value: unknown, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min) {
    throw new UsageError(`--${flag} must be a whole number of at least ${min}; got ${JSON.stringify(value)}`);
  }
  return number;
}

/** What `ca init` was asked, validated before any key is generated or passphrase asked. */
function caInitRequest(args: ParsedArgs) {
  const out = args.flags.out;
  if (typeof out !== "string") throw new UsageError('ca init needs --out ROOTDIR (e.g. "--out ./offline-root")');
  const encrypt = args.flags.encrypt === true;
  if (!encrypt && typeof args.flags["passphrase-file"] === "string") {
    throw new UsageError("--passphrase-file is for --encrypt: add --encrypt to encrypt the root key");
  }
  const subject = typeof args.flags.subject === "string" ? args.flags.subject : CA_INIT_DEFAULTS.commonName;
  return {
    out,
    encrypt,
    force: args.flags.force === true,
    algorithm: (typeof args.flags["key-algorithm"] === "string"
      ? args.flags["key-algorithm"]
      : CA_INIT_DEFAULTS.keyAlgorithm) as KeyAlgorithm,
    days: positiveInteger(args.flags.days, "days", 1) ?? CA_INIT_DEFAULTS.days,
    pathLength: positiveInteger(args.flags["path-length"], "path-length", 0) ?? CA_INIT_DEFAULTS.pathLength,
    // "/CN=…/O=…" is openssl's -subj form; anything else is the common name.
    subject: subject.startsWith("/") ? subject : { commonName: subject },
  };
}

async function initRoot(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const request = caInitRequest(args);
  const root = resolve(request.out);
  const lock = await holdTreeLock(root);
  let written: readonly string[];
  try {
    // Refuse before asking for a passphrase or generating a key (writeTree would refuse too, later).
    if (!request.force) await refuseExisting(root);
    const passphrase = request.encrypt
      ? await passphraseFromArgs(args, {
          envName: "KUBEPKI_PASSPHRASE",
          purpose: `the new root CA key (${request.out}/${FILES.key})`,
          confirm: true,
        })
      : undefined;
    const keyPair = await generateKeyPair(request.algorithm);
    const certificate = await createSelfSignedCa({
      keyPair,
      subject: request.subject,
      validity: { days: request.days },
      pathLength: request.pathLength,
    });
    const keyPem =
      passphrase === undefined ? await exportPrivateKeyPem(keyPair) : await encryptPrivateKeyPem(keyPair, passphrase);
    const result = await writeTreeWithHooks(
      root,
      [
        { path: FILES.certificate, contents: certificate.pem, mode: 0o644 },
        { path: FILES.key, contents: keyPem, mode: 0o600 },
      ],
      { force: request.force, lock },
      testHooksFromEnv(),
    );
    written = result.written;
    const summary = {
      out: result.root,
      files: written,
      subject: certificate.subjectText,
      keyAlgorithm: request.algorithm,
      pathLength: request.pathLength,
      notAfter: certificate.notAfter.toISOString(),
      encrypted: passphrase !== undefined,
      fingerprintSha256: certificate.fingerprintSha256,
    };
    if (terminal.json) {
      terminal.out(`${JSON.stringify(summary, null, 2)}\n`);
      return ExitCode.ok;
    }
    const { command } = invocation(process.env);
    const certFile = `${request.out}/${FILES.certificate}`;
    const keyFile = `${request.out}/${FILES.key}`;
    terminal.out(
      [
        fitLines(`kubepki: wrote the offline root CA to ${request.out}`, terminal.width),
        `  ${certFile}  ${summary.subject}, ${request.algorithm}, pathlen ${request.pathLength}, until ${summary.notAfter.slice(0, 10)}`,
        `  ${keyFile}  ${passphrase === undefined ? "unencrypted: keep it offline" : "encrypted with your passphrase (PKCS#8, AES-256-CBC)"}`,
        ...wrapHanging(
          "Next: ",
          `${command} init --root-ca ${certFile} --root-key ${keyFile} --out DIR …   (keep ${keyFile} off the cluster's machines)`,
          terminal.width,
        ),
        "",
      ].join("\n"),
    );
    return ExitCode.ok;
  } finally {
    await lock.release();
  }
}

async function refuseExisting(root: string): Promise<void> {
  const present: string[] = [];
  for (const name of Object.values(FILES)) {
    const found = await stat(join(root, name)).then(
      () => true,
      () => false,
    );
    if (found) present.push(name);
  }
  if (present.length > 0) {
    throw new CliError(
      "FILES_EXIST",
      `Refusing to overwrite ${present.join(" and ")} in ${root} (no key was generated, nothing was written): use --force to replace the root CA, or choose another --out`,
    );
  }
}

/** `kubepki ca SUBCOMMAND`: `init` only for now. */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const [subcommand] = args.positionals;
  if (subcommand === "init") return initRoot(args, terminal);
  throw new UsageError(`Unknown ca subcommand ${JSON.stringify(subcommand)}: use "ca init"`);
}
