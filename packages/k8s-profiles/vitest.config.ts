import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// Tests run on the sibling packages' sources, not their dist (same mapping as tsconfig.base.json `paths`).
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineProject({
  resolve: {
    // Exact matches: "@kubepki/core" must not also rewrite "@kubepki/core/issue".
    alias: [
      { find: /^@kubepki\/core$/, replacement: source("../core/src/index.ts") },
      { find: /^@kubepki\/core\/issue$/, replacement: source("../core/src/issue.ts") },
      { find: /^@kubepki\/core\/vocabulary$/, replacement: source("../core/src/vocabulary/index.ts") },
      { find: /^@kubepki\/core\/names$/, replacement: source("../core/src/names-entry.ts") },
      { find: /^@kubepki\/renderers$/, replacement: source("../renderers/src/index.ts") },
    ],
  },
  test: {
    name: "k8s-profiles",
    include: ["test/**/*.test.ts"],
  },
});
