// Issue 15 point 4: no output of any command contains key material. Every command runs (the built
// bin) on trees whose key fields are broken in several ways, and stdout + stderr are searched for
// any 40-character run of any private key's base64 (the PEM body, and the kubeconfig's
// client-key-data, which is the base64 of the whole PEM).
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubepki, type RunResult, tempDir } from "./helpers/run.js";
import { initSmallTree } from "./helpers/small-tree.js";

const RUN = 40;

/** Every private key of the tree as base64 runs: PEM bodies (line breaks dropped) and client-key-data values. */
async function secretsOf(root: string): Promise<string[]> {
  const secrets: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(path);
        continue;
      }
      const text = await readFile(path, "utf8");
      for (const match of text.matchAll(/-----BEGIN [A-Z ]*PRIVATE KEY-----([\s\S]*?)-----END/g)) {
        secrets.push((match[1] as string).replace(/\s+/g, ""));
      }
      for (const match of text.matchAll(/client-key-data: (\S+)/g)) {
        const data = match[1] as string;
        secrets.push(data);
        const pem = Buffer.from(data, "base64").toString("utf8");
        secrets.push(pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""));
      }
    }
  };
  await walk(root);
  return secrets;
}

/** Every 40-character window of every secret. */
function windows(secrets: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const secret of secrets) for (let i = 0; i + RUN <= secret.length; i++) out.add(secret.slice(i, i + RUN));
  return out;
}

/** The first 40-character run of `text` (as printed, and with line breaks dropped) that is a key's. */
function leak(text: string, runs: Set<string>): string | undefined {
  for (const candidate of [text, text.replace(/\s+/g, "")]) {
    for (let i = 0; i + RUN <= candidate.length; i++) {
      const window = candidate.slice(i, i + RUN);
      if (runs.has(window)) return window;
    }
  }
  return undefined;
}

/** Rewrites a file's text. */
async function edit(path: string, change: (text: string) => string): Promise<void> {
  await writeFile(path, change(await readFile(path, "utf8")));
}

/** The ways key fields get broken: each one a copy of the clean tree. */
const MALFORMATIONS: Record<string, (dir: string) => Promise<void>> = {
  // The reproduction: an alias marker in front of the key and a colon after it.
  "client-key-data written as *<base64>:": (dir) =>
    edit(join(dir, "super-admin.conf"), (text) => text.replace(/client-key-data: (\S+)/, "client-key-data: *$1:")),
  "bad YAML around the key data (unclosed quote, key at column 0, a tab)": async (dir) => {
    await edit(join(dir, "admin.conf"), (text) => text.replace(/client-key-data: (\S+)/, 'client-key-data: "$1'));
    await edit(join(dir, "scheduler.conf"), (text) => text.replace(/client-key-data: (\S+)/, "client-key-data:\n$1"));
    await edit(join(dir, "controller-manager.conf"), (text) =>
      text.replace(/client-key-data: (\S+)/, "client-key-data:\t$1 {"),
    );
  },
  "a key PEM with a broken body (in a file and in client-key-data)": async (dir) => {
    const breakBody = (pem: string) => pem.replace(/\n([A-Za-z0-9+/]{20})/, "\n$1!!*&");
    await edit(join(dir, "pki/apiserver.key"), breakBody);
    await edit(join(dir, "admin.conf"), (text) =>
      text.replace(/client-key-data: (\S+)/, (_, data: string) => {
        const broken = breakBody(Buffer.from(data, "base64").toString("utf8"));
        return `client-key-data: ${Buffer.from(broken).toString("base64")}`;
      }),
    );
    await edit(join(dir, "pki/ca.key"), (pem) => pem.replace(/-----END/, "AAAA=====\n-----END"));
  },
  "key files with garbage around and inside them": async (dir) => {
    await edit(join(dir, "pki/front-proxy-client.key"), (pem) => `\u0000\u00ff garbage ${pem.slice(0, 300)}#####`);
    await edit(join(dir, "pki/etcd/server.key"), (pem) => pem.replace(/-----BEGIN [A-Z ]*-----/, ""));
    await edit(join(dir, "pki/sa.key"), (pem) => `${pem}\n-----BEGIN CERTIFICATE-----\n${pem}`);
  },
  "a token and a password next to broken YAML": (dir) =>
    edit(join(dir, "kubelet.conf"), (text) =>
      text.replace(
        /client-key-data: (\S+)/,
        (_, data: string) =>
          `client-key-data: ${data}\n    token: ${data.slice(100, 180)}\n    password: [${data.slice(200, 260)}`,
      ),
    ),
};

describe("no key material in any output", () => {
  let clean: string;
  let work: { path: string; cleanup: () => Promise<void> };
  let runs: Set<string>;
  beforeAll(async () => {
    work = await tempDir();
    clean = join(work.path, "clean");
    await initSmallTree(clean);
    runs = windows(await secretsOf(clean));
    expect(runs.size).toBeGreaterThan(1000);
  }, 120_000);
  afterAll(() => work.cleanup());

  const names = Object.keys(MALFORMATIONS);
  for (const [index, name] of names.entries()) {
    it(`${name}: audit, check-expiration, renew, sign-csr, plan and init print none of it`, async () => {
      const dir = join(work.path, `broken-${index}`);
      await cp(clean, dir, { recursive: true });
      await (MALFORMATIONS[name] as (dir: string) => Promise<void>)(dir);
      const renewCopy = `${dir}-renew`;
      await cp(dir, renewCopy, { recursive: true });
      const commands: string[][] = [
        ["audit", dir],
        ["audit", dir, "--json"],
        ["audit", dir, "--pairwise-keys"],
        ["check-expiration", dir],
        ["check-expiration", dir, "--json"],
        ["renew", renewCopy],
        ["renew", renewCopy, "all", "--json"],
        ["renew", renewCopy, "apiserver", "--reuse-key"],
        // A key or kubeconfig passed where a CSR, a CA key or a config belongs.
        [
          "sign-csr",
          "--csr",
          join(dir, "pki/apiserver.key"),
          "--role",
          "admin",
          "--dir",
          dir,
          "--out",
          join(dir, "x.crt"),
        ],
        [
          "sign-csr",
          "--csr",
          join(dir, "super-admin.conf"),
          "--role",
          "admin",
          "--dir",
          dir,
          "--out",
          join(dir, "y.crt"),
        ],
        [
          "sign-csr",
          "--csr",
          join(dir, "pki/apiserver.key"),
          "--role",
          "admin",
          "--ca-cert",
          join(dir, "pki/ca.crt"),
          "--ca-key",
          join(dir, "pki/front-proxy-client.key"),
          "--out",
          join(dir, "z.crt"),
          "--json",
        ],
        ["plan", "--config", join(dir, "super-admin.conf")],
        ["plan", "--config", join(dir, "admin.conf"), "--json"],
        ["init", "--out", join(dir, "again"), "--config", join(dir, "kubelet.conf")],
        [
          "init",
          "--out",
          dir,
          "--control-plane",
          "cp-1=10.0.0.11",
          "--ca-cert",
          join(dir, "pki/ca.crt"),
          "--ca-key",
          join(dir, "pki/ca.key"),
        ],
      ];
      const results: [string[], RunResult][] = [];
      // Two at a time: the machine's cores are shared.
      for (let i = 0; i < commands.length; i += 2) {
        const batch = commands.slice(i, i + 2);
        const done = await Promise.all(batch.map((args) => kubepki(args, { timeoutMs: 60_000 })));
        for (const [j, args] of batch.entries()) results.push([args, done[j] as RunResult]);
      }
      for (const [args, result] of results) {
        const found = leak(`${result.stdout}\n${result.stderr}`, runs);
        expect(
          found,
          `kubepki ${args.join(" ")} printed key material:\n${result.stdout}\n${result.stderr}`,
        ).toBeUndefined();
        expect(`${result.stdout}${result.stderr}`, `kubepki ${args.join(" ")}`).not.toMatch(
          /PRIVATE KEY-----\s*[A-Za-z0-9+/]/,
        );
        expect(result.stderr, `kubepki ${args.join(" ")}`).not.toMatch(/YAMLWarning|\n\s+at /);
      }
      // The commands did read the broken fields: the audit says which file it could not read.
      const audit = results[0]?.[1] as RunResult;
      expect(audit.code).toBe(1);
    }, 300_000);
  }
});
