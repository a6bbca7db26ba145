import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { etcdctl, freePort, startEtcd } from "./helpers/etcd.js";
import { hashTree, kubectlHealthz as kubectlHealthzAt, kubepki, run, tempDir } from "./helpers/run.js";
import { copyTree } from "./helpers/tree-tools.js";

let dir: { path: string; cleanup: () => Promise<void> };
let tree: string;
/** The tree after each phase: p[0] before, p[1] begun, p[2] reissued, p[3] finished. */
const p: string[] = [];
const PHASES = ["begin", "reissue", "finish"] as const;

beforeAll(async () => {
  dir = await tempDir();
  tree = join(dir.path, "tree");
  const init = await kubepki([
    "init",
    "--out",
    tree,
    "--key-algorithm",
    "ECDSA-P256",
    "--control-plane",
    "cp-1=10.0.0.11",
    "--worker",
    "w-1=10.0.0.21",
  ]);
  expect(init.code, init.stderr).toBe(0);
  p.push(join(dir.path, "p0"));
  await copyTree(tree, p[0] as string);
  for (const phase of PHASES) {
    const step = await kubepki(["rotate", tree, "--ca", "all", phase]);
    expect(step.code, `${phase}: ${step.stderr}`).toBe(0);
    const copy = join(dir.path, `p${p.length}`);
    await copyTree(tree, copy);
    p.push(copy);
  }
}, 120_000);
afterAll(() => dir.cleanup());

const at = (k: number, path: string) => join(p[k] as string, path);
const certificatesIn = async (file: string) =>
  ((await readFile(file, "utf8")).match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;

describe("the phases, as the CLI reports and writes them", () => {
  it("status says where the tree stands after each phase; out of order is refused with nothing written", async () => {
    const status = JSON.parse((await kubepki(["rotate", p[1] as string, "status", "--json"])).stdout);
    expect(status.states.map((state: { phase: string }) => state.phase)).toEqual(["begun", "begun", "begun", "begun"]);
    const after = JSON.parse((await kubepki(["rotate", p[3] as string, "status", "--json"])).stdout);
    expect(after.states.every((state: { phase: string }) => state.phase === "none")).toBe(true);
    const copy = join(dir.path, "order");
    await copyTree(p[1] as string, copy);
    const before = await hashTree(copy);
    const finish = await kubepki(["rotate", copy, "--ca", "ca", "finish", "--json"]);
    expect(finish.code).toBe(1);
    expect(JSON.parse(finish.stdout).error.code).toBe("ROTATION_OUT_OF_ORDER");
    const again = await kubepki(["rotate", copy, "--ca", "ca", "begin", "--json"]);
    expect(JSON.parse(again.stdout).error.code).toBe("ROTATION_OUT_OF_ORDER");
    expect(await hashTree(copy)).toEqual(before);
  });

  it("begin with --ca-cert/--ca-key uses the security team's CA, made with openssl", async () => {
    const copy = join(dir.path, "supplied");
    await copyTree(p[0] as string, copy);
    const key = join(dir.path, "supplied-ca.key");
    const cert = join(dir.path, "supplied-ca.crt");
    const made = await run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-subj",
      "/CN=kubernetes",
      "-days",
      "3650",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
      "-keyout",
      key,
      "-out",
      cert,
    ]);
    expect(made.code, made.stderr).toBe(0);
    const begin = await kubepki(["rotate", copy, "--ca", "ca", "begin", "--ca-cert", cert, "--ca-key", key]);
    expect(begin.code, begin.stderr).toBe(0);
    const supplied = await run("openssl", ["x509", "-in", cert, "-noout", "-fingerprint", "-sha256"]);
    const incoming = await run("openssl", [
      "x509",
      "-in",
      join(copy, "pki/ca-new.crt"),
      "-noout",
      "-fingerprint",
      "-sha256",
    ]);
    expect(incoming.stdout).toBe(supplied.stdout);
    const reissue = await kubepki(["rotate", copy, "--ca", "ca", "reissue"]);
    expect(reissue.code, reissue.stderr).toBe(0);
    const verify = await run("openssl", [
      "verify",
      "-CAfile",
      cert,
      "-purpose",
      "sslserver",
      join(copy, "pki/apiserver.crt"),
    ]);
    expect(verify.code, verify.stderr).toBe(0);
    const audit = await kubepki(["audit", copy]);
    expect(audit.code, audit.stdout).toBe(0);
    // --ca-cert goes with begin only, and with both files.
    expect((await kubepki(["rotate", copy, "--ca", "ca", "finish", "--ca-cert", cert])).code).toBe(2);
  });

  it("a tree audit finds broken is refused before any key is made (ROTATION_REFUSED), nothing written", async () => {
    const copy = join(dir.path, "broken");
    await copyTree(p[0] as string, copy);
    await writeFile(join(copy, "pki/apiserver.key"), await readFile(join(copy, "pki/apiserver-kubelet-client.key")));
    const before = await hashTree(copy);
    const refused = await kubepki(["rotate", copy, "--ca", "ca", "begin", "--json"]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe("ROTATION_REFUSED");
    expect(await hashTree(copy)).toEqual(before);
  });

  it("--dry-run writes nothing and says which files change and what restarts in which order", async () => {
    const copy = join(dir.path, "dry");
    await copyTree(p[0] as string, copy);
    const before = await hashTree(copy);
    const dry = await kubepki(["rotate", copy, "--ca", "etcd-ca", "begin", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^On cp-1:$/m);
    expect(dry.stdout).toMatch(/^ {2}~ pki\/etcd\/ca\.crt$/m);
    expect(dry.stdout).toMatch(/^ {2}1\. on /m);
    expect(dry.stdout).toContain("Dry run: nothing written.");
    expect(await hashTree(copy)).toEqual(before);
  });

  it("every trust file is a bundle of two while the rotation runs, one after; signing files hold one certificate", async () => {
    for (const file of ["pki/ca.crt", "pki/etcd/ca.crt", "pki/front-proxy-ca.crt", "nodes/w-1/pki/ca.crt"]) {
      expect(await certificatesIn(at(0, file)), `p0 ${file}`).toBe(1);
      expect(await certificatesIn(at(1, file)), `p1 ${file}`).toBe(2);
      expect(await certificatesIn(at(2, file)), `p2 ${file}`).toBe(2);
      expect(await certificatesIn(at(3, file)), `p3 ${file}`).toBe(1);
    }
    for (const k of [1, 2]) expect(await certificatesIn(at(k, "pki/ca-signing.crt"))).toBe(1);
    const flags = await readFile(at(1, "flags/kube-controller-manager.txt"), "utf8");
    expect(flags).toContain("--cluster-signing-cert-file=/etc/kubernetes/pki/ca-signing.crt");
    const finished = await readFile(at(3, "flags/kube-controller-manager.txt"), "utf8");
    expect(finished).toContain("--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt");
    // The new CA of p1 is the only CA of p3.
    expect(await readFile(at(3, "pki/ca.crt"), "utf8")).toBe(await readFile(at(1, "pki/ca-new.crt"), "utf8"));
  });
});

describe("openssl: every leaf against its phase's bundle and the previous phase's", () => {
  const leaves = [
    ["pki/apiserver.crt", "pki/ca.crt", "sslserver"],
    ["pki/apiserver-kubelet-client.crt", "pki/ca.crt", "sslclient"],
    ["nodes/w-1/pki/kubelet.crt", "pki/ca.crt", "sslserver"],
    ["pki/etcd/server.crt", "pki/etcd/ca.crt", "sslserver"],
    ["pki/etcd/peer.crt", "pki/etcd/ca.crt", "sslclient"],
    ["pki/apiserver-etcd-client.crt", "pki/etcd/ca.crt", "sslclient"],
    ["pki/front-proxy-client.crt", "pki/front-proxy-ca.crt", "sslclient"],
  ] as const;

  it("leaves of phase k verify against the bundles of phase k and k-1 (mixed rolling restart)", async () => {
    const failures: string[] = [];
    for (let k = 1; k <= 3; k++) {
      for (const [leaf, ca, purpose] of leaves) {
        for (const trust of [k, k - 1]) {
          // Before the rotation began (trust at p0) only the old CA is trusted: the reissued leaves of p2/p3 are new.
          if (trust === 0 && k >= 2) continue;
          // p3's bundle holds only the new CA: leaves of p2 (new) pass, tested; those of p1 (old) are the refusal below.
          const result = await run("openssl", ["verify", "-CAfile", at(trust, ca), "-purpose", purpose, at(k, leaf)]);
          if (result.code !== 0) failures.push(`p${k} ${leaf} against p${trust} ${ca}: ${result.stderr.trim()}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("after finish, a leaf of the old CA fails against the bundle", async () => {
    for (const [leaf, ca, purpose] of leaves) {
      const result = await run("openssl", ["verify", "-CAfile", at(3, ca), "-purpose", purpose, at(0, leaf)]);
      expect(result.code, `${leaf}: ${result.stdout}`).not.toBe(0);
    }
  });

  it("audit of every phase's tree: no error, and a rotation in progress is named", async () => {
    for (let k = 0; k <= 3; k++) {
      const audit = await kubepki(["audit", p[k] as string, "--json"]);
      expect(audit.code, `p${k}: ${audit.stdout}`).toBe(0);
      const findings = JSON.parse(audit.stdout).findings as { code: string; severity: string }[];
      expect(
        findings.filter((finding) => finding.severity === "error"),
        `p${k}`,
      ).toEqual([]);
      const rotating = findings.some((finding) => finding.code === "ROTATION_IN_PROGRESS");
      expect(rotating, `p${k}`).toBe(k === 1 || k === 2);
    }
  });
});

let etcdRuns = 0;
/** A real etcd member serving phase k's etcd certificates (127.0.0.1 only). */
const startEtcdAt = (k: number) => startEtcd(at(k, "pki/etcd"), join(dir.path, `etcd-data-${++etcdRuns}`), `p${k}`);

/** etcdctl with phase `k`'s client pair and trust file. */
const etcdctlAt = (port: number, k: number, client: string, command: string[]) =>
  etcdctl(port, at(k, "pki/etcd/ca.crt"), at(k, `pki/${client}`), command);

describe("real etcd at every phase, clients of the phase before and after", () => {
  it("put/get across each boundary; after finish a certificate of the old etcd CA is refused", async () => {
    const failures: string[] = [];
    for (let k = 1; k <= 3; k++) {
      // Server of phase k with clients of k-1 and k; then the server of k-1 (not restarted yet) with a client of k.
      for (const [server, clients] of [
        [k, [k - 1, k]],
        [k - 1, [k]],
      ] as const) {
        const etcd = await startEtcdAt(server);
        try {
          for (const client of clients) {
            if (client === 0 && server === 3) continue; // the refusal below
            const key = `/kubepki/p${server}-from-p${client}`;
            const put = await etcdctlAt(etcd.port, client, "apiserver-etcd-client", ["put", key, "ok"]);
            const get = await etcdctlAt(etcd.port, client, "apiserver-etcd-client", ["get", key, "--print-value-only"]);
            if (put.code !== 0 || get.stdout.trim() !== "ok") {
              failures.push(`server p${server}, client p${client}: ${put.stderr}${get.stderr}`.trim());
            }
          }
        } finally {
          await etcd.stop();
        }
      }
    }
    expect(failures).toEqual([]);
    const finished = await startEtcdAt(3);
    try {
      // The old client pair, trusting the new CA (so the refusal is the server's, not the client's).
      const old = await etcdctl(finished.port, at(3, "pki/etcd/ca.crt"), at(0, "pki/apiserver-etcd-client"), [
        "get",
        "/kubepki/x",
      ]);
      expect(old.code).not.toBe(0);
      const fresh = await etcdctlAt(finished.port, 3, "apiserver-etcd-client", ["get", "/kubepki/x"]);
      expect(fresh.code, fresh.stderr).toBe(0);
    } finally {
      await finished.stop();
    }
  }, 240_000);
});

/** An apiserver-like HTTPS server: phase k's serving pair, client certificates required against phase k's client CA file. */
async function startApiserver(k: number): Promise<{ port: number; server: Server }> {
  const server = createServer(
    {
      cert: await readFile(at(k, "pki/apiserver.crt")),
      key: await readFile(at(k, "pki/apiserver.key")),
      ca: await readFile(at(k, "pki/ca.crt")),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("ok");
    },
  );
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, server };
}

const kubectlHealthz = (k: number, port: number, kubeconfig = "admin.conf", trust: string[] = []) =>
  kubectlHealthzAt(at(k, kubeconfig), port, trust);

describe("an apiserver-like server requiring client certificates, and real kubectl", () => {
  it("kubectl with the kubeconfigs of phase k-1 and k connects at phase k; after finish the old admin.conf is refused", async () => {
    const failures: string[] = [];
    for (let k = 1; k <= 3; k++) {
      const { port, server } = await startApiserver(k);
      try {
        for (const client of [k - 1, k]) {
          if (client === 0 && k === 3) continue;
          for (const kubeconfig of ["admin.conf", "super-admin.conf", "nodes/w-1/kubelet.conf"]) {
            const result = await kubectlHealthz(client, port, kubeconfig);
            if (result.code !== 0 || result.stdout.trim() !== "ok") {
              failures.push(`server p${k}, ${kubeconfig} of p${client}: ${result.stderr.trim()}`);
            }
          }
        }
        if (k === 3) {
          // The old admin pair, trusting the new CA: the server refuses the client certificate.
          const old = await kubectlHealthz(0, port, "admin.conf", ["--certificate-authority", at(3, "pki/ca.crt")]);
          expect(old.code, old.stdout).not.toBe(0);
          const fresh = await kubectlHealthz(3, port, "admin.conf");
          expect(fresh.stdout.trim(), fresh.stderr).toBe("ok");
        }
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

/** The PUBLIC KEY blocks of sa.pub. */
async function publicKeys(k: number): Promise<KeyObject[]> {
  const text = await readFile(at(k, "pki/sa.pub"), "utf8");
  return (text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? []).map((pem) =>
    createPublicKey(pem),
  );
}

/** A JWT (ES256) signed with a service-account private key file, as the apiserver signs tokens. */
async function token(keyFile: string): Promise<string> {
  const key = createPrivateKey(await readFile(keyFile, "utf8"));
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${part({ alg: "ES256", typ: "JWT" })}.${part({ sub: "system:serviceaccount:default:default" })}`;
  const signature = sign("sha256", Buffer.from(body), { key, dsaEncoding: "ieee-p1363" });
  return `${body}.${signature.toString("base64url")}`;
}

/** Whether any key of phase k's sa.pub verifies the token (the apiserver's --service-account-key-file). */
async function verifies(jwt: string, k: number): Promise<boolean> {
  const [header, body, signature] = jwt.split(".");
  const data = Buffer.from(`${header}.${body}`);
  const raw = Buffer.from(signature as string, "base64url");
  return (await publicKeys(k)).some((key) => verify("sha256", data, { key, dsaEncoding: "ieee-p1363" }, raw));
}

describe("service-account tokens", () => {
  it("a token of the old key verifies until finish; one of the new key from begin on", async () => {
    const old = await token(at(0, "pki/sa.key"));
    const fresh = await token(at(1, "pki/sa-new.key"));
    expect(await verifies(old, 0)).toBe(true);
    expect(await verifies(old, 1)).toBe(true);
    expect(await verifies(old, 2)).toBe(true);
    expect(await verifies(old, 3)).toBe(false);
    expect(await verifies(fresh, 0)).toBe(false);
    for (const k of [1, 2, 3]) expect(await verifies(fresh, k), `p${k}`).toBe(true);
    // reissue switched the signing key to the new one.
    expect(await readFile(at(2, "pki/sa.key"), "utf8")).toBe(await readFile(at(1, "pki/sa-new.key"), "utf8"));
    expect((await publicKeys(1)).length).toBe(2);
    expect((await publicKeys(3)).length).toBe(1);
  });
});
