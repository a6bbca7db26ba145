// The libraries share one build: see ../tsup.library.ts for why ESM ships one file per module.
import { defineConfig } from "tsup";
import { libraryConfig } from "../tsup.library.js";

export default defineConfig(libraryConfig(["index", "generate-entry", "plan-entry", "files-entry", "archive-entry"]));
