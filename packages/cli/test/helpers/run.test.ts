import { describe, expect, it } from "vitest";
import { run } from "./run.js";

// CI once failed on an unhandled EPIPE: a child exited before reading the stdin this helper wrote.
// Vitest reports such an error for the whole run, so this test fails on the old helper.
describe("run (test helper)", () => {
  it("a child that never reads its stdin is not an error of the run", async () => {
    for (let i = 0; i < 5; i++) {
      const result = await run("true", [], { input: "x".repeat(4 * 1024 * 1024), timeoutMs: 10_000 });
      expect(result.code).toBe(0);
    }
  });
});
