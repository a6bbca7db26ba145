/**
 * Every error the CLI's library entry (`writeTree`, `readTree`, `lockTree`) throws on bad input
 * is a kubepki error (issue 17: one error class): core's `isKubepkiError` and `instanceof
 * KubepkiError` are true for a `CliError`, with a code from core's `KubepkiErrorCode` union.
 * The package entry is the built one (dist/), as a user imports it; core too.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isKubepkiError, KubepkiError, type KubepkiErrorCode } from "@kubepki/core";
import type { RendererErrorCode } from "@kubepki/renderers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught } from "../../core/test/helpers/caught.js";
import { CliError, lockTree, readTree, UsageError, writeTree } from "../dist/index.js";
import { tempDir } from "./helpers/run.js";

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

describe("cli library entry: bad input is a KubepkiError with a known code", () => {
  const cases: [string, () => Promise<unknown>, KubepkiErrorCode][] = [
    [
      "writeTree(a path that climbs out)",
      () => writeTree(join(dir.path, "out-1"), [{ path: "../escape.crt", contents: "x", mode: 0o644 }]),
      "INVALID_PATH",
    ],
    [
      "writeTree(an absolute path)",
      () => writeTree(join(dir.path, "out-2"), [{ path: "/etc/escape.crt", contents: "x", mode: 0o644 }]),
      "INVALID_PATH",
    ],
    [
      "writeTree(a file that exists, no force)",
      async () => {
        const out = join(dir.path, "out-3");
        await writeTree(out, [{ path: "ca.crt", contents: "x", mode: 0o644 }]);
        await writeTree(out, [{ path: "ca.crt", contents: "y", mode: 0o644 }]);
      },
      "FILES_EXIST",
    ],
    ["readTree(a directory that does not exist)", () => readTree(join(dir.path, "missing")), "NOT_A_DIRECTORY"],
    [
      "readTree(a file, not a directory)",
      async () => {
        await writeFile(join(dir.path, "plain-file"), "x");
        return readTree(join(dir.path, "plain-file"));
      },
      "NOT_A_DIRECTORY",
    ],
    [
      "lockTree(a tree already locked)",
      async () => {
        const root = join(dir.path, "locked");
        await mkdir(root);
        const lock = await lockTree(root);
        try {
          await lockTree(root);
        } finally {
          await lock.release();
        }
      },
      "TREE_LOCKED",
    ],
  ];
  for (const [name, run, code] of cases) {
    it(name, async () => {
      const error = await caught(run);
      expect(error, String(error)).toBeInstanceOf(CliError);
      expect(isKubepkiError(error, code), String(error)).toBe(true);
      expect(error).toBeInstanceOf(KubepkiError);
    });
  }

  it("a UsageError is a KubepkiError with code USAGE", () => {
    expect(isKubepkiError(new UsageError("--out needs a directory"), "USAGE")).toBe(true);
  });

  it("every package's codes are KubepkiErrorCode (one vocabulary)", () => {
    // Compile-time checks (tsc runs on the tests): these assignments fail if a code is missing in core.
    const renderersCode: RendererErrorCode = "INVALID_KUBECONFIG";
    const cliCode: CliError["code"] = "TREE_LOCKED";
    const all: KubepkiErrorCode[] = [renderersCode, cliCode];
    expect(all).toEqual(["INVALID_KUBECONFIG", "TREE_LOCKED"]);
  });
});
