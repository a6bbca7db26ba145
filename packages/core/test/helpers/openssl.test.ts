import { describe, expect, it } from "vitest";
import { openssl } from "./openssl.js";

// openssl exits on a usage error without reading stdin; the write of the input then fails with
// EPIPE, which Vitest would report for the whole run if the helper did not expect it.
describe("openssl (test helper)", () => {
  it("an openssl that exits before reading its stdin gives its exit code, not an unhandled error", async () => {
    for (let i = 0; i < 5; i++) {
      const result = await openssl(["version", "-no-such-option"], { input: "x".repeat(4 * 1024 * 1024) });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/no-such-option/);
    }
  });
});
