// diffCluster / applyCluster (issue 18): only the difference is issued, from the tree's own CAs,
// and everything else stays byte for byte. Real peers check what is written: openssl verify,
// @peculiar/x509, kubectl.
import "reflect-metadata";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { connect, createServer } from "node:tls";
import { parseCertificate } from "@kubepki/core";
import { parseKubeconfig } from "@kubepki/renderers";
import * as x509 from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApplyResult, applyCluster, type ClusterConfig, diffCluster, type KubeadmFile } from "../src/index.js";
import { buildKubepkiTree } from "./helpers/kubepki-tree.js";
import { KUBECTL, openssl, run, tempDir } from "./helpers/tree.js";

const DAY_MS = 24 * 60 * 60 * 1000;

const CONFIG = {
  keyAlgorithm: "ECDSA-P256",
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["10.0.0.11"] },
    { name: "w-1", role: "worker", addresses: ["10.0.0.21"] },
    { name: "w-2", role: "worker", addresses: ["10.0.0.22"] },
  ],
} as const satisfies ClusterConfig;

const W3 = { name: "w-3", role: "worker", addresses: ["10.0.0.23"] } as const;

const HA_CONFIG = {
  keyAlgorithm: "ECDSA-P256",
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["10.0.0.11"] },
    { name: "cp-2", role: "control-plane", addresses: ["10.0.0.12"] },
    { name: "w-1", role: "worker", addresses: ["10.0.0.21"] },
  ],
} as const satisfies ClusterConfig;

/** X.509 times have whole seconds. */
const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The tree after the apply: changed files replaced, pruned ones removed. */
function applied(tree: ReadonlyMap<string, string>, result: ApplyResult): Map<string, string> {
  const out = new Map(tree);
  for (const file of result.files) out.set(file.path, file.contents);
  for (const path of result.remove) out.delete(path);
  return out;
}

function paths(files: readonly KubeadmFile[]): string[] {
  return files.map((file) => file.path).sort();
}

function embeddedClientPem(kubeconfig: string): string {
  const user = parseKubeconfig(kubeconfig).users[0];
  const cert = user?.clientCertificate;
  if (!cert || !("pem" in cert)) throw new Error("no embedded client certificate");
  return cert.pem;
}

describe("diffCluster / applyCluster on an init-made tree (1 control plane, 2 workers)", () => {
  let tree: Map<string, string>;
  const scratch = tempDir("reconcile");
  beforeAll(async () => {
    tree = await buildKubepkiTree(CONFIG);
  }, 60_000);
  afterAll(() => scratch.remove());

  it("the same config: every file kept, nothing to apply", async () => {
    const diff = diffCluster(CONFIG, tree);
    expect(diff.files.filter((file) => file.change !== "keep")).toEqual([]);
    expect(diff.files.map((file) => file.path)).toEqual([...tree.keys()].sort());
    expect(diff.counts).toEqual({ add: 0, change: 0, keep: tree.size, remove: 0 });
    expect(diff.certificates.every((item) => item.change === "keep" && item.reasons.length === 0)).toBe(true);
    expect(diff.restarts).toEqual([]);
    expect(diff.copies).toEqual([]);
    expect(diff.notes).toEqual([]);
    // Plain data: what `plan --against --json` prints.
    expect(JSON.parse(JSON.stringify(diff)).files).toEqual(diff.files);
    const result = await applyCluster(CONFIG, tree);
    expect(result.files).toEqual([]);
    expect(result.remove).toEqual([]);
    expect(result.kept).toEqual([]);
  });

  it("a third worker: only its files are new, everything else is byte-identical, and its certificates chain to the unchanged ca.crt", async () => {
    const wanted = { ...CONFIG, nodes: [...CONFIG.nodes, W3] };
    const events: string[] = [];
    const result = await applyCluster(wanted, tree, {
      onProgress: ({ name, total }) => events.push(`${name}/${total}`),
    });
    expect(events.sort()).toEqual(["kubelet-serving:w-3/2", "kubelet.conf:w-3/2"]);
    // In toKubeadmFiles' order, whatever order the keys were made in.
    const initOrder = [...(await buildKubepkiTree(wanted)).keys()];
    const written = new Set(result.files.map((file) => file.path));
    expect(result.files.map((file) => file.path)).toEqual(initOrder.filter((path) => written.has(path)));
    const writtenPaths = paths(result.files);
    expect(writtenPaths).toContain("kubepki.yaml");
    expect(writtenPaths.filter((path) => path !== "kubepki.yaml").every((path) => path.startsWith("nodes/w-3/"))).toBe(
      true,
    );
    expect(writtenPaths).toEqual(
      expect.arrayContaining(["nodes/w-3/kubelet.conf", "nodes/w-3/pki/kubelet.crt", "nodes/w-3/pki/kubelet.key"]),
    );
    expect(
      result.diff.files
        .filter((file) => file.change === "add")
        .every((file) => file.reasons[0] === "new node" || file.path === "kubepki.yaml"),
    ).toBe(true);
    expect(result.diff.copies.map((copy) => copy.node)).toEqual(["w-3"]);
    expect(result.diff.restarts).toEqual([]);

    const after = applied(tree, result);
    for (const [path, text] of tree) {
      if (path === "kubepki.yaml") continue;
      expect(sha256(after.get(path) as string), path).toBe(sha256(text));
    }
    // The new files, written next to the unchanged CA, verify with openssl.
    const dir = scratch.dir;
    writeFileSync(join(dir, "ca.crt"), tree.get("pki/ca.crt") as string);
    writeFileSync(join(dir, "serving.crt"), after.get("nodes/w-3/pki/kubelet.crt") as string);
    writeFileSync(join(dir, "client.crt"), embeddedClientPem(after.get("nodes/w-3/kubelet.conf") as string));
    const serving = openssl(["verify", "-CAfile", "ca.crt", "-purpose", "sslserver", "serving.crt"], dir);
    expect(serving.stdout + serving.stderr).toContain("serving.crt: OK");
    const client = openssl(["verify", "-CAfile", "ca.crt", "-purpose", "sslclient", "client.crt"], dir);
    expect(client.stdout + client.stderr).toContain("client.crt: OK");
    expect(parseCertificate(after.get("nodes/w-3/pki/kubelet.crt") as string).subject.commonName).toBe(
      "system:node:w-3",
    );
    // Applying the same config again finds nothing left to do.
    expect(diffCluster(wanted, after).counts).toMatchObject({ add: 0, change: 0, remove: 0 });
  });

  it("a controlPlaneEndpoint: the kubeconfigs that dial it change, the API server certificate gets the SAN, the rest is kept; kubectl reads each kubeconfig", async () => {
    const wanted = { ...CONFIG, controlPlaneEndpoint: "api.example.com:6443" };
    const result = await applyCluster(wanted, tree);
    const changed = result.diff.files.filter((file) => file.change !== "keep");
    expect(changed.map((file) => file.path).sort()).toEqual(
      [
        "admin.conf",
        "kubepki.yaml",
        "nodes/w-1/kubelet.conf",
        "nodes/w-2/kubelet.conf",
        "pki/apiserver.crt",
        "pki/apiserver.key",
        "super-admin.conf",
      ].sort(),
    );
    const admin = changed.find((file) => file.path === "admin.conf");
    expect(admin?.reasons).toEqual(["server changed (https://10.0.0.11:6443 → https://api.example.com:6443)"]);
    expect(changed.find((file) => file.path === "pki/apiserver.crt")?.reasons).toEqual([
      "SAN DNS:api.example.com added",
    ]);
    expect(result.diff.certificates.filter((item) => item.change !== "keep").map((item) => item.name)).toEqual([
      "apiserver",
    ]);
    expect(result.diff.restarts).toEqual(
      expect.arrayContaining([{ component: "kube-apiserver" }, { component: "kubelet", node: "w-1" }]),
    );
    const after = applied(tree, result);
    const dir = tempDir("reconcile-endpoint");
    try {
      for (const path of ["admin.conf", "super-admin.conf", "nodes/w-1/kubelet.conf", "controller-manager.conf"]) {
        const file = join(dir.dir, path.replace(/\//g, "_"));
        writeFileSync(file, after.get(path) as string, { mode: 0o600 });
        const view = run(KUBECTL, [
          "config",
          "view",
          "--kubeconfig",
          file,
          "-o",
          "jsonpath={.clusters[0].cluster.server}",
        ]);
        expect(view.status, view.stderr).toBe(0);
        expect(view.stdout).toBe(
          path === "controller-manager.conf" ? "https://10.0.0.11:6443" : "https://api.example.com:6443",
        );
      }
      // The reissued certificate carries the new name, for openssl too.
      writeFileSync(join(dir.dir, "ca.crt"), tree.get("pki/ca.crt") as string);
      writeFileSync(join(dir.dir, "apiserver.crt"), after.get("pki/apiserver.crt") as string);
      const verify = openssl(
        [
          "verify",
          "-CAfile",
          "ca.crt",
          "-purpose",
          "sslserver",
          "-verify_hostname",
          "api.example.com",
          "apiserver.crt",
        ],
        dir.dir,
      );
      expect(verify.stdout + verify.stderr).toContain("apiserver.crt: OK");
    } finally {
      dir.remove();
    }
  });

  it("a removed worker: its files are `remove` (node removed), kept unless prune", async () => {
    const wanted = { ...CONFIG, nodes: CONFIG.nodes.filter((node) => node.name !== "w-2") };
    const diff = diffCluster(wanted, tree);
    const removed = diff.files.filter((file) => file.change === "remove");
    const w2 = [...tree.keys()].filter((path) => path.startsWith("nodes/w-2/")).sort();
    expect(removed.map((file) => file.path)).toEqual(w2);
    expect(removed.every((file) => file.reasons[0] === "node removed" && file.node === "w-2")).toBe(true);
    expect(diff.counts.remove).toBe(w2.length);
    const kept = await applyCluster(wanted, tree);
    expect(kept.kept).toEqual(w2);
    expect(kept.remove).toEqual([]);
    expect(paths(kept.files)).toEqual(["kubepki.yaml"]);
    const pruned = await applyCluster(wanted, tree, { prune: true });
    expect(pruned.remove).toEqual(w2);
    expect(pruned.kept).toEqual([]);
  });

  it("kubepki.yaml's reasons name what the cluster changes, field by field", () => {
    const recordReasons = (wanted: typeof CONFIG | Record<string, unknown>) =>
      diffCluster(wanted as typeof CONFIG, tree).files.find((file) => file.path === "kubepki.yaml")?.reasons;
    expect(recordReasons({ ...CONFIG, nodes: [...CONFIG.nodes, W3] })).toEqual(["node w-3 added"]);
    expect(recordReasons({ ...CONFIG, nodes: CONFIG.nodes.filter((node) => node.name !== "w-2") })).toEqual([
      "node w-2 removed",
    ]);
    expect(
      recordReasons({ ...CONFIG, certSANs: ["api.example.com"], controlPlaneEndpoint: "k8s.example.com:6443" }),
    ).toEqual(["certSANs api.example.com added", "controlPlaneEndpoint none → k8s.example.com:6443"]);
    expect(recordReasons({ ...CONFIG, validity: { leafDays: 90 } })).toEqual([
      'validity {"caDays":3650,"leafDays":365} → {"caDays":3650,"leafDays":90}',
    ]);
  });

  it("a new key algorithm reissues nothing by itself, and says so", () => {
    const diff = diffCluster({ ...CONFIG, keyAlgorithm: "RSA-2048" }, tree);
    expect(diff.certificates.filter((item) => item.change !== "keep")).toEqual([]);
    expect(diff.files.filter((file) => file.change !== "keep").map((file) => file.path)).toEqual(["kubepki.yaml"]);
    expect(
      diff.notes.some((note) =>
        /^keyAlgorithm RSA-2048 applies to reissued certificates only; \d+ kept ECDSA-P256$/.test(note),
      ),
    ).toBe(true);
  });

  it("a reissued leaf gets the new key algorithm", async () => {
    const result = await applyCluster({ ...CONFIG, keyAlgorithm: "RSA-2048", certSANs: ["10.0.0.99"] }, tree);
    expect(paths(result.files)).toEqual(["kubepki.yaml", "pki/apiserver.crt", "pki/apiserver.key"]);
    const cert = parseCertificate(result.files.find((file) => file.path === "pki/apiserver.crt")?.contents as string);
    expect(cert.keyAlgorithm).toBe("RSA-2048");
    expect(result.files.find((file) => file.path === "pki/apiserver.key")?.contents).toContain("BEGIN RSA PRIVATE KEY");
  }, 30_000);

  it("leaves expiring within the renew window are reissued with the reason; CAs are kept", async () => {
    const later = new Date(Date.now() + 340 * DAY_MS);
    const diff = diffCluster(CONFIG, tree, { now: later });
    const leaves = diff.certificates.filter((item) => !["ca", "etcd-ca", "front-proxy-ca"].includes(item.role));
    expect(leaves.every((item) => item.change === "reissue")).toBe(true);
    expect(leaves[0]?.reasons).toEqual([expect.stringMatching(/^expires \d{4}-\d\d-\d\d \(within 30 days\)$/)]);
    expect(diff.certificates.filter((item) => item.role.endsWith("ca")).every((item) => item.change === "keep")).toBe(
      true,
    );
    expect(diffCluster(CONFIG, tree, { now: later, renewBeforeDays: 10 }).counts.change).toBe(0);
    const result = await applyCluster(CONFIG, tree, { now: later });
    const apiserver = parseCertificate(
      result.files.find((file) => file.path === "pki/apiserver.crt")?.contents as string,
    );
    expect(apiserver.notAfter.getTime()).toBe(seconds(later.getTime() + 365 * DAY_MS));
    expect(result.files.some((file) => file.path === "pki/ca.crt" || file.path === "pki/ca.key")).toBe(false);
  }, 30_000);

  it("reuseKey keeps the public key; validityDays sets the lifetime", async () => {
    const now = new Date();
    const result = await applyCluster({ ...CONFIG, certSANs: ["api.example.com"] }, tree, {
      reuseKey: true,
      validityDays: 30,
      now,
    });
    const fresh = parseCertificate(result.files.find((file) => file.path === "pki/apiserver.crt")?.contents as string);
    const old = parseCertificate(tree.get("pki/apiserver.crt") as string);
    expect(Buffer.from(fresh.publicKeyInfo).equals(Buffer.from(old.publicKeyInfo))).toBe(true);
    expect(result.files.find((file) => file.path === "pki/apiserver.key")?.contents).toBe(
      tree.get("pki/apiserver.key"),
    );
    expect(fresh.notAfter.getTime()).toBe(seconds(now.getTime() + 30 * DAY_MS));
    expect(fresh.serialNumber).not.toBe(old.serialNumber);
  });
});

describe("a new certSANs entry on a two-control-plane tree", () => {
  let tree: Map<string, string>;
  let result: ApplyResult;
  const scratch = tempDir("reconcile-sans");
  beforeAll(async () => {
    tree = await buildKubepkiTree(HA_CONFIG);
    result = await applyCluster({ ...HA_CONFIG, certSANs: ["api.example.com", "10.0.0.99"] }, tree);
  }, 60_000);
  afterAll(() => scratch.remove());

  it("changes only each control-plane node's apiserver pair (and kubepki.yaml), with the SANs named", () => {
    expect(paths(result.files)).toEqual([
      "kubepki.yaml",
      "nodes/cp-2/pki/apiserver.crt",
      "nodes/cp-2/pki/apiserver.key",
      "pki/apiserver.crt",
      "pki/apiserver.key",
    ]);
    const reasons = result.diff.files.find((file) => file.path === "nodes/cp-2/pki/apiserver.crt")?.reasons;
    expect(reasons).toEqual(["SAN DNS:api.example.com added", "SAN IP:10.0.0.99 added"]);
    expect(result.diff.files.find((file) => file.path === "nodes/cp-2/pki/apiserver.crt")).toMatchObject({
      name: "apiserver:cp-2",
      node: "cp-2",
    });
    expect(result.diff.restarts).toEqual([
      { component: "kube-apiserver" },
      { component: "kube-apiserver", node: "cp-2" },
    ]);
    expect(result.diff.copies).toEqual([
      {
        node: "cp-1",
        files: [
          { path: "pki/apiserver.crt", onNode: "/etc/kubernetes/pki/apiserver.crt" },
          { path: "pki/apiserver.key", onNode: "/etc/kubernetes/pki/apiserver.key" },
        ],
      },
      {
        node: "cp-2",
        files: [
          { path: "nodes/cp-2/pki/apiserver.crt", onNode: "/etc/kubernetes/pki/apiserver.crt" },
          { path: "nodes/cp-2/pki/apiserver.key", onNode: "/etc/kubernetes/pki/apiserver.key" },
        ],
      },
    ]);
  });

  it("taking the entries out again reissues the same two pairs, the SANs named as removed", () => {
    const after = applied(tree, result);
    const diff = diffCluster(HA_CONFIG, after);
    expect(diff.certificates.filter((item) => item.change !== "keep")).toEqual([
      expect.objectContaining({
        name: "apiserver",
        reasons: ["SAN DNS:api.example.com removed", "SAN IP:10.0.0.99 removed"],
      }),
      expect.objectContaining({ name: "apiserver:cp-2", change: "reissue" }),
    ]);
  });

  it("the new names verify with openssl against the unchanged CA, and @peculiar/x509 reads them", async () => {
    writeFileSync(join(scratch.dir, "ca.crt"), tree.get("pki/ca.crt") as string);
    for (const path of ["pki/apiserver.crt", "nodes/cp-2/pki/apiserver.crt"]) {
      const pem = result.files.find((file) => file.path === path)?.contents as string;
      writeFileSync(join(scratch.dir, "leaf.crt"), pem);
      for (const check of [
        ["-verify_hostname", "api.example.com"],
        ["-verify_ip", "10.0.0.99"],
      ]) {
        const verify = openssl(
          ["verify", "-CAfile", "ca.crt", "-purpose", "sslserver", ...check, "leaf.crt"],
          scratch.dir,
        );
        expect(verify.stdout + verify.stderr, `${path} ${check.join(" ")}`).toContain("leaf.crt: OK");
      }
      const cert = new x509.X509Certificate(pem);
      const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
      const names = san?.names.items.map((name) => `${name.type}:${name.value}`) ?? [];
      expect(names).toEqual(expect.arrayContaining(["dns:api.example.com", "ip:10.0.0.99"]));
      const ca = new x509.X509Certificate(tree.get("pki/ca.crt") as string);
      expect(await cert.verify({ publicKey: ca.publicKey, signatureOnly: true })).toBe(true);
    }
  });

  it("a Node TLS client accepts the new name against the unchanged CA, and refuses a name the certificate lacks", async () => {
    const server = createServer({
      cert: result.files.find((file) => file.path === "nodes/cp-2/pki/apiserver.crt")?.contents,
      key: result.files.find((file) => file.path === "nodes/cp-2/pki/apiserver.key")?.contents,
    });
    server.on("secureConnection", (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const handshake = (servername: string) =>
      new Promise<string>((resolve) => {
        const socket = connect({ host: "127.0.0.1", port, servername, ca: tree.get("pki/ca.crt"), timeout: 5_000 });
        socket.once("secureConnect", () => {
          socket.destroy();
          resolve("ok");
        });
        socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
        socket.once("timeout", () => {
          socket.destroy();
          resolve("timeout");
        });
      });
    try {
      expect(await handshake("api.example.com")).toBe("ok");
      expect(await handshake("not-there.example.com")).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
