// Every export of src/index.ts has TSDoc with an @example, and every @example in src/ type-checks,
// runs in-process and prints what its `console.log(x); // y` comments say. The examples write
// under os.tmpdir(), pointed at a directory of this test that is removed afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { describeTsdocExamples } from "../../core/test/helpers/tsdoc-examples.js";
import * as lib from "../src/index.js";

const savedTmpdir = process.env.TMPDIR;
let scratch = "";
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "kubepki-examples-"));
  process.env.TMPDIR = scratch;
});
afterAll(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describeTsdocExamples({
  packageName: "@kubepki/cli",
  srcDir: fileURLToPath(new URL("../src/", import.meta.url)),
  tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)),
  lib,
  minExports: 7,
  minExamples: 8,
  importPackage: (specifier) => import(/* @vite-ignore */ specifier),
});
