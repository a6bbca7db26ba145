/**
 * What the built CLI loads per command. `kubepki --help` and `kubepki plan` must load no
 * cryptography and no ASN.1 code: no `@peculiar/*` package, and none of core's key, certificate
 * or parser code (the bin bundles its libraries per command, packages/cli/tsup.config.ts, and the
 * plan side imports `@kubepki/k8s-profiles/plan` and `@kubepki/core/names`). The CLI runs as a
 * subprocess with a preload (helpers/trace-imports.mjs) that lists every module Node resolves;
 * each file is then read for what marks key and certificate code. `init` is the control: the same
 * check finds that code there. They run the built dist/ (`pnpm -r build` first).
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const HOOK = fileURLToPath(new URL("./helpers/trace-imports.mjs", import.meta.url));
const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const work = await mkdtemp(join(tmpdir(), "kubepki-cli-modules-"));
afterAll(() => rm(work, { recursive: true, force: true }));

// Definitions esbuild keeps by name (it appends a digit when two modules clash), WebCrypto calls,
// and the ASN.1 library: any of them in a loaded file is key, certificate or parser code.
const CRYPTO_MARKERS = [
  /\bfunction (generateKeyPair|exportKeyPair|issueCertificate|createSelfSignedCa|parseCertificate|parseCsr)\d*\(/,
  /\.subtle\b/,
  /@peculiar\/asn1/,
];

let runs = 0;
/** Runs `kubepki …args` and returns the module URLs Node resolved for it. */
async function modulesOf(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const list = join(work, `modules-${++runs}.txt`);
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", HOOK, BIN, ...args],
      { env: { ...process.env, ...env, KUBEPKI_TRACE_FILE: list }, cwd: work, timeout: 60_000 },
      (error, _stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve()),
    );
  });
  return [...new Set((await readFile(list, "utf8")).trim().split("\n"))];
}

/**
 * Key encryption and the no-echo passphrase prompt (decryption is part of core's key reader,
 * importPrivateKeyPem, which init loads anyway).
 */
const PASSPHRASE_MARKERS = [/\bfunction encryptPrivateKeyPem\d*\(/, /\.setRawMode\(/];

/** The loaded files (not node: built-ins) with one of `markers` in them, and which marker. */
async function markedIn(urls: readonly string[], markers: readonly RegExp[]): Promise<string[]> {
  const found: string[] = [];
  for (const url of urls.filter((url) => url.startsWith("file:"))) {
    const text = await readFile(fileURLToPath(url), "utf8");
    const marker = markers.find((pattern) => pattern.test(text));
    if (marker) found.push(`${url} (${marker})`);
  }
  return found;
}

/** The loaded files (not node: built-ins) with a crypto marker in them, and which marker. */
const cryptoIn = (urls: readonly string[]) => markedIn(urls, CRYPTO_MARKERS);

const PLAN_FLAGS = ["--control-plane", "cp-1=192.168.10.10", "--worker", "worker-1=192.168.10.21"];

describe("the built CLI loads per command only what that command needs", () => {
  it("--help loads the bin's own modules only: no library, no crypto, no ASN.1", async () => {
    const urls = await modulesOf(["--help"]);
    expect(urls.filter((url) => !url.startsWith("node:") && !url.includes("/packages/cli/dist/"))).toEqual([]);
    expect(await cryptoIn(urls)).toEqual([]);
    expect(await cryptoIn(await modulesOf(["plan", "--help"]))).toEqual([]);
    expect(await cryptoIn(await modulesOf(["csr", "--help"]))).toEqual([]);
  });

  it("plan (table and --json) loads no crypto and no ASN.1 code, and no yaml without --config", async () => {
    for (const args of [
      ["plan", ...PLAN_FLAGS],
      ["plan", "--json", ...PLAN_FLAGS],
    ]) {
      const urls = await modulesOf(args);
      expect(
        urls.filter((url) => /node_modules|@peculiar|yaml/.test(url)),
        args.join(" "),
      ).toEqual([]);
      expect(await cryptoIn(urls), args.join(" ")).toEqual([]);
      // yaml is bundled into the bin (for --config and the renderers' fallback): not loaded here.
      for (const url of urls.filter((url) => url.startsWith("file:"))) {
        expect(await readFile(fileURLToPath(url), "utf8"), url).not.toMatch(/\bclass YAMLMap\b/);
      }
    }
  });

  it("init loads the key and certificate code (the check sees it), and no ASN.1 parser", async () => {
    const urls = await modulesOf(["init", "--out", join(work, "pki"), "--key-algorithm", "ECDSA-P256", ...PLAN_FLAGS]);
    expect((await cryptoIn(urls)).length).toBeGreaterThan(0);
    expect(urls.filter((url) => url.includes("@peculiar"))).toEqual([]);
    // Issue 20: key encryption and the passphrase prompt are loaded with --encrypt-ca-keys only.
    expect(await markedIn(urls, PASSPHRASE_MARKERS)).toEqual([]);
    const encrypting = await modulesOf(
      [
        "init",
        "--out",
        join(work, "pki-encrypted"),
        "--key-algorithm",
        "ECDSA-P256",
        "--encrypt-ca-keys",
        ...PLAN_FLAGS,
      ],
      { KUBEPKI_PASSPHRASE: "test passphrase" },
    );
    expect((await markedIn(encrypting, PASSPHRASE_MARKERS)).length).toBeGreaterThan(0);
  });

  it("ca --help loads no crypto; ca init loads the key code, and with --encrypt the passphrase code", async () => {
    expect(await cryptoIn(await modulesOf(["ca", "--help"]))).toEqual([]);
    const plain = await modulesOf(["ca", "init", "--out", join(work, "root")]);
    expect((await cryptoIn(plain)).length).toBeGreaterThan(0);
    const encrypted = await modulesOf(["ca", "init", "--out", join(work, "root-encrypted"), "--encrypt"], {
      KUBEPKI_PASSPHRASE: "test passphrase",
    });
    expect((await markedIn(encrypted, PASSPHRASE_MARKERS)).length).toBeGreaterThan(0);
  });

  it("export reads text only (no crypto, no ASN.1); the archive libraries load with bundle only", async () => {
    const archiveMarkers = [/\bfunction (createTar|zipSync|gzipSync)\d*\(/];
    const tree = join(work, "pki-export");
    const init = await modulesOf(["init", "--out", tree, "--key-algorithm", "ECDSA-P256", ...PLAN_FLAGS]);
    expect(await markedIn(init, archiveMarkers)).toEqual([]);
    const exported = await modulesOf(["export", tree, "--secrets", "--out", join(work, "cas.yaml")]);
    expect(await cryptoIn(exported)).toEqual([]);
    expect(await markedIn(exported, archiveMarkers)).toEqual([]);
    const perNode = join(work, "per-node");
    await cp(tree, join(perNode, "cp-1", "etc", "kubernetes"), { recursive: true });
    const bundled = await modulesOf(["bundle", perNode, "--out", join(work, "bundles")]);
    expect((await markedIn(bundled, archiveMarkers)).length).toBeGreaterThan(0);
    expect(await cryptoIn(bundled)).toEqual([]);
  });
});
