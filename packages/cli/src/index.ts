/**
 * @kubepki/cli: the `kubepki` command. The package also exports `main(argv)` so that tools can
 * run the CLI in-process, and the atomic tree writer it uses.
 *
 * @packageDocumentation
 */

export { CliError, ExitCode, UsageError } from "./io/cli-error.js";
export { type ReadTreeOptions, readTree } from "./io/read-tree.js";
export { lockTree, type TreeLock } from "./io/tree-lock.js";
export { type TreeFile, type WriteTreeOptions, type WriteTreeResult, writeTree } from "./io/write-tree.js";
export { main } from "./main.js";
