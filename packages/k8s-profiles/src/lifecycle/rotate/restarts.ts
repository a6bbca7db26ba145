// The restart sequence of a phase. Order after the Kubernetes docs, "Manual Rotation of CA
// Certificates" (https://kubernetes.io/docs/tasks/tls/manual-rotation-of-ca-certificates/): the
// controller-manager first when trust changes (its --root-ca-file feeds every pod's CA bundle),
// then the API servers one by one, the scheduler, and each node's kubelet last; when the leaves
// change, the API servers (new serving and client certificates) come before the controller-manager
// and scheduler. etcd members restart one by one before the API servers that dial them.
import { NODES_DIR, PKI_DIR } from "../../roles/constants.js";
import type { Component } from "../../roles/profiles.js";
import type { RotationPhase, RotationTarget } from "./types.js";

type Step = { readonly node?: string; readonly components: readonly Component[] };

const TRUST_ORDER: readonly Component[] = [
  "etcd",
  "kube-controller-manager",
  "kube-apiserver",
  "kube-scheduler",
  "kubelet",
];
const LEAF_ORDER: readonly Component[] = [
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kubelet",
];

const ALL: readonly Component[] = ["kube-controller-manager", "kube-apiserver", "kube-scheduler", "kubelet"];

/** Which components load each target's files, per phase. */
const LOADS: Readonly<Record<RotationTarget, Readonly<Record<RotationPhase, readonly Component[]>>>> = {
  ca: { begin: ALL, reissue: ALL, finish: ALL },
  "etcd-ca": {
    begin: ["etcd", "kube-apiserver"],
    reissue: ["etcd", "kube-apiserver"],
    finish: ["etcd", "kube-apiserver"],
  },
  // --requestheader-client-ca-file (apiserver, controller-manager); the front-proxy client is the apiserver's.
  "front-proxy-ca": {
    begin: ["kube-apiserver", "kube-controller-manager"],
    reissue: ["kube-apiserver"],
    finish: ["kube-apiserver", "kube-controller-manager"],
  },
  // --service-account-key-file (apiserver), --service-account-private-key-file (controller-manager) and the signing key.
  sa: { begin: ["kube-apiserver"], reissue: ["kube-apiserver", "kube-controller-manager"], finish: ["kube-apiserver"] },
};

/** The tree's nodes: the control-plane ones (the root first, as `rootNode`), and every node for the kubelet. */
export function treeNodes(
  texts: ReadonlyMap<string, string>,
  rootNode: string | undefined,
): { controlPlane: (string | undefined)[]; all: (string | undefined)[] } {
  const named = new Set<string>();
  for (const path of texts.keys()) {
    const match = new RegExp(`^${NODES_DIR}/([^/]+)/`).exec(path);
    if (match) named.add(match[1] as string);
  }
  const controlPlane: (string | undefined)[] = texts.has(`${PKI_DIR}/apiserver.crt`) ? [rootNode] : [];
  for (const node of [...named].sort()) {
    if (node !== rootNode && texts.has(`${NODES_DIR}/${node}/${PKI_DIR}/apiserver.crt`)) controlPlane.push(node);
  }
  const all = [...controlPlane, ...[...named].sort().filter((node) => !controlPlane.includes(node))];
  if (all.length === 0) all.push(undefined);
  return { controlPlane, all };
}

/** The restarts of `phase` for `targets`, in order: each component on each of its nodes, one at a time. */
export function restartSequence(
  targets: readonly RotationTarget[],
  phase: RotationPhase,
  nodes: ReturnType<typeof treeNodes>,
): Step[] {
  const wanted = new Set(targets.flatMap((target) => LOADS[target][phase]));
  const steps: Step[] = [];
  for (const component of phase === "reissue" ? LEAF_ORDER : TRUST_ORDER) {
    if (!wanted.has(component)) continue;
    for (const node of component === "kubelet" ? nodes.all : nodes.controlPlane) {
      steps.push(node === undefined ? { components: [component] } : { node, components: [component] });
    }
  }
  return steps;
}
