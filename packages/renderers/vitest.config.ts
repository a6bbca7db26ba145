import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// Tests run on core's vocabulary sources, not its dist (same mapping as the root tsconfig.json `paths`).
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineProject({
  resolve: {
    alias: [{ find: /^@kubepki\/core\/vocabulary$/, replacement: source("../core/src/vocabulary/index.ts") }],
  },
  test: {
    name: "renderers",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
