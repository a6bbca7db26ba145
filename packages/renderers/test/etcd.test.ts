import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { etcdFlags, type OpensslCertSpec } from "../src/index.js";
import { caSpec, issueWithOpenssl, spec } from "./helpers/pki.js";
import { run, runOk, tempDir } from "./helpers/run.js";

// Starts the real etcd (3.4 on these machines) on loopback only, with etcdFlags() output and
// certificates made by running renderOpensslCommands() — the etcd part of reference §5.4 and §2.2.

const ETCD = "/usr/bin/etcd";
const ETCDCTL = "/usr/bin/etcdctl";
const NODE = "etcd-test-node";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** etcd server/peer: CN = node name, SANs localhost, 127.0.0.1, ::1, node name; serverAuth + clientAuth (§1.1, §2.2). */
function memberSpec(id: "server" | "peer"): OpensslCertSpec {
  return spec({
    id: `etcd-${id}`,
    subject: { commonName: NODE },
    sans: [
      { type: "dns", value: NODE },
      { type: "dns", value: "localhost" },
      { type: "ip", value: "127.0.0.1" },
      { type: "ip", value: "::1" },
    ],
    extKeyUsages: ["serverAuth", "clientAuth"],
    keyAlgorithm: "ECDSA-P256",
    certPath: `pki/etcd/${id}.crt`,
    keyPath: `pki/etcd/${id}.key`,
    signer: "etcd-ca",
  });
}

const clientSpec = (id: string, commonName: string, signer: string): OpensslCertSpec =>
  spec({
    id,
    subject: { commonName },
    extKeyUsages: ["clientAuth"],
    certPath: `pki/${id}.crt`,
    keyPath: `pki/${id}.key`,
    signer,
  });

describe("etcdFlags start a real etcd with TLS client and peer authentication", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let etcd: ChildProcess | undefined;
  let exited = false;
  let log = "";
  let clientPort = 0;
  let flags: string[] = [];
  const p = (rel: string) => join(dir.path, rel);

  beforeAll(async () => {
    dir = await tempDir("kubepki-etcd-");
    const etcdCa = {
      ...caSpec("etcd-ca", "etcd-ca", "ECDSA-P256"),
      certPath: "pki/etcd/ca.crt",
      keyPath: "pki/etcd/ca.key",
    };
    const otherCa = { ...caSpec("other-ca", "unrelated-ca"), certPath: "other/ca.crt", keyPath: "other/ca.key" };
    await issueWithOpenssl(dir.path, etcdCa);
    await issueWithOpenssl(dir.path, otherCa);
    const etcdIssuer = { certPath: etcdCa.certPath, keyPath: etcdCa.keyPath, keyAlgorithm: etcdCa.keyAlgorithm };
    for (const member of [memberSpec("server"), memberSpec("peer")])
      await issueWithOpenssl(dir.path, member, etcdIssuer);
    await issueWithOpenssl(
      dir.path,
      clientSpec("apiserver-etcd-client", "kube-apiserver-etcd-client", "etcd-ca"),
      etcdIssuer,
    );
    await issueWithOpenssl(
      dir.path,
      clientSpec("healthcheck-client", "kube-etcd-healthcheck-client", "etcd-ca"),
      etcdIssuer,
    );
    await issueWithOpenssl(dir.path, clientSpec("intruder", "kube-apiserver-etcd-client", "other-ca"), {
      certPath: otherCa.certPath,
      keyPath: otherCa.keyPath,
    });

    clientPort = await freePort();
    let peerPort = await freePort();
    while (peerPort === clientPort) peerPort = await freePort();
    let metricsPort = await freePort();
    while (metricsPort === clientPort || metricsPort === peerPort) metricsPort = await freePort();
    flags = etcdFlags({
      nodeName: NODE,
      advertiseAddress: "127.0.0.1",
      clientPort,
      peerPort,
      metricsPort,
      etcdVersion: "3.4",
      paths: {
        certFile: p("pki/etcd/server.crt"),
        keyFile: p("pki/etcd/server.key"),
        trustedCaFile: p("pki/etcd/ca.crt"),
        peerCertFile: p("pki/etcd/peer.crt"),
        peerKeyFile: p("pki/etcd/peer.key"),
        peerTrustedCaFile: p("pki/etcd/ca.crt"),
        dataDir: p("data"),
      },
    });
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ETCD")));
    etcd = spawn(ETCD, flags, { cwd: dir.path, env, stdio: ["ignore", "pipe", "pipe"] });
    etcd.stdout?.on("data", (d) => {
      log += d;
    });
    etcd.stderr?.on("data", (d) => {
      log += d;
    });
    etcd.on("exit", () => {
      exited = true;
    });

    // Health, bounded in time: etcdctl with the healthcheck client, as kubeadm probes it.
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (exited) throw new Error(`etcd exited early:\n${log}`);
      const health = await run(
        ETCDCTL,
        [...tls("healthcheck-client"), "--dial-timeout=1s", "--command-timeout=2s", "endpoint", "health"],
        {
          timeoutMs: 5_000,
        },
      );
      if (health.code === 0) break;
      if (Date.now() > deadline) throw new Error(`etcd not healthy within 20 s:\n${health.stderr}\n${log}`);
      await sleep(250);
    }
  }, 90_000);

  afterAll(async () => {
    if (etcd && !exited) {
      etcd.kill("SIGTERM");
      const deadline = Date.now() + 5_000;
      while (!exited && Date.now() < deadline) await sleep(100);
      if (!exited) etcd.kill("SIGKILL");
    }
    await dir?.cleanup();
  });

  function tls(client: string, caFile = "pki/etcd/ca.crt"): string[] {
    return [
      `--endpoints=https://127.0.0.1:${clientPort}`,
      `--cacert=${p(caFile)}`,
      `--cert=${p(client === "intruder" ? "pki/intruder.crt" : `pki/${client}.crt`)}`,
      `--key=${p(client === "intruder" ? "pki/intruder.key" : `pki/${client}.key`)}`,
    ];
  }

  it("every flag is one etcd 3.4 accepts (list read from this machine's `etcd --help`)", async () => {
    const help = await run(ETCD, ["--help"]);
    const known = new Set([...(help.stdout + help.stderr).matchAll(/^\s+--([a-z0-9-]+)/gm)].map((m) => m[1]));
    expect(known.size).toBeGreaterThan(50);
    for (const flag of flags) expect(known, flag).toContain(/^--([^=]+)/.exec(flag)![1]);
  });

  it("the apiserver-etcd-client certificate can put and get", async () => {
    const put = await runOk(ETCDCTL, [
      ...tls("apiserver-etcd-client"),
      "--command-timeout=5s",
      "put",
      "/registry/kubepki",
      "renderers",
    ]);
    expect(put.trim()).toBe("OK");
    const get = await runOk(ETCDCTL, [
      ...tls("apiserver-etcd-client"),
      "--command-timeout=5s",
      "get",
      "/registry/kubepki",
      "--print-value-only",
    ]);
    expect(get.trim()).toBe("renderers");
  });

  it("a client certificate from an unrelated CA is refused (--client-cert-auth=true)", async () => {
    const result = await run(
      ETCDCTL,
      [...tls("intruder"), "--dial-timeout=2s", "--command-timeout=3s", "get", "/registry/kubepki"],
      {
        timeoutMs: 15_000,
      },
    );
    expect(result.code).not.toBe(0);
    expect(result.stdout).not.toContain("renderers");
    // etcd logs the refused handshake: the client chain does not lead to --trusted-ca-file.
    expect(log).toMatch(
      /rejected connection.*(unknown certificate authority|certificate signed by unknown authority|bad certificate)/,
    );
  });

  it("a client without a certificate is refused", async () => {
    const result = await run(
      ETCDCTL,
      [
        `--endpoints=https://127.0.0.1:${clientPort}`,
        `--cacert=${p("pki/etcd/ca.crt")}`,
        "--dial-timeout=2s",
        "--command-timeout=3s",
        "get",
        "/registry/kubepki",
      ],
      { timeoutMs: 15_000 },
    );
    expect(result.code).not.toBe(0);
  });

  it("the server certificate is verified against the etcd CA: a client trusting another CA refuses the server", async () => {
    const result = await run(
      ETCDCTL,
      [...tls("apiserver-etcd-client", "other/ca.crt"), "--dial-timeout=2s", "--command-timeout=3s", "get", "/x"],
      {
        timeoutMs: 15_000,
      },
    );
    expect(result.code).not.toBe(0);
  });
});
