// Prints (JSON) every module URL Node resolves while importing the module given as argument:
// a resolve hook (node:module register, Node ≥ 20.6) reports each URL over a MessagePort.
// Usage: node loaded-modules.mjs <specifier or path>
import { register } from "node:module";
import { pathToFileURL } from "node:url";
import { MessageChannel } from "node:worker_threads";

const hook = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;
const { port1, port2 } = new MessageChannel();
const urls = new Set();
port1.on("message", (url) => urls.add(url));
register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { port: port2 }, transferList: [port2] });

const target = process.argv[2];
const start = performance.now();
const namespace = await import(target.startsWith(".") || target.startsWith("/") ? pathToFileURL(target).href : target);
const importMs = performance.now() - start;
// Messages from the hooks thread may still be on their way.
await new Promise((resolve) => setTimeout(resolve, 50));
port1.close();
process.stdout.write(`${JSON.stringify({ importMs, exports: Object.keys(namespace).sort(), urls: [...urls] })}\n`);
