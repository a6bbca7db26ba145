// rotateCas refusals: out-of-order phases, a second begin, a broken tree, a wrong newCa, and
// diff/apply during a rotation. Each a typed error, nothing returned.
import { createSelfSignedCa, exportPrivateKeyPem, generateKeyPair, KubepkiError } from "@kubepki/core";
import { beforeAll, describe, expect, it } from "vitest";
import { caught } from "../../core/test/helpers/caught.js";
import { applyCluster, diffCluster, rotateCas } from "../src/index.js";
import { buildKubepkiTree, KUBEPKI_CONFIG } from "./helpers/kubepki-tree.js";
import { applied } from "./helpers/rotation.js";

const MADE = new Date("2026-01-01T00:00:00Z");
const LATER = new Date("2026-06-01T00:00:00Z");

function expectCode(error: unknown, code: string): KubepkiError {
  expect(error).toBeInstanceOf(KubepkiError);
  expect((error as KubepkiError).code).toBe(code);
  return error as KubepkiError;
}

describe("rotateCas refusals", () => {
  let tree: Map<string, string>;
  let begun: Map<string, string>;
  beforeAll(async () => {
    tree = await buildKubepkiTree(KUBEPKI_CONFIG, MADE);
    begun = applied(tree, await rotateCas(tree, { targets: ["ca"], phase: "begin", now: LATER }));
  });

  it("reissue or finish before begin, finish before reissue: ROTATION_OUT_OF_ORDER saying where the tree stands", async () => {
    const early = expectCode(
      await caught(() => rotateCas(tree, { targets: ["etcd-ca"], phase: "reissue" })),
      "ROTATION_OUT_OF_ORDER",
    );
    expect(early.message).toContain("etcd-ca stands at none");
    expect(early.message).toContain("next phase: begin");
    const finish = expectCode(
      await caught(() => rotateCas(begun, { targets: ["ca"], phase: "finish" })),
      "ROTATION_OUT_OF_ORDER",
    );
    expect(finish.message).toContain("ca stands at begun");
    expect(finish.message).toContain("next phase: reissue");
  });

  it("a second begin of a CA already begun is ROTATION_OUT_OF_ORDER; targets in different phases do not move together", async () => {
    expectCode(await caught(() => rotateCas(begun, { targets: ["ca"], phase: "begin" })), "ROTATION_OUT_OF_ORDER");
    expectCode(await caught(() => rotateCas(begun, { targets: "all", phase: "reissue" })), "ROTATION_OUT_OF_ORDER");
    expectCode(
      await caught(() => rotateCas(begun, { targets: ["ca", "sa"], phase: "begin" })),
      "ROTATION_OUT_OF_ORDER",
    );
  });

  it("a broken tree (apiserver certificate replaced by another leaf) is ROTATION_REFUSED, naming the findings", async () => {
    const broken = new Map(tree);
    broken.set("pki/apiserver.crt", tree.get("pki/front-proxy-client.crt") as string);
    const error = expectCode(
      await caught(() => rotateCas(broken, { targets: ["ca"], phase: "begin" })),
      "ROTATION_REFUSED",
    );
    expect(error.message).toContain("pki/apiserver.crt");
  });

  it("a CA key not in the tree is CA_KEY_MISSING", async () => {
    const external = new Map(tree);
    external.delete("pki/front-proxy-ca.key");
    // kubeadm's external CA mode: the audit accepts it, the rotation cannot sign without the key.
    const error = expectCode(
      await caught(() => rotateCas(external, { targets: ["front-proxy-ca"], phase: "begin" })),
      "CA_KEY_MISSING",
    );
    expect(error.message).toContain("pki/front-proxy-ca.key");
    const half = new Map(begun);
    half.delete("pki/ca-new.key");
    expectCode(await caught(() => rotateCas(half, { targets: ["ca"], phase: "reissue" })), "CA_KEY_MISSING");
  });

  it("newCa with another subject, without its key, or not a CA: INVALID_ARGUMENT; a good one is used as given", async () => {
    const keyPair = await generateKeyPair("ECDSA-P256");
    const privateKeyPem = await exportPrivateKeyPem(keyPair);
    const other = await createSelfSignedCa({ keyPair, subject: { commonName: "not-kubernetes" } });
    const wrongSubject = expectCode(
      await caught(() =>
        rotateCas(tree, { targets: ["ca"], phase: "begin", newCa: { certificatePem: other.pem, privateKeyPem } }),
      ),
      "INVALID_ARGUMENT",
    );
    expect(wrongSubject.message).toContain("/CN=not-kubernetes");
    const good = await createSelfSignedCa({ keyPair, subject: { commonName: "kubernetes" } });
    const otherKey = await exportPrivateKeyPem(await generateKeyPair("ECDSA-P256"));
    expectCode(
      await caught(() =>
        rotateCas(tree, {
          targets: ["ca"],
          phase: "begin",
          newCa: { certificatePem: good.pem, privateKeyPem: otherKey },
        }),
      ),
      "INVALID_ARGUMENT",
    );
    expectCode(
      await caught(() =>
        rotateCas(tree, { targets: "all", phase: "begin", newCa: { certificatePem: good.pem, privateKeyPem } }),
      ),
      "INVALID_ARGUMENT",
    );
    const result = await rotateCas(tree, {
      targets: ["ca"],
      phase: "begin",
      newCa: { certificatePem: good.pem, privateKeyPem },
    });
    expect(result.files.find((file) => file.path === "pki/ca-new.crt")?.contents).toBe(good.pem);
    expect(result.files.find((file) => file.path === "pki/ca-new.key")?.contents).toBe(privateKeyPem);
  });

  it("bad options: unknown target or phase, empty targets → INVALID_ARGUMENT", async () => {
    expectCode(
      await caught(() => rotateCas(tree, { targets: ["kubelet" as "ca"], phase: "begin" })),
      "INVALID_ARGUMENT",
    );
    expectCode(await caught(() => rotateCas(tree, { targets: [], phase: "begin" })), "INVALID_ARGUMENT");
    expectCode(await caught(() => rotateCas(tree, { targets: ["ca"], phase: "start" as "begin" })), "INVALID_ARGUMENT");
  });

  it("diffCluster and applyCluster during a rotation: ROTATION_IN_PROGRESS, pointing to rotate status", async () => {
    const error = expectCode(await caught(() => diffCluster(KUBEPKI_CONFIG, begun)), "ROTATION_IN_PROGRESS");
    expect(error.message).toContain("kubepki rotate DIR status");
    expectCode(await caught(() => applyCluster(KUBEPKI_CONFIG, begun)), "ROTATION_IN_PROGRESS");
    // Before begin, the same tree diffs fine.
    expect(diffCluster(KUBEPKI_CONFIG, tree).files.length).toBeGreaterThan(0);
  });
});
