/**
 * Browser runner: bundles `browser/entry.mjs` with esbuild for the browser, resolving the kubepki
 * packages from `<project>/node_modules` (the installed tarballs), serves it with `index.html`
 * from a loopback-only `node:http` server on a random port, and loads the page in headless
 * Debian Chromium driven by playwright-core. Returns the smoke lines the page printed.
 *
 *   node examples/smoke/run-browser.mjs <scratch project with the smoke files and node_modules>
 *
 * Only 127.0.0.1 is contacted: every other request the page makes is aborted and reported.
 */
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The esbuild browser bundle of the page's entry, resolved against `project`'s node_modules. */
export async function bundleBrowserEntry(project) {
  const result = await build({
    entryPoints: [join(project, "browser", "entry.mjs")],
    absWorkingDir: project,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

/**
 * @param {string} project a directory holding this folder's files and node_modules with the tarballs
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<{ lines: string[], status: string, errors: string[], blocked: string[] }>}
 */
export async function runBrowser(project, { timeoutMs = 60_000 } = {}) {
  const bundle = await bundleBrowserEntry(project);
  const html = await readFile(join(project, "browser", "index.html"), "utf8");
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (path === "/" || path === "/index.html") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    } else if (path === "/smoke.js") {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(bundle);
    } else {
      response.writeHead(404).end();
    }
  });
  let browser;
  try {
    await new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    const origin = `http://127.0.0.1:${server.address().port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: timeoutMs });
    const page = await browser.newPage();
    const errors = [];
    const blocked = [];
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`)) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    await page.goto(`${origin}/`, { timeout: timeoutMs });
    await page.waitForFunction(() => document.body.dataset.status !== "running", undefined, { timeout: timeoutMs });
    const status = await page.evaluate(() => document.body.dataset.status);
    const text = await page.evaluate(() => document.getElementById("out").textContent);
    return { lines: text.split("\n"), status, errors, blocked };
  } finally {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const project = process.argv[2];
  if (!project) {
    console.error("usage: node examples/smoke/run-browser.mjs <project dir>");
    process.exit(2);
  }
  const { lines, status, errors, blocked } = await runBrowser(project);
  console.log(lines.join("\n"));
  for (const line of [...errors, ...blocked.map((url) => `blocked: ${url}`)]) console.error(line);
  if (status !== "done" || errors.length > 0 || blocked.length > 0) process.exitCode = 1;
}
