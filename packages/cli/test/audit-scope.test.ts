// `kubepki audit --scope`: a worker's directory as kubepki writes it (nodes/<worker>) is audited as
// a node (inferred), --scope overrides the inference, and a bad value is a usage error (exit 2).
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubepki, tempDir } from "./helpers/run.js";
import { initSmallTree } from "./helpers/small-tree.js";

describe("kubepki audit --scope", () => {
  let work: { path: string; cleanup: () => Promise<void> };
  let worker: string;
  beforeAll(async () => {
    work = await tempDir();
    const out = join(work.path, "pki");
    await initSmallTree(out);
    worker = join(out, "nodes/w-1");
  }, 120_000);
  afterAll(() => work.cleanup());

  it("a worker's directory is a node: no findings, exit 0", async () => {
    const audit = await kubepki(["audit", worker, "--json"]);
    expect(audit.code, audit.stderr).toBe(0);
    expect(JSON.parse(audit.stdout).findings).toEqual([]);
  });

  it("--scope cluster audits it as a cluster (13 missing files); --scope node keeps it a node", async () => {
    const cluster = await kubepki(["audit", worker, "--scope", "cluster", "--json"]);
    const findings = JSON.parse(cluster.stdout).findings as { code: string }[];
    expect(findings.filter((finding) => finding.code === "MISSING_FILE")).toHaveLength(13);
    expect((await kubepki(["audit", worker, "--scope", "node"])).code).toBe(0);
  });

  it("--scope with another value is a usage error", async () => {
    const bad = await kubepki(["audit", worker, "--scope", "worker"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--scope takes node, control-plane or cluster, got worker");
  });
});
