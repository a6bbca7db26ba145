// The libraries share one build: see ../tsup.library.ts for why ESM ships one file per module.
export { default } from "../tsup.library.js";
