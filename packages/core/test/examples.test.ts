// Every export of src/index.ts has TSDoc with an @example, and every @example in src/ type-checks,
// runs on the sources and prints what its `console.log(x); // y` comments say.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as lib from "../src/index.js";
import {
  exportsWithoutExample,
  findExamples,
  runExample,
  sourceOf,
  statedOutputs,
  statedValues,
  type TsdocExample,
  typecheckExamples,
} from "./helpers/tsdoc-examples.js";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const TSCONFIG = fileURLToPath(new URL("../tsconfig.json", import.meta.url));

const all = findExamples(SRC);
let typeErrors: Map<string, string[]> | undefined;

function load(specifier: string, example: TsdocExample): unknown {
  if (specifier === "@kubepki/core") return lib;
  return import(/* @vite-ignore */ specifier.startsWith(".") ? sourceOf(specifier, example) : specifier);
}

describe("TSDoc examples of @kubepki/core", () => {
  it("every export of src/index.ts has an @example (checked with the TypeScript compiler)", () => {
    const { exported, missing } = exportsWithoutExample(`${SRC}index.ts`);
    expect(exported.length).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it("every @example is a ```ts block that logs something", () => {
    expect(all.length).toBeGreaterThan(80);
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
