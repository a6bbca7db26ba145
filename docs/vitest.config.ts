import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// The documentation checks: every example under examples/<guide>/ runs (Node; Deno for *.deno.ts)
// and prints its checked-in *.out, the guides' inline code is exactly those files, the typedoc site
// renders its guides in headless Chromium, and the repository stands alone (no path outside it;
// a fresh clone with nothing beside it passes the tests that use the openssl-tutorial fixture).
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
