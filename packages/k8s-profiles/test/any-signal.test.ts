// generateCluster stops on the caller's signal or its own: AbortSignal.any where the runtime has
// it, the same by hand where it does not (Node 20.0-20.2, inside the packages' `engines`).

import { isKubepkiError } from "@kubepki/core";
import { afterEach, describe, expect, it } from "vitest";
import { anySignal } from "../src/generate/generate.js";
import { generateCluster } from "../src/index.js";

const native = AbortSignal.any;
afterEach(() => {
  AbortSignal.any = native;
});

describe.each([
  ["with AbortSignal.any", () => {}],
  [
    "without AbortSignal.any (older Node 20)",
    () => {
      AbortSignal.any = undefined as unknown as typeof AbortSignal.any;
    },
  ],
])("anySignal %s", (_name, setUp) => {
  it("aborts when either signal aborts, with that signal's reason", () => {
    setUp();
    const a = new AbortController();
    const b = new AbortController();
    const both = anySignal([a.signal, b.signal]);
    expect(both.aborted).toBe(false);
    b.abort(new Error("b"));
    expect(both.aborted).toBe(true);
    expect(both.reason).toEqual(new Error("b"));
  });

  it("is aborted at once when a signal already is", () => {
    setUp();
    const both = anySignal([AbortSignal.abort(new Error("early")), new AbortController().signal]);
    expect(both.aborted).toBe(true);
    expect(both.reason).toEqual(new Error("early"));
  });

  it("generateCluster rejects with ABORTED when the caller aborts", async () => {
    setUp();
    const controller = new AbortController();
    const pending = generateCluster({ keyAlgorithm: "ECDSA-P256" }, { signal: controller.signal });
    controller.abort(new Error("stop"));
    const error = await pending.catch((caught: unknown) => caught);
    expect(isKubepkiError(error, "ABORTED")).toBe(true);
  });
});
