import { describe, expect, it } from "vitest";
import { type GraphPlan, graphToDot, graphToMermaid, markFindings, planGraph, type TrustGraph } from "../src/index.js";
import { graphToSvg } from "../src/svg.js";
import { mermaidClassMembers, mermaidIdOf, mermaidProblems, svgNodes } from "./helpers/graph-grammar.js";

/** A small hand-made plan: one CA, an admin kubeconfig, `workers` kubelets, a component with a trust flag. */
function smallPlan(workers: number): GraphPlan {
  const names = ["cp-1", ...Array.from({ length: workers }, (_, index) => `worker-${index + 1}`)];
  return {
    config: { nodes: names.map((name, index) => ({ name, role: index === 0 ? "control-plane" : "worker" })) },
    certificates: [
      {
        id: "ca",
        role: "ca",
        signer: "self",
        isCa: true,
        certPath: "pki/ca.crt",
        keyPath: "pki/ca.key",
        subject: { commonName: "kubernetes" },
      },
      {
        id: "admin",
        role: "admin",
        signer: "ca",
        isCa: false,
        certPath: "users/admin.crt",
        keyPath: "users/admin.key",
        subject: { commonName: 'odd "admin" <x>|{y}' },
      },
      ...names.flatMap((name) => [
        {
          id: `kubelet-client:${name}`,
          role: "kubelet-client",
          node: name,
          signer: "ca",
          isCa: false,
          certPath: `nodes/${name}/users/kubelet.crt`,
          keyPath: `nodes/${name}/users/kubelet.key`,
          subject: { commonName: `system:node:${name}` },
        },
        {
          id: `kubelet-serving:${name}`,
          role: "kubelet-serving",
          node: name,
          signer: "ca",
          isCa: false,
          certPath: `nodes/${name}/pki/kubelet.crt`,
          keyPath: `nodes/${name}/pki/kubelet.key`,
          subject: { commonName: `system:node:${name}` },
        },
      ]),
    ],
    kubeconfigs: [
      { id: "admin.conf", path: "admin.conf", certificateId: "admin" },
      ...names.map((name) => ({
        id: `kubelet.conf:${name}`,
        path: `nodes/${name}/kubelet.conf`,
        certificateId: `kubelet-client:${name}`,
        node: name,
      })),
    ],
    kubeletConfigs: names.map((name) => ({
      node: name,
      path: `nodes/${name}/kubelet-config.yaml`,
      clientCAFile: "/etc/kubernetes/pki/ca.crt",
      tlsCertFile: "/etc/kubernetes/pki/kubelet.crt",
      servingCertificateId: `kubelet-serving:${name}`,
    })),
    paths: {
      onNode: { certificates: { ca: { cert: "/etc/kubernetes/pki/ca.crt", key: "/etc/kubernetes/pki/ca.key" } } },
    },
    components: [
      {
        component: "kube-apiserver",
        node: "cp-1",
        args: ["--client-ca-file=/etc/kubernetes/pki/ca.crt", "--v=2", "--tls-cert-file=/elsewhere.crt"],
      },
    ],
  };
}

const kindsOf = (graph: TrustGraph, kind: string) => graph.nodes.filter((node) => node.kind === kind);

describe("planGraph", () => {
  it("draws CA → certificate → file → kubeconfig → component, and trust edges apart", () => {
    const graph = planGraph(smallPlan(1));
    expect(graph.edges).toContainEqual({ from: "ca:ca", to: "cert:admin", kind: "signs" });
    expect(graph.edges).toContainEqual({ from: "cert:admin", to: "file:users/admin.crt", kind: "stored-in" });
    expect(graph.edges).toContainEqual({ from: "cert:admin", to: "kubeconfig:admin.conf", kind: "stored-in" });
    expect(graph.edges).toContainEqual({ from: "kubeconfig:admin.conf", to: "component:admin", kind: "reads" });
    expect(graph.edges).toContainEqual({
      from: "component:kube-apiserver@cp-1",
      to: "file:pki/ca.crt",
      kind: "trusts",
      label: "--client-ca-file",
    });
    expect(graph.edges).toContainEqual({
      from: "component:kubelet@worker-1",
      to: "file:pki/ca.crt",
      kind: "trusts",
      label: "clientCAFile",
    });
    // A flag naming no file of the plan draws nothing.
    expect(graph.nodes.map((node) => node.label)).not.toContain("--tls-cert-file");
    expect(graph.nodes.map((node) => node.id)).toEqual([...new Set(graph.nodes.map((node) => node.id))]);
  });

  it("folds two or more workers into one group node unless expand", () => {
    const folded = planGraph(smallPlan(50));
    expect(kindsOf(folded, "group")).toEqual([{ id: "group:workers", kind: "group", label: "50 workers" }]);
    expect(folded.nodes.filter((node) => node.node?.startsWith("worker-"))).toEqual([]);
    expect(kindsOf(folded, "component").map((node) => node.id)).toEqual([
      "component:admin",
      "component:kubelet@cp-1",
      "component:kube-apiserver@cp-1",
    ]);
    expect(folded.edges).toContainEqual({ from: "ca:ca", to: "group:workers", kind: "signs" });
    expect(folded.edges).toContainEqual({
      from: "group:workers",
      to: "file:pki/ca.crt",
      kind: "trusts",
      label: "clientCAFile",
    });
    expect(folded.edges.filter((edge) => edge.from === edge.to)).toEqual([]);

    const expanded = planGraph(smallPlan(50), { expand: true });
    expect(kindsOf(expanded, "group")).toEqual([]);
    expect(
      kindsOf(expanded, "component").filter((node) => node.id.startsWith("component:kubelet@worker-")),
    ).toHaveLength(50);
    // One worker is drawn as it is.
    expect(kindsOf(planGraph(smallPlan(1)), "group")).toEqual([]);
  });

  it("gives the same bytes for the same plan", () => {
    expect(graphToMermaid(planGraph(smallPlan(3)))).toBe(graphToMermaid(planGraph(smallPlan(3))));
    expect(graphToDot(planGraph(smallPlan(3)))).toBe(graphToDot(planGraph(smallPlan(3))));
  });
});

describe("graph text", () => {
  const findings = [
    {
      file: "users/admin.key",
      severity: "error" as const,
      code: "KEY_MISMATCH",
      message: 'the "key" <does not> match',
    },
    {
      file: "nodes/cp-1/pki/kubelet.crt",
      severity: "warning" as const,
      code: "EXPIRES_SOON",
      message: "expires in 20 days",
    },
    { file: "nodes/cp-1/pki/kubelet.crt", severity: "info" as const, code: "NOTE", message: "a note" },
    { file: "stray.crt", severity: "error" as const, code: "UNKNOWN_FILE", message: "not kubeadm's" },
    { severity: "error" as const, code: "NO_FILE", message: "about nothing drawn" },
  ];
  const graph = markFindings(planGraph(smallPlan(1)), findings);

  it("marks the node of each finding's file with the worst severity, and adds files it does not draw", () => {
    const byId = new Map(graph.nodes.map((node) => [node.id, node]));
    expect(byId.get("file:users/admin.crt")).toMatchObject({
      severity: "error",
      findings: ['KEY_MISMATCH: the "key" <does not> match'],
    });
    expect(byId.get("file:nodes/cp-1/pki/kubelet.crt")).toMatchObject({
      severity: "warning",
      findings: ["EXPIRES_SOON: expires in 20 days", "NOTE: a note"],
    });
    expect(byId.get("file:stray.crt")).toMatchObject({ kind: "file", severity: "error" });
    expect(graph.nodes.filter((node) => node.severity !== undefined)).toHaveLength(3);
  });

  it("Mermaid: follows the flowchart grammar, ids safe, error and warning classes on exactly their nodes", () => {
    const text = graphToMermaid(graph);
    expect(mermaidProblems(text)).toEqual([]);
    const admin = mermaidIdOf(text, "users/admin.crt");
    const kubelet = mermaidIdOf(text, "nodes/cp-1/pki/kubelet.crt");
    const stray = mermaidIdOf(text, "stray.crt");
    expect(mermaidClassMembers(text, "error").sort()).toEqual([admin, stray].sort());
    expect(mermaidClassMembers(text, "warning")).toEqual([kubelet]);
    expect(text).toContain("classDef error fill:#fecaca");
    expect(text).toContain("classDef warning fill:#fde68a");
    // Trust edges apart from signing ones.
    expect(text).toMatch(/ -\.->\|"--client-ca-file"\| /);
    expect(text).toMatch(/ ==> /);
    // A clean graph defines no class at all.
    expect(graphToMermaid(planGraph(smallPlan(1)))).not.toContain("class");
  });

  it("DOT and SVG: Graphviz lays it out, a node per graph node, the error class on the error nodes only", async () => {
    const svg = await graphToSvg(graph);
    const nodes = svgNodes(svg);
    expect(nodes.map((node) => node.title).sort()).toEqual(graph.nodes.map((node) => node.id).sort());
    const withClass = (klass: string) =>
      nodes
        .filter((node) => node.classes.includes(klass))
        .map((node) => node.title)
        .sort();
    expect(withClass("error")).toEqual(["file:stray.crt", "file:users/admin.crt"]);
    expect(withClass("warning")).toEqual(["file:nodes/cp-1/pki/kubelet.crt"]);
    expect(svg).toContain('fill="#fecaca"');
    expect(svg).toContain('fill="#fde68a"');
    const dot = graphToDot(graph);
    expect(dot).toContain(
      '"file:users/admin.crt" [label="users/admin.crt\\nKEY_MISMATCH: the \\"key\\" <does not> match"',
    );
    expect(dot).toMatch(/-> "file:pki\/ca\.crt" \[style=dashed.*label="--client-ca-file"\]/);
  });

  it("escapes ids and labels that would break either language", async () => {
    const hostile: TrustGraph = {
      nodes: [
        { id: 'a"b\\c -> d; end', kind: "file", label: 'end"}\n]|<br/>#;' },
        { id: "end", kind: "component", label: "subgraph" },
      ],
      edges: [{ from: 'a"b\\c -> d; end', to: "end", kind: "trusts", label: '"|x|"' }],
    };
    expect(mermaidProblems(graphToMermaid(hostile))).toEqual([]);
    const nodes = svgNodes(await graphToSvg(hostile));
    expect(nodes.map((node) => node.title).sort()).toEqual(['a"b\\\\c -> d; end', "end"].sort());
  });
});
