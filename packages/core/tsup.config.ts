// The libraries share one build: see ../tsup.library.ts for why ESM ships one file per module.
import { defineConfig } from "tsup";
import { libraryConfig } from "../tsup.library.js";

export default defineConfig(libraryConfig(["index", "issue", "vocabulary/index", "names-entry"]));
