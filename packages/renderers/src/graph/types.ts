/**
 * The trust graph's data: nodes (CAs, certificates, files, kubeconfigs, flags, components) and the
 * edges between them. Plain data, so one graph feeds every output (Mermaid, DOT, SVG) and the
 * findings of an audit can be laid on it ({@link markFindings}).
 */

/**
 * What a graph node stands for.
 *
 * @example
 * ```ts
 * import type { GraphNodeKind } from "@kubepki/renderers";
 *
 * const kind: GraphNodeKind = "ca";
 * ```
 */
export type GraphNodeKind = "ca" | "certificate" | "file" | "kubeconfig" | "flag" | "component" | "group";

/**
 * What a graph edge says: a CA `signs` a certificate; a certificate is `stored-in` a file or a
 * kubeconfig; a file is `used-by` the flag that names it; a component `reads` a flag or a
 * kubeconfig (drawn from the flag to the component, so the graph reads left to right); a
 * component `trusts` a CA file (`--client-ca-file`, a kubeconfig's `certificate-authority-data`…).
 *
 * @example
 * ```ts
 * import type { GraphEdgeKind } from "@kubepki/renderers";
 *
 * const kind: GraphEdgeKind = "trusts";
 * ```
 */
export type GraphEdgeKind = "signs" | "stored-in" | "used-by" | "reads" | "trusts";

/**
 * A finding's severity, as the audit spells it.
 *
 * @example
 * ```ts
 * import type { GraphSeverity } from "@kubepki/renderers";
 *
 * const severity: GraphSeverity = "error";
 * ```
 */
export type GraphSeverity = "error" | "warning" | "info";

/**
 * One node of a {@link TrustGraph}.
 *
 * @example
 * ```ts
 * import type { GraphNode } from "@kubepki/renderers";
 *
 * const node: GraphNode = { id: "ca:ca", kind: "ca", label: "kubernetes (ca)" };
 * ```
 */
export interface GraphNode {
  /** Stable and unique in the graph; escaped by each output, so any text is allowed. */
  readonly id: string;
  readonly kind: GraphNodeKind;
  readonly label: string;
  /** The cluster node this belongs to (a kubelet, a node's certificate); workers are folded by it. */
  readonly node?: string;
  /** The tree files this node stands for (a certificate file and its key), which findings name. */
  readonly paths?: readonly string[];
  /** The worst severity of the findings on this node. */
  readonly severity?: GraphSeverity;
  /** The messages of the findings on this node, in the order given. */
  readonly findings?: readonly string[];
  /** The side of a CA rotation in progress this CA (or its file) is on. */
  readonly rotation?: "old" | "new";
}

/**
 * One edge of a {@link TrustGraph}; `label` names the flag or field behind it.
 *
 * @example
 * ```ts
 * import type { GraphEdge } from "@kubepki/renderers";
 *
 * const edge: GraphEdge = { from: "component:kube-apiserver@cp-1", to: "file:pki/ca.crt", kind: "trusts", label: "--client-ca-file" };
 * ```
 */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: GraphEdgeKind;
  readonly label?: string;
}

/**
 * A cluster's trust graph: CAs → the certificates they sign → their files → the flags and
 * kubeconfigs that name them → the components that read them, and the trust edges. See
 * {@link planGraph}.
 *
 * @example
 * ```ts
 * import type { TrustGraph } from "@kubepki/renderers";
 *
 * const empty: TrustGraph = { nodes: [], edges: [] };
 * ```
 */
export interface TrustGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Where one certificate's files are, as a plan names them. */
interface GraphCertificatePaths {
  readonly cert: string;
  readonly key: string;
  readonly kubeconfig?: string;
}

/**
 * The part of a `@kubepki/k8s-profiles` `ClusterPlan` the graph reads: a `ClusterPlan` is accepted
 * as it is, structurally. `components` (the control-plane flags on each control-plane node) is not
 * in a plan: `graphPlan(plan)` of `@kubepki/k8s-profiles` adds it from the same flag functions the
 * tree's `flags/` are written with. Without it the graph has no flag nodes.
 *
 * @example
 * ```ts
 * import type { GraphPlan } from "@kubepki/renderers";
 *
 * const plan: GraphPlan = {
 *   config: { nodes: [{ name: "cp-1", role: "control-plane" }] },
 *   certificates: [
 *     { id: "ca", role: "ca", signer: "self", isCa: true, certPath: "pki/ca.crt", keyPath: "pki/ca.key", subject: { commonName: "kubernetes" } },
 *   ],
 *   kubeconfigs: [],
 *   kubeletConfigs: [],
 *   paths: { onNode: { certificates: { ca: { cert: "/etc/kubernetes/pki/ca.crt", key: "/etc/kubernetes/pki/ca.key" } } } },
 * };
 * ```
 */
export interface GraphPlan {
  readonly config: { readonly nodes: readonly { readonly name: string; readonly role: "control-plane" | "worker" }[] };
  readonly certificates: readonly {
    readonly id: string;
    readonly role: string;
    readonly node?: string;
    readonly signer: string;
    readonly isCa: boolean;
    readonly certPath: string;
    readonly keyPath: string;
    readonly subject: { readonly commonName: string };
  }[];
  readonly kubeconfigs: readonly {
    readonly id: string;
    readonly path: string;
    readonly certificateId: string;
    readonly node?: string;
  }[];
  readonly kubeletConfigs: readonly {
    readonly node: string;
    readonly path: string;
    readonly clientCAFile: string;
    readonly tlsCertFile: string;
    readonly servingCertificateId: string;
  }[];
  readonly serviceAccountKey?: { readonly privateKeyPath: string; readonly publicKeyPath: string };
  readonly paths: {
    readonly onNode: {
      readonly certificates: { readonly [role: string]: GraphCertificatePaths | undefined };
      readonly serviceAccount?: { readonly privateKey: string; readonly publicKey: string };
    };
  };
  /** Each control-plane component's command-line flags on each control-plane node (`--name=value`). */
  readonly components?: readonly GraphComponentFlags[];
}

/**
 * One component's flags on one node, as the flag functions render them.
 *
 * @example
 * ```ts
 * import type { GraphComponentFlags } from "@kubepki/renderers";
 *
 * const scheduler: GraphComponentFlags = {
 *   component: "kube-scheduler",
 *   node: "cp-1",
 *   args: ["--kubeconfig=/etc/kubernetes/scheduler.conf"],
 * };
 * ```
 */
export interface GraphComponentFlags {
  readonly component: string;
  readonly node: string;
  readonly args: readonly string[];
}

/**
 * A finding to lay on the graph: the audit's `Finding` is accepted as it is.
 *
 * @example
 * ```ts
 * import type { GraphFinding } from "@kubepki/renderers";
 *
 * const finding: GraphFinding = { file: "pki/apiserver.crt", severity: "error", code: "EXPIRED", message: "expired" };
 * ```
 */
export interface GraphFinding {
  readonly file?: string;
  readonly severity: GraphSeverity;
  readonly message: string;
  readonly code: string;
}
