/**
 * `kubepki renew` through the built bin: everything asked is renewed or nothing is, the tree
 * byte-identical (issue 15 point 7); only the components that load a renewed certificate are
 * named for restart (issue 16 point 9); an openssl-made RSA-3072 key stays RSA-3072 (point 10).
 */
import { cp, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initTree } from "./helpers/init-tree.js";
import { hashTree, kubepki, run, tempDir } from "./helpers/run.js";

let dir: { path: string; cleanup: () => Promise<void> };
let tree: string;
beforeAll(async () => {
  dir = await tempDir();
  tree = join(dir.path, "cluster");
  await initTree(tree);
}, 120_000);
afterAll(() => dir.cleanup());

let copies = 0;
async function copyOfTree(): Promise<string> {
  const copy = join(dir.path, `copy-${++copies}`);
  await cp(tree, copy, { recursive: true });
  return copy;
}

describe("renew is whole or nothing", () => {
  it("an unparseable kubeconfig fails renew all with exit 1, each named, the tree byte-identical", async () => {
    const copy = await copyOfTree();
    await writeFile(join(copy, "scheduler.conf"), "apiVersion: v1\nkind: Config\nusers: [\n");
    await writeFile(join(copy, "nodes/cp-2/controller-manager.conf"), "kind: Config\nusers:\n- name: x\n  user: 7\n");
    await writeFile(
      join(copy, "pki/front-proxy-client.crt"),
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    );
    const before = await hashTree(copy);
    for (const args of [
      ["renew", copy],
      ["renew", copy, "all"],
    ]) {
      const result = await kubepki(args);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain("nothing renewed, nothing changed");
      for (const name of ["scheduler.conf", "controller-manager.conf:cp-2", "front-proxy-client"]) {
        expect(result.stderr).toContain(`  - ${name}: `);
      }
      expect(result.stdout).not.toContain("renewed");
      expect(await hashTree(copy)).toEqual(before);
    }
    const json = await kubepki(["renew", copy, "--json"]);
    expect(json.code).toBe(1);
    const error = JSON.parse(json.stdout).error;
    expect(error.code).toBe("RENEW_INCOMPLETE");
    expect(error.failures.map((failure: { name: string }) => failure.name).sort()).toEqual([
      "controller-manager.conf:cp-2",
      "front-proxy-client",
      "scheduler.conf",
    ]);
    expect(await hashTree(copy)).toEqual(before);
  });

  it("an empty directory, or one without certificates, is exit 1 'no certificates found', nothing written", async () => {
    const empty = join(dir.path, "empty");
    await mkdir(empty);
    const other = join(dir.path, "other");
    await mkdir(other);
    await writeFile(join(other, "README"), "not a cluster\n");
    for (const target of [empty, other]) {
      const before = await hashTree(target);
      const result = await kubepki(["renew", target]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`no certificates found in ${target}`);
      expect(await hashTree(target)).toEqual(before);
    }
  });

  it("a certificate asked for by name whose CA key is missing fails, nothing written", async () => {
    const copy = await copyOfTree();
    await cp(join(copy, "pki/front-proxy-ca.key"), join(dir.path, "moved.key"));
    await run("rm", [join(copy, "pki/front-proxy-ca.key")]);
    const before = await hashTree(copy);
    const result = await kubepki(["renew", copy, "front-proxy-client"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("front-proxy-client: the key of its CA pki/front-proxy-ca.crt is not in the tree");
    expect(await hashTree(copy)).toEqual(before);
  });
});

describe("renew names only the components to restart", () => {
  const advice = async (name: string) => {
    const result = await kubepki(["renew", tree, name, "--reuse-key"]);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout.trim().split("\n").at(-1) as string;
  };

  it("apiserver-etcd-client → kube-apiserver; etcd-server → etcd; admin.conf → nothing", async () => {
    expect(await advice("apiserver-etcd-client")).toMatch(/Restart kube-apiserver to use them\.$/);
    expect(await advice("etcd-server")).toMatch(/Restart etcd to use them\.$/);
    expect(await advice("admin.conf")).toMatch(/Nothing to restart/);
    expect(await advice("controller-manager.conf:cp-2")).toMatch(/On cp-2, restart kube-controller-manager\.$/);
    const json = await kubepki(["renew", tree, "etcd-peer:cp-2", "--reuse-key", "--json"]);
    expect(JSON.parse(json.stdout).restarts).toEqual([{ component: "etcd", node: "cp-2" }]);
  });
});

describe("renew keeps the key's size", () => {
  it("an openssl-made RSA-3072 apiserver key is renewed with a new RSA-3072 key", async () => {
    const copy = await copyOfTree();
    const pki = join(copy, "pki");
    const ext = join(dir.path, "apiserver.ext");
    await writeFile(
      ext,
      "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:kubernetes,IP:10.96.0.1\n",
    );
    const steps = [
      ["genrsa", "-traditional", "-out", join(pki, "apiserver.key"), "3072"],
      [
        "req",
        "-new",
        "-key",
        join(pki, "apiserver.key"),
        "-subj",
        "/CN=kube-apiserver",
        "-out",
        join(dir.path, "a.csr"),
      ],
      ["x509", "-req", "-in", join(dir.path, "a.csr"), "-CA", join(pki, "ca.crt"), "-CAkey", join(pki, "ca.key")],
      ["-set_serial", "77", "-days", "30", "-extfile", ext, "-out", join(pki, "apiserver.crt")],
    ];
    for (const args of [steps[0], steps[1], [...(steps[2] as string[]), ...(steps[3] as string[])]]) {
      const result = await run("openssl", args as string[]);
      expect(result.code, result.stderr).toBe(0);
    }
    const bits = async () =>
      (await run("openssl", ["x509", "-in", join(pki, "apiserver.crt"), "-noout", "-text"])).stdout.match(
        /Public-Key: \((\d+) bit\)/,
      )?.[1];
    const oldSerial = (await run("openssl", ["x509", "-in", join(pki, "apiserver.crt"), "-noout", "-serial"])).stdout;
    expect(await bits()).toBe("3072");
    const renew = await kubepki(["renew", copy, "apiserver"], { timeoutMs: 180_000 });
    expect(renew.code, renew.stderr).toBe(0);
    expect((await run("openssl", ["x509", "-in", join(pki, "apiserver.crt"), "-noout", "-serial"])).stdout).not.toBe(
      oldSerial,
    );
    expect(await bits()).toBe("3072");
    const key = await run("openssl", ["rsa", "-in", join(pki, "apiserver.key"), "-noout", "-text"]);
    expect(key.stdout).toMatch(/Private-Key: \(3072 bit/);
  }, 240_000);
});
