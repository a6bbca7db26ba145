import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, kubepki, run, tempDir } from "./helpers/run.js";

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  expect(existsSync(BIN), "packages/cli/dist/bin.js is missing: run `pnpm -r build` (pnpm test does)").toBe(true);
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

describe("kubepki help and usage errors", () => {
  it("--help lists every command and the exit codes", async () => {
    const { code, stdout } = await kubepki(["--help"]);
    expect(code).toBe(0);
    for (const command of ["init", "plan", "audit", "check-expiration", "renew", "sign-csr", "csr"]) {
      expect(stdout).toContain(`  ${command}`);
    }
    expect(stdout).toContain("Exit codes: 0 ok, 1 findings or failure, 2 usage error.");
  });

  it.each(["init", "plan", "audit", "check-expiration", "renew", "sign-csr", "csr"])(
    "%s --help has usage, flags and examples",
    async (command) => {
      const { code, stdout } = await kubepki([command, "--help"]);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^kubepki ${command} — `));
      expect(stdout).toContain("Usage: kubepki");
      expect(stdout).toContain("Examples:");
      expect(stdout).toContain("--json");
    },
  );

  it("refuses unknown flags, missing values and unknown commands with exit 2, naming the flag", async () => {
    const unknown = await kubepki(["init", "--out", dir.path, "--etcd-ca-file", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--etcd-ca-file");
    expect(unknown.stderr).toContain("kubepki init --help");
    const missingOut = await kubepki(["init"]);
    expect(missingOut.code).toBe(2);
    expect(missingOut.stderr).toContain("--out");
    const badChoice = await kubepki(["init", "--out", dir.path, "--key-algorithm", "RSA-1024"]);
    expect(badChoice.code).toBe(2);
    expect(badChoice.stderr).toContain("--key-algorithm must be one of RSA-2048");
    const badNode = await kubepki(["plan", "--control-plane", "cp-1"]);
    expect(badNode.code).toBe(2);
    expect(badNode.stderr).toContain("NAME=IP");
    const missingDir = await kubepki(["audit"]);
    expect(missingDir.code).toBe(2);
    const command = await kubepki(["frobnicate"]);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "frobnicate"');
  });

  it("a reader that stops early (| head) is not an error: no EPIPE crash", async () => {
    // 40 workers make a plan larger than a pipe's buffer, so writes go on after head has exited.
    const workers = Array.from({ length: 40 }, (_, i) => `--worker w${i}=10.0.1.${i + 1}`).join(" ");
    const piped = await run("bash", [
      "-o",
      "pipefail",
      "-c",
      `"${process.execPath}" "${BIN}" plan --json --control-plane cp=10.0.0.1 ${workers} | head -c 10`,
    ]);
    expect(piped.stderr).not.toMatch(/EPIPE|Error/);
    expect(piped.stdout).toHaveLength(10);
    expect(piped.code).toBe(0);
  });

  it("invalid cluster input from a flag is a usage error (2) naming the flag as typed, not a stack trace", async () => {
    const { code, stderr } = await kubepki(["plan", "--control-plane", "cp-1=10.0.0.300"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--control-plane cp-1=10.0.0.300: ");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("--help does not load the crypto stack (no @kubepki/core, k8s-profiles or ASN.1 module is resolved)", async () => {
    const trace = join(dir.path, "trace.txt");
    const hook = fileURLToPath(new URL("./helpers/trace-imports.mjs", import.meta.url));
    const result = await run(process.execPath, ["--import", hook, BIN, "init", "--help"], {
      env: { KUBEPKI_TRACE_FILE: trace },
    });
    expect(result.code).toBe(0);
    const loaded = await readFile(trace, "utf8");
    expect(loaded).toContain("dist/bin.js");
    expect(loaded).not.toMatch(
      /@kubepki\/(core|k8s-profiles|renderers)|packages\/(core|k8s-profiles|renderers)\/|asn1/,
    );
    // and the same trace for a command that reads certificates shows the ASN.1 package loaded then
    // (the check can fail). The bin bundles the libraries per command, so `plan` no longer loads
    // any: command-modules.test.ts reads the loaded files for key and certificate code.
    const auditTrace = join(dir.path, "trace-audit.txt");
    await run(process.execPath, ["--import", hook, BIN, "audit", join(dir.path, "no-such-tree")], {
      env: { KUBEPKI_TRACE_FILE: auditTrace },
    });
    expect(await readFile(auditTrace, "utf8")).toMatch(/@peculiar\/asn1-schema/);
  });
});
