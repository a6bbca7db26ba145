/**
 * `@kubepki/k8s-profiles/files`: `toKubeadmFiles`, a generated cluster laid out as kubeadm's files.
 *
 * Why its own entry: it renders kubeconfigs and kubelet configs with `@kubepki/renderers`, which
 * loads `yaml`, and the main entry would also load the audit's certificate parser. A program that
 * generates and writes a tree (the CLI's `init`) imports `@kubepki/k8s-profiles/generate` and this
 * entry, and loads neither the parser nor the audit. Values are the same objects as the main
 * entry's.
 *
 * @packageDocumentation
 */

// The trust graph's input: its control-plane flags come from the flag renderers (yaml), as the files do.
export { graphPlan } from "./files/graph-plan.js";
export { type KubeadmFile, type KubeadmFilesOptions, toKubeadmFiles } from "./files/kubeadm-files.js";
export {
  ADMIN_DIR,
  DEFAULT_KUBERNETES_VERSION,
  NODE_FLAGS_DIR,
  type NodeFilesOptions,
  toNodeFiles,
} from "./files/node-files.js";
