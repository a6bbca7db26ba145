// Builds the typedoc site (the same `typedoc` run as `pnpm run docs`, so warnings fail it), serves it
// from 127.0.0.1 and opens the quick-start guide in headless Chromium: the page renders with its
// title and its code blocks, the first of which is the generateCluster example from examples/.
// A screenshot is saved under docs/test/output/.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./examples.js";

const SITE = join(ROOT, "docs/site");
const OUTPUT = join(ROOT, "docs/test/output");
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

let build: { status: number | null; output: string };

beforeAll(() => {
  const result = spawnSync(process.execPath, [join(ROOT, "node_modules/typedoc/bin/typedoc")], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 170_000,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  build = { status: result.status, output: `${result.stdout}${result.stderr}` };
});

/** A static file server for docs/site on 127.0.0.1, on a free port. */
function serveSite(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname);
    const file = normalize(join(SITE, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(SITE + sep) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolvePromise(server));
  });
}

describe("docs site", () => {
  it("builds with typedoc, without a single warning", () => {
    expect(build.status, build.output).toBe(0);
    expect(build.output).not.toMatch(/\[warning\]|\[error\]/);
    for (const page of ["index.html", "documents/Quick_start.html", "modules/_kubepki_core.html"]) {
      expect(existsSync(join(SITE, page)), page).toBe(true);
    }
  });

  it("shows the quick-start guide with its code blocks in headless Chromium", async () => {
    expect(build.status, build.output).toBe(0);
    mkdirSync(OUTPUT, { recursive: true });
    let server: Server | undefined;
    let browser: Browser | undefined;
    try {
      server = await serveSite();
      const { port } = server.address() as AddressInfo;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
      const page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
      // Only loopback: anything else the page asks for is refused.
      await page.route(
        (url) => url.hostname !== "127.0.0.1",
        (route) => route.abort(),
      );
      await page.goto(`http://127.0.0.1:${port}/documents/Quick_start.html`, { waitUntil: "load" });

      expect(await page.title()).toBe("Quick start | kubepki");
      await expect.poll(() => page.locator("pre code").count()).toBeGreaterThanOrEqual(5);
      const first = (await page.locator("pre code").first().textContent()) ?? "";
      expect(first).toContain("generateCluster");
      expect(first).toContain('from "@kubepki/k8s-profiles"');
      expect(await page.locator("h1").first().textContent()).toBe("Quick start");

      await page.screenshot({ path: join(OUTPUT, "quick-start.png"), fullPage: false });
      expect(existsSync(join(OUTPUT, "quick-start.png"))).toBe(true);
    } finally {
      await browser?.close();
      await new Promise<void>((resolvePromise) => (server ? server.close(() => resolvePromise()) : resolvePromise()));
    }
  });
});
