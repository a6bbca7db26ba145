/**
 * The page in a real headless Chromium, served from 127.0.0.1: the form's accessible names and tab
 * order, an error shown at its field, generation of 1 control plane + 2 workers (ECDSA) whose
 * downloaded zip openssl and the built CLI's `audit` accept, the tutorial's tree audited with its
 * errors listed, and no request leaving the page after the load event.
 */
import { mkdir, readdir, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubepki, run, tempDir } from "../../cli/test/helpers/run.js";
import { buildTutorialTree } from "../../k8s-profiles/test/helpers/tutorial-tree.js";
// @ts-expect-error plain-JS module (no declarations), shared with benchmarks/browser/generate.mjs
import { buildPage, closeServer, DIST, launchChromium, serve } from "../scripts/serve.mjs";

let server: Server | undefined;
let url: string;
let browser: Browser | undefined;
let page: Page;
let dir: { path: string; cleanup: () => Promise<void> };
/** Every request the page makes before and after its load event. */
const duringLoad: string[] = [];
const afterLoad: string[] = [];
let loaded = false;

beforeAll(async () => {
  dir = await tempDir();
  await buildPage();
  ({ server, url } = await serve(DIST));
  const chromium: Browser = await launchChromium();
  browser = chromium;
  page = await chromium.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 1600 } });
  // Only loopback: anything else the page asks for is refused (and recorded below if after load).
  await page.route(
    (target) => target.hostname !== "127.0.0.1",
    (route) => route.abort(),
  );
  page.on("request", (request) => (loaded ? afterLoad : duringLoad).push(request.url()));
  await page.goto(url, { waitUntil: "load" });
  // Every request after this point is recorded, blob: URLs too: the zip's object URL download is
  // the page's own memory, and Playwright (Chromium) reports no request for it, so none is excluded.
  loaded = true;
});

afterAll(async () => {
  await browser?.close();
  await closeServer(server);
  await dir?.cleanup();
});

const FIELDS = [
  "Cluster name",
  "Control-plane nodes (name=IP, one a line)",
  "Worker nodes (name=IP, one a line)",
  "Control-plane endpoint (optional, host or host:port)",
  "Service CIDR",
  "DNS domain",
  "Key algorithm",
  "CA validity (days)",
  "Certificate validity (days)",
  "Output layout",
  "Pick a folder to audit",
  "Pick a zip to audit",
];

describe("the form", () => {
  it("names every control by its label, and the keyboard reaches Generate", async () => {
    for (const label of FIELDS) expect(await page.getByLabel(label, { exact: true }).count(), label).toBe(1);
    // Every input, select and textarea has an accessible name (a label points at it).
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll("input, select, textarea"))
        .filter((element) => (element as HTMLInputElement).labels?.length === 0)
        .map((element) => element.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    await page.locator("body").focus();
    let reached = false;
    for (let step = 0; step < 40 && !reached; step++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.id === "generate");
    }
    expect(reached).toBe(true);
  });

  it("updates the plan table as you type, and shows an error at its field", async () => {
    await page.getByLabel("Worker nodes (name=IP, one a line)").fill("w-1=10.0.0.21\nw-2=10.0.0.333");
    const workers = page.locator("#workers");
    await expect.poll(() => workers.getAttribute("aria-invalid")).toBe("true");
    const message = await page.locator("#workers-error").textContent();
    expect(message).toContain("INVALID_IP");
    expect(message).toContain("10.0.0.333");
    expect(await workers.getAttribute("aria-describedby")).toBe("workers-error");
    expect(await page.locator("#generate").isDisabled()).toBe(true);

    await page.getByLabel("Worker nodes (name=IP, one a line)").fill("w-1=10.0.0.21\nw-2=10.0.0.22");
    await expect.poll(() => workers.getAttribute("aria-invalid")).toBe(null);
    await expect.poll(() => page.locator("#plan-table tbody tr").count()).toBeGreaterThan(10);
    const rows = await page.locator("#plan-table tbody tr").allTextContents();
    expect(rows.some((row) => row.startsWith("kubelet.conf:w-2"))).toBe(true);
    // The trust graph, drawn in the page (Graphviz WebAssembly): the plan's CAs are nodes of the SVG.
    await expect.poll(() => page.locator("#plan-graph svg").count()).toBe(1);
    const graph = (await page.locator("#plan-graph svg").textContent()) ?? "";
    for (const ca of ["etcd-ca", "front-proxy-ca"]) expect(graph).toContain(ca);
  });
});

describe("pasted YAML", () => {
  it("plans from the cluster config YAML, with its errors under the YAML", async () => {
    await page.getByLabel("pasted YAML").check();
    const yaml = page.getByLabel("Cluster config (YAML, as kubepki --config reads it)");
    await yaml.fill("serviceSubnets: 10.96.0.0/30\n");
    await expect.poll(() => yaml.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#yaml-error").textContent()).toContain("serviceSubnets[0]");
    await yaml.fill(
      "clusterName: from-yaml\nkeyAlgorithm: ECDSA-P384\nnodes:\n  - { name: cp-9, role: control-plane, addresses: [10.1.0.9] }\n",
    );
    await expect.poll(() => yaml.getAttribute("aria-invalid")).toBe(null);
    await expect
      .poll(() => page.locator("#plan-summary").textContent())
      .toContain('Cluster "from-yaml": 1 node(s), ECDSA-P384');
    await page.getByLabel("the form").check();
    await expect.poll(() => page.locator("#plan-summary").textContent()).toContain('Cluster "kubernetes"');
  });
});

describe("generate", () => {
  it("makes 1 control plane + 2 workers (ECDSA) into one zip that openssl and kubepki audit accept", async () => {
    await page.getByLabel("Control-plane nodes (name=IP, one a line)").fill("cp-1=10.0.0.11");
    await page.getByLabel("Worker nodes (name=IP, one a line)").fill("w-1=10.0.0.21\nw-2=10.0.0.22");
    await page.getByLabel("Control-plane endpoint (optional, host or host:port)").fill("k8s.example.test:6443");
    await page.getByLabel("Key algorithm").selectOption("ECDSA-P256");
    await expect.poll(() => page.locator("#plan-summary").textContent()).toContain("3 node(s), ECDSA-P256");

    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Generate and download the zip" }).click();
    const zip = join(dir.path, "cluster.zip");
    await (await download).saveAs(zip);
    await expect.poll(() => page.locator("#generate-status").textContent()).toMatch(/^Done in/);
    const progress = await page
      .locator("#progress")
      .evaluate((bar) => [(bar as HTMLProgressElement).value, (bar as HTMLProgressElement).max]);
    expect(progress[0]).toBe(progress[1]);
    expect(progress[1]).toBeGreaterThan(10);

    const tree = join(dir.path, "cluster");
    const unzip = await run("unzip", ["-q", zip, "-d", tree]);
    expect(unzip.code, unzip.stderr).toBe(0);
    expect((await readdir(join(tree, "nodes"))).sort()).toEqual(["cp-1", "w-1", "w-2"]);

    const leaves: [string, string][] = [
      ["pki/apiserver.crt", "pki/ca.crt"],
      ["pki/apiserver-kubelet-client.crt", "pki/ca.crt"],
      ["pki/front-proxy-client.crt", "pki/front-proxy-ca.crt"],
      ["pki/apiserver-etcd-client.crt", "pki/etcd/ca.crt"],
      ["pki/etcd/server.crt", "pki/etcd/ca.crt"],
      ["pki/etcd/peer.crt", "pki/etcd/ca.crt"],
      ["pki/etcd/healthcheck-client.crt", "pki/etcd/ca.crt"],
    ];
    for (const [leaf, ca] of leaves) {
      const verify = await run("openssl", ["verify", "-CAfile", join(tree, ca), join(tree, leaf)]);
      expect(verify.code, `${leaf}: ${verify.stdout}${verify.stderr}`).toBe(0);
    }
    const serving = await run("openssl", [
      "verify",
      "-CAfile",
      join(tree, "pki/ca.crt"),
      "-purpose",
      "sslserver",
      join(tree, "pki/apiserver.crt"),
    ]);
    expect(serving.code, serving.stderr).toBe(0);
    const text = await run("openssl", ["x509", "-in", join(tree, "pki/apiserver.crt"), "-noout", "-text"]);
    expect(text.stdout).toContain("ASN1 OID: prime256v1");
    for (const san of [
      "DNS:kubernetes.default.svc.cluster.local",
      "DNS:k8s.example.test",
      "IP Address:10.96.0.1",
      "IP Address:10.0.0.11",
    ]) {
      expect(text.stdout).toContain(san);
    }

    const audit = await kubepki(["audit", tree]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    expect(audit.stdout).not.toMatch(/error\[/);

    // The same zip dropped back into the audit view: read in the page, clean.
    const bytes = Buffer.from(await (await import("node:fs/promises")).readFile(zip)).toString("base64");
    await dropZip(page, "cluster.zip", bytes);
    await expect.poll(() => page.locator("#audit-status").textContent()).toMatch(/0 error\(s\)/);
  });

  it("with the per-node layout, one folder per node in the zip", async () => {
    await page.getByLabel("Output layout").selectOption("per-node");
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Generate and download the zip" }).click();
    const zip = join(dir.path, "per-node.zip");
    await (await download).saveAs(zip);
    const tree = join(dir.path, "per-node");
    expect((await run("unzip", ["-q", zip, "-d", tree])).code).toBe(0);
    expect((await readdir(tree)).sort()).toEqual(["admin", "cp-1", "w-1", "w-2"]);
    const verify = await run("openssl", [
      "verify",
      "-CAfile",
      join(tree, "cp-1/etc/kubernetes/pki/ca.crt"),
      join(tree, "cp-1/etc/kubernetes/pki/apiserver.crt"),
    ]);
    expect(verify.code, verify.stderr).toBe(0);
    await page.getByLabel("Output layout").selectOption("default");
  });
});

/** Drops a zip (base64) on the drop zone, as a DataTransfer holding one file. */
async function dropZip(target: Page, name: string, base64: string): Promise<void> {
  const transfer = await target.evaluateHandle(
    ([fileName, data]) => {
      const bytes = Uint8Array.from(atob(data as string), (char) => char.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], fileName as string, { type: "application/zip" }));
      return transfer;
    },
    [name, base64],
  );
  await target.locator("#drop-zone").dispatchEvent("drop", { dataTransfer: transfer });
}

describe("audit", () => {
  it("lists the tutorial tree's ERROR findings, grouped by file, from a picked folder", async () => {
    const { files } = await buildTutorialTree();
    const tree = join(dir.path, "tutorial");
    await mkdir(tree);
    for (const [name, text] of files) await writeFile(join(tree, name), text);
    await page.getByLabel("Pick a folder to audit").setInputFiles(tree);
    await expect.poll(() => page.locator("#audit-status").textContent()).toMatch(/[1-9]\d* error\(s\)/);
    const groups = await page.locator("#audit-results section h3").allTextContents();
    expect(groups).toContain("ca.crt");
    expect(groups).toContain("apiserver.crt");
    const caFindings = await page
      .locator("#audit-results section", { has: page.locator("h3", { hasText: /^ca\.crt$/ }) })
      .textContent();
    expect(caFindings).toContain("ERROR V1_CERTIFICATE");
    const severities = await page.locator("#audit-results li.finding.error strong").allTextContents();
    expect(severities.length).toBeGreaterThan(3);
    for (const code of ["MISSING_SAN", "WRONG_SUBJECT", "SHARED_ETCD_CA"]) {
      expect(
        severities.some((text) => text.includes(code)),
        code,
      ).toBe(true);
    }
    for (const text of severities) expect(text).toMatch(/^ERROR /);
    // The graph of the tree, coloured: the nodes of files with errors carry the error class.
    await expect.poll(() => page.locator("#audit-graph svg").count()).toBe(1);
    expect(await page.locator("#audit-graph svg g.node.error").count()).toBeGreaterThan(0);
  });
});

describe("offline", () => {
  it("sent no request after the load event", () => {
    // The recorder works: it saw the page, its script and its style load.
    expect(duringLoad.length).toBeGreaterThanOrEqual(3);
    expect(afterLoad).toEqual([]);
  });
});
