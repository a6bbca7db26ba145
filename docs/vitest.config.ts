import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// The documentation checks: every example under examples/<guide>/ runs (Node; Deno for *.deno.ts)
// and prints its checked-in *.out, and the typedoc site renders its guides in headless Chromium.
// Examples import the built packages, so `pnpm -r build` runs first (`pnpm test` does it).
export default defineProject({
  test: {
    name: "docs",
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["docs/test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
