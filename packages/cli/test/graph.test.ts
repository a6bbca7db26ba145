// Issue 23: `plan --graph` and `audit DIR --graph` print the trust graph (Mermaid, DOT, SVG) instead
// of the table; the audit's exit code stays the audit's.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { instance } from "@viz-js/viz";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTutorialTree } from "../../k8s-profiles/test/helpers/tutorial-tree.js";
import { mermaidProblems, svgNodes } from "../../renderers/test/helpers/graph-grammar.js";
import { initTree } from "./helpers/init-tree.js";
import { kubepki, tempDir } from "./helpers/run.js";

const DEMO = ["--control-plane", "cp-1=192.168.10.10", "--worker", "worker-1=192.168.10.21"];

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

describe("kubepki plan --graph", () => {
  it("dot: Graphviz lays the output out, with every certificate of the plan as a node", async () => {
    const result = await kubepki(["plan", ...DEMO, "--graph", "dot"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.startsWith("digraph trust {\n")).toBe(true);
    const svg = (await instance()).renderString(result.stdout, { format: "svg" });
    const titles = svgNodes(svg).map((node) => node.title);
    const plan = JSON.parse((await kubepki(["plan", ...DEMO, "--json"])).stdout) as {
      certificates: { id: string; isCa: boolean }[];
    };
    for (const spec of plan.certificates) expect(titles).toContain(spec.isCa ? `ca:${spec.id}` : `cert:${spec.id}`);
  });

  it("mermaid follows the grammar; svg is an SVG; workers fold unless --expand", async () => {
    const workers = Array.from({ length: 3 }, (_, index) => ["--worker", `w-${index + 1}=10.0.0.${21 + index}`]).flat();
    const mermaid = await kubepki(["plan", "--control-plane", "cp-1=10.0.0.10", ...workers, "--graph", "mermaid"]);
    expect(mermaid.code, mermaid.stderr).toBe(0);
    expect(mermaidProblems(mermaid.stdout)).toEqual([]);
    expect(mermaid.stdout).toContain('"3 workers"');
    const expanded = await kubepki([
      "plan",
      "--control-plane",
      "cp-1=10.0.0.10",
      ...workers,
      "--graph",
      "mermaid",
      "--expand",
    ]);
    expect(expanded.stdout).not.toContain("workers");
    expect(expanded.stdout).toContain("kubelet #40;w-3#41;");
    const svg = await kubepki(["plan", ...DEMO, "--graph", "svg"]);
    expect(svg.code, svg.stderr).toBe(0);
    expect(svg.stdout).toMatch(/<svg[\s\S]*<\/svg>\n$/);
  });

  it("refuses an unknown format and --json beside --graph", async () => {
    const bad = await kubepki(["plan", "--graph", "png"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--graph must be one of mermaid, dot, svg");
    const both = await kubepki(["plan", "--graph", "dot", "--json"]);
    expect(both.code).toBe(2);
    expect(both.stdout).toContain("give one of --graph and --json");
  });
});

describe("kubepki audit DIR --graph", () => {
  it("svg of the tutorial's tree: the files with errors carry the error class, and the exit code is still 1", async () => {
    const { files } = await buildTutorialTree();
    const tree = join(dir.path, "tutorial");
    await mkdir(tree);
    for (const [name, text] of files) await writeFile(join(tree, name), text);
    const json = JSON.parse((await kubepki(["audit", tree, "--json"])).stdout) as {
      findings: { file?: string; severity: string }[];
    };
    const errorFiles = new Set(
      json.findings.filter((finding) => finding.severity === "error").flatMap((finding) => finding.file ?? []),
    );
    expect(errorFiles.size).toBeGreaterThan(0);
    const audit = await kubepki(["audit", tree, "--graph", "svg"]);
    expect(audit.code, audit.stderr).toBe(1);
    const nodes = svgNodes(audit.stdout);
    const errorNodes = nodes.filter((node) => node.classes.includes("error")).map((node) => node.title);
    // Every file with an error is drawn red: its own node, its certificate's (a key), its kubeconfig's.
    for (const file of errorFiles) {
      const candidates = [`file:${file}`, `file:${file.replace(/\.key$/, ".crt")}`, `kubeconfig:${file}`];
      expect(
        errorNodes.some((title) => candidates.includes(title)),
        file,
      ).toBe(true);
    }
    expect(nodes.filter((node) => !node.classes.includes("error")).length).toBeGreaterThan(0);
  }, 60_000);

  it("a clean tree: no error class, exit 0", async () => {
    const tree = join(dir.path, "clean");
    await initTree(tree);
    const audit = await kubepki(["audit", tree, "--graph", "dot"]);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).not.toMatch(/class="[^"]*\berror\b/);
    expect(audit.stdout).toContain("kubelet (w-1)");
  }, 60_000);
});
