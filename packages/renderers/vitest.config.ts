import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "renderers",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
