// Shared by the web tests and benchmarks/browser/generate.mjs (plain JS, so Node runs it as is).
// The built page from a static file server on 127.0.0.1, and headless Chromium to open it in (the
// Debian chromium that .ci/setup installs; playwright-core downloads no browser).
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../../../examples/smoke/run-browser.mjs";

export const WEB = fileURLToPath(new URL("..", import.meta.url));
export const DIST = join(WEB, "dist");
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

/** Builds the page with Vite (the package's `build` script, as a function) into dist/. */
export async function buildPage() {
  const { build } = await import("vite");
  await build({ root: WEB, configFile: join(WEB, "vite.config.ts"), logLevel: "error" });
}

/** Serves `root` on 127.0.0.1 (a free port); returns the server and its base URL. */
/** @param {string} root @returns {Promise<{ server: import("node:http").Server, url: string }>} */
export function serve(root) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname);
    const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(root + sep) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` }));
  });
}

export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** @param {import("node:http").Server | undefined} server */
export function closeServer(server) {
  return new Promise((/** @type {() => void} */ resolve) => (server ? server.close(() => resolve()) : resolve()));
}
