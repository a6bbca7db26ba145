import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { BIN, run } from "./run.js";

/** Spawns the bin with extra environment (test hooks), stderr collected. */
export function spawnWithEnv(
  args: readonly string[],
  env: Record<string, string>,
): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

/** Resolves once `predicate(stderr)` holds; rejects after `timeoutMs` or if the child exits first. */
export function waitForStderr(
  spawned: ReturnType<typeof spawnWithEnv>,
  predicate: (stderr: string) => boolean,
  timeoutMs = 60_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out; stderr: ${spawned.stderr()}`)), timeoutMs);
    const check = () => {
      if (predicate(spawned.stderr())) {
        clearTimeout(timer);
        resolve();
      }
    };
    spawned.child.stderr?.on("data", check);
    spawned.exited.then((code) => {
      clearTimeout(timer);
      if (predicate(spawned.stderr())) resolve();
      else reject(new Error(`exited ${code} first; stderr: ${spawned.stderr()}`));
    });
    check();
  });
}

/** Copies a tree (cp -a keeps modes). */
export async function copyTree(from: string, to: string): Promise<void> {
  const result = await run("cp", ["-a", from, to]);
  if (result.code !== 0) throw new Error(result.stderr);
}

/** kubepki's own leftovers (transaction, staging, lock) directly in `dir`. */
export async function kubepkiLeftovers(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir)).filter((name) => name.includes(".kubepki-") || name.startsWith(".kubepki"));
}

/** Runs `task` over `items`, `limit` at a time. */
export async function inBatches<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await task(items[next++] as T);
    }),
  );
}

/** openssl verify of every certificate against the CA its consumers use, and of each kubeconfig's client cert. */
export async function verifyTreeWithOpenssl(root: string, files: Map<string, string>): Promise<string[]> {
  const problems: string[] = [];
  const pair = async (crt: string, key: string) => {
    const a = await run("openssl", ["x509", "-noout", "-pubkey", "-in", join(root, crt)]);
    const b = await run("openssl", ["pkey", "-pubout", "-in", join(root, key)]);
    if (a.stdout !== b.stdout || a.code !== 0) problems.push(`${crt} and ${key} are not a pair`);
  };
  await pair("pki/ca.crt", "pki/ca.key");
  await pair("pki/etcd/ca.crt", "pki/etcd/ca.key");
  await pair("pki/front-proxy-ca.crt", "pki/front-proxy-ca.key");
  for (const path of files.keys()) {
    if (!path.endsWith(".crt") || path.endsWith("ca.crt")) continue;
    const ca =
      path.startsWith("pki/etcd/") || path.includes("apiserver-etcd-client")
        ? "pki/etcd/ca.crt"
        : path.includes("front-proxy-client")
          ? "pki/front-proxy-ca.crt"
          : "pki/ca.crt";
    const verify = await run("openssl", ["verify", "-CAfile", join(root, ca), join(root, path)]);
    if (verify.code !== 0) problems.push(`${path}: ${verify.stdout}${verify.stderr}`);
    const key = path.replace(/\.crt$/, ".key");
    if (files.has(key)) await pair(path, key);
  }
  for (const [path, text] of files) {
    if (!path.endsWith(".conf")) continue;
    const cert = /client-certificate-data: (\S+)/.exec(text)?.[1];
    if (!cert) continue;
    const pem = Buffer.from(cert, "base64").toString();
    const verify = await run("openssl", ["verify", "-CAfile", join(root, "pki/ca.crt")], { input: pem });
    if (verify.code !== 0) problems.push(`${path} client certificate: ${verify.stdout}${verify.stderr}`);
  }
  return problems;
}
