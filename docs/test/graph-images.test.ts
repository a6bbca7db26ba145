// The trust graphs the README and the guides show are generated here, never drawn by hand: the demo
// cluster's plan (`pnpm demo`: cp-1 and worker-1) and the openssl tutorial's tree with its audit
// findings (built by running the tutorial's steps, as the audit tests do). The committed SVGs must
// be what the code draws today.
//
// After an intended change: UPDATE_EXAMPLES=1 pnpm vitest run --project docs docs/test/graph-images.test.ts
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { buildTutorialTree } from "../../packages/k8s-profiles/test/helpers/tutorial-tree.js";
import { ROOT } from "./examples.js";

const update = process.env.UPDATE_EXAMPLES === "1";
const IMAGES = join(ROOT, "docs", "images");

/** The built packages (as the examples use them: `pnpm -r build` first). */
async function built() {
  const load = (path: string) => import(pathToFileURL(join(ROOT, "packages", path)).href);
  return {
    profiles: await load("k8s-profiles/dist/index.js"),
    renderers: await load("renderers/dist/index.js"),
    svg: await load("renderers/dist/svg.js"),
  };
}

/** The committed image equals `svg`, or is rewritten with UPDATE_EXAMPLES=1. */
function expectImage(name: string, svg: string): void {
  const path = join(IMAGES, name);
  if (update) {
    writeFileSync(path, svg);
    return;
  }
  expect(existsSync(path), `no docs/images/${name}: run with UPDATE_EXAMPLES=1 to create it`).toBe(true);
  expect(readFileSync(path, "utf8") === svg, `docs/images/${name} is not what the code draws: UPDATE_EXAMPLES=1`).toBe(
    true,
  );
}

/** Where the docs show an image: each file names it. */
function expectShown(name: string, documents: readonly string[]): void {
  for (const document of documents) {
    expect(readFileSync(join(ROOT, document), "utf8"), `${document} shows ${name}`).toContain(`images/${name}`);
  }
}

describe("the trust graphs of the docs", () => {
  it("the demo cluster's graph (README, quick start, checking a cluster) is drawn from its plan", async () => {
    const { profiles, renderers, svg } = await built();
    const plan = profiles.planCluster({
      nodes: [
        { name: "cp-1", role: "control-plane", addresses: ["192.168.10.10"] },
        { name: "worker-1", role: "worker", addresses: ["192.168.10.21"] },
      ],
    });
    const drawn: string = await svg.graphToSvg(renderers.planGraph(profiles.graphPlan(plan)));
    expect(drawn).toContain(`class="node kind&#45;ca"`);
    expectImage("demo-trust-graph.svg", drawn);
    expectShown("demo-trust-graph.svg", ["README.md", "docs/guides/04-checking-a-cluster.md"]);
  });

  it("the tutorial tree's graph (guide 02) carries its audit's errors in red", async () => {
    const { profiles, renderers, svg } = await built();
    const { files } = await buildTutorialTree();
    const report = await profiles.auditCluster(files);
    // Whether a leaf outlives its CA by a second depends on the second the script's openssl ran
    // in (the tutorial gives both the same -days): left out, so the picture is the same each run.
    const findings = report.findings.filter((finding: { code: string }) => finding.code !== "VALIDITY_EXCEEDS_CA");
    const graph = renderers.markFindings(profiles.treeGraph(files), findings);
    const drawn: string = await svg.graphToSvg(graph);
    expect(drawn).toMatch(/class="node kind&#45;[a-z]+ error"/);
    expectImage("tutorial-trust-graph.svg", drawn);
    expectShown("tutorial-trust-graph.svg", ["docs/guides/02-from-the-openssl-tutorial.md"]);
  });
});
