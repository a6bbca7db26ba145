// A tree kubepki did not make (the openssl reference tree, kubeadm's layout and subjects, no
// kubepki.yaml): with the config that describes it, nothing changes but the cluster record.
import { parseKubeconfig } from "@kubepki/renderers";
import { beforeAll, describe, expect, it } from "vitest";
import { applyCluster, type ClusterConfig, diffCluster } from "../src/index.js";
import { buildOpensslTree } from "./helpers/openssl-tree.js";

const CONFIG = {
  keyAlgorithm: "ECDSA-P256",
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["10.0.0.11"] },
    { name: "w-1", role: "worker", addresses: ["10.0.0.21"] },
  ],
} as const satisfies ClusterConfig;

describe("the openssl reference tree", () => {
  let tree: Map<string, string>;
  beforeAll(async () => {
    tree = await buildOpensslTree(CONFIG);
  }, 120_000);

  it("with its own config: nothing changes — every file kept, no kubepki.yaml yet, kubepki's extras not added (notes say so)", async () => {
    const diff = diffCluster(CONFIG, tree);
    expect(diff.files.filter((file) => file.change !== "keep")).toEqual([]);
    expect(diff.files.map((file) => file.path)).toEqual([...tree.keys()].sort());
    expect(diff.certificates.every((item) => item.change === "keep")).toBe(true);
    expect(diff.notes).toEqual([
      "nodes/*/pki/ca.crt, nodes/*/kubelet-config.yaml, flags/: not in this tree (not made by kubepki): not added; the tree fits the cluster; kubepki.yaml will be added with the first change",
    ]);
    const result = await applyCluster(CONFIG, tree);
    expect(result.files).toEqual([]);
  });

  it("with a change, the record comes with it: kubepki.yaml added beside the reissued certificate", () => {
    const diff = diffCluster({ ...CONFIG, certSANs: ["api.example.com"] }, tree);
    expect(diff.files.find((file) => file.path === "kubepki.yaml")).toEqual({
      path: "kubepki.yaml",
      change: "add",
      reasons: ["the tree's cluster record"],
    });
    expect(diff.notes.at(-1)).toMatch(/kubepki\.yaml is added so that the tree remembers its cluster$/);
  });

  it("a new worker gets the files kubeadm would write for it, not kubepki's extras", () => {
    const diff = diffCluster(
      { ...CONFIG, nodes: [...CONFIG.nodes, { name: "w-2", role: "worker", addresses: ["10.0.0.22"] }] },
      tree,
    );
    const added = diff.files.filter((file) => file.change === "add").map((file) => file.path);
    expect(added.sort()).toEqual(
      [
        "kubepki.yaml",
        "nodes/w-2/kubelet.conf",
        "nodes/w-2/pki/kubelet.crt",
        "nodes/w-2/pki/kubelet.key",
        // the openssl tree has users/ copies, so they are managed
        "nodes/w-2/users/kubelet.crt",
        "nodes/w-2/users/kubelet.key",
      ].sort(),
    );
  });

  it("the first node's kubelet identity held only by the root kubelet.conf (kubeadm's layout) is kept, and its node copy written from it", async () => {
    const kubeadmLike = new Map(tree);
    kubeadmLike.delete("nodes/cp-1/kubelet.conf");
    const diff = diffCluster(CONFIG, kubeadmLike);
    expect(diff.certificates.find((item) => item.id === "kubelet-client:cp-1")?.change).toBe("keep");
    expect(
      diff.files.filter((file) => file.change !== "keep").map((file) => [file.path, file.change, file.reasons]),
    ).toEqual([
      ["kubepki.yaml", "add", ["the tree's cluster record"]],
      ["nodes/cp-1/kubelet.conf", "add", ["missing"]],
    ]);
    const result = await applyCluster(CONFIG, kubeadmLike);
    const written = result.files.find((file) => file.path === "nodes/cp-1/kubelet.conf")?.contents as string;
    const user = (text: string) => parseKubeconfig(text).users[0];
    expect(user(written)).toEqual(user(tree.get("kubelet.conf") as string));
  });
});
