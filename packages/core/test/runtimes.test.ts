/**
 * One suite, three runtimes (jose's tap/run-*.ts pattern): the same `runtime/suite.ts` runs here
 * under Node against the sources, and under Deno and Bun (installed from npm as root
 * devDependencies) against the built ESM in dist/ — the WebCrypto-only promise, checked.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as core from "../src/index.js";
import { runCoreSuite } from "./runtime/suite.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const bin = (name: string) => fileURLToPath(new URL(`../../../node_modules/.bin/${name}`, import.meta.url));
const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: `${here}runtime`, timeout: 120_000, env: { ...process.env, NO_COLOR: "1" } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
      },
    );
  });
}

describe("the core suite in every runtime", () => {
  it("Node (vitest, sources)", async () => {
    const result = await runCoreSuite(core, ["RSA-2048", "ECDSA-P256", "ECDSA-P384", "Ed25519"]);
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(10);
  });

  for (const [runtime, args] of [
    ["deno", ["run", "--allow-read", "--allow-env", "run-deno.ts"]],
    ["bun", ["run", "run-bun.ts"]],
  ] as const) {
    it(`${runtime} (built ESM)`, async () => {
      expect(existsSync(dist), "packages/core/dist is missing: run `pnpm -r build` first (pnpm test does)").toBe(true);
      const { code, output } = await run(bin(runtime), [...args]);
      expect(output).toMatch(/: 10 passed, 0 failed/);
      expect(code, output).toBe(0);
    });
  }
});
