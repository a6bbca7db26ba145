import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { OpensslCertSpec, OpensslIssuer } from "../../src/index.js";
import { renderOpensslCommands } from "../../src/index.js";
import { runOk } from "./run.js";

/**
 * Makes a certificate by running renderOpensslCommands' output for `spec` in `dir`: writes the
 * files, creates the output directories, runs each argv with execFile (no shell).
 */
export async function issueWithOpenssl(dir: string, spec: OpensslCertSpec, issuer?: OpensslIssuer): Promise<void> {
  const plan = renderOpensslCommands(spec, issuer === undefined ? { workDir: "work" } : { issuer, workDir: "work" });
  for (const file of plan.files) {
    await mkdir(dirname(join(dir, file.path)), { recursive: true });
    await writeFile(join(dir, file.path), file.content);
  }
  for (const path of [spec.certPath, spec.keyPath]) await mkdir(dirname(join(dir, path)), { recursive: true });
  for (const argv of plan.commands) {
    await runOk(argv[0]!, argv.slice(1), { cwd: dir });
  }
}

/** A kubeadm-like spec with defaults for the fields a test does not care about. */
export function spec(overrides: Partial<OpensslCertSpec> & Pick<OpensslCertSpec, "id">): OpensslCertSpec {
  return {
    subject: { commonName: overrides.id },
    sans: [],
    keyUsages: ["digitalSignature", "keyEncipherment"],
    extKeyUsages: [],
    isCa: false,
    validityDays: 365,
    keyAlgorithm: "RSA-2048",
    certPath: `${overrides.id}.crt`,
    keyPath: `${overrides.id}.key`,
    signer: "ca",
    ...overrides,
  };
}

/** kubeadm's CA profile (reference §1.1/§1.2) for `id`. */
export function caSpec(
  id: string,
  commonName: string,
  keyAlgorithm: OpensslCertSpec["keyAlgorithm"] = "RSA-2048",
): OpensslCertSpec {
  return spec({
    id,
    subject: { commonName },
    sans: [{ type: "dns", value: commonName }],
    keyUsages: ["digitalSignature", "keyEncipherment", "keyCertSign"],
    isCa: true,
    validityDays: 3650,
    keyAlgorithm,
    signer: "self",
  });
}
