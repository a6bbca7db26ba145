// `init --layout per-node`: each node's folder alone is that node's deployment. Every control-plane
// folder passes the real-peer checks the default tree passes (etcd mTLS, kubectl 1.33 against its
// apiserver certificate, openssl on the kubelet serving pair, audit); a real 3-member etcd cluster
// starts from the three etcd.yaml manifests; manifests are v1 Pods whose file flags exist under a
// mounted hostPath; workers and control-plane nodes hold no one else's key.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { KNOWN_FLAGS } from "@kubepki/renderers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { etcdctl, freePort, startEtcd, stopProcess } from "./helpers/etcd.js";
import { kubectlHealthz, kubepki, run, tempDir } from "./helpers/run.js";

const CONTROL_PLANE = ["cp-1", "cp-2", "cp-3"] as const;
const IPS: Record<string, string> = { "cp-1": "127.0.0.1", "cp-2": "127.0.0.2", "cp-3": "127.0.0.3" };
const WORKER = "w-1";
const COMPONENTS = ["kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler"] as const;

let dir: { path: string; cleanup: () => Promise<void> };
let out: string;
/** Every file of the output, relative path → text. */
const files = new Map<string, string>();

async function walk(root: string, prefix = ""): Promise<void> {
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) await walk(root, path);
    else files.set(path, await readFile(join(root, path), "utf8"));
  }
}

beforeAll(async () => {
  dir = await tempDir();
  out = join(dir.path, "cluster");
  const init = await kubepki([
    "init",
    "--out",
    out,
    "--layout",
    "per-node",
    // The etcd 3.5 flag spelling: the etcd on the test machines is 3.4, which reads it too.
    "--kubernetes-version",
    "1.33",
    "--control-plane-endpoint",
    "127.0.0.1:6443",
    ...CONTROL_PLANE.flatMap((name) => ["--control-plane", `${name}=${IPS[name]}`]),
    "--worker",
    `${WORKER}=127.0.0.11`,
    "--key-algorithm",
    "ECDSA-P256",
  ]);
  expect(init.code, init.stderr).toBe(0);
  expect(init.stdout).toContain("Layout: per-node");
  await walk(out);
}, 120_000);
afterAll(() => dir.cleanup());

const inNode = (node: string, path: string) => join(out, node, path);

/** Every private key in a folder: key files and kubeconfigs' client-key-data, as PEM text. */
function keysOf(folder: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [path, text] of files) {
    if (!path.startsWith(`${folder}/`)) continue;
    if (path.endsWith(".key")) keys.set(text, path);
    if (path.endsWith(".conf")) {
      const user = parseYaml(text).users[0].user;
      keys.set(Buffer.from(user["client-key-data"], "base64").toString(), `${path}#client-key-data`);
    }
  }
  return keys;
}

describe("the per-node folders", () => {
  it("a worker has its own five files and nothing else; no CA key, no other node's key", () => {
    const worker = [...files.keys()].filter((path) => path.startsWith(`${WORKER}/`)).sort();
    expect(worker).toEqual([
      `${WORKER}/etc/kubernetes/kubelet.conf`,
      `${WORKER}/etc/kubernetes/pki/ca.crt`,
      `${WORKER}/etc/kubernetes/pki/kubelet.crt`,
      `${WORKER}/etc/kubernetes/pki/kubelet.key`,
      `${WORKER}/var/lib/kubelet/config.yaml`,
    ]);
    const own = keysOf(WORKER);
    for (const other of [...CONTROL_PLANE, "admin"]) {
      for (const [key, path] of keysOf(other)) expect(own.has(key), `${path} is in ${WORKER}/`).toBe(false);
    }
  });

  it("control-plane folders share only the CA and service-account keys, never a leaf key", () => {
    const shared = [
      "etc/kubernetes/pki/ca.key",
      "etc/kubernetes/pki/etcd/ca.key",
      "etc/kubernetes/pki/front-proxy-ca.key",
      "etc/kubernetes/pki/sa.key",
    ];
    for (const node of CONTROL_PLANE) {
      for (const path of shared) expect(files.has(`${node}/${path}`), `${node}/${path}`).toBe(true);
      const own = keysOf(node);
      for (const other of CONTROL_PLANE.filter((name) => name !== node)) {
        for (const [key, path] of keysOf(other)) {
          if (own.has(key))
            expect(
              shared.map((file) => `${other}/${file}`),
              `${path} is also in ${node}/`,
            ).toContain(path);
        }
      }
    }
  });

  it("super-admin.conf on the first control-plane node only; kubelet.conf in local mode; admin/ for the operator", () => {
    expect(files.has("cp-1/etc/kubernetes/super-admin.conf")).toBe(true);
    expect(files.has("cp-2/etc/kubernetes/super-admin.conf")).toBe(false);
    for (const node of CONTROL_PLANE) {
      const kubelet = parseYaml(files.get(`${node}/etc/kubernetes/kubelet.conf`) as string);
      expect(kubelet.clusters[0].cluster.server).toBe(`https://${IPS[node]}:6443`);
    }
    expect(parseYaml(files.get(`${WORKER}/etc/kubernetes/kubelet.conf`) as string).clusters[0].cluster.server).toBe(
      "https://127.0.0.1:6443",
    );
    expect([...files.keys()].filter((path) => path.startsWith("admin/")).sort()).toEqual([
      "admin/admin.conf",
      "admin/kubepki.yaml",
      "admin/pki/ca.crt",
    ]);
  });
});

describe("the static Pod manifests", () => {
  const fileFlag =
    /(-file|-cert|-key|^kubeconfig|-kubeconfig|cafile|certfile|keyfile|^kubelet-client-certificate|^kubelet-certificate-authority)$/;
  it("each is a v1 Pod; every file flag names a file of the node's folder under a mounted hostPath; every flag is known", () => {
    const known: Record<string, readonly string[]> = {
      "kube-apiserver": KNOWN_FLAGS.kubeApiserver,
      "kube-controller-manager": KNOWN_FLAGS.kubeControllerManager,
      "kube-scheduler": KNOWN_FLAGS.kubeScheduler,
      etcd: KNOWN_FLAGS.etcd35,
    };
    let checked = 0;
    for (const node of CONTROL_PLANE) {
      for (const component of COMPONENTS) {
        const pod = parseYaml(files.get(`${node}/etc/kubernetes/manifests/${component}.yaml`) as string);
        expect(pod).toMatchObject({
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: component, namespace: "kube-system" },
        });
        expect(pod.spec.hostNetwork).toBe(true);
        expect(pod.spec.priorityClassName).toBe("system-node-critical");
        const [container] = pod.spec.containers;
        expect(container.command[0]).toBe(component);
        expect(container.image).toBe(
          component === "etcd" ? "registry.k8s.io/etcd:3.5.21-0" : `registry.k8s.io/${component}:v1.33.0`,
        );
        const mounted = pod.spec.volumes.map((volume: { hostPath: { path: string } }) => volume.hostPath.path);
        const mounts = container.volumeMounts.map((mount: { mountPath: string }) => mount.mountPath);
        expect(mounts.sort()).toEqual([...mounted].sort());
        for (const flag of container.command.slice(1) as string[]) {
          const [, name, value] = /^--([^=]+)=(.*)$/.exec(flag) ?? [];
          expect(known[component], `${component} --${name}`).toContain(name);
          if (!fileFlag.test(name as string) || value === "") continue;
          expect(existsSync(inNode(node, value as string)), `${node}: --${name}=${value}`).toBe(true);
          expect(
            mounted.some((path: string) => value === path || (value as string).startsWith(`${path}/`)),
            `${node} ${component}: --${name}=${value} is under no hostPath volume`,
          ).toBe(true);
          checked++;
        }
        // The text flags of the node are the manifest's command.
        expect(`${container.command.slice(1).join("\n")}\n`).toBe(
          files.get(`${node}/etc/kubernetes/flags/${component}.txt`),
        );
      }
    }
    expect(checked).toBeGreaterThan(3 * 25);
  });
});

describe.each(CONTROL_PLANE)("%s/etc/kubernetes alone passes the real-peer checks", (node) => {
  const at = (path: string) => inNode(node, `etc/kubernetes/${path}`);

  it("kubepki audit --scope control-plane is clean", async () => {
    const audit = await kubepki(["audit", at(""), "--scope", "control-plane"]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    expect(audit.stdout).toContain("no findings");
  });

  it("etcd serves its etcd certificates; the apiserver-etcd-client writes", async () => {
    const member = await startEtcd(at("pki/etcd"), join(dir.path, `etcd-alone-${node}`), node);
    try {
      const put = await etcdctl(member.port, at("pki/etcd/ca.crt"), at("pki/apiserver-etcd-client"), [
        "put",
        "k",
        node,
      ]);
      expect(put.code, put.stderr).toBe(0);
    } finally {
      await member.stop();
    }
  }, 60_000);

  it("kubectl 1.33 with each of its kubeconfigs against a TLS server with its apiserver certificate", async () => {
    const server: Server = createServer(
      {
        cert: await readFile(at("pki/apiserver.crt")),
        key: await readFile(at("pki/apiserver.key")),
        ca: await readFile(at("pki/ca.crt")),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (_request, response) => response.end("ok"),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const confs = ["admin.conf", "controller-manager.conf", "scheduler.conf", "kubelet.conf"];
      if (node === "cp-1") confs.push("super-admin.conf");
      for (const conf of confs) {
        const result = await kubectlHealthz(at(conf), port);
        expect(result.stdout, `${node}/${conf}: ${result.stderr}`).toBe("ok");
      }
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);

  it("openssl verifies the kubelet serving certificate against ca.crt", () => expectKubeletServingVerifies(at));
});

describe("a worker's folder alone", () => {
  it("kubepki audit --scope node is clean; openssl verifies its serving certificate", async () => {
    const at = (path: string) => inNode(WORKER, `etc/kubernetes/${path}`);
    const audit = await kubepki(["audit", at(""), "--scope", "node"]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    await expectKubeletServingVerifies(at);
  });
});

/** openssl accepts a node's kubelet serving certificate as a TLS server certificate of its ca.crt. */
async function expectKubeletServingVerifies(at: (path: string) => string): Promise<void> {
  const verify = await run("openssl", [
    "verify",
    "-CAfile",
    at("pki/ca.crt"),
    "-purpose",
    "sslserver",
    at("pki/kubelet.crt"),
  ]);
  expect(verify.code, verify.stderr).toBe(0);
}

describe("a 3-member etcd cluster from the three etcd.yaml manifests (127.0.0.1-3 only)", () => {
  const processes: ChildProcess[] = [];
  const clientPort: Record<string, number> = {};
  const logs: Record<string, string> = {};

  beforeAll(async () => {
    const ports = new Set<number>();
    const next = async () => {
      let port = await freePort();
      while (ports.has(port)) port = await freePort();
      ports.add(port);
      return port;
    };
    const peerPort: Record<string, number> = {};
    const metricsPort: Record<string, number> = {};
    for (const node of CONTROL_PLANE) {
      clientPort[node] = await next();
      peerPort[node] = await next();
      metricsPort[node] = await next();
    }
    const byIp = (ip: string) => CONTROL_PLANE.find((node) => IPS[node] === ip) as string;
    for (const node of CONTROL_PLANE) {
      const pod = parseYaml(files.get(`${node}/etc/kubernetes/manifests/etcd.yaml`) as string);
      const flags = (pod.spec.containers[0].command as string[]).slice(1).map((flag) =>
        flag
          // Ports: each member its own free ones (the nodes' addresses are kept: the certificates name them).
          .replace(/(127\.0\.0\.\d):2380/g, (_m, ip: string) => `${ip}:${peerPort[byIp(ip)]}`)
          .replace(/(127\.0\.0\.\d):2379/g, (_m, ip: string) => `${ip}:${clientPort[node]}`)
          .replace(/127\.0\.0\.1:2381/g, `127.0.0.1:${metricsPort[node]}`)
          .replace(/=\/etc\/kubernetes\//, `=${inNode(node, "etc/kubernetes")}/`)
          .replace(/^--data-dir=.*/, `--data-dir=${join(dir.path, `etcd-cluster-${node}`)}`),
      );
      logs[node] = "";
      const etcd = spawn("etcd", flags, { stdio: ["ignore", "pipe", "pipe"] });
      const collect = (data: Buffer) => {
        logs[node] = (logs[node] + data.toString()).slice(-4000);
      };
      etcd.stdout?.on("data", collect);
      etcd.stderr?.on("data", collect);
      processes.push(etcd);
    }
  }, 30_000);

  afterAll(async () => {
    await Promise.all(processes.map(stopProcess));
  }, 20_000);

  const etcdctlAt = (node: string, command: readonly string[]) =>
    run(
      "etcdctl",
      [
        `--endpoints=https://${IPS[node]}:${clientPort[node]}`,
        `--cacert=${inNode(node, "etc/kubernetes/pki/etcd/ca.crt")}`,
        `--cert=${inNode(node, "etc/kubernetes/pki/apiserver-etcd-client.crt")}`,
        `--key=${inNode(node, "etc/kubernetes/pki/apiserver-etcd-client.key")}`,
        "--dial-timeout=2s",
        "--command-timeout=3s",
        ...command,
      ],
      { env: { ETCDCTL_API: "3" }, timeoutMs: 15_000 },
    );

  it("reaches quorum: every member healthy, a put on cp-1 read on cp-3", async () => {
    const deadline = Date.now() + 40_000;
    let health = await etcdctlAt("cp-1", ["endpoint", "health", "--cluster"]);
    while (health.code !== 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      health = await etcdctlAt("cp-1", ["endpoint", "health", "--cluster"]);
    }
    expect(health.code, `${health.stderr}\n${JSON.stringify(logs).slice(-3000)}`).toBe(0);
    expect((health.stdout + health.stderr).match(/is healthy/g)?.length).toBe(3);
    const members = await etcdctlAt("cp-2", ["member", "list"]);
    expect(members.stdout).toContain("cp-1");
    expect(members.stdout).toContain("cp-3");
    const put = await etcdctlAt("cp-1", ["put", "per-node", "quorum"]);
    expect(put.code, put.stderr).toBe(0);
    const get = await etcdctlAt("cp-3", ["get", "per-node", "--print-value-only"]);
    expect(get.stdout.trim()).toBe("quorum");
  }, 60_000);
});

describe("init --layout per-node refuses what does not fit, before any key", () => {
  it("--kubernetes-version without --layout per-node, an unsupported version, --encrypt-ca-keys", async () => {
    const target = join(dir.path, "refused");
    const bare = await kubepki(["init", "--out", target, "--kubernetes-version", "1.33"]);
    expect(bare.code).toBe(2);
    const old = await kubepki(["init", "--out", target, "--layout", "per-node", "--kubernetes-version", "1.29"]);
    expect(old.code).not.toBe(0);
    expect(old.stderr).toContain("kubernetesVersion");
    const encrypted = await kubepki(["init", "--out", target, "--layout", "per-node", "--encrypt-ca-keys"]);
    expect(encrypted.code).toBe(2);
    expect(existsSync(target)).toBe(false);
  });
});

describe("plan shows the layout", () => {
  it("--layout per-node in the table and in --json; the default plan as before", async () => {
    const nodes = ["--control-plane", "cp-1=10.0.0.1", "--worker", "w-1=10.0.0.2"];
    const table = await kubepki(["plan", "--layout", "per-node", ...nodes]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain("Layout: per-node — cp-1/, w-1/, admin/");
    const json = await kubepki(["plan", "--layout", "per-node", "--json", ...nodes]);
    expect(JSON.parse(json.stdout).layout).toBe("per-node");
    const plain = await kubepki(["plan", "--json", ...nodes]);
    expect(JSON.parse(plain.stdout).layout).toBeUndefined();
    expect((await kubepki(["plan", ...nodes])).stdout).not.toContain("Layout:");
  });
});
