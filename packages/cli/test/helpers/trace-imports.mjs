// Loaded with `node --import` to record every module the process resolves, so a test can prove
// that `kubepki --help` never loads the crypto stack. The hook runs off-thread; it appends to the
// file named by KUBEPKI_TRACE_FILE.
import { register } from "node:module";

const hook = `
import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.KUBEPKI_TRACE_FILE) appendFileSync(process.env.KUBEPKI_TRACE_FILE, result.url + "\\n");
  return result;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
