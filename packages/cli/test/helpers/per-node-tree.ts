import { readTree } from "../../src/io/read-tree.js";
import type { TreeFile } from "../../src/io/write-tree.js";
import { initTree } from "./init-tree.js";

/**
 * A per-node tree (DIR/<node>/etc/kubernetes/…, DIR/<node>/var/lib/kubelet/config.yaml, DIR/admin/)
 * of the shared test cluster (two control-plane nodes and a worker), made by
 * `kubepki init --layout per-node` itself. `flat` is kept for callers that also want today's
 * layout of a cluster; it is made too.
 */
export async function initPerNodeTree(flat: string, dir: string): Promise<TreeFile[]> {
  await initTree(flat);
  await initTree(dir, "--layout", "per-node");
  const files = await readTree(dir);
  return [...files.entries()].map(([path, contents]) => ({ path, contents, mode: 0 }));
}
