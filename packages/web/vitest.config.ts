import { defineProject } from "vitest/config";

// The page, built with Vite and driven in headless Chromium (playwright-core, /usr/bin/chromium);
// what it downloads is judged by openssl and by the built CLI's audit (packages/cli/dist).
export default defineProject({
  test: {
    name: "web",
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
