import { stat } from "node:fs/promises";
import { join } from "node:path";
import { readTree } from "../../src/io/read-tree.js";
import { type TreeFile, writeTree } from "../../src/io/write-tree.js";
import { initTree } from "./init-tree.js";

/**
 * A per-node tree (DIR/<node>/etc/kubernetes/…, DIR/<node>/var/lib/kubelet/config.yaml, DIR/admin/)
 * made here from `init`'s default layout, so these tests do not depend on `init --layout per-node`:
 * the control-plane nodes get the whole /etc/kubernetes (shared CAs and keys), their kubelet config
 * and kubeconfig from `nodes/<name>/`; the worker only `nodes/w-1/` (its kubelet pieces, `pki/ca.crt`);
 * admin/ the operator's admin.conf. Modes as init wrote them; written by writeTree.
 */
export async function initPerNodeTree(flat: string, dir: string): Promise<TreeFile[]> {
  await initTree(flat);
  const files = await readTree(flat);
  // A node's own file (nodes/<name>/…) replaces the shared one of the same path (added later).
  const out = new Map<string, TreeFile>();
  const add = async (from: string, to: string) => {
    const contents = files.get(from) as string;
    out.set(to, { path: to, contents, mode: (await stat(join(flat, from))).mode & 0o777 });
  };
  const shared = [...files.keys()].filter(
    (path) => !path.startsWith("nodes/") && !path.startsWith("flags/") && path !== "kubepki.yaml",
  );
  for (const node of ["cp-1", "cp-2", "w-1"]) {
    const own = [...files.keys()].filter((path) => path.startsWith(`nodes/${node}/`));
    if (node !== "w-1")
      for (const path of shared) if (path !== "kubelet.conf") await add(path, `${node}/etc/kubernetes/${path}`);
    for (const path of own) {
      const rest = path.slice(`nodes/${node}/`.length);
      if (rest === "kubelet-config.yaml") await add(path, `${node}/var/lib/kubelet/config.yaml`);
      else if (node === "w-1" || rest !== "pki/ca.crt") await add(path, `${node}/etc/kubernetes/${rest}`);
    }
  }
  await add("admin.conf", "admin/admin.conf");
  await writeTree(dir, [...out.values()]);
  return [...out.values()];
}
