import type { GraphEdge, GraphEdgeKind, GraphNode, GraphPlan, TrustGraph } from "./types.js";

/**
 * The flags that make a component trust a CA file: they are drawn as `trusts` edges from the
 * component to the file, not as flag nodes (kube-apiserver, etcd, kube-controller-manager flags
 * as `renderers/src/flags/*.ts` write them).
 */
const TRUST_FLAGS: ReadonlySet<string> = new Set([
  "--client-ca-file",
  "--etcd-cafile",
  "--trusted-ca-file",
  "--peer-trusted-ca-file",
  "--requestheader-client-ca-file",
  "--kubelet-certificate-authority",
  "--root-ca-file",
]);

/** Who reads a kubeconfig, by the role of the client certificate it embeds; `perNode`: one reader per node. */
const KUBECONFIG_READERS: Readonly<Record<string, { readonly component: string; readonly perNode: boolean }>> = {
  admin: { component: "admin", perNode: false },
  "super-admin": { component: "admin", perNode: false },
  "controller-manager": { component: "kube-controller-manager", perNode: true },
  scheduler: { component: "kube-scheduler", perNode: true },
  "kubelet-client": { component: "kubelet", perNode: true },
  "kube-proxy": { component: "kube-proxy", perNode: false },
};

/** The CA whose file every kubeconfig embeds as `certificate-authority-data` (reference §3). */
const KUBECONFIG_CA_ROLE = "ca";

/** Node ids: a prefix per kind, so a file and a certificate of the same name never collide. */
export const graphIds = {
  ca: (id: string) => `ca:${id}`,
  certificate: (id: string) => `cert:${id}`,
  file: (path: string) => `file:${path}`,
  kubeconfig: (path: string) => `kubeconfig:${path}`,
  component: (component: string, node?: string) =>
    node === undefined ? `component:${component}` : `component:${component}@${node}`,
  flag: (component: string, node: string, flag: string) => `flag:${component}@${node}:${flag}`,
  workers: "group:workers",
} as const;

/** A graph under construction: nodes and edges once each, in first-added order (deterministic). */
export class GraphBuilder {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, GraphEdge>();

  node(node: GraphNode): string {
    const known = this.nodes.get(node.id);
    if (known === undefined) this.nodes.set(node.id, node);
    else if (node.paths) {
      const paths = [...new Set([...(known.paths ?? []), ...node.paths])];
      this.nodes.set(node.id, { ...known, paths });
    }
    return node.id;
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  edge(from: string, to: string, kind: GraphEdgeKind, label?: string): void {
    const key = `${from}\u0000${to}\u0000${kind}\u0000${label ?? ""}`;
    if (!this.edges.has(key)) this.edges.set(key, { from, to, kind, ...(label === undefined ? {} : { label }) });
  }

  graph(): TrustGraph {
    return { nodes: [...this.nodes.values()], edges: [...this.edges.values()] };
  }
}

/** `--name=value` → [name, value]; anything else (a bare flag) → undefined. */
function splitFlag(arg: string): [string, string] | undefined {
  const at = arg.indexOf("=");
  return arg.startsWith("--") && at > 2 ? [arg.slice(0, at), arg.slice(at + 1)] : undefined;
}

/**
 * The trust graph of a plan: each CA → the certificates it signs → the files they live in (and the
 * kubeconfigs that embed them) → the flags and kubeconfigs that name them → the components that
 * read them (kube-apiserver, etcd, kube-controller-manager, kube-scheduler per control-plane
 * node; the kubelet per node; kube-proxy; the admin), and `trusts` edges from each component to
 * the CA file it trusts (`--client-ca-file`, `--etcd-cafile`, `--trusted-ca-file`,
 * `--requestheader-client-ca-file`, a kubeconfig's `certificate-authority-data`, the kubelet's
 * `clientCAFile`). Pure and deterministic: the same plan gives the same graph.
 *
 * Workers are folded into one "N workers" group node when there are two or more, unless
 * `expand` is set (one worker is drawn as it is: folding it would hide the kubelet's files).
 *
 * Pass `graphPlan(plan)` of `@kubepki/k8s-profiles` to draw the control-plane flags too; a bare
 * `ClusterPlan` draws certificates, files, kubeconfigs and the kubelets.
 *
 * @example
 * ```ts
 * import { planGraph } from "@kubepki/renderers";
 *
 * const graph = planGraph({
 *   config: { nodes: [{ name: "cp-1", role: "control-plane" }] },
 *   certificates: [
 *     { id: "ca", role: "ca", signer: "self", isCa: true, certPath: "pki/ca.crt", keyPath: "pki/ca.key", subject: { commonName: "kubernetes" } },
 *     { id: "admin", role: "admin", signer: "ca", isCa: false, certPath: "users/admin.crt", keyPath: "users/admin.key", subject: { commonName: "kubernetes-admin" } },
 *   ],
 *   kubeconfigs: [{ id: "admin.conf", path: "admin.conf", certificateId: "admin" }],
 *   kubeletConfigs: [],
 *   paths: { onNode: { certificates: { ca: { cert: "/etc/kubernetes/pki/ca.crt", key: "/etc/kubernetes/pki/ca.key" } } } },
 * });
 * console.log(graph.edges.filter((edge) => edge.kind === "signs")); // [{ from: "ca:ca", to: "cert:admin", kind: "signs" }]
 * ```
 */
export function planGraph(plan: GraphPlan, options: { readonly expand?: boolean } = {}): TrustGraph {
  const builder = new GraphBuilder();
  addCertificates(builder, plan.certificates);
  const onNodeFile = onNodeFileOf(plan, builder);
  addKubeconfigs(builder, plan);
  addKubelets(builder, plan, onNodeFile);
  addControlPlaneFlags(builder, plan, onNodeFile);
  const graph = builder.graph();
  return options.expand ? graph : foldWorkers(graph, plan.config.nodes);
}

/** The CA a certificate's `signer` names (a CA's id, or its role). */
function caOf(specs: GraphPlan["certificates"], signer: string) {
  return specs.find((spec) => spec.isCa && (spec.id === signer || spec.role === signer));
}

/** CAs, certificates and their files: CA → certificate (`signs`) → file (`stored-in`). */
function addCertificates(builder: GraphBuilder, specs: GraphPlan["certificates"]): void {
  for (const spec of specs) {
    const file: GraphNode = {
      id: graphIds.file(spec.certPath),
      kind: "file",
      label: spec.certPath,
      ...(spec.node === undefined ? {} : { node: spec.node }),
      paths: [spec.certPath, spec.keyPath],
    };
    if (spec.isCa) {
      const caId = builder.node({
        id: graphIds.ca(spec.id),
        kind: "ca",
        label: `${spec.subject.commonName} (${spec.id})`,
      });
      builder.edge(caId, builder.node(file), "stored-in");
      if (spec.signer !== "self") {
        const parent = caOf(specs, spec.signer);
        if (parent) builder.edge(graphIds.ca(parent.id), caId, "signs");
      }
      continue;
    }
    const certId = builder.node({
      id: graphIds.certificate(spec.id),
      kind: "certificate",
      // The role first: several certificates share a CN (etcd's server and peer are the node's name).
      label: `${spec.role}: ${spec.subject.commonName}`,
      ...(spec.node === undefined ? {} : { node: spec.node }),
    });
    const signer = caOf(specs, spec.signer);
    if (signer) builder.edge(graphIds.ca(signer.id), certId, "signs");
    builder.edge(certId, builder.node(file), "stored-in");
  }
}

/** Which graph node a path on a node names (see {@link onNodeFileOf}). */
type OnNodeFile = (path: string, node: string) => string | undefined;

/**
 * On a node, which file of the graph a path names: a certificate's or key's path as the
 * components see it (`plan.paths.onNode`), the node's own certificate first, else the cluster's;
 * the service-account pair gets its node on first use.
 */
function onNodeFileOf(plan: GraphPlan, builder: GraphBuilder): OnNodeFile {
  const specs = plan.certificates;
  return (path, node) => {
    for (const [role, paths] of Object.entries(plan.paths.onNode.certificates)) {
      if (paths === undefined || (paths.cert !== path && paths.key !== path && paths.kubeconfig !== path)) continue;
      const spec =
        specs.find((candidate) => candidate.role === role && candidate.node === node) ??
        specs.find((candidate) => candidate.role === role && candidate.node === undefined);
      if (spec === undefined) return undefined;
      if (paths.kubeconfig === path) {
        const kubeconfig = plan.kubeconfigs.find((candidate) => candidate.certificateId === spec.id);
        return kubeconfig && graphIds.kubeconfig(kubeconfig.path);
      }
      return graphIds.file(spec.certPath);
    }
    const serviceAccount = plan.paths.onNode.serviceAccount;
    const key = plan.serviceAccountKey;
    if (serviceAccount && key && (path === serviceAccount.privateKey || path === serviceAccount.publicKey)) {
      return builder.node({
        id: graphIds.file(key.publicKeyPath),
        kind: "file",
        label: `${key.publicKeyPath} / sa.key`,
        paths: [key.publicKeyPath, key.privateKeyPath],
      });
    }
    return undefined;
  };
}

/** Kubeconfigs: the client certificate they embed, who reads them, the CA they trust. */
function addKubeconfigs(builder: GraphBuilder, plan: GraphPlan): void {
  const byId = new Map(plan.certificates.map((spec) => [spec.id, spec]));
  const kubeconfigCa = plan.certificates.find((spec) => spec.isCa && spec.role === KUBECONFIG_CA_ROLE);
  for (const kubeconfig of plan.kubeconfigs) {
    const certificate = byId.get(kubeconfig.certificateId);
    const id = builder.node({
      id: graphIds.kubeconfig(kubeconfig.path),
      kind: "kubeconfig",
      label: kubeconfig.path,
      ...(kubeconfig.node === undefined ? {} : { node: kubeconfig.node }),
      paths: [kubeconfig.path],
    });
    if (certificate) builder.edge(graphIds.certificate(certificate.id), id, "stored-in");
    const reader = certificate && KUBECONFIG_READERS[certificate.role];
    if (reader === undefined) continue;
    const node = reader.perNode ? kubeconfig.node : undefined;
    const component = builder.node({
      id: graphIds.component(reader.component, node),
      kind: "component",
      label: node === undefined ? reader.component : `${reader.component} (${node})`,
      ...(node === undefined ? {} : { node }),
    });
    builder.edge(id, component, "reads");
    if (kubeconfigCa)
      builder.edge(component, graphIds.file(kubeconfigCa.certPath), "trusts", "certificate-authority-data");
  }
}

/** Kubelets: the serving pair they read and the CA file they trust for clients. */
function addKubelets(builder: GraphBuilder, plan: GraphPlan, onNodeFile: OnNodeFile): void {
  const byId = new Map(plan.certificates.map((spec) => [spec.id, spec]));
  for (const kubelet of plan.kubeletConfigs) {
    const component = builder.node({
      id: graphIds.component("kubelet", kubelet.node),
      kind: "component",
      label: `kubelet (${kubelet.node})`,
      node: kubelet.node,
    });
    const serving = byId.get(kubelet.servingCertificateId);
    if (serving) {
      const flag = builder.node({
        id: graphIds.flag("kubelet", kubelet.node, "tlsCertFile"),
        kind: "flag",
        label: "tlsCertFile",
        node: kubelet.node,
      });
      builder.edge(graphIds.file(serving.certPath), flag, "used-by");
      builder.edge(flag, component, "reads");
    }
    const caFile = onNodeFile(kubelet.clientCAFile, kubelet.node);
    if (caFile) builder.edge(component, caFile, "trusts", "clientCAFile");
  }
}

/**
 * Control-plane flags: the flags that name one file (a certificate flag and its key's) are one
 * node between the file and its component; the trust flags are edges of their own.
 */
function addControlPlaneFlags(builder: GraphBuilder, plan: GraphPlan, onNodeFile: OnNodeFile): void {
  for (const { component, node, args } of plan.components ?? []) {
    const componentId = builder.node({
      id: graphIds.component(component, node),
      kind: "component",
      label: `${component} (${node})`,
      node,
    });
    const flagsOf = new Map<string, string[]>();
    for (const arg of args) {
      const flag = splitFlag(arg);
      if (flag === undefined) continue;
      const [name, value] = flag;
      const target = onNodeFile(value, node);
      if (target === undefined) continue;
      if (TRUST_FLAGS.has(name)) builder.edge(componentId, target, "trusts", name);
      else flagsOf.set(target, [...(flagsOf.get(target) ?? []), name]);
    }
    for (const [target, names] of flagsOf) {
      const flagId = builder.node({
        id: graphIds.flag(component, node, names[0] as string),
        kind: "flag",
        label: names.join("\n"),
        node,
      });
      builder.edge(target, flagId, "used-by");
      builder.edge(flagId, componentId, "reads");
    }
  }
}

/**
 * Every node of a worker folded into one "N workers" group (two or more workers): edges to and
 * from them go to the group, once each, and edges inside the group disappear. {@link planGraph}
 * does it unless `expand`; exported for graphs built or changed elsewhere (a tree's graph).
 *
 * @example
 * ```ts
 * import { foldWorkers } from "@kubepki/renderers";
 *
 * const graph = {
 *   nodes: ["w-1", "w-2"].map((name) => ({ id: `component:kubelet@${name}`, kind: "component" as const, label: "kubelet", node: name })),
 *   edges: [],
 * };
 * const folded = foldWorkers(graph, [{ name: "w-1", role: "worker" }, { name: "w-2", role: "worker" }]);
 * console.log(folded.nodes); // [{ id: "group:workers", kind: "group", label: "2 workers" }]
 * ```
 */
export function foldWorkers(graph: TrustGraph, nodes: GraphPlan["config"]["nodes"]): TrustGraph {
  const workers = new Set(nodes.filter((node) => node.role === "worker").map((node) => node.name));
  if (workers.size < 2) return graph;
  const builder = new GraphBuilder();
  const foldedIds = new Map(
    graph.nodes.map((node) => [
      node.id,
      node.node !== undefined && workers.has(node.node) ? graphIds.workers : node.id,
    ]),
  );
  for (const node of graph.nodes) {
    if (foldedIds.get(node.id) === node.id) builder.node(node);
    else if (!builder.has(graphIds.workers))
      builder.node({ id: graphIds.workers, kind: "group", label: `${workers.size} workers` });
  }
  for (const edge of graph.edges) {
    const from = foldedIds.get(edge.from) ?? edge.from;
    const to = foldedIds.get(edge.to) ?? edge.to;
    if (from !== to) builder.edge(from, to, edge.kind, edge.label);
  }
  return builder.graph();
}
