import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// The packaging checks: bundle budgets (benchmarks/size) and the packed tarballs run in every
// runtime (examples/smoke). They test the built dist/ and the tarballs, so `pnpm -r build` runs
// first (`pnpm test` does it).
export default defineProject({
  test: {
    name: "packaging",
    root: fileURLToPath(new URL("..", import.meta.url)),
    include: ["benchmarks/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
