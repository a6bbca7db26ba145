/**
 * renewCertificates is whole or nothing (issue 15 point 7), keeps each key's size (point 10),
 * names certificates like every other command (issue 16 point 5) and says which components to
 * restart from the role table (issue 16 point 9).
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  describePrivateKeyPem,
  importPrivateKeyPem,
  type KubepkiError,
  parseCertificate,
  parseCertificates,
} from "@kubepki/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditCluster,
  type ClusterFiles,
  certificateName,
  checkExpiration,
  planCluster,
  type RenewResult,
  ROLE_PROFILES,
  renewCertificates,
} from "../src/index.js";
import { buildKubepkiTree, KUBEPKI_CONFIG } from "./helpers/kubepki-tree.js";

const run = promisify(execFile);
const MADE = new Date("2024-01-01T00:00:00Z");
const LATER = new Date("2024-12-01T00:00:00Z");
const FIXTURE_16384 = new URL("../../core/test/fixtures/rsa-16384.key", import.meta.url);

let files: Map<string, string>;
let work: string;
beforeAll(async () => {
  files = await buildKubepkiTree(KUBEPKI_CONFIG, MADE);
  work = await mkdtemp(join(tmpdir(), "kubepki-renew-whole-"));
}, 60_000);
afterAll(() => rm(work, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<KubepkiError> {
  try {
    await promise;
  } catch (error) {
    return error as KubepkiError;
  }
  throw new Error("expected a rejection");
}

describe("whole or nothing", () => {
  it("fails naming each unreadable kubeconfig and certificate, returning no file", async () => {
    const broken = new Map(files);
    broken.set("scheduler.conf", "apiVersion: v1\nkind: Config\nusers: [\n");
    broken.set(
      "nodes/cp-2/admin.conf",
      (files.get("nodes/cp-2/admin.conf") as string).replace(/client-key-data: .*/, ""),
    );
    broken.set("pki/front-proxy-client.crt", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    const error = await rejection(renewCertificates(broken, { now: LATER }));
    expect(error.code).toBe("RENEW_INCOMPLETE");
    const failures = (error.details as { failures: { name: string; reason: string }[] }).failures;
    expect(failures.map((failure) => failure.name).sort()).toEqual([
      "admin.conf:cp-2",
      "front-proxy-client",
      "scheduler.conf",
    ]);
    expect(error.message).toContain("nothing renewed");
    for (const failure of failures) expect(error.message).toContain(failure.name);
  });

  it("by name: an unreadable file is named with its reason, other broken files do not matter", async () => {
    const broken = new Map(files);
    broken.set("scheduler.conf", "apiVersion: v1\nkind: Config\nusers: [\n");
    const error = await rejection(renewCertificates(broken, { names: ["scheduler.conf"], now: LATER }));
    expect(error.code).toBe("RENEW_INCOMPLETE");
    expect(error.message).toContain("scheduler.conf: not a readable kubeconfig");
    const ok = await renewCertificates(broken, { names: ["apiserver"], now: LATER });
    expect(ok.renewed).toEqual(["apiserver"]);
  });

  it("fails on a tree with no certificate, and on one of garbage only", async () => {
    for (const tree of [{}, { "notes.txt": "hello" }] as ClusterFiles[]) {
      const error = await rejection(renewCertificates(tree, { now: LATER }));
      expect(error.code).toBe("RENEW_INCOMPLETE");
      expect(error.message).toContain("no renewable certificate in the tree");
    }
  });

  it("fails when a certificate's CA is missing, and when an external CA's leaf is asked by name", async () => {
    const noEtcdCa = new Map(files);
    for (const path of [...noEtcdCa.keys()]) if (path.endsWith("etcd/ca.crt")) noEtcdCa.delete(path);
    const error = await rejection(renewCertificates(noEtcdCa, { now: LATER }));
    expect(error.code).toBe("RENEW_INCOMPLETE");
    expect(error.message).toContain("etcd-server (its CA (/CN=etcd-ca) is not in the tree)");

    const external = new Map(files);
    external.delete("pki/front-proxy-ca.key");
    const byName = await rejection(renewCertificates(external, { names: ["front-proxy-client"], now: LATER }));
    expect(byName.code).toBe("RENEW_INCOMPLETE");
    expect(byName.message).toContain("external CA");
  });
});

describe("names", () => {
  it("renew takes the names check-expiration prints, plan's names, and plan's old ids", async () => {
    const plan = planCluster(KUBEPKI_CONFIG);
    const rows = checkExpiration(files, { now: MADE }).map((row) => row.name);
    const planNames = plan.certificates.map((spec) => certificateName(spec.role, spec.kubeconfig ?? spec.certPath));
    // kubeadm's check-expiration leaves kubelet.conf out (the kubelet rotates it); all else is the same list.
    expect(planNames.filter((name) => !name.startsWith("kubelet.conf")).sort()).toEqual([...rows].sort());
    const result = await renewCertificates(files, {
      names: ["apiserver:cp-1", "admin:cp-1", "admin:cp-2", "etcd-server", "kubelet-serving:worker-1"],
      reuseKey: true,
      now: LATER,
    });
    expect(result.renewed).toEqual([
      "apiserver",
      "admin.conf",
      "admin.conf:cp-2",
      "etcd-server",
      "kubelet-serving:worker-1",
    ]);
  });
});

describe("restarts come from the role table", () => {
  const restartsOf = async (name: string): Promise<RenewResult["restarts"]> =>
    (await renewCertificates(files, { names: [name], reuseKey: true, now: LATER })).restarts;

  it("names only the components that load the renewed certificate, on its node", async () => {
    expect(await restartsOf("apiserver-etcd-client")).toEqual([{ component: "kube-apiserver" }]);
    expect(await restartsOf("etcd-server")).toEqual([{ component: "etcd" }]);
    expect(await restartsOf("etcd-healthcheck-client")).toEqual([]);
    expect(await restartsOf("admin.conf")).toEqual([]);
    expect(await restartsOf("super-admin.conf")).toEqual([]);
    expect(await restartsOf("scheduler.conf:cp-2")).toEqual([{ component: "kube-scheduler", node: "cp-2" }]);
    expect(await restartsOf("kubelet-serving:worker-1")).toEqual([{ component: "kubelet", node: "worker-1" }]);
  });

  it("every row of ROLE_PROFILES has the column, and renew all restarts what they say", async () => {
    for (const profile of ROLE_PROFILES) expect(Array.isArray(profile.restarts), profile.role).toBe(true);
    const all = await renewCertificates(files, { reuseKey: true, now: LATER });
    const components = new Set(all.restarts.map((restart) => restart.component));
    expect([...components].sort()).toEqual([
      "etcd",
      "kube-apiserver",
      "kube-controller-manager",
      "kube-scheduler",
      "kubelet",
    ]);
  });
});

describe("key sizes are kept", () => {
  /** Signs `key` for `subject` with a tree CA, as openssl would for a hand-made certificate. */
  async function opensslLeaf(keyPem: string, ca: string, subject: string, name: string): Promise<string> {
    const key = join(work, `${name}.key`);
    await writeFile(key, keyPem, { mode: 0o600 });
    await writeFile(join(work, `${name}-ca.crt`), files.get(`pki/${ca}.crt`) as string);
    await writeFile(join(work, `${name}-ca.key`), files.get(`pki/${ca}.key`) as string, { mode: 0o600 });
    await writeFile(
      join(work, `${name}.ext`),
      "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n",
    );
    const csr = (await run("openssl", ["req", "-new", "-key", key, "-subj", subject])).stdout;
    await writeFile(join(work, `${name}.csr`), csr);
    const args = ["x509", "-req", "-in", join(work, `${name}.csr`), "-CA", join(work, `${name}-ca.crt`)];
    args.push("-CAkey", join(work, `${name}-ca.key`), "-CAcreateserial", "-days", "300");
    args.push("-extfile", join(work, `${name}.ext`), "-set_serial", "4242");
    return (await run("openssl", args)).stdout;
  }

  it("an RSA-16384 key is renewed with an RSA-16384 key, an RSA-3072 one with RSA-3072", async () => {
    const big = await readFile(FIXTURE_16384, "utf8");
    const rsa3072 = (await run("openssl", ["genrsa", "-traditional", "3072"])).stdout;
    const tree = new Map(files);
    tree.set("pki/apiserver-kubelet-client.key", big);
    tree.set(
      "pki/apiserver-kubelet-client.crt",
      await opensslLeaf(big, "ca", "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client", "akc"),
    );
    tree.set("pki/front-proxy-client.key", rsa3072);
    tree.set(
      "pki/front-proxy-client.crt",
      await opensslLeaf(rsa3072, "front-proxy-ca", "/CN=front-proxy-client", "fpc"),
    );
    // The audit describes them exactly too.
    const audited = (await auditCluster(tree, { now: LATER })).certificates;
    expect(audited.find((cert) => cert.file === "pki/apiserver-kubelet-client.crt")).toMatchObject({
      keyAlgorithm: "RSA-16384",
      keyBits: 16384,
    });

    // A deterministic hook instead of minutes of RSA-16384 key generation: WebCrypto's
    // generateKey is asked for the size, and for 16384 bits hands back the fixture pair.
    const fixture = await importPrivateKeyPem(big);
    const asked: number[] = [];
    const subtle = {
      ...Object.fromEntries(
        ["sign", "verify", "importKey", "exportKey", "digest"].map((name) => [
          name,
          (globalThis.crypto.subtle as unknown as Record<string, (...args: unknown[]) => unknown>)[name]?.bind(
            globalThis.crypto.subtle,
          ),
        ]),
      ),
      generateKey: (algorithm: RsaHashedKeyGenParams, extractable: boolean, usages: KeyUsage[]) => {
        asked.push(algorithm.modulusLength ?? 0);
        if (algorithm.modulusLength === 16384)
          return Promise.resolve({ privateKey: fixture.privateKey, publicKey: fixture.publicKey });
        return globalThis.crypto.subtle.generateKey(algorithm, extractable, usages);
      },
    };
    const crypto = {
      subtle,
      getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto),
    } as unknown as Crypto;
    const result = await renewCertificates(tree, {
      names: ["apiserver-kubelet-client", "front-proxy-client"],
      now: LATER,
      crypto,
    });
    expect(asked.sort((a, b) => a - b)).toEqual([3072, 16384]);
    const written = new Map(result.files.map((file) => [file.path, file.contents]));
    const certOf = (path: string) => parseCertificates(written.get(path) as string)[0];
    expect(certOf("pki/apiserver-kubelet-client.crt")).toMatchObject({ keyAlgorithm: "RSA-16384", keyBits: 16384 });
    expect(certOf("pki/front-proxy-client.crt")).toMatchObject({ keyAlgorithm: "RSA-3072", keyBits: 3072 });
    expect(describePrivateKeyPem(written.get("pki/front-proxy-client.key") as string).algorithm).toBe("RSA-3072");
    expect(describePrivateKeyPem(written.get("pki/apiserver-kubelet-client.key") as string).algorithm).toBe(
      "RSA-16384",
    );
    // Same CA, and the old certificate's subject.
    expect(parseCertificate(written.get("pki/front-proxy-client.crt") as string).subjectText).toBe(
      "/CN=front-proxy-client",
    );
  }, 120_000);
});
