/**
 * Generation time in a browser: the web app (packages/web) built with Vite, served from
 * 127.0.0.1, driven in headless Chromium (Debian's, as the tests use) — a control plane and N
 * workers (default 100), ECDSA-P256 by default, from the click on Generate to the zip's download.
 * No target: it is on record in benchmarks/README.md. Needs the packages' dist/ (pnpm -r build).
 *
 *   node benchmarks/browser/generate.mjs [--workers 100] [--alg ECDSA-P256] [--repeat 3]
 */
import { parseArgs } from "node:util";
import { buildPage, closeServer, DIST, launchChromium, serve } from "../../packages/web/scripts/serve.mjs";

const { values } = parseArgs({
  options: {
    workers: { type: "string", default: "100" },
    alg: { type: "string", default: "ECDSA-P256" },
    repeat: { type: "string", default: "3" },
  },
});
const workers = Number(values.workers);
const repeat = Number(values.repeat);

await buildPage();
const { server, url } = await serve(DIST);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ acceptDownloads: true });
  await page.route(
    (target) => target.hostname !== "127.0.0.1",
    (route) => route.abort(),
  );
  await page.goto(url, { waitUntil: "load" });
  await page.getByLabel("Control-plane nodes (name=IP, one a line)").fill("cp-1=10.0.0.11");
  const lines = Array.from(
    { length: workers },
    (_, i) => `w-${i + 1}=10.0.${1 + Math.floor(i / 250)}.${(i % 250) + 1}`,
  );
  await page.getByLabel("Worker nodes (name=IP, one a line)").fill(lines.join("\n"));
  await page.getByLabel("Key algorithm").selectOption(values.alg);
  await page.waitForFunction(
    (count) => document.getElementById("plan-summary")?.textContent?.includes(`${count} node(s)`),
    workers + 1,
  );
  const certificates = await page.locator("#plan-table tbody tr").count();
  const times = [];
  for (let run = 0; run < repeat; run++) {
    const download = page.waitForEvent("download", { timeout: 600_000 });
    const started = performance.now();
    await page.getByRole("button", { name: "Generate and download the zip" }).click();
    const file = await download;
    times.push(performance.now() - started);
    await file.delete();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const chromium = browser.version();
  console.log(
    `browser generate: 1 control plane + ${workers} workers, ${values.alg}, ${certificates} certificates, Chromium ${chromium}: ` +
      `median ${(median / 1000).toFixed(2)} s of ${repeat} (click to download: keys, certificates, files, zip), runs ${times.map((ms) => (ms / 1000).toFixed(2)).join(", ")} s`,
  );
} finally {
  await browser.close();
  await closeServer(server);
}
