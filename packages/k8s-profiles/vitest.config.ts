import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

// Tests run on the sibling packages' sources, not their dist (same mapping as tsconfig.base.json `paths`).
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineProject({
  resolve: {
    alias: {
      "@kubepki/core": source("../core/src/index.ts"),
      "@kubepki/renderers": source("../renderers/src/index.ts"),
    },
  },
  test: {
    name: "k8s-profiles",
    include: ["test/**/*.test.ts"],
  },
});
