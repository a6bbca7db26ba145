// What follows from the changed files: which components restart on which node, and what to
// copy to each node.
import { splitNodePath } from "../../files/read-files.js";
import type { ClusterPlan } from "../../plan/plan.js";
import { type CertSpec, type Component, roleProfile } from "../../roles/profiles.js";
import type { Restart } from "../renew.js";
import type { LeafState } from "./leaves.js";
import type { FileDiff, NodeCopies } from "./types.js";

/** Who restarts, where: the `restarts` column for each certificate to reissue (or missing on a running node), and the readers of re-rendered files. */
export function restartsOf(
  plan: ClusterPlan,
  leaves: ReadonlyMap<string, LeafState>,
  files: readonly FileDiff[],
  treeNodes: ReadonlySet<string>,
): Restart[] {
  const restarts: Restart[] = [];
  const restart = (component: Component, node: string | undefined) => {
    if (restarts.some((item) => item.component === component && item.node === node)) return;
    restarts.push(node === undefined ? { component } : { component, node });
  };
  const changed = new Set(files.filter((file) => file.change === "change").map((file) => file.path));
  for (const state of leaves.values()) {
    const { spec } = state;
    const running = spec.node === undefined || treeNodes.has(spec.node);
    const where = spec.kubeconfig ?? spec.certPath;
    if (state.change === "keep" && !changed.has(where)) continue;
    if (state.change === "add" && !running) continue;
    for (const component of roleProfile(spec.role).restarts) restart(component, splitNodePath(where).node);
  }
  for (const kubeconfig of plan.kubeconfigs) {
    if (!changed.has(kubeconfig.path)) continue;
    const spec = plan.certificates.find((candidate) => candidate.id === kubeconfig.certificateId) as CertSpec;
    for (const component of roleProfile(spec.role).restarts) restart(component, splitNodePath(kubeconfig.path).node);
  }
  for (const path of changed) {
    const { node, rest } = splitNodePath(path);
    if (rest.endsWith("kubelet-config.yaml")) restart("kubelet", node);
    const flags = /^flags\/(.+)\.txt$/.exec(path)?.[1];
    if (
      flags === "kube-apiserver" ||
      flags === "kube-controller-manager" ||
      flags === "kube-scheduler" ||
      flags === "etcd"
    ) {
      restart(flags, undefined);
    }
  }
  return restarts;
}

/** Per node, the added and changed files of its install list. */
export function nodeCopies(plan: ClusterPlan, files: readonly FileDiff[]): NodeCopies[] {
  const touched = new Set(
    files.filter((file) => file.change === "add" || file.change === "change").map((file) => file.path),
  );
  return plan.paths.nodes.flatMap((node) => {
    const list = node.files
      .filter((file) => touched.has(file.output))
      .map((file) => ({ path: file.output, onNode: file.onNode }));
    return list.length > 0 ? [{ node: node.node, files: list }] : [];
  });
}
