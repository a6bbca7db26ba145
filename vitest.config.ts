import { defineConfig } from "vitest/config";

// vitest 4 removed `workspace`; each package is a project with its own config.
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "benchmarks/vitest.config.ts", "docs/vitest.config.ts"],
  },
});
