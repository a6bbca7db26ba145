/**
 * Issue 3's handshake with issue 4: the openssl commands that @kubepki/renderers derives from each
 * preset (renderOpensslCommands — "the tutorial's way done right"), run for a whole plan, make a
 * tree that auditCluster finds nothing wrong with; the tutorial's own commands make one it
 * finds every mistake in (test/audit.test.ts).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { renderOpensslCommands } from "@kubepki/renderers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditCluster, type CertSpec, planCluster } from "../src/index.js";
import { run } from "./helpers/tree.js";

const config = {
  keyAlgorithm: "ECDSA-P256",
  controlPlaneEndpoint: "k8s-api.example.com:6443",
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] },
    { name: "worker-1", role: "worker", addresses: ["192.168.10.21"] },
  ],
} as const;

let dir: string;
let files: Map<string, string>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kubepki-openssl-commands-"));
  const plan = planCluster(config);
  const byId = new Map<string, CertSpec>(plan.certificates.map((spec) => [spec.id, spec]));
  files = new Map();
  for (const spec of plan.certificates) {
    const signer = spec.signer === "self" ? undefined : byId.get(spec.signer);
    const commands = renderOpensslCommands(spec, {
      workDir: join(dir, ".work"),
      ...(signer
        ? { issuer: { certPath: signer.certPath, keyPath: signer.keyPath, keyAlgorithm: signer.keyAlgorithm } }
        : {}),
    });
    for (const file of commands.files) {
      // Paths inside workDir are absolute already.
      await mkdir(dirname(file.path), { recursive: true });
      await writeFile(file.path, file.content);
    }
    await mkdir(dirname(join(dir, spec.certPath)), { recursive: true });
    for (const argv of commands.commands) {
      const [program, ...args] = argv as [string, ...string[]];
      const result = run(program, args, dir);
      expect(result.status, `${argv.join(" ")}\n${result.stderr}`).toBe(0);
    }
    files.set(spec.certPath, await readFile(join(dir, spec.certPath), "utf8"));
    files.set(spec.keyPath, await readFile(join(dir, spec.keyPath), "utf8"));
  }
  // The service-account pair is a key, not a certificate: the plain openssl way.
  const sa = plan.serviceAccountKey;
  for (const argv of [
    ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", sa.privateKeyPath],
    ["pkey", "-in", sa.privateKeyPath, "-pubout", "-out", sa.publicKeyPath],
  ]) {
    expect(run("openssl", argv, dir).status).toBe(0);
  }
  files.set(sa.privateKeyPath, await readFile(join(dir, sa.privateKeyPath), "utf8"));
  files.set(sa.publicKeyPath, await readFile(join(dir, sa.publicKeyPath), "utf8"));
}, 180_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("a tree made by running renderOpensslCommands for every preset", () => {
  it("carries key identifiers as kubeadm does: SKI on CAs only, AKI on every CA-signed certificate", () => {
    const text = (file: string) => run("openssl", ["x509", "-noout", "-text", "-in", file], dir).stdout;
    expect(text("pki/ca.crt")).toContain("X509v3 Subject Key Identifier");
    expect(text("pki/ca.crt")).not.toContain("X509v3 Authority Key Identifier");
    expect(text("pki/apiserver.crt")).not.toContain("X509v3 Subject Key Identifier");
    expect(text("pki/apiserver.crt")).toContain("X509v3 Authority Key Identifier");
  });

  it("has no findings (the certificates alone, without kubeconfigs)", async () => {
    const report = await auditCluster(files);
    expect(report.findings).toEqual([]);
    expect(report.certificates.length).toBe(files.size / 2 - 1);
    expect(report.certificates.every((certificate) => certificate.role !== undefined)).toBe(true);
  });
});
