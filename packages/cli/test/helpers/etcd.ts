// A real etcd member on 127.0.0.1 for the interop tests, serving a tree's etcd certificates, and
// the free ports it and the TLS test servers listen on. Every process is stopped by its test.
import { type ChildProcess, spawn } from "node:child_process";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { run } from "./run.js";

/** A port nothing listens on now (127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** etcdctl against 127.0.0.1:`port`, trusting `caFile`, with the client pair `<client>.crt/.key`. */
export function etcdctl(port: number, caFile: string, client: string, command: readonly string[]) {
  return run(
    "etcdctl",
    [
      `--endpoints=https://127.0.0.1:${port}`,
      `--cacert=${caFile}`,
      `--cert=${client}.crt`,
      `--key=${client}.key`,
      "--dial-timeout=2s",
      "--command-timeout=3s",
      ...command,
    ],
    { env: { ETCDCTL_API: "3" }, timeoutMs: 15_000 },
  );
}

export interface RunningEtcd {
  readonly port: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

/**
 * Starts an etcd member with mutual TLS from `pki` (a tree's `pki/etcd`: server, peer and ca.crt
 * as trust), data in `dataDir`, and waits until the healthcheck client of `pki` reports healthy
 * (20 s at most; the member is stopped if it never does).
 */
export async function startEtcd(pki: string, dataDir: string, name = "cp-1"): Promise<RunningEtcd> {
  const port = await freePort();
  let peerPort = await freePort();
  while (peerPort === port) peerPort = await freePort();
  let log = "";
  const etcd: ChildProcess = spawn(
    "etcd",
    [
      `--name=${name}`,
      `--data-dir=${dataDir}`,
      `--listen-client-urls=https://127.0.0.1:${port}`,
      `--advertise-client-urls=https://127.0.0.1:${port}`,
      `--listen-peer-urls=https://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=https://127.0.0.1:${peerPort}`,
      `--initial-cluster=${name}=https://127.0.0.1:${peerPort}`,
      `--cert-file=${pki}/server.crt`,
      `--key-file=${pki}/server.key`,
      `--trusted-ca-file=${pki}/ca.crt`,
      "--client-cert-auth=true",
      `--peer-cert-file=${pki}/peer.crt`,
      `--peer-key-file=${pki}/peer.key`,
      `--peer-trusted-ca-file=${pki}/ca.crt`,
      "--peer-client-cert-auth=true",
      "--listen-metrics-urls=http://127.0.0.1:0",
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ETCD_UNSUPPORTED_ARCH: "" } },
  );
  const collect = (chunk: Buffer) => {
    log += chunk.toString();
  };
  etcd.stdout?.on("data", collect);
  etcd.stderr?.on("data", collect);
  const stop = () => stopProcess(etcd);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const health = await etcdctl(port, join(pki, "ca.crt"), join(pki, "healthcheck-client"), ["endpoint", "health"]);
    if (health.code === 0) return { port, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`etcd not healthy within 20 s:\n${health.stderr}\n${log.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Stops a child process: SIGTERM, SIGKILL after 5 s, resolved once it has exited (at once if it already has). */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
