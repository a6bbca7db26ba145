// Every export of src/index.ts has TSDoc with an @example, and every @example in src/ type-checks,
// runs in-process and prints what its `console.log(x); // y` comments say. The examples write
// under os.tmpdir(), pointed at a directory of this test that is removed afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exportsWithoutExample,
  findExamples,
  runExample,
  sourceOf,
  statedOutputs,
  statedValues,
  type TsdocExample,
  typecheckExamples,
} from "../../core/test/helpers/tsdoc-examples.js";
import * as lib from "../src/index.js";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const TSCONFIG = fileURLToPath(new URL("../tsconfig.json", import.meta.url));

const all = findExamples(SRC);
let typeErrors: Map<string, string[]> | undefined;

function load(specifier: string, example: TsdocExample): unknown {
  if (specifier === "@kubepki/cli") return lib;
  return import(/* @vite-ignore */ specifier.startsWith(".") ? sourceOf(specifier, example) : specifier);
}

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

describe("TSDoc examples of @kubepki/cli", () => {
  it("every export of src/index.ts has an @example (checked with the TypeScript compiler)", () => {
    const { exported, missing } = exportsWithoutExample(`${SRC}index.ts`);
    expect(exported.length).toBeGreaterThanOrEqual(7);
    expect(missing).toEqual([]);
  });

  it("every @example is a ```ts block that logs something", () => {
    expect(all.length).toBeGreaterThanOrEqual(8);
    expect(all.filter((example) => example.code === undefined).map((example) => example.where)).toEqual([]);
    expect(all.filter((example) => statedOutputs(example.code ?? "").length === 0).map((e) => e.where)).toEqual([]);
  });

  for (const example of all) {
    it(`${example.where} type-checks, runs and logs what it says`, async () => {
      typeErrors ??= typecheckExamples(all, TSCONFIG);
      expect(typeErrors.get(example.where)).toEqual([]);
      const logs = await runExample(example, load);
      const stated = statedOutputs(example.code ?? "");
      expect(logs).toHaveLength(stated.length);
      stated.forEach((text, i) => {
        if (text !== undefined) expect(logs[i], text).toEqual(statedValues(text));
      });
    });
  }
});
