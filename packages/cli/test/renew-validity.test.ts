/**
 * `kubepki renew` keeps the validity the cluster chose (issue 18): a tree made with leafDays 90
 * renews to 90 days, not kubeadm's 365; `--validity DAYS` overrides it and is checked before
 * anything is read or written; a validity cut short by the CA is a warning.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashTree, kubepki, run, tempDir } from "./helpers/run.js";
import { copyTree } from "./helpers/tree-tools.js";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

let dir: { path: string; cleanup: () => Promise<void> };
let tree: string;
beforeAll(async () => {
  dir = await tempDir();
  tree = join(dir.path, "cluster");
  const config = join(dir.path, "cluster.yaml");
  await writeFile(
    config,
    [
      "keyAlgorithm: ECDSA-P256",
      "nodes:",
      "  - { name: cp-1, role: control-plane, addresses: [10.0.0.11] }",
      "validity:",
      "  leafDays: 90",
      "",
    ].join("\n"),
  );
  const init = await kubepki(["init", "--out", tree, "--config", config]);
  expect(init.code, init.stderr).toBe(0);
}, 120_000);
afterAll(() => dir.cleanup());

let copies = 0;
async function copyOfTree(): Promise<string> {
  const copy = join(dir.path, `copy-${++copies}`);
  await copyTree(tree, copy);
  return copy;
}

/** `openssl x509 -enddate` of a PEM certificate, as a Date. */
async function endDate(pem: string): Promise<Date> {
  const result = await run("openssl", ["x509", "-noout", "-enddate"], { input: pem });
  expect(result.code, result.stderr).toBe(0);
  return new Date(result.stdout.trim().replace(/^notAfter=/, ""));
}

/** The client certificate a kubeconfig embeds (the first `client-certificate-data`). */
function embedded(kubeconfig: string): string {
  const data = /client-certificate-data:\s*(\S+)/.exec(kubeconfig)?.[1];
  if (!data) throw new Error("no client-certificate-data");
  return Buffer.from(data, "base64").toString("utf8");
}

/** Runs renew and checks that pki/apiserver.crt and admin.conf's certificate now end `days` after it. */
async function renewAndCheck(copy: string, args: readonly string[], days: number) {
  const serial = (await run("openssl", ["x509", "-noout", "-serial", "-in", join(copy, "pki/apiserver.crt")])).stdout;
  const before = Date.now();
  const renew = await kubepki(["renew", copy, ...args]);
  const after = Date.now();
  expect(renew.code, renew.stderr).toBe(0);
  const apiserver = await readFile(join(copy, "pki/apiserver.crt"), "utf8");
  const admin = embedded(await readFile(join(copy, "admin.conf"), "utf8"));
  // openssl prints whole seconds: a minute either way covers it and the renewal's own time.
  for (const pem of [apiserver, admin]) {
    const end = (await endDate(pem)).getTime();
    expect(end).toBeGreaterThanOrEqual(before + days * DAY_MS - MINUTE_MS);
    expect(end).toBeLessThanOrEqual(after + days * DAY_MS + MINUTE_MS);
  }
  // Renewed for real (a new certificate), and still accepted by openssl for its purpose.
  expect((await run("openssl", ["x509", "-noout", "-serial"], { input: apiserver })).stdout).not.toBe(serial);
  const ca = join(copy, "pki/ca.crt");
  const server = await run("openssl", ["verify", "-CAfile", ca, "-purpose", "sslserver"], { input: apiserver });
  expect(server.stdout.trim(), server.stderr).toBe("stdin: OK");
  const client = await run("openssl", ["verify", "-CAfile", ca, "-purpose", "sslclient"], { input: admin });
  expect(client.stdout.trim(), client.stderr).toBe("stdin: OK");
  return renew;
}

describe("kubepki renew keeps the cluster's validity", () => {
  it("a tree made with leafDays 90 renews to 90 days (kubepki.yaml), not 365", async () => {
    const renew = await renewAndCheck(await copyOfTree(), ["all"], 90);
    expect(renew.stdout).toContain("renewed apiserver");
    expect(renew.stderr).not.toContain("warning:");
  }, 60_000);

  it("without kubepki.yaml, each certificate keeps its own lifetime (90 days)", async () => {
    const copy = await copyOfTree();
    await rm(join(copy, "kubepki.yaml"));
    await renewAndCheck(copy, ["all"], 90);
  }, 60_000);

  it("--validity 30 renews to 30 days; --json gives each certificate's new notAfter", async () => {
    const copy = await copyOfTree();
    const renew = await renewAndCheck(copy, ["all", "--validity", "30", "--json"], 30);
    const summary = JSON.parse(renew.stdout) as {
      renewed: string[];
      certificates: { name: string; notAfter: string; validityDays: number; validityFrom: string }[];
      warnings: string[];
    };
    expect(summary.certificates.map((cert) => cert.name)).toEqual(summary.renewed);
    const apiserver = summary.certificates.find((cert) => cert.name === "apiserver");
    expect(apiserver).toMatchObject({ validityDays: 30, validityFrom: "validityDays" });
    const pem = await readFile(join(copy, "pki/apiserver.crt"), "utf8");
    expect(apiserver?.notAfter).toBe((await endDate(pem)).toISOString());
    expect(summary.warnings).toEqual([]);
  }, 60_000);

  it("--validity 0, abc, 1.5 or -3 is a usage error (exit 2) naming --validity, nothing written", async () => {
    const copy = await copyOfTree();
    const before = await hashTree(copy);
    for (const value of ["0", "abc", "1.5", "-3", "1e2"]) {
      const renew = await kubepki(["renew", copy, "all", `--validity=${value}`]);
      expect(renew.code, `${value}: ${renew.stderr}`).toBe(2);
      expect(renew.stderr).toContain("--validity");
      expect(renew.stdout).toBe("");
      expect(await hashTree(copy)).toEqual(before);
    }
  }, 60_000);

  it("a validity past the CA's end is cut to it, with a warning on stderr and in --json", async () => {
    const copy = join(dir.path, "short-ca");
    const config = join(dir.path, "short-ca.yaml");
    await writeFile(config, "keyAlgorithm: ECDSA-P256\nvalidity:\n  caDays: 60\n  leafDays: 30\n");
    const init = await kubepki(["init", "--out", copy, "--config", config, "--control-plane", "cp-1=10.0.0.11"]);
    expect(init.code, init.stderr).toBe(0);
    const caEnd = await endDate(await readFile(join(copy, "pki/ca.crt"), "utf8"));

    const renew = await kubepki(["renew", copy, "apiserver", "--validity", "90"]);
    expect(renew.code, renew.stderr).toBe(0);
    expect(renew.stderr).toMatch(/^warning: apiserver: validity ends with its CA pki\/ca\.crt on .*renew the CA/m);
    expect(renew.stdout).not.toContain("note: apiserver: validity ends");
    expect(await endDate(await readFile(join(copy, "pki/apiserver.crt"), "utf8"))).toEqual(caEnd);

    const json = await kubepki(["renew", copy, "admin.conf", "--validity", "90", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const summary = JSON.parse(json.stdout) as { warnings: string[]; certificates: { endsWithCa: boolean }[] };
    expect(summary.warnings).toEqual([expect.stringMatching(/^admin\.conf: validity ends with its CA pki\/ca\.crt/)]);
    expect(summary.certificates).toEqual([
      expect.objectContaining({ endsWithCa: true, notAfter: caEnd.toISOString() }),
    ]);
  }, 60_000);
});
