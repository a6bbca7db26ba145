// Every export of src/index.ts has TSDoc with an @example, and every @example in src/ type-checks,
// runs on the sources and prints what its `console.log(x); // y` comments say.
import { fileURLToPath } from "node:url";
import * as lib from "../src/index.js";
import { describeTsdocExamples } from "./helpers/tsdoc-examples.js";

describeTsdocExamples({
  packageName: "@kubepki/core",
  srcDir: fileURLToPath(new URL("../src/", import.meta.url)),
  tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)),
  lib,
  minExports: 51,
  minExamples: 81,
});
