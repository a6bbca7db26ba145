/**
 * The write floor (floor-write.mjs) is the benchmark's lower bound for any program that writes a
 * cluster's keys and certificates with WebCrypto. A bound is only worth its output: these checks
 * run it on a small workload and have openssl and Node's X509Certificate accept what it made —
 * a parseable certificate carrying the key file's public key, signed by its CA's key, and a
 * valid SEC1 key. They run the built dist/ for the plan (`pnpm -r build` first).
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("floor-write.mjs", import.meta.url));
const PROFILES = fileURLToPath(new URL("../../packages/k8s-profiles/dist/node/generate-entry.js", import.meta.url));
const WORKLOAD = fileURLToPath(new URL("../lib/workload.mjs", import.meta.url));

const dir = mkdtempSync(join(tmpdir(), "kubepki-floor-write-"));
const out = join(dir, "out");

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error.code as number | undefined) ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function writeWorkload(algorithm: string): Promise<string> {
  const { planCluster } = await import(PROFILES);
  const { clusterConfig, workloadFromPlan } = await import(WORKLOAD);
  const file = join(dir, `${algorithm}.json`);
  writeFileSync(file, JSON.stringify(workloadFromPlan(planCluster(clusterConfig(3, algorithm)))));
  return file;
}

const openssl = (...args: string[]) => execFileSync("openssl", args, { encoding: "utf8" });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("floor-write.mjs (the write floor)", () => {
  let report: { certificates: number; keys: number; inProcessMs: number };

  beforeAll(async () => {
    const result = await run(["--workload", await writeWorkload("ECDSA-P256"), "--check", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    report = JSON.parse(result.stdout.trim().split("\n").at(-1) as string);
  });

  it("makes every certificate and key of the workload and reports its time", () => {
    expect(report.certificates).toBeGreaterThan(20);
    expect(report.keys).toBe(report.certificates + 1);
    expect(report.inProcessMs).toBeGreaterThan(0);
  });

  it("writes certificates openssl reads: P-256 keys, ecdsa-with-SHA256, positive distinct serials", () => {
    const text = openssl("x509", "-in", join(out, "leaf.crt"), "-noout", "-text");
    expect(text).toContain("Public Key Algorithm: id-ecPublicKey");
    expect(text).toContain("NIST CURVE: P-256");
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    const serial = (file: string) => openssl("x509", "-in", join(out, file), "-noout", "-serial").trim();
    expect(serial("leaf.crt")).toMatch(/^serial=[0-7][0-9A-F]{31}$/);
    expect(serial("leaf.crt")).not.toBe(serial("ca.crt"));
  });

  it("signs each certificate with its CA's key, and no other", () => {
    const ca = new X509Certificate(readFileSync(join(out, "ca.crt")));
    const leaf = new X509Certificate(readFileSync(join(out, "leaf.crt")));
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.verify(leaf.publicKey)).toBe(false);
  });

  it("writes a valid SEC1 key whose public key is the certificate's", () => {
    const key = join(out, "leaf.key");
    expect(readFileSync(key, "utf8")).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    const check = spawnSync("openssl", ["ec", "-in", key, "-noout", "-check"], { encoding: "utf8" });
    expect(check.status).toBe(0);
    expect(check.stdout + check.stderr).toContain("EC Key valid.");
    const fromKey = openssl("pkey", "-in", key, "-pubout");
    const fromCertificate = openssl("x509", "-in", join(out, "leaf.crt"), "-noout", "-pubkey");
    expect(fromCertificate).toBe(fromKey);
  });

  it("refuses a workload that is not ECDSA-P256", async () => {
    const result = await run(["--workload", await writeWorkload("RSA-2048")]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("ECDSA-P256 workloads only");
  });
});
