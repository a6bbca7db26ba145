// The trust graph of a plan with its control-plane flags, and of an existing tree (issue 23):
// the graph itself is the renderers' planGraph; this side knows the flags and reads certificates.

import type { Certificate } from "@kubepki/core";
import { foldWorkers, type GraphNode, planGraph, type TrustGraph } from "@kubepki/renderers";
import { rotationPartners } from "../audit/tree/rotation.js";
import { initNode, resolveClusterConfig } from "../config/resolve.js";
import { describeTree } from "../lifecycle/describe/describe.js";
import { incomingCaFile } from "../lifecycle/rotate/layout.js";
import { type ClusterPlan, planCluster } from "../plan/plan.js";
import { graphPlan } from "./graph-plan.js";
import { type ClusterFiles, identifyRole, readTree, type TreeCertificate } from "./read-files.js";

/**
 * The trust graph of an existing tree (an output of `init`, kubeadm's `/etc/kubernetes`, a tree
 * made with openssl): the cluster {@link describeTree} finds in it, planned and drawn, with what
 * the files show on top — a CA rotation in progress draws the incoming CA (`<ca>-new.crt`) beside
 * the old one (`rotation: "new"` / `"old"`), signing the certificates it has reissued and stored in
 * the trust bundle too. Lay the audit's findings on it with `markFindings` of `@kubepki/renderers`.
 *
 * @throws KubepkiError as {@link describeTree}: `NOT_A_TREE` for files that hold no cluster PKI.
 *
 * @example
 * ```ts
 * import { treeGraph } from "@kubepki/k8s-profiles";
 *
 * // Any tree as a path → contents map (here one that only keeps its record); then
 * // markFindings(graph, (await auditCluster(files)).findings) of @kubepki/renderers colours it.
 * const graph = treeGraph({ "kubepki.yaml": "clusterName: prod\n" });
 * console.log(graph.nodes.some((node) => node.id === "ca:ca")); // true
 * ```
 */
export function treeGraph(files: ClusterFiles, options: { readonly expand?: boolean } = {}): TrustGraph {
  const { config } = describeTree(files);
  const planned = planCluster(resolveClusterConfig(config));
  const tree = readTree(files);
  const plan = { ...planned, certificates: atTreePaths(planned, tree.certificates) };
  const graph = planGraph({ ...graphPlan(planned), certificates: plan.certificates }, { expand: true });
  const nodes: GraphNode[] = [...graph.nodes];
  const edges = [...graph.edges];
  const certificateAt = (file: string): TreeCertificate | undefined =>
    tree.certificates.find((entry) => entry.file === file && entry.source === "file");

  for (const ca of plan.certificates.filter((spec) => spec.isCa)) {
    const rotation = rotationOf(certificateAt, ca.certPath);
    if (rotation === undefined) continue;
    const oldId = `ca:${ca.id}`;
    const newId = `ca:${ca.id}:new`;
    const at = nodes.findIndex((node) => node.id === oldId);
    nodes.splice(at + 1, 0, {
      id: newId,
      kind: "ca",
      label: `${ca.subject.commonName} (${ca.id}, new)`,
      rotation: "new",
    });
    nodes[at] = { ...(nodes[at] as GraphNode), rotation: "old" };
    if (rotation.incomingFile !== undefined) {
      const fileId = `file:${rotation.incomingFile}`;
      nodes.push({
        id: fileId,
        kind: "file",
        label: rotation.incomingFile,
        paths: [rotation.incomingFile, rotation.incomingKey ?? ""].filter(Boolean),
        rotation: "new",
      });
      edges.push({ from: newId, to: fileId, kind: "stored-in" });
    }
    // The trust bundle holds both CAs while the rotation runs.
    if (rotation.bundled) edges.push({ from: newId, to: `file:${ca.certPath}`, kind: "stored-in" });
    // A certificate the new CA signed (reissued) is drawn signed by it, not by the old one.
    const newKeyId = rotation.incoming.subjectKeyIdentifier;
    for (let index = 0; index < edges.length; index++) {
      const edge = edges[index];
      if (edge?.kind !== "signs" || edge.from !== oldId) continue;
      const spec = plan.certificates.find((candidate) => `cert:${candidate.id}` === edge.to);
      const issued = spec && certificateAt(spec.certPath);
      if (issued && newKeyId !== undefined && issued.certificate.authorityKeyIdentifier === newKeyId) {
        edges[index] = { ...edge, from: newId };
      }
    }
  }
  const drawn = { nodes, edges };
  return options.expand ? drawn : foldWorkers(drawn, plan.config.nodes);
}

/**
 * A CA rotation in progress at `caFile` (issue 19's layout): after `begin` the incoming CA is in
 * `<ca>-new.crt` and the CA file a bundle of old + new; after `reissue` the CA file is new + old
 * (the first certificate signs) and `-new.crt` is gone. Undefined: no rotation.
 */
function rotationOf(
  certificateAt: (file: string) => TreeCertificate | undefined,
  caFile: string,
): { incoming: Certificate; incomingFile?: string; incomingKey?: string; bundled: boolean } | undefined {
  const current = certificateAt(caFile);
  const partners = current ? rotationPartners(current) : [];
  const waiting = certificateAt(incomingCaFile(caFile));
  if (waiting !== undefined) {
    const bundled = partners.some((partner) => partner.fingerprintSha256 === waiting.certificate.fingerprintSha256);
    return { incoming: waiting.certificate, incomingFile: waiting.file, incomingKey: waiting.keyPath, bundled };
  }
  if (current === undefined || partners.length === 0) return undefined;
  return { incoming: current.certificate, bundled: true };
}

/**
 * The plan's certificates at the files the tree keeps them in: a tree laid out otherwise (a flat
 * directory made with openssl: `apiserver.crt`, `etcdserver.crt`) has each certificate where the
 * audit finds it by name and subject, so the findings on those files land on the graph's nodes.
 */
function atTreePaths(plan: ClusterPlan, entries: readonly TreeCertificate[]): ClusterPlan["certificates"] {
  const present = new Set(entries.map((entry) => entry.file));
  const rootNode = initNode(plan.config).name;
  return plan.certificates.map((spec) => {
    if (present.has(spec.certPath)) return spec;
    const found = entries.find((entry) => {
      if (entry.source !== "file") return false;
      const match = identifyRole(entry, rootNode);
      return match?.role === spec.role && (spec.node === undefined || match.node === spec.node);
    });
    return found ? { ...spec, certPath: found.file, keyPath: found.keyPath } : spec;
  });
}
