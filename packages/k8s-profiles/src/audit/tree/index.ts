// The rules over the whole tree, run in one loop after the per-certificate ones.
import type { Finding } from "../findings.js";
import type { TreeContext, TreeRule } from "./context.js";
import { csrFindings } from "./csrs.js";
import { encryptedKeyFindings } from "./encrypted-keys.js";
import { sharedEtcdCa } from "./etcd-ca.js";
import { etcdServerFindings } from "./etcd-servers.js";
import { keyFileFindings } from "./keys.js";
import { kubeconfigFindings } from "./kubeconfigs.js";
import { missingFiles } from "./missing.js";
import { rotationFindings } from "./rotation.js";

/** In the order their findings are listed. */
const TREE_RULES: readonly TreeRule[] = [
  sharedEtcdCa,
  csrFindings,
  kubeconfigFindings,
  etcdServerFindings,
  keyFileFindings,
  encryptedKeyFindings,
  missingFiles,
  rotationFindings,
];

/** Runs every rule over the whole tree. */
export function treeFindings(ctx: TreeContext): Finding[] {
  return TREE_RULES.flatMap((rule) => rule(ctx));
}
