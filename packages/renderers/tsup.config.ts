// The libraries share one build: see ../tsup.library.ts for why ESM ships one file per module.
// `svg`: the trust graph as SVG, apart so that only who asks loads Graphviz (WebAssembly).
import { defineConfig } from "tsup";
import { libraryConfig } from "../tsup.library.js";

export default defineConfig(libraryConfig(["index", "svg"]));
