// diffCluster / applyCluster refuse what cannot be done safely (issue 18): a different CA, a CA
// key that is not there, a tree that is not one, bad options; and they do the rest: add a CA
// nothing depends on yet, remove what the plan no longer has, clamp validity to the CA.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCertificate } from "@kubepki/core";
import { isKubepkiError } from "@kubepki/core/names";
import { parseKubeconfig, renderKubeconfig } from "@kubepki/renderers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { caught } from "../../core/test/helpers/caught.js";
import { applyCluster, type ClusterConfig, diffCluster } from "../src/index.js";
import { buildKubepkiTree } from "./helpers/kubepki-tree.js";
import { countingCrypto, openssl, tempDir } from "./helpers/tree.js";

const DAY_MS = 24 * 60 * 60 * 1000;

const CONFIG = {
  keyAlgorithm: "ECDSA-P256",
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["10.0.0.11"] },
    { name: "w-1", role: "worker", addresses: ["10.0.0.21"] },
  ],
} as const satisfies ClusterConfig;

const SAN_CHANGE = { ...CONFIG, certSANs: ["api.example.com"] } as const satisfies ClusterConfig;

function expectCode(error: unknown, code: string): void {
  expect(isKubepkiError(error), String(error)).toBe(true);
  expect((error as { code: string }).code, String(error)).toBe(code);
}

/** Two trees of the same config: `other`'s CA, keys and kubeconfigs are strangers to `tree`'s. */
let tree: Map<string, string>;
let other: Map<string, string>;
beforeAll(async () => {
  [tree, other] = await Promise.all([buildKubepkiTree(CONFIG), buildKubepkiTree(CONFIG)]);
}, 60_000);

describe("refusals", () => {
  it("a CA file replaced by a leaf → CA_REPLACEMENT_REFUSED, pointing to rotation", async () => {
    const broken = new Map(tree).set("pki/ca.crt", tree.get("pki/apiserver.crt") as string);
    const error = await caught(() => diffCluster(CONFIG, broken));
    expectCode(error, "CA_REPLACEMENT_REFUSED");
    expect((error as Error).message).toMatch(/pki\/ca\.crt is not a CA certificate.*kubepki rotate/);
    expectCode(await caught(() => applyCluster(CONFIG, broken)), "CA_REPLACEMENT_REFUSED");
  });

  it("a tree whose CA has expired → CA_REPLACEMENT_REFUSED, nothing returned", async () => {
    const old = await buildKubepkiTree(CONFIG, new Date(Date.now() - 3651 * DAY_MS));
    const error = await caught(() => applyCluster(CONFIG, old));
    expectCode(error, "CA_REPLACEMENT_REFUSED");
    expect((error as Error).message).toMatch(/^pki\/ca\.crt expired on .*kubepki rotate/);
  });

  it("an expired CA (seen from a later clock) → CA_REPLACEMENT_REFUSED", async () => {
    const eleven = new Date(Date.now() + 11 * 365 * DAY_MS);
    const error = await caught(() => diffCluster(CONFIG, tree, { now: eleven }));
    expectCode(error, "CA_REPLACEMENT_REFUSED");
    expect((error as Error).message).toMatch(/expired on/);
  });

  it("leaves signed by another CA than the CA file (the CA was swapped) → CA_REPLACEMENT_REFUSED", async () => {
    const swapped = new Map(tree)
      .set("pki/ca.crt", other.get("pki/ca.crt") as string)
      .set("pki/ca.key", other.get("pki/ca.key") as string);
    const error = await caught(() => applyCluster(CONFIG, swapped));
    expectCode(error, "CA_REPLACEMENT_REFUSED");
    expect((error as Error).message).toMatch(/the CA file was replaced/);
  });

  it("a missing CA that the tree's leaves depend on → CA_REPLACEMENT_REFUSED", async () => {
    const missing = new Map(tree);
    missing.delete("pki/front-proxy-ca.crt");
    missing.delete("pki/front-proxy-ca.key");
    expectCode(await caught(() => diffCluster(CONFIG, missing)), "CA_REPLACEMENT_REFUSED");
  });

  it("the CA key absent: a note in the diff; apply refuses with CA_KEY_MISSING naming the certificate and the key file", async () => {
    const external = new Map(tree);
    external.delete("pki/ca.key");
    const diff = diffCluster(SAN_CHANGE, external);
    expect(
      diff.notes.some(
        (note) => note.startsWith("apiserver: must be issued with pki/ca.key") && note.includes("CA_KEY_MISSING"),
      ),
    ).toBe(true);
    expect(diff.files.some((file) => file.path === "pki/ca.key")).toBe(false);
    const error = await caught(() => applyCluster(SAN_CHANGE, external));
    expectCode(error, "CA_KEY_MISSING");
    expect((error as Error).message).toContain("apiserver (needs pki/ca.key)");
    // Nothing to issue: the external CA is kept as it is, and apply has nothing to refuse.
    const same = await applyCluster(CONFIG, external);
    expect(same.files.some((file) => file.path.startsWith("pki/"))).toBe(false);
  });

  it("an empty tree, or one without a CA → NOT_A_TREE", async () => {
    expectCode(await caught(() => diffCluster(CONFIG, {})), "NOT_A_TREE");
    expectCode(await caught(() => applyCluster(CONFIG, { "README.md": "hello\n" })), "NOT_A_TREE");
  });

  it("bad options and inputs → INVALID_ARGUMENT with details.field, bad config as resolveClusterConfig throws it", async () => {
    const cases: [() => unknown, string][] = [
      [() => diffCluster(CONFIG, tree, { renewBeforeDays: -1 }), "renewBeforeDays"],
      [() => diffCluster(CONFIG, tree, { now: new Date("nope") }), "now"],
      [() => diffCluster(CONFIG, tree, "x" as never), "options"],
      [() => applyCluster(CONFIG, tree, { validityDays: 0 }), "validityDays"],
      [() => applyCluster(CONFIG, tree, { prune: "yes" as never }), "prune"],
      [() => applyCluster(CONFIG, tree, { reuseKey: 1 as never }), "reuseKey"],
      [() => applyCluster(CONFIG, tree, { onProgress: "x" as never }), "onProgress"],
      [() => applyCluster(CONFIG, tree, { signal: {} as never }), "signal"],
      [() => diffCluster(CONFIG, null as never), "files"],
    ];
    for (const [run, field] of cases) {
      const error = await caught(run);
      expectCode(error, "INVALID_ARGUMENT");
      expect((error as { details?: { field?: string } }).details?.field).toBe(field);
    }
    expectCode(await caught(() => diffCluster({ serviceSubnets: ["nope"] }, tree)), "INVALID_IP");
  });

  it("an aborted signal stops apply before the first key (ABORTED); progress counts what is made", async () => {
    const controller = new AbortController();
    controller.abort();
    expectCode(await caught(() => applyCluster(SAN_CHANGE, tree, { signal: controller.signal })), "ABORTED");
    const events: string[] = [];
    await applyCluster(SAN_CHANGE, tree, {
      onProgress: ({ done, total, name }) => events.push(`${done}/${total} ${name}`),
    });
    expect(events).toEqual(["1/1 apiserver"]);
  });
});

describe("apply's crypto", () => {
  it("uses the injected WebCrypto, several keys in flight at once", async () => {
    let release: () => void = () => {};
    const barrier = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The first three key generations wait for the fourth: made one after another, they never would.
    const { crypto, stats } = countingCrypto((call) => {
      if (call < 4) return barrier;
      release();
      return undefined;
    });
    const nodes = [
      ...CONFIG.nodes,
      { name: "w-3", role: "worker", addresses: ["10.0.0.23"] },
      { name: "w-4", role: "worker", addresses: ["10.0.0.24"] },
    ] as const;
    const result = await applyCluster({ ...CONFIG, nodes }, tree, { crypto });
    expect(stats.calls).toBe(4);
    expect(stats.maxInFlight).toBe(4);
    expect(result.diff.certificates.filter((item) => item.change === "add")).toHaveLength(4);
  }, 20_000);
});

describe("what apply adds, removes and clamps", () => {
  it("etcd from external to local: the etcd CA is added (nothing depended on it) and its leaves chain to it", async () => {
    const externalConfig = {
      ...CONFIG,
      etcd: { type: "external", endpoints: ["https://etcd-0.example.com:2379"] },
    } as const satisfies ClusterConfig;
    const tree = await buildKubepkiTree(externalConfig);
    expect(tree.has("pki/etcd/ca.crt")).toBe(false);
    const result = await applyCluster(CONFIG, tree);
    const etcdCa = result.diff.certificates.find((item) => item.id === "etcd-ca");
    expect(etcdCa).toMatchObject({ change: "add", reasons: ["new CA"] });
    const written = new Map(result.files.map((file) => [file.path, file.contents]));
    expect([...written.keys()]).toEqual(
      expect.arrayContaining(["pki/etcd/ca.crt", "pki/etcd/ca.key", "pki/etcd/server.crt", "flags/etcd.txt"]),
    );
    expect(written.has("pki/ca.crt")).toBe(false);
    const dir = tempDir("reconcile-etcd");
    try {
      writeFileSync(join(dir.dir, "etcd-ca.crt"), written.get("pki/etcd/ca.crt") as string);
      writeFileSync(join(dir.dir, "server.crt"), written.get("pki/etcd/server.crt") as string);
      const verify = openssl(["verify", "-CAfile", "etcd-ca.crt", "-purpose", "sslserver", "server.crt"], dir.dir);
      expect(verify.stdout + verify.stderr).toContain("server.crt: OK");
    } finally {
      dir.remove();
    }
  }, 60_000);

  it("kube-proxy from a certificate to a service account: its files are `remove` (no longer planned)", async () => {
    const tree = await buildKubepkiTree({ ...CONFIG, kubeProxy: "certificate" });
    const diff = diffCluster(CONFIG, tree);
    const removed = diff.files.filter((file) => file.change === "remove");
    expect(removed.map((file) => file.path).sort()).toEqual(
      [...tree.keys()].filter((path) => /kube-proxy/.test(path)).sort(),
    );
    expect(removed.length).toBeGreaterThan(0);
    expect(removed.every((file) => file.reasons[0] === "no longer planned")).toBe(true);
  }, 60_000);

  it("validity ends with the CA's, with a note", async () => {
    const short = { ...CONFIG, validity: { caDays: 20, leafDays: 10 } } as const satisfies ClusterConfig;
    const tree = await buildKubepkiTree(short);
    const result = await applyCluster({ ...short, certSANs: ["api.example.com"] }, tree, { validityDays: 100 });
    const ca = parseCertificate(tree.get("pki/ca.crt") as string);
    const apiserver = parseCertificate(
      result.files.find((file) => file.path === "pki/apiserver.crt")?.contents as string,
    );
    expect(apiserver.notAfter.getTime()).toBe(ca.notAfter.getTime());
    expect(
      result.notes.some((note) => /^apiserver: validity ends with its CA on .* \(asked for 100 days\)/.test(note)),
    ).toBe(true);
    expect(result.diff.notes.some((note) => /validity ends/.test(note))).toBe(false);
  }, 60_000);
});

describe("what no longer fits is reissued, with the reason", () => {
  it("a certificate file that does not parse is reissued; a different caDays is a note, not a new CA", () => {
    const broken = new Map(tree).set(
      "pki/apiserver.crt",
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    );
    const diff = diffCluster({ ...CONFIG, validity: { caDays: 5000 } }, broken);
    expect(diff.certificates.find((item) => item.name === "apiserver")).toMatchObject({
      change: "reissue",
      reasons: ["no readable certificate in pki/apiserver.crt"],
    });
    expect(diff.certificates.filter((item) => item.role.endsWith("ca")).every((item) => item.change === "keep")).toBe(
      true,
    );
    expect(diff.notes).toContain(
      "validity.caDays 5000 applies to new CAs only; pki/ca.crt keeps its 3650 days, pki/etcd/ca.crt keeps its 3650 days, pki/front-proxy-ca.crt keeps its 3650 days",
    );
  });

  it("a new first control-plane node is said in a note (the tree root changes hands)", () => {
    const cp0 = { name: "cp-0", role: "control-plane", addresses: ["10.0.0.10"] } as const;
    const diff = diffCluster({ ...CONFIG, nodes: [cp0, ...CONFIG.nodes] }, tree);
    expect(diff.notes).toContain(
      "the first control-plane node changes from cp-1 to cp-0: the tree root becomes cp-0's /etc/kubernetes",
    );
    expect(diffCluster(CONFIG, tree).notes).toEqual([]);
  });

  it("a key file that is not the certificate's", () => {
    const swapped = new Map(tree).set("pki/apiserver.key", other.get("pki/apiserver.key") as string);
    const diff = diffCluster(CONFIG, swapped);
    expect(diff.certificates.find((item) => item.name === "apiserver")).toMatchObject({
      change: "reissue",
      reasons: ["key pki/apiserver.key does not match the certificate"],
    });
    expect(diff.counts.change).toBe(2);
  });

  it("one kubeconfig from another cluster: its certificate is reissued from this tree's CA and the CA data replaced", async () => {
    const foreign = new Map(tree).set("admin.conf", other.get("admin.conf") as string);
    const diff = diffCluster(CONFIG, foreign);
    expect(diff.certificates.find((item) => item.name === "admin.conf")?.reasons).toEqual(["issuer is not pki/ca.crt"]);
    expect(diff.files.find((file) => file.path === "admin.conf")?.reasons).toEqual([
      "certificate-authority-data is not pki/ca.crt",
      "client certificate reissued",
    ]);
    // kubepki's users/ copies follow the kubeconfig's certificate.
    expect(diff.files.find((file) => file.path === "users/admin.crt")?.change).toBe("change");
    const result = await applyCluster(CONFIG, foreign);
    expect(result.files.map((file) => file.path).sort()).toEqual(["admin.conf", "users/admin.crt", "users/admin.key"]);
    expect(
      diffCluster(CONFIG, new Map([...foreign, ...result.files.map((file) => [file.path, file.contents] as const)]))
        .counts,
    ).toMatchObject({ add: 0, change: 0 });
  });

  it("diffCluster uses no WebCrypto (it runs in a browser on a dropped folder)", () => {
    vi.stubGlobal("crypto", undefined);
    try {
      expect(globalThis.crypto).toBeUndefined();
      expect(diffCluster(SAN_CHANGE, tree).counts.change).toBe(3);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(globalThis.crypto?.subtle).toBeDefined();
  });

  it("a kubeconfig that refers to its client pair by path: kept when the tree has the files, issued anew and embedded when not", () => {
    const withReference = (certPath: string, keyPath: string) => {
      const config = parseKubeconfig(tree.get("nodes/w-1/kubelet.conf") as string);
      const users = config.users.map((user) => ({
        name: user.name,
        clientCertificate: { path: certPath },
        clientKey: { path: keyPath },
      }));
      return new Map(tree).set("nodes/w-1/kubelet.conf", renderKubeconfig({ ...config, users }));
    };
    const inTree = diffCluster(
      CONFIG,
      withReference("/etc/kubernetes/users/kubelet.crt", "/etc/kubernetes/users/kubelet.key"),
    );
    expect(inTree.files.filter((file) => file.change !== "keep")).toEqual([]);
    const outside = "/var/lib/kubelet/pki/kubelet-client-current.pem";
    const diff = diffCluster(CONFIG, withReference(outside, outside));
    expect(diff.certificates.find((item) => item.name === "kubelet.conf:w-1")).toMatchObject({
      change: "reissue",
      reasons: [`client certificate ${outside} is not in the tree: issued anew, embedded`],
    });
    expect(diff.files.find((file) => file.path === "nodes/w-1/kubelet.conf")?.change).toBe("change");
  });
});
