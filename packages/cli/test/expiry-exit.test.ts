/**
 * Exit codes of check-expiration and audit for certificate time (documented in --help, the README
 * and guide 04): a fresh tree (0), the same tree with its apiserver certificate re-signed by the
 * tree's CA for 10 days with `openssl x509 -req -days 10` (1 inside the window, 0 outside), and one
 * re-signed with a validity that ended in 2021 by `openssl ca -startdate/-enddate` (3, which wins
 * over 1). Plus the output formats as the built CLI prints them, and the duration flags' usage errors.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { initTree } from "./helpers/init-tree.js";
import { kubepki, run, tempDir } from "./helpers/run.js";
import { copyTree } from "./helpers/tree-tools.js";

let dir: { path: string; cleanup: () => Promise<void> };
let fresh: string;
let soon: string;
let expired: string;

async function openssl(args: string[], cwd: string): Promise<void> {
  const result = await run("openssl", args, { cwd });
  expect(result.code, result.stderr).toBe(0);
}

/** A CSR for the apiserver's own key with its subject and extensions (SANs included). */
async function apiserverCsr(tree: string): Promise<void> {
  await openssl(
    [
      "x509",
      "-x509toreq",
      "-in",
      "pki/apiserver.crt",
      "-signkey",
      "pki/apiserver.key",
      "-copy_extensions",
      "copyall",
      "-out",
      "apiserver.csr",
    ],
    tree,
  );
}

/** `openssl ca` (OpenSSL 3.0 has no `x509 -not_after`): a validity window in the past, signed by the tree's CA. */
async function resignExpired(tree: string): Promise<void> {
  await apiserverCsr(tree);
  await writeFile(join(tree, "index.txt"), "");
  await writeFile(join(tree, "serial"), "1000\n");
  await writeFile(
    join(tree, "ca.cnf"),
    [
      "[ca]",
      "default_ca = tree",
      "[tree]",
      `database = ${join(tree, "index.txt")}`,
      `serial = ${join(tree, "serial")}`,
      `new_certs_dir = ${tree}`,
      "default_md = sha256",
      "policy = any",
      "copy_extensions = copyall",
      "unique_subject = no",
      "[any]",
      "commonName = supplied",
      "",
    ].join("\n"),
  );
  await openssl(
    [
      "ca",
      "-batch",
      "-notext",
      "-preserveDN",
      "-config",
      "ca.cnf",
      "-cert",
      "pki/ca.crt",
      "-keyfile",
      "pki/ca.key",
      "-startdate",
      "20200101000000Z",
      "-enddate",
      "20210101000000Z",
      "-in",
      "apiserver.csr",
      "-out",
      "pki/apiserver.crt",
    ],
    tree,
  );
}

beforeAll(async () => {
  dir = await tempDir();
  fresh = join(dir.path, "fresh");
  soon = join(dir.path, "soon");
  expired = join(dir.path, "expired");
  await initTree(fresh);
  await copyTree(fresh, soon);
  await copyTree(fresh, expired);
  await apiserverCsr(soon);
  await openssl(
    [
      "x509",
      "-req",
      "-in",
      "apiserver.csr",
      "-CA",
      "pki/ca.crt",
      "-CAkey",
      "pki/ca.key",
      "-CAcreateserial",
      "-copy_extensions",
      "copyall",
      "-days",
      "10",
      "-out",
      "pki/apiserver.crt",
    ],
    soon,
  );
  await resignExpired(expired);
}, 120_000);
afterAll(() => dir.cleanup());

describe("the re-signed trees are what the tests say", () => {
  it("soon: the apiserver certificate verifies under the tree's CA and ends in 10 days, same key and SANs", async () => {
    const verify = await run(
      "openssl",
      ["verify", "-CAfile", "pki/ca.crt", "-purpose", "sslserver", "pki/apiserver.crt"],
      {
        cwd: soon,
      },
    );
    expect(verify.code, verify.stderr).toBe(0);
    const endsWithin = (seconds: number) =>
      run("openssl", ["x509", "-in", "pki/apiserver.crt", "-noout", "-checkend", String(seconds)], { cwd: soon });
    expect((await endsWithin(9 * 86_400)).code).toBe(0);
    expect((await endsWithin(11 * 86_400)).code).toBe(1);
    const sans = async (tree: string) =>
      (await run("openssl", ["x509", "-in", "pki/apiserver.crt", "-noout", "-ext", "subjectAltName"], { cwd: tree }))
        .stdout;
    expect(await sans(soon)).toBe(await sans(fresh));
  });

  it("expired: openssl refuses the apiserver certificate as expired", async () => {
    const verify = await run("openssl", ["verify", "-CAfile", "pki/ca.crt", "pki/apiserver.crt"], { cwd: expired });
    expect(verify.code).not.toBe(0);
    expect(verify.stdout + verify.stderr).toMatch(/certificate has expired/);
  });
});

describe("check-expiration exit codes: 0 fine, 1 within --warn-within, 3 expired or not yet valid", () => {
  it.each([
    ["fresh", [], 0],
    ["fresh", ["--warn-within", "30d"], 0],
    ["soon", [], 0],
    ["soon", ["--warn-within", "30d"], 1],
    ["soon", ["--warn-within", "720h"], 1],
    ["soon", ["--warn-within", "5d"], 0],
    ["soon", ["--warn-within", "7200m"], 0],
    ["expired", [], 3],
    ["expired", ["--warn-within", "30d"], 3],
    ["expired", ["-o", "json"], 3],
  ] as const)("%s %j → %i", async (tree, flags, code) => {
    const result = await kubepki(["check-expiration", join(dir.path, tree), ...flags]);
    expect(result.code, result.stderr).toBe(code);
    if (code !== 0) expect(result.stderr).toMatch(/apiserver/);
    expect(result.stdout).toMatch(/apiserver/);
  });

  it("a bare number or an unknown unit is a usage error that shows the forms", async () => {
    for (const value of ["30", "30x", "-1d", "1.5d"]) {
      const result = await kubepki(["check-expiration", fresh, `--warn-within=${value}`]);
      expect(result.code, value).toBe(2);
      expect(result.stderr).toContain("30d, 720h, 90m, 3600s or 500ms");
    }
  });
});

describe("audit exit codes: 3 expired, 1 errors or within an explicit --expiring-within, else 0", () => {
  it.each([
    ["fresh", [], 0],
    ["fresh", ["--expiring-within", "30d"], 0],
    // The default window (30 days) only warns; the 10-day validity is a SHORT_VALIDITY warning.
    ["soon", [], 0],
    ["soon", ["--expiring-within", "30d"], 1],
    ["soon", ["--expiring-within", "30"], 1],
    ["soon", ["--expiring-within", "5d"], 0],
    ["expired", [], 3],
    ["expired", ["--expiring-within", "30d"], 3],
  ] as const)("%s %j → %i", async (tree, flags, code) => {
    const result = await kubepki(["audit", join(dir.path, tree), ...flags, "--json"]);
    expect(result.code, result.stderr).toBe(code);
    const codes = JSON.parse(result.stdout).findings.map((finding: { code: string }) => finding.code);
    // Within the default window the finding is there, as a warning only (exit 0).
    if (tree === "soon" && flags.at(-1) !== "5d") expect(codes).toContain("EXPIRES_SOON");
    if (tree === "expired") expect(codes).toContain("EXPIRED");
  });

  it("--expiring-within refuses what is not a duration or a whole number of days", async () => {
    const result = await kubepki(["audit", fresh, "--expiring-within", "soon"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("30d, 720h, 90m, 3600s or 500ms");
  });
});

describe("check-expiration -o", () => {
  it("json and yaml are kubeadm's CertificateExpirationInfo with the rows of the table", async () => {
    const own = JSON.parse((await kubepki(["check-expiration", fresh, "--json"])).stdout);
    expect(Object.keys(own)).toEqual(["dir", "certificates"]);
    const names = own.certificates.map((row: { name: string }) => row.name);
    const json = await kubepki(["check-expiration", fresh, "-o", "json"]);
    const yaml = await kubepki(["check-expiration", fresh, "--output", "yaml"]);
    for (const info of [JSON.parse(json.stdout), parse(yaml.stdout)]) {
      expect(info.kind).toBe("CertificateExpirationInfo");
      expect(info.apiVersion).toBe("output.kubeadm.k8s.io/v1alpha3");
      expect([...info.certificates, ...info.certificateAuthorities].map((c: { name: string }) => c.name)).toEqual(
        names,
      );
    }
    expect(json.stdout.startsWith('{\n    "kind": "CertificateExpirationInfo",\n')).toBe(true);
    expect(yaml.stdout.startsWith("apiVersion: output.kubeadm.k8s.io/v1alpha3\n")).toBe(true);
  });

  it("prometheus is read by the exposition-format parser, one sample per row and gauge", async () => {
    const result = await kubepki(["check-expiration", soon, "-o", "prometheus"]);
    const families = parsePrometheusTextFormat(result.stdout);
    expect(families.map((f) => f.name)).toEqual([
      "kubepki_certificate_expiry_timestamp_seconds",
      "kubepki_certificate_not_before_timestamp_seconds",
    ]);
    const apiserver = families[0]?.metrics.find((m) => m.labels?.name === "apiserver");
    expect(apiserver?.labels).toEqual({
      file: "pki/apiserver.crt",
      cn: "kube-apiserver",
      issuer: "kubernetes",
      role: "apiserver",
      name: "apiserver",
    });
    const pem = await readFile(join(soon, "pki/apiserver.crt"), "utf8");
    const endDate = (await run("openssl", ["x509", "-noout", "-enddate"], { input: pem })).stdout.trim();
    expect(Number(apiserver?.value)).toBe(Date.parse(endDate.replace("notAfter=", "")) / 1000);
  });

  it("--json and -o exclude each other; -o takes only the listed formats", async () => {
    expect((await kubepki(["check-expiration", fresh, "--json", "-o", "yaml"])).code).toBe(2);
    expect((await kubepki(["check-expiration", fresh, "-o", "xml"])).code).toBe(2);
  });
});
