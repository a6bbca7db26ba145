import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

export default defineProject({
  // @kubernetes/client-node (a test oracle only) pulls undici 8, which cannot load on Node 20;
  // run client-node through vite so its `undici` import can be pointed at a stub (see the stub).
  resolve: {
    alias: { undici: fileURLToPath(new URL("./test/helpers/undici-stub.ts", import.meta.url)) },
  },
  test: {
    name: "renderers",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    server: { deps: { inline: [/@kubernetes\/client-node/] } },
  },
});
