import { defineProject } from "vitest/config";

// CLI tests run the built bin (dist/bin.js) as a subprocess, like a user would.
export default defineProject({
  test: {
    name: "cli",
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
