import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { importPrivateKeyPem, isDnsName, isIp, parseCertificate } from "@kubepki/core";
import { ROLE_PROFILES, type Role, signCsrForRole } from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { CliError, ExitCode, UsageError } from "../io/cli-error.js";
import { readTree } from "../io/read-tree.js";
import type { Terminal } from "../io/terminal.js";
import { writeTree } from "../io/write-tree.js";

const read = (file: string, flag: string) =>
  readFile(file, "utf8").catch((error: Error) => {
    throw new CliError("FILE_UNREADABLE", `Cannot read --${flag} ${file}: ${error.message}`);
  });

/** `--allow-san DNS:name|IP:addr|name|addr`, checked here so that a typo is a usage error naming the flag. */
function allowSans(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const values = (Array.isArray(value) ? value : [value]).map(String);
  for (const san of values) {
    const bare = san.replace(/^(dns|ip):/i, "");
    const kind = /^ip:/i.test(san) ? "ip" : /^dns:/i.test(san) ? "dns" : undefined;
    const ok = kind === "ip" ? isIp(bare) : kind === "dns" ? isDnsName(bare) : isIp(bare) || isDnsName(bare);
    if (!ok)
      throw new UsageError(`--allow-san ${san}: expected DNS:<name> or IP:<address> (or a bare name or address)`);
  }
  return values;
}

/**
 * `kubepki sign-csr`: the role's signer policy first (as the controller-manager's signers), then
 * sign. As the approver of a kubelet serving request, it allows only the node's own names and
 * addresses: those the tree of --dir records, and --allow-san ones.
 */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const { csr, role, node, out, dir } = args.flags;
  if (typeof csr !== "string") throw new UsageError("Missing --csr FILE: the certificate request to sign");
  const roles = ROLE_PROFILES.map((profile) => profile.role).filter((name) => !name.endsWith("ca"));
  if (typeof role !== "string") throw new UsageError(`Missing --role ROLE: one of ${roles.join(", ")}`);
  if (!roles.includes(role as Role)) throw new UsageError(`--role must be one of ${roles.join(", ")}; got ${role}`);
  // Per-node roles (ROLE_PROFILES' scope) put the node in the subject: without it there is no policy to check.
  if (typeof node !== "string" && ROLE_PROFILES.find((profile) => profile.role === role)?.scope !== "cluster") {
    throw new UsageError(`Missing --node NAME: ${role} certificates are per node; name the node the request is for`);
  }
  if (typeof out !== "string") throw new UsageError("Missing --out FILE: where to write the certificate");
  let caCertFile = args.flags["ca-cert"];
  let caKeyFile = args.flags["ca-key"];
  if (typeof dir === "string") {
    if (caCertFile !== undefined || caKeyFile !== undefined)
      throw new UsageError("Use either --dir or --ca-cert/--ca-key");
    caCertFile = join(dir, "pki", "ca.crt");
    caKeyFile = join(dir, "pki", "ca.key");
  }
  if (typeof caCertFile !== "string" || typeof caKeyFile !== "string") {
    throw new UsageError("Name the signing CA: --dir DIR (uses DIR/pki/ca.crt and ca.key) or --ca-cert F --ca-key F");
  }
  const allowed = allowSans(args.flags["allow-san"]);
  const caKey = await importPrivateKeyPem(await read(caKeyFile, "ca-key"));
  const result = await signCsrForRole(await read(csr, "csr"), role as Role, {
    ...(typeof node === "string" ? { node } : {}),
    // The tree tells the nodes' names and addresses; without one, only --allow-san (none: refuse every SAN).
    ...(typeof dir === "string" ? { files: await readTree(resolve(dir)) } : {}),
    ...(allowed !== undefined || typeof dir !== "string" ? { allowSans: allowed ?? [] } : {}),
    issuer: { certificate: parseCertificate(await read(caCertFile, "ca-cert")), privateKey: caKey.privateKey },
  });
  if (!result.ok) {
    const message = `The CSR does not fit role ${role}${typeof node === "string" ? ` for node ${node}` : ""}:\n  - ${result.reasons.join("\n  - ")}`;
    if (terminal.json) {
      terminal.out(`${JSON.stringify({ signed: false, code: "CSR_REFUSED", reasons: result.reasons }, null, 2)}\n`);
    }
    terminal.err(`kubepki sign-csr: ${message}\n`);
    return ExitCode.failure;
  }
  const target = resolve(out);
  await writeTree(dirname(target), [{ path: basename(target), contents: result.certificate.pem, mode: 0o644 }], {
    force: args.flags.force === true,
  }).catch((error: unknown) => {
    // writeTree speaks of a directory of files; here --out is one file.
    if (error instanceof CliError && error.code === "FILES_EXIST") {
      throw new CliError(
        "FILES_EXIST",
        `Refusing to overwrite the --out file ${out} (it exists; nothing was written). Use --force to overwrite it, or choose another --out file.`,
      );
    }
    throw error;
  });
  if (terminal.json) {
    terminal.out(
      `${JSON.stringify({ signed: true, out: target, subject: result.certificate.subjectText, notAfter: result.certificate.notAfter }, null, 2)}\n`,
    );
  } else {
    terminal.out(
      `signed ${result.certificate.subjectText} → ${target} (valid until ${result.certificate.notAfter.toISOString()})\n`,
    );
  }
  return ExitCode.ok;
}
