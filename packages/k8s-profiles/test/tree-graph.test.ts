// Issue 23: the trust graph of the demo plan (every certificate a node, signing edges from the CA
// the plan names, trust edges from each component to the CA file its flag names), Graphviz lays
// its DOT out, its Mermaid follows the grammar; the graph of an existing tree with the audit's
// findings on its nodes, and of a tree in the middle of a CA rotation.
import { graphToDot, graphToMermaid, markFindings, planGraph, type TrustGraph } from "@kubepki/renderers";
import { graphToSvg } from "@kubepki/renderers/svg";
import { beforeAll, describe, expect, it } from "vitest";
import { mermaidClassMembers, mermaidProblems, svgNodes } from "../../renderers/test/helpers/graph-grammar.js";
import { auditCluster, graphPlan, planCluster, treeGraph } from "../src/index.js";
import { buildKubepkiTree, KUBEPKI_CONFIG } from "./helpers/kubepki-tree.js";
import { walk } from "./helpers/rotation.js";
import { buildTutorialTree } from "./helpers/tutorial-tree.js";

/** The README's demo (`pnpm demo`): one control plane and one worker. */
const DEMO = {
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["192.168.10.10"] },
    { name: "worker-1", role: "worker", addresses: ["192.168.10.21"] },
  ],
} as const;

const trustEdges = (graph: TrustGraph, from: string) =>
  graph.edges
    .filter((edge) => edge.kind === "trusts" && edge.from === from)
    .map((edge) => `${edge.label} → ${edge.to}`)
    .sort();

describe("the demo plan's graph", () => {
  const plan = planCluster(DEMO);
  const graph = planGraph(graphPlan(plan));

  it("has every certificate as a node and every signing edge from the CA the plan names", () => {
    const ids = new Set(graph.nodes.map((node) => node.id));
    for (const spec of plan.certificates)
      expect(ids, spec.id).toContain(spec.isCa ? `ca:${spec.id}` : `cert:${spec.id}`);
    const signs = graph.edges.filter((edge) => edge.kind === "signs").map((edge) => `${edge.from} → ${edge.to}`);
    const expected = plan.certificates
      .filter((spec) => !spec.isCa)
      .map((spec) => `ca:${spec.signer} → cert:${spec.id}`);
    expect(signs.sort()).toEqual(expected.sort());
    // and each certificate is stored in its file
    for (const spec of plan.certificates) {
      expect(graph.edges).toContainEqual({
        from: spec.isCa ? `ca:${spec.id}` : `cert:${spec.id}`,
        to: `file:${spec.certPath}`,
        kind: "stored-in",
      });
    }
  });

  it("draws a trust edge from each component to the CA file its flag or kubeconfig names", () => {
    expect(trustEdges(graph, "component:kube-apiserver@cp-1")).toEqual([
      "--client-ca-file → file:pki/ca.crt",
      "--etcd-cafile → file:pki/etcd/ca.crt",
      "--kubelet-certificate-authority → file:pki/ca.crt",
      "--requestheader-client-ca-file → file:pki/front-proxy-ca.crt",
    ]);
    expect(trustEdges(graph, "component:etcd@cp-1")).toEqual([
      "--peer-trusted-ca-file → file:pki/etcd/ca.crt",
      "--trusted-ca-file → file:pki/etcd/ca.crt",
    ]);
    expect(trustEdges(graph, "component:kube-controller-manager@cp-1")).toEqual([
      "--client-ca-file → file:pki/ca.crt",
      "--requestheader-client-ca-file → file:pki/front-proxy-ca.crt",
      "--root-ca-file → file:pki/ca.crt",
      "certificate-authority-data → file:pki/ca.crt",
    ]);
    expect(trustEdges(graph, "component:kube-scheduler@cp-1")).toEqual([
      "certificate-authority-data → file:pki/ca.crt",
    ]);
    for (const node of ["cp-1", "worker-1"]) {
      expect(trustEdges(graph, `component:kubelet@${node}`)).toEqual([
        "certificate-authority-data → file:pki/ca.crt",
        "clientCAFile → file:pki/ca.crt",
      ]);
    }
    // The flag nodes between a file and its component: the apiserver's serving pair.
    const flag = graph.nodes.find((node) => node.id === "flag:kube-apiserver@cp-1:--tls-cert-file");
    expect(flag?.label).toBe("--tls-cert-file\n--tls-private-key-file");
    expect(graph.edges).toContainEqual({ from: "file:pki/apiserver.crt", to: flag?.id, kind: "used-by" });
    expect(graph.edges).toContainEqual({ from: flag?.id, to: "component:kube-apiserver@cp-1", kind: "reads" });
  });

  it("DOT renders with Graphviz to an SVG with a node per graph node; Mermaid follows the grammar", async () => {
    const svg = await graphToSvg(graph);
    expect(
      svgNodes(svg)
        .map((node) => node.title)
        .sort(),
    ).toEqual(graph.nodes.map((node) => node.id).sort());
    expect(graphToDot(graph).startsWith("digraph trust {\n")).toBe(true);
    expect(mermaidProblems(graphToMermaid(graph))).toEqual([]);
  });

  it("folds 50 workers into one group, and expands them on request", () => {
    const big = planCluster({
      nodes: [
        { name: "cp-1", role: "control-plane", addresses: ["10.0.0.1"] },
        ...Array.from({ length: 50 }, (_, index) => ({
          name: `w-${index + 1}`,
          role: "worker" as const,
          addresses: [`10.0.1.${index + 1}`],
        })),
      ],
    });
    const folded = planGraph(graphPlan(big));
    expect(folded.nodes.filter((node) => node.kind === "group").map((node) => node.label)).toEqual(["50 workers"]);
    expect(folded.nodes.filter((node) => node.id.startsWith("component:kubelet@"))).toHaveLength(1);
    const expanded = planGraph(graphPlan(big), { expand: true });
    expect(expanded.nodes.filter((node) => node.id.startsWith("component:kubelet@w-"))).toHaveLength(50);
  });
});

describe("the graph of an existing tree", () => {
  let tutorial: Map<string, string>;
  beforeAll(async () => {
    ({ files: tutorial } = await buildTutorialTree());
  }, 60_000);

  it("carries the audit's findings: error nodes red, warnings amber, the rest no class", async () => {
    const report = await auditCluster(tutorial);
    const errors = report.findings.filter((finding) => finding.severity === "error" && finding.file !== undefined);
    expect(errors.length).toBeGreaterThan(0);
    const graph = markFindings(treeGraph(tutorial), report.findings);
    for (const finding of errors) {
      const node = graph.nodes.find(
        (candidate) => candidate.paths?.includes(finding.file as string) || candidate.id === `file:${finding.file}`,
      );
      expect(node?.severity, finding.file).toBe("error");
    }
    const svg = await graphToSvg(graph);
    const errorTitles = svgNodes(svg)
      .filter((node) => node.classes.includes("error"))
      .map((node) => node.title);
    expect(errorTitles.sort()).toEqual(
      graph.nodes
        .filter((node) => node.severity === "error")
        .map((node) => node.id)
        .sort(),
    );
    const warningTitles = svgNodes(svg)
      .filter((node) => node.classes.includes("warning"))
      .map((node) => node.title);
    expect(warningTitles.sort()).toEqual(
      graph.nodes
        .filter((node) => node.severity === "warning")
        .map((node) => node.id)
        .sort(),
    );
    const plain = svgNodes(svg).filter(
      (node) => !graph.nodes.some((candidate) => candidate.id === node.title && candidate.severity),
    );
    expect(plain.every((node) => !node.classes.includes("error") && !node.classes.includes("warning"))).toBe(true);
    const mermaid = graphToMermaid(graph);
    expect(mermaidProblems(mermaid)).toEqual([]);
    expect(mermaidClassMembers(mermaid, "error")).toHaveLength(errorTitles.length);
  }, 60_000);

  it("draws a CA rotation in progress: the old and the new CA side by side, reissued leaves under the new", async () => {
    const now = new Date("2026-06-01T00:00:00Z");
    const tree = await buildKubepkiTree(KUBEPKI_CONFIG, new Date("2026-01-01T00:00:00Z"));
    const { trees } = await walk(tree, ["ca"], now);
    const begun = treeGraph(trees[1] as Map<string, string>);
    expect(begun.nodes.find((node) => node.id === "ca:ca")?.rotation).toBe("old");
    expect(begun.nodes.find((node) => node.id === "ca:ca:new")).toMatchObject({ kind: "ca", rotation: "new" });
    expect(begun.edges).toContainEqual({ from: "ca:ca:new", to: "file:pki/ca-new.crt", kind: "stored-in" });
    expect(begun.edges).toContainEqual({ from: "ca:ca:new", to: "file:pki/ca.crt", kind: "stored-in" });
    expect(begun.edges.filter((edge) => edge.kind === "signs" && edge.from === "ca:ca:new")).toEqual([]);
    expect(graphToMermaid(begun)).toContain("classDef rotationNew");

    const reissued = treeGraph(trees[2] as Map<string, string>);
    const fromNew = reissued.edges
      .filter((edge) => edge.kind === "signs" && edge.from === "ca:ca:new")
      .map((edge) => edge.to);
    expect(fromNew).toContain("cert:apiserver:cp-1");
    expect(fromNew).toContain("cert:admin:cp-1");
    expect(reissued.edges.filter((edge) => edge.kind === "signs" && edge.from === "ca:ca")).toEqual([]);
    // A finished rotation is a plain tree again.
    expect(treeGraph(trees[3] as Map<string, string>).nodes.some((node) => node.rotation)).toBe(false);
  }, 60_000);
});
