// Builds the typedoc site (the same `typedoc` run as `pnpm run docs`, so warnings fail it), serves it
// from 127.0.0.1 and opens the quick-start guide in headless Chromium: the page renders with its
// title and its code blocks, the first of which is the generateCluster example from examples/.
// A screenshot is saved under docs/test/output/.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import type { Server } from "node:http";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain-JS module (no declarations): the static server and Chromium the web app's tests use
import { closeServer, launchChromium, serve } from "../../packages/web/scripts/serve.mjs";
import { ROOT } from "./examples.js";

const SITE = join(ROOT, "docs/site");
const OUTPUT = join(ROOT, "docs/test/output");
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
      let url: string;
      ({ server, url } = await serve(SITE));
      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
      // Only loopback: anything else the page asks for is refused.
      await page.route(
        (target) => target.hostname !== "127.0.0.1",
        (route) => route.abort(),
      );
      await page.goto(`${url}documents/Quick_start.html`, { waitUntil: "load" });

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
      await closeServer(server);
    }
  });
});
