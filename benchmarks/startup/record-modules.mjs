// Preload (`node --import ./record-modules.mjs program …`) that appends every module URL Node's
// ESM loader resolves, one a line, to the file named by RECORD_MODULES_TO. The resolve hook runs
// on the loader's own thread and writes synchronously, so the list is complete when the program
// exits, whatever way it exits (Node ≥ 20.6: node:module register).
import { register } from "node:module";

const file = process.env.RECORD_MODULES_TO;
if (file) {
  const hook = `
import { appendFileSync } from "node:fs";
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(file, result.url + "\\n");
  return result;
}`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { file } });
}
