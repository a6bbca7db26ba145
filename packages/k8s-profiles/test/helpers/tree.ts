// Test-only helpers: write a toKubeadmFiles result to a temp dir, run openssl/kubectl on it, and
// count WebCrypto key generations in flight. (Node built-ins are fine in tests, not in src/.)
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { KubeadmFile } from "../../src/index.js";

/** The real kubectl; `/usr/bin/kubectl` is a dispatcher that would dial the kubeconfig's server. */
export const KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33";

export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `kubepki-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeTree(dir: string, files: readonly KubeadmFile[]): void {
  for (const file of files) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.contents, { mode: file.mode });
    chmodSync(target, file.mode);
  }
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: readonly string[], cwd?: string): Run {
  // HOME points at an empty dir so neither openssl nor kubectl reads the developer's own config.
  const home = tmpdir();
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home },
  });
  return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? String(result.error ?? "") };
}

export function openssl(args: readonly string[], cwd?: string): Run {
  return run("openssl", args, cwd);
}

/**
 * A WebCrypto whose `subtle.generateKey` wraps the real one and records how many calls are in
 * flight at once: concurrency is proven by counting, not by timing. `gate` may hold a call
 * (return a promise that settles later) or fail it.
 */
export function countingCrypto(gate?: (call: number) => Promise<void> | undefined): {
  crypto: Crypto;
  stats: { calls: number; inFlight: number; maxInFlight: number };
} {
  const real = globalThis.crypto;
  const stats = { calls: 0, inFlight: 0, maxInFlight: 0 };
  const subtle = new Proxy(real.subtle, {
    get(target, property) {
      if (property === "generateKey") {
        return async (...args: Parameters<SubtleCrypto["generateKey"]>) => {
          const call = ++stats.calls;
          stats.inFlight++;
          stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
          try {
            await gate?.(call);
            return await (target.generateKey as (...a: unknown[]) => Promise<unknown>)(...args);
          } finally {
            stats.inFlight--;
          }
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const crypto = {
    subtle,
    getRandomValues: <T extends ArrayBufferView>(array: T) => real.getRandomValues(array),
    randomUUID: () => real.randomUUID(),
  } as unknown as Crypto;
  return { crypto, stats };
}
