/**
 * Issue 20: `kubepki ca init` makes an offline root CA that openssl accepts (CA:TRUE, pathlen,
 * self-verifying), its key encrypted on request with a passphrase from a file, the environment or
 * a no-echo terminal prompt (driven through script(1)); `init --encrypt-ca-keys` writes the
 * cluster CA keys encrypted, openssl reads them, and the audit warns ENCRYPTED_KEY.
 */
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, hashTree, kubepki, modeOf, type RunResult, run, tempDir } from "./helpers/run.js";

let dir: { path: string; cleanup: () => Promise<void> };
let goodFile: string;
let wrongFile: string;
const PASS = "root passphrase ünïcode";

beforeAll(async () => {
  dir = await tempDir();
  goodFile = join(dir.path, "good.pass");
  wrongFile = join(dir.path, "wrong.pass");
  await writeFile(goodFile, `${PASS}\n`);
  await writeFile(wrongFile, "not it\n");
});
afterAll(() => dir.cleanup());

async function openssl(args: readonly string[]): Promise<string> {
  const result = await run("openssl", args);
  expect(result.code, `openssl ${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

/** The root's certificate and key agree (openssl's public keys), and openssl reads the key with `passin`. */
async function expectKeyOfCertificate(root: string, passin?: string): Promise<void> {
  const fromCert = await openssl(["x509", "-in", join(root, "ca.crt"), "-noout", "-pubkey"]);
  const fromKey = await openssl([
    "pkey",
    "-in",
    join(root, "ca.key"),
    ...(passin ? ["-passin", passin] : []),
    "-pubout",
  ]);
  expect(fromKey).toBe(fromCert);
}

/**
 * `kubepki ARGS` on a pseudo-terminal (script(1)), typing each answer only once its prompt is on
 * screen: raw mode (no echo) is set before the prompt is written, so nothing typed may come back.
 */
function onTerminal(args: readonly string[], answers: readonly string[]): Promise<RunResult> {
  const command = [process.execPath, BIN, ...args].map((word) => `'${word}'`).join(" ");
  return new Promise((resolve) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      env: { ...process.env, NO_COLOR: "1", KUBEPKI_PASSPHRASE: "" },
    });
    let stdout = "";
    let prompts = 0;
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const seen = (stdout.match(/Passphrase for |The same passphrase again: /g) ?? []).length;
      while (prompts < seen && prompts < answers.length) child.stdin.write(`${answers[prompts++]}\n`);
    });
    child.stdin.on("error", () => {});
    child.on("close", (code) => {
      clearTimeout(timer);
      child.stdin.end();
      resolve({ code: code ?? 1, stdout, stderr: "" });
    });
  });
}

describe("kubepki ca init: an offline root CA", () => {
  for (const [algorithm, label] of [
    ["RSA-2048", "RSA PRIVATE KEY"],
    ["ECDSA-P256", "EC PRIVATE KEY"],
    ["Ed25519", "PRIVATE KEY"],
  ] as const) {
    it(`${algorithm}: CA:TRUE, pathlen 1, self-verifying, ca.crt 0644 and ca.key 0600 (${label})`, async () => {
      const root = join(dir.path, `root-${algorithm}`);
      const result = await kubepki(["ca", "init", "--out", root, "--key-algorithm", algorithm], {
        env: { COLUMNS: "400" },
      });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`--root-ca ${root}/ca.crt --root-key ${root}/ca.key`);
      const text = await openssl(["x509", "-in", join(root, "ca.crt"), "-noout", "-text"]);
      expect(text).toMatch(/CA:TRUE, pathlen:1/);
      expect(text).toContain("Subject: CN = kubepki offline root CA");
      expect(text).toMatch(/Certificate Sign/);
      expect(await openssl(["verify", "-CAfile", join(root, "ca.crt"), join(root, "ca.crt")])).toContain(": OK");
      expect(await modeOf(join(root, "ca.crt"))).toBe(0o644);
      expect(await modeOf(join(root, "ca.key"))).toBe(0o600);
      expect((await readFile(join(root, "ca.key"), "utf8")).split("\n")[0]).toBe(`-----BEGIN ${label}-----`);
      await expectKeyOfCertificate(root);
    });
  }

  it("--days, --path-length and --subject are written as asked; --json says what was made", async () => {
    const root = join(dir.path, "root-flags");
    const result = await kubepki([
      "ca",
      "init",
      "--out",
      root,
      "--days",
      "400",
      "--path-length",
      "0",
      "--subject",
      "/O=Example Corp/CN=Example root",
      "--json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ files: ["ca.crt", "ca.key"], pathLength: 0, encrypted: false });
    const text = await openssl(["x509", "-in", join(root, "ca.crt"), "-noout", "-text"]);
    expect(text).toMatch(/CA:TRUE, pathlen:0/);
    expect(text).toContain("Subject: O = Example Corp, CN = Example root");
    const days = (new Date(summary.notAfter).getTime() - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(400);
  });

  it("refuses to overwrite without --force (nothing written), replaces with it", async () => {
    const root = join(dir.path, "root-overwrite");
    expect((await kubepki(["ca", "init", "--out", root])).code).toBe(0);
    const before = await hashTree(root);
    const again = await kubepki(["ca", "init", "--out", root]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Refusing to overwrite ca\.crt and ca\.key/);
    expect(await hashTree(root)).toEqual(before);
    const forced = await kubepki(["ca", "init", "--out", root, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect((await hashTree(root))["ca.crt"]).not.toBe(before["ca.crt"]);
  });

  it("usage errors: unknown subcommand, bad numbers, --passphrase-file without --encrypt (exit 2)", async () => {
    for (const args of [
      ["ca", "sign", "--out", "x"],
      ["ca", "init"],
      ["ca", "init", "--out", "x", "--days", "0"],
      ["ca", "init", "--out", "x", "--path-length", "-1"],
      ["ca", "init", "--out", "x", "--key-algorithm", "DSA"],
      ["ca", "init", "--out", "x", "--passphrase-file", goodFile],
    ]) {
      const result = await kubepki(args, { cwd: dir.path });
      expect(result.code, args.join(" ")).toBe(2);
    }
  });
});

describe("ca init --encrypt: the passphrase from a file, the environment or the terminal", () => {
  it("--passphrase-file: an ENCRYPTED PRIVATE KEY openssl reads with -passin file:", async () => {
    const root = join(dir.path, "enc-file");
    const result = await kubepki(["ca", "init", "--out", root, "--encrypt", "--passphrase-file", goodFile]);
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(join(root, "ca.key"), "utf8")).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    await expectKeyOfCertificate(root, `file:${goodFile}`);
    const wrong = await run("openssl", ["pkey", "-in", join(root, "ca.key"), "-passin", `file:${wrongFile}`, "-noout"]);
    expect(wrong.code).not.toBe(0);
  });

  it("KUBEPKI_PASSPHRASE", async () => {
    const root = join(dir.path, "enc-env");
    const result = await kubepki(["ca", "init", "--out", root, "--encrypt", "--key-algorithm", "Ed25519"], {
      env: { KUBEPKI_PASSPHRASE: PASS },
    });
    expect(result.code, result.stderr).toBe(0);
    await expectKeyOfCertificate(root, `file:${goodFile}`);
  });

  it("on a terminal: asked twice with echo off; two different answers write nothing (exit 2)", async () => {
    const root = join(dir.path, "enc-tty");
    const result = await onTerminal(["ca", "init", "--out", root, "--encrypt"], [PASS, PASS]);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain("Passphrase for the new root CA key");
    expect(result.stdout).toContain("The same passphrase again: ");
    expect(result.stdout).not.toContain(PASS);
    await expectKeyOfCertificate(root, `file:${goodFile}`);

    const differ = join(dir.path, "enc-tty-differ");
    const mismatch = await onTerminal(["ca", "init", "--out", differ, "--encrypt"], [PASS, "something else"]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stdout).toContain("differ; nothing was written");
    expect(await hashTree(differ).catch(() => ({}))).toEqual({});
  });

  it("no file, no variable, no terminal: PASSPHRASE_REQUIRED naming the three ways (exit 2)", async () => {
    const root = join(dir.path, "enc-none");
    // setsid: no controlling terminal, whatever runs the tests.
    const result = await run("setsid", [process.execPath, BIN, "ca", "init", "--out", root, "--encrypt", "--json"], {
      env: { KUBEPKI_PASSPHRASE: "" },
    });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error.code).toBe("PASSPHRASE_REQUIRED");
    expect(result.stderr).toContain("--passphrase-file FILE");
    expect(result.stderr).toContain("KUBEPKI_PASSPHRASE");
    expect(result.stderr).toContain("terminal");
    expect(await hashTree(root).catch(() => ({}))).toEqual({});
  });

  it("an empty passphrase file is refused (exit 2)", async () => {
    const empty = join(dir.path, "empty.pass");
    await writeFile(empty, "\n");
    const result = await kubepki([
      "ca",
      "init",
      "--out",
      join(dir.path, "enc-empty"),
      "--encrypt",
      "--passphrase-file",
      empty,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is empty");
  });

  it("the encrypted root read later as init --ca-key: a wrong passphrase file is WRONG_PASSPHRASE, nothing written", async () => {
    const root = join(dir.path, "enc-file");
    const out = join(dir.path, "from-encrypted-root");
    const caFlags = ["--ca-cert", join(root, "ca.crt"), "--ca-key", join(root, "ca.key")];
    const wrong = await kubepki(["init", "--out", out, ...caFlags, "--passphrase-file", wrongFile, "--json"]);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).error.code).toBe("WRONG_PASSPHRASE");
    expect(await hashTree(out).catch(() => ({}))).toEqual({});
    const right = await kubepki([
      "init",
      "--out",
      out,
      ...caFlags,
      "--passphrase-file",
      goodFile,
      "--key-algorithm",
      "ECDSA-P256",
    ]);
    expect(right.code, right.stderr).toBe(0);
    expect(await openssl(["verify", "-CAfile", join(root, "ca.crt"), join(out, "pki/apiserver.crt")])).toContain(
      ": OK",
    );
  }, 60_000);
});

describe("init --encrypt-ca-keys", () => {
  it("the three CA keys encrypted (openssl reads them), the rest plain; audit warns ENCRYPTED_KEY and exits 0", async () => {
    const out = join(dir.path, "encrypted-cas");
    const result = await kubepki(
      ["init", "--out", out, "--key-algorithm", "ECDSA-P256", "--encrypt-ca-keys", "--passphrase-file", goodFile],
      { timeoutMs: 120_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    const caKeys = ["pki/ca.key", "pki/etcd/ca.key", "pki/front-proxy-ca.key"];
    for (const key of caKeys) {
      expect(await readFile(join(out, key), "utf8"), key).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
      expect(await modeOf(join(out, key))).toBe(0o600);
      const fromKey = await openssl(["pkey", "-in", join(out, key), "-passin", `file:${goodFile}`, "-pubout"]);
      const fromCert = await openssl(["x509", "-in", join(out, key.replace(/\.key$/, ".crt")), "-noout", "-pubkey"]);
      expect(fromKey, key).toBe(fromCert);
    }
    for (const key of ["pki/apiserver.key", "pki/sa.key", "pki/etcd/server.key"]) {
      expect(await readFile(join(out, key), "utf8"), key).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    }
    const audit = await kubepki(["audit", out, "--json"]);
    expect(audit.code, audit.stdout).toBe(0);
    const findings = JSON.parse(audit.stdout).findings as { code: string; severity: string; file: string }[];
    expect(findings.map((finding) => `${finding.severity} ${finding.code} ${finding.file}`).sort()).toEqual(
      caKeys.map((key) => `warning ENCRYPTED_KEY ${key}`).sort(),
    );
  }, 120_000);

  it("--passphrase-file without --encrypt-ca-keys or --ca-key is a usage error", async () => {
    const result = await kubepki(["init", "--out", join(dir.path, "x"), "--passphrase-file", goodFile]);
    expect(result.code).toBe(2);
  });
});
