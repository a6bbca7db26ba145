import { defineConfig } from "vite";

// A static page that works from any path (next to the typedoc site, or opened from dist/), in one
// script: no chunk is fetched later, so nothing leaves the page after the load event — not even
// the certificate reader that generateCluster imports dynamically.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    rolldownOptions: { output: { codeSplitting: false } },
  },
});
