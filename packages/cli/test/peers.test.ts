import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { connect, createServer as createTlsServer, type TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { ecCsrArgs } from "../../core/test/helpers/openssl-args.js";
import { type RunningEtcd, startEtcd } from "./helpers/etcd.js";
import { KUBECTL, kubepki, run, tempDir } from "./helpers/run.js";

let dir: { path: string; cleanup: () => Promise<void> };
let out: string;
beforeAll(async () => {
  dir = await tempDir();
  out = join(dir.path, "cluster");
  const init = await kubepki([
    "init",
    "--out",
    out,
    "--control-plane",
    "cp-1=192.168.10.10",
    "--worker",
    "worker-1=192.168.10.21",
    "--key-algorithm",
    "ECDSA-P256",
  ]);
  expect(init.code, init.stderr).toBe(0);
});
afterAll(() => dir.cleanup());

async function kubeconfigFiles(): Promise<string[]> {
  const found: string[] = [];
  const walk = async (path: string) => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith(".conf")) found.push(full);
    }
  };
  await walk(out);
  return found.sort();
}

describe("real etcd with the generated etcd certificates (127.0.0.1 only)", () => {
  let etcd: RunningEtcd | undefined;
  let clientPort = 0;
  const tls = (client: string) => [
    `--endpoints=https://127.0.0.1:${clientPort}`,
    `--cacert=${join(out, "pki/etcd/ca.crt")}`,
    `--cert=${join(out, `pki/${client}.crt`)}`,
    `--key=${join(out, `pki/${client}.key`)}`,
    "--dial-timeout=2s",
    "--command-timeout=3s",
  ];

  beforeAll(async () => {
    etcd = await startEtcd(join(out, "pki/etcd"), join(dir.path, "etcd-data"));
    clientPort = etcd.port;
  }, 60_000);

  afterAll(() => etcd?.stop());

  it("the healthcheck client reports healthy and the apiserver-etcd-client reads and writes", async () => {
    const env = { ETCDCTL_API: "3" };
    const put = await run("etcdctl", [...tls("apiserver-etcd-client"), "put", "/registry/kubepki", "ok"], { env });
    expect(put.code, put.stderr).toBe(0);
    const get = await run(
      "etcdctl",
      [...tls("apiserver-etcd-client"), "get", "/registry/kubepki", "--print-value-only"],
      {
        env,
      },
    );
    expect(get.stdout.trim()).toBe("ok");
  });

  it("a certificate from the cluster CA (not etcd's) is refused", async () => {
    const refused = await run(
      "etcdctl",
      [
        `--endpoints=https://127.0.0.1:${clientPort}`,
        `--cacert=${join(out, "pki/etcd/ca.crt")}`,
        `--cert=${join(out, "pki/apiserver-kubelet-client.crt")}`,
        `--key=${join(out, "pki/apiserver-kubelet-client.key")}`,
        "--dial-timeout=2s",
        "--command-timeout=3s",
        "get",
        "/registry/kubepki",
      ],
      { env: { ETCDCTL_API: "3" } },
    );
    expect(refused.code).not.toBe(0);
  });
});

describe("real kubectl reads every kubeconfig", () => {
  it("config view --raw for each *.conf shows the same cluster, user and context", async () => {
    const files = await kubeconfigFiles();
    expect(files.map((file) => file.slice(out.length + 1))).toEqual(
      expect.arrayContaining([
        "admin.conf",
        "super-admin.conf",
        "controller-manager.conf",
        "scheduler.conf",
        "kubelet.conf",
        "nodes/worker-1/kubelet.conf",
      ]),
    );
    const ca = await readFile(join(out, "pki/ca.crt"), "utf8");
    for (const file of files) {
      const view = await run(KUBECTL, ["config", "view", "--raw", "-o", "json", "--kubeconfig", file], {
        timeoutMs: 20_000,
      });
      expect(view.code, `${file}: ${view.stderr}`).toBe(0);
      const config = JSON.parse(view.stdout);
      expect(config.clusters).toHaveLength(1);
      expect(Buffer.from(config.clusters[0].cluster["certificate-authority-data"], "base64").toString()).toBe(ca);
      expect(config["current-context"]).toBe(config.contexts[0].name);
      expect(config.users[0].user["client-certificate-data"]).toBeTruthy();
      expect(config.users[0].user["client-key-data"]).toBeTruthy();
    }
  });
});

describe("a TLS server with the apiserver certificate (127.0.0.1 only)", () => {
  let port = 0;
  let server: ReturnType<typeof createTlsServer>;
  const seen: string[] = [];
  beforeAll(async () => {
    server = createTlsServer({
      cert: await readFile(join(out, "pki/apiserver.crt")),
      key: await readFile(join(out, "pki/apiserver.key")),
      ca: await readFile(join(out, "pki/ca.crt")),
      requestCert: true,
      rejectUnauthorized: true,
    });
    server.on("secureConnection", (socket: TLSSocket) => {
      seen.push(socket.getPeerCertificate().subject.CN as string);
      socket.end("ok");
    });
    server.on("tlsClientError", () => {});
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function handshake(cert: string | Buffer, key: string | Buffer, ca: string | Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port, servername: "kubernetes.default.svc", cert, key, ca }, () => {
        socket.once("data", (data) => {
          resolve(data.toString());
          socket.end();
        });
      });
      socket.once("error", reject);
      socket.once("end", () => resolve("closed"));
      socket.setTimeout(5_000, () => socket.destroy(new Error("timeout")));
    });
  }

  it("accepts every kubeconfig's identity while checking the name kubernetes.default.svc", async () => {
    for (const file of await kubeconfigFiles()) {
      const config = parseYaml(await readFile(file, "utf8"));
      const user = config.users[0].user;
      const reply = await handshake(
        Buffer.from(user["client-certificate-data"], "base64"),
        Buffer.from(user["client-key-data"], "base64"),
        Buffer.from(config.clusters[0].cluster["certificate-authority-data"], "base64"),
      );
      expect(reply, file).toBe("ok");
    }
    expect(seen).toEqual(
      expect.arrayContaining([
        "kubernetes-admin",
        "kubernetes-super-admin",
        "system:kube-controller-manager",
        "system:kube-scheduler",
        "system:node:cp-1",
        "system:node:worker-1",
      ]),
    );
  });

  it("refuses a client certificate signed by the front-proxy CA", async () => {
    const attempt = handshake(
      await readFile(join(out, "pki/front-proxy-client.crt")),
      await readFile(join(out, "pki/front-proxy-client.key")),
      await readFile(join(out, "pki/ca.crt")),
    );
    await expect(
      attempt.then(
        (reply) => (reply === "ok" ? "accepted" : "refused"),
        () => "refused",
      ),
    ).resolves.toBe("refused");
  });

  it("the client refuses the server for a name the certificate does not carry", async () => {
    const admin = parseYaml(await readFile(join(out, "admin.conf"), "utf8")).users[0].user;
    const ca = await readFile(join(out, "pki/ca.crt"));
    const attempt = new Promise<string>((resolve) => {
      const socket = connect(
        {
          host: "127.0.0.1",
          port,
          servername: "kube-apiserver",
          cert: Buffer.from(admin["client-certificate-data"], "base64"),
          key: Buffer.from(admin["client-key-data"], "base64"),
          ca,
        },
        () => resolve("connected"),
      );
      socket.once("error", (error: Error & { code?: string }) => resolve(error.code ?? error.message));
    });
    // Node's checkServerIdentity: "kube-apiserver" (the tutorial's server name) is not a SAN.
    expect(await attempt).toBe("ERR_TLS_CERT_ALTNAME_INVALID");
  });
});

describe("sign-csr applies the kubelet signer's policy", () => {
  it("signs an openssl CSR for system:node:worker-1 and refuses one asking for system:masters", async () => {
    const makeCsr = async (name: string, subject: string) => {
      const result = await run("openssl", ecCsrArgs(join(dir.path, name), subject));
      expect(result.code, result.stderr).toBe(0);
      return join(dir.path, `${name}.csr`);
    };
    const good = await makeCsr("good", "/CN=system:node:worker-1/O=system:nodes");
    const signed = await kubepki([
      "sign-csr",
      "--csr",
      good,
      "--role",
      "kubelet-client",
      "--node",
      "worker-1",
      "--dir",
      out,
      "--out",
      join(dir.path, "good.crt"),
    ]);
    expect(signed.code, signed.stderr).toBe(0);
    const verify = await run("openssl", [
      "verify",
      "-purpose",
      "sslclient",
      "-CAfile",
      join(out, "pki/ca.crt"),
      join(dir.path, "good.crt"),
    ]);
    expect(verify.stdout.trim()).toBe(`${join(dir.path, "good.crt")}: OK`);
    const subject = await run("openssl", ["x509", "-in", join(dir.path, "good.crt"), "-noout", "-subject"]);
    expect(subject.stdout.trim()).toBe("subject=O = system:nodes, CN = system:node:worker-1");

    const bad = await makeCsr("bad", "/CN=system:node:worker-1/O=system:masters");
    const refused = await kubepki([
      "sign-csr",
      "--csr",
      bad,
      "--role",
      "kubelet-client",
      "--node",
      "worker-1",
      "--dir",
      out,
      "--out",
      join(dir.path, "bad.crt"),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("system:masters");
    expect(existsSync(join(dir.path, "bad.crt"))).toBe(false);
    const otherNode = await kubepki([
      "sign-csr",
      "--csr",
      good,
      "--role",
      "kubelet-client",
      "--node",
      "worker-2",
      "--dir",
      out,
      "--out",
      join(dir.path, "other.crt"),
    ]);
    expect(otherNode.code).toBe(1);
  });
});
