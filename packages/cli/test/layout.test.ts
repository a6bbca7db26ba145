/**
 * Issue 16, CLI point 2: the human output fits the terminal. No line of init, plan, audit or
 * check-expiration is wider than COLUMNS (60, 80, 100), or 100 when COLUMNS is unset and stdout is
 * not a terminal; long cells wrap or move under their row; audit prints one block per finding,
 * grouped by file, like a compiler; --json does not change with the width.
 */
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTutorialTree } from "../../k8s-profiles/test/helpers/tutorial-tree.js";
import { formatTable } from "../src/io/table.js";
import { wrapText } from "../src/io/wrap.js";
import { kubepki, type RunResult, tempDir } from "./helpers/run.js";

let dir: { path: string; cleanup: () => Promise<void> };
let good = "";
let broken = "";
let tutorial = "";
const CLUSTER = [
  "--control-plane",
  "cp-1=192.168.10.10",
  "--worker",
  "worker-1=192.168.10.21",
  "--worker",
  "worker-2=192.168.10.22",
  "--worker",
  "worker-3=192.168.10.23",
  "--control-plane-endpoint",
  "k8s-api.example.com:6443",
  "--cert-san",
  "apiserver.platform.internal.example.com",
  "--key-algorithm",
  "ECDSA-P256",
];

/** The width the CLI must keep to: COLUMNS, or 100 when unset (tests never run on a TTY). */
const WIDTHS: readonly { label: string; env: Record<string, string>; width: number }[] = [
  { label: "COLUMNS=60", env: { COLUMNS: "60" }, width: 60 },
  { label: "COLUMNS=80", env: { COLUMNS: "80" }, width: 80 },
  { label: "COLUMNS=100", env: { COLUMNS: "100" }, width: 100 },
  { label: "no COLUMNS, not a TTY", env: { COLUMNS: "" }, width: 100 },
];

function expectFits(result: RunResult, width: number, what: string): void {
  const wide = `${result.stdout}\n${result.stderr}`.split("\n").filter((line) => [...line].length > width);
  expect(wide, `${what}: lines wider than ${width}`).toEqual([]);
}

beforeAll(async () => {
  dir = await tempDir();
  good = join(dir.path, "good");
  const init = await kubepki(["init", "--out", good, ...CLUSTER]);
  expect(init.code, init.stderr).toBe(0);
  // A broken tree: a certificate from another cluster (wrong signer, wrong key), a file that is
  // not a certificate, and so findings in several files.
  broken = join(dir.path, "broken");
  await cp(good, broken, { recursive: true });
  const other = join(dir.path, "other");
  expect((await kubepki(["init", "--out", other, "--key-algorithm", "ECDSA-P256"])).code).toBe(0);
  await writeFile(join(broken, "pki/apiserver.crt"), await readFile(join(other, "pki/apiserver.crt")));
  await writeFile(join(broken, "pki/front-proxy-client.crt"), "not a certificate\n");
  tutorial = join(dir.path, "tutorial");
  await mkdir(tutorial);
  for (const [name, text] of (await buildTutorialTree()).files) await writeFile(join(tutorial, name), text);
}, 120_000);
afterAll(() => dir.cleanup());

describe.each(WIDTHS)("with $label", ({ env, width }) => {
  it("init, plan and check-expiration print no line wider than the terminal", async () => {
    const init = await kubepki(["init", "--out", join(dir.path, `init-${width}-${env.COLUMNS}`), ...CLUSTER], { env });
    expect(init.code, init.stderr).toBe(0);
    expectFits(init, width, "init");
    // Nothing is lost by the layout: every SAN and subject is still printed.
    expect(init.stdout).toContain("apiserver.platform.internal.example.com");
    expect(init.stdout).toContain("/CN=kube-apiserver-kubelet-client");
    const plan = await kubepki(["plan", ...CLUSTER], { env });
    expect(plan.code, plan.stderr).toBe(0);
    expectFits(plan, width, "plan");
    expect(plan.stdout).toContain("nodes/worker-3/pki/kubelet.crt");
    const expiration = await kubepki(["check-expiration", good], { env });
    expect(expiration.code, expiration.stderr).toBe(0);
    expectFits(expiration, width, "check-expiration");
    expect(expiration.stdout).toContain("kubelet-serving:worker-3");
  });

  it.each([
    ["the tutorial's tree", () => tutorial],
    ["a broken tree", () => broken],
  ])("audit of %s: fits, one block per file, one finding a block", async (_name, tree) => {
    const audit = await kubepki(["audit", tree()], { env });
    expect(audit.code).toBe(1);
    expectFits(audit, width, "audit");
    const { findings } = JSON.parse((await kubepki(["audit", tree(), "--json"])).stdout) as {
      findings: { file: string; severity: string; code: string }[];
    };
    const blocks = audit.stdout.trimEnd().split("\n\n");
    const summary = blocks.pop() as string;
    expect(summary).toMatch(/^\d+ finding\(s\), \d+ error\(s\) in\s/);
    // A block a file, each file once, its findings inside: `severity[CODE]: …` then `fix: …`.
    const byFile = new Map(blocks.map((block) => [block.split("\n")[0]?.replace(/ \(.*$/, ""), block]));
    expect(byFile.size).toBe(blocks.length);
    expect([...byFile.keys()].sort()).toEqual([...new Set(findings.map((finding) => finding.file))].sort());
    for (const finding of findings) {
      const block = byFile.get(finding.file) as string;
      expect(block, finding.code).toContain(`  ${finding.severity}[${finding.code}]: `);
    }
    for (const block of blocks) {
      const headers = block.match(/^ {2}\w+\[[A-Z_0-9]+\]: /gm) ?? [];
      const fixes = block.match(/^ {4}fix: /gm) ?? [];
      expect(fixes.length, block).toBe(headers.length);
    }
  });
});

describe("--json does not depend on the terminal", () => {
  it("plan, audit and check-expiration print the same JSON at 60 and 250 columns", async () => {
    for (const args of [
      ["plan", ...CLUSTER, "--json"],
      ["audit", broken, "--json"],
      ["check-expiration", good, "--json"],
    ]) {
      const narrow = await kubepki(args, { env: { COLUMNS: "60" } });
      const wide = await kubepki(args, { env: { COLUMNS: "250" } });
      expect(narrow.stdout, args[0]).toBe(wide.stdout);
      expect(() => JSON.parse(narrow.stdout)).not.toThrow();
    }
  });

  it("a wide terminal keeps the one-line-a-row tables (kubeadm's check-expiration, as kubeadm prints it)", async () => {
    const wide = await kubepki(["check-expiration", good], { env: { COLUMNS: "250" } });
    expect(wide.stdout).toMatch(
      /^CERTIFICATE\s+EXPIRES\s+RESIDUAL TIME\s+CERTIFICATE AUTHORITY\s+EXTERNALLY MANAGED$/m,
    );
    expect(wide.stdout).toMatch(/^apiserver\s+\w{3} \d{2}, \d{4} \d{2}:\d{2} UTC\s+364d\s+ca\s+no\s*$/m);
  });
});

describe("the layout pieces", () => {
  it("wrapText breaks after commas and spaces and before a name's /, cuts only words too long", () => {
    expect(wrapText("DNS:a, DNS:bb, IP:10.0.0.1", 14)).toEqual(["DNS:a, DNS:bb,", "IP:10.0.0.1"]);
    expect(wrapText("/O=system:nodes/CN=system:node:cp-1", 20)).toEqual(["/O=system:nodes", "/CN=system:node:cp-1"]);
    expect(wrapText("nodes/cp-1/kubelet.conf, admin.conf", 24)).toEqual(["nodes/cp-1/kubelet.conf,", "admin.conf"]);
    expect(wrapText("abcdefghij kl", 4)).toEqual(["abcd", "efgh", "ij", "kl"]);
  });

  it("formatTable: one line a row when it fits, `under` cells below the row, then blocks", () => {
    const rows = [["apiserver", "/CN=kube-apiserver", "DNS:kubernetes, DNS:kubernetes.default, IP:10.96.0.1"]];
    const columns = ["CERTIFICATE", "SUBJECT", { header: "SANS", under: true }];
    expect(formatTable(columns, rows)).toBe(
      "CERTIFICATE   SUBJECT              SANS\napiserver     /CN=kube-apiserver   DNS:kubernetes, DNS:kubernetes.default, IP:10.96.0.1\n",
    );
    expect(formatTable(columns, rows, 60)).toBe(
      [
        "CERTIFICATE   SUBJECT",
        "apiserver     /CN=kube-apiserver",
        "    sans: DNS:kubernetes, DNS:kubernetes.default,",
        "          IP:10.96.0.1",
        "",
      ].join("\n"),
    );
    // Narrower than CERTIFICATE + the longest subject: a block a row.
    expect(formatTable(columns, [["apiserver", "/CN=kube-apiserver", "DNS:kubernetes, IP:10.96.0.1"]], 31)).toBe(
      [
        "apiserver",
        "  subject:  /CN=kube-apiserver",
        "  sans:     DNS:kubernetes,",
        "            IP:10.96.0.1",
        "",
      ].join("\n"),
    );
  });
});
