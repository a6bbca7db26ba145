/**
 * The CLI as a user runs it (the built bin, a subprocess): init → audit → check-expiration →
 * renew (new keys) → renew --reuse-key (same keys) → audit; no overwrite without --force; an
 * interrupted init leaves no tree behind.
 */
import { existsSync } from "node:fs";
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashTree, kubepki, modeOf, run, spawnKubepki, tempDir } from "./helpers/run.js";

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

const x509 = async (file: string, ...args: string[]) =>
  (await run("openssl", ["x509", "-in", file, "-noout", ...args])).stdout.trim();

describe("init → audit → check-expiration → renew → audit", () => {
  let out: string;
  beforeAll(async () => {
    out = join(dir.path, "cluster");
    // Short leaf validity so that renewal with --validity 365 visibly extends notAfter (without
    // it, renew keeps the cluster's 60 days: renew-validity.test.ts).
    const config = join(dir.path, "cluster.yaml");
    await writeFile(config, "keyAlgorithm: ECDSA-P256\nvalidity:\n  leafDays: 60\n");
    const init = await kubepki([
      "init",
      "--out",
      out,
      "--config",
      config,
      "--worker",
      "worker-1=10.0.0.21",
      "--control-plane",
      "cp-1=10.0.0.11",
      "--json",
    ]);
    expect(init.code, init.stderr).toBe(0);
    const summary = JSON.parse(init.stdout);
    expect(summary.certificates.find((c: { id: string }) => c.id === "apiserver:cp-1").sans).toContainEqual({
      type: "ip",
      value: "10.96.0.1",
    });
  });

  it("writes kubeadm's layout with key files 0600 and directories holding keys 0700", async () => {
    for (const file of [
      "pki/ca.crt",
      "pki/apiserver.crt",
      "pki/etcd/server.crt",
      "pki/sa.pub",
      "admin.conf",
      "super-admin.conf",
      "controller-manager.conf",
      "scheduler.conf",
      "kubelet.conf",
      "nodes/worker-1/kubelet.conf",
      "nodes/worker-1/kubelet-config.yaml",
      "nodes/worker-1/pki/ca.crt",
      "nodes/worker-1/pki/kubelet.crt",
      "nodes/worker-1/pki/kubelet.key",
      "flags/kube-apiserver.txt",
      "flags/etcd.txt",
      "flags/kube-controller-manager.txt",
      "flags/kube-scheduler.txt",
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    expect(await modeOf(join(out, "pki/ca.key"))).toBe(0o600);
    expect(await modeOf(join(out, "pki/etcd/server.key"))).toBe(0o600);
    expect(await modeOf(join(out, "admin.conf"))).toBe(0o600);
    expect(await modeOf(join(out, "pki/ca.crt"))).toBe(0o644);
    expect(await modeOf(join(out, "pki"))).toBe(0o700);
    expect((await readdir(dir.path)).filter((name) => name.includes("kubepki-"))).toEqual([]);
  });

  it("audit finds nothing and exits 0", async () => {
    const audit = await kubepki(["audit", out]);
    expect(audit.stderr).toBe("");
    expect(audit.stdout).toContain("no findings");
    expect(audit.code).toBe(0);
  });

  it("audit --pairwise-keys proves keys with WebCrypto: a damaged EC scalar (point intact) only it sees", async () => {
    expect((await kubepki(["audit", out, "--pairwise-keys"])).code).toBe(0);
    const copy = join(dir.path, "damaged-copy");
    await cp(out, copy, { recursive: true });
    const keyFile = join(copy, "pki/front-proxy-client.key");
    const pem = await readFile(keyFile, "utf8");
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    der[20] = (der[20] as number) ^ 0x01; // SEC1 P-256: the scalar starts at byte 7
    const body = der.toString("base64").replace(/.{64}/g, "$&\n");
    await writeFile(keyFile, `-----BEGIN EC PRIVATE KEY-----\n${body}\n-----END EC PRIVATE KEY-----\n`, {
      mode: 0o600,
    });
    expect((await kubepki(["audit", copy])).code).toBe(0);
    const thorough = await kubepki(["audit", copy, "--pairwise-keys"]);
    expect(thorough.code).toBe(1);
    expect(thorough.stdout).toContain("front-proxy-client.key");
  });

  it("check-expiration prints kubeadm's two tables", async () => {
    // kubeadm's header line is 110 columns: on a terminal that wide the tables are kubeadm's own
    // (narrower ones get the fitted layout, test/layout.test.ts).
    const result = await kubepki(["check-expiration", out], { env: { COLUMNS: "120" } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/CERTIFICATE\s+EXPIRES\s+RESIDUAL TIME\s+CERTIFICATE AUTHORITY\s+EXTERNALLY MANAGED/);
    expect(result.stdout).toMatch(/CERTIFICATE AUTHORITY\s+EXPIRES\s+RESIDUAL TIME\s+EXTERNALLY MANAGED/);
    expect(result.stdout).toMatch(/\napiserver\s+\w{3} \d{2}, \d{4} \d{2}:\d{2} UTC\s+59d\s+ca\s+no/);
    expect(result.stdout).toMatch(/\nadmin\.conf\s/);
    const json = JSON.parse((await kubepki(["check-expiration", out, "--json"])).stdout);
    expect(json.certificates.length).toBeGreaterThan(10);
  });

  it("renew makes new keys and extends notAfter; --reuse-key keeps the key; audit stays clean", async () => {
    const apiserver = join(out, "pki/apiserver.crt");
    const before = {
      end: await x509(apiserver, "-enddate"),
      key: await x509(apiserver, "-pubkey"),
      serial: await x509(apiserver, "-serial"),
    };
    const adminBefore = await readFile(join(out, "admin.conf"), "utf8");
    const renew = await kubepki(["renew", out, "--validity", "365"]);
    expect(renew.code, renew.stderr).toBe(0);
    expect(renew.stdout).toContain("renewed apiserver");
    const after = {
      end: await x509(apiserver, "-enddate"),
      key: await x509(apiserver, "-pubkey"),
      serial: await x509(apiserver, "-serial"),
    };
    expect(new Date(after.end.slice(9)).getTime()).toBeGreaterThan(
      new Date(before.end.slice(9)).getTime() + 300 * 86400_000,
    );
    expect(after.key).not.toBe(before.key);
    expect(after.serial).not.toBe(before.serial);
    expect(await readFile(join(out, "admin.conf"), "utf8")).not.toBe(adminBefore);
    expect(await x509(apiserver, "-subject")).toBe("subject=CN = kube-apiserver");

    const reuse = await kubepki(["renew", out, "apiserver", "--reuse-key"]);
    expect(reuse.code, reuse.stderr).toBe(0);
    expect(await x509(apiserver, "-pubkey")).toBe(after.key);
    expect(await x509(apiserver, "-serial")).not.toBe(after.serial);
    const audit = await kubepki(["audit", out]);
    expect(audit.stdout).toContain("no findings");
    expect(audit.code).toBe(0);
    const verify = await run("openssl", [
      "verify",
      "-purpose",
      "sslserver",
      "-CAfile",
      join(out, "pki/ca.crt"),
      apiserver,
    ]);
    expect(verify.stdout.trim()).toBe(`${apiserver}: OK`);
  });

  it("renewing a CA or an unknown name is refused with exit 1 and nothing changes", async () => {
    const hashes = await hashTree(out);
    const ca = await kubepki(["renew", out, "ca"]);
    expect(ca.code).toBe(1);
    expect(ca.stderr).toMatch(/ca/);
    expect(await hashTree(out)).toEqual(hashes);
  });
});

describe("never overwrites, never leaves half a tree", () => {
  it("init twice without --force fails, lists the files, and changes nothing; --force overwrites", async () => {
    const out = join(dir.path, "twice");
    const args = ["init", "--out", out, "--key-algorithm", "ECDSA-P256"];
    expect((await kubepki(args)).code).toBe(0);
    const hashes = await hashTree(out);
    const again = await kubepki(args);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("Refusing to overwrite");
    expect(again.stderr).toContain("pki/ca.key");
    expect(again.stderr).toContain("--force");
    expect(await hashTree(out)).toEqual(hashes);
    const forced = await kubepki([...args, "--force"]);
    expect(forced.code).toBe(0);
    const after = await hashTree(out);
    expect(Object.keys(after).sort()).toEqual(Object.keys(hashes).sort());
    expect(after["pki/ca.crt"]).not.toBe(hashes["pki/ca.crt"]);
  });

  for (const signal of ["SIGINT", "SIGTERM", "SIGKILL"] as const) {
    it(`an init killed midway (${signal}) leaves no tree`, async () => {
      const out = join(dir.path, `killed-${signal}`);
      const workers = Array.from({ length: 40 }, (_, i) => ["--worker", `w${i}=10.1.0.${i + 10}`]).flat();
      const child = spawnKubepki(["init", "--out", out, "--control-plane", "cp-1=10.1.0.1", ...workers]);
      let stderr = "";
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no progress within 60 s: ${stderr}`)), 60_000);
        child.stderr?.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          // Kill after a few certificates are done, well before the end.
          if (/\[\d+\/\d+\]/.test(stderr)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      child.kill(signal);
      const code = await exited;
      if (signal !== "SIGKILL") expect(code).toBe(130);
      expect(existsSync(out)).toBe(false);
      if (signal !== "SIGKILL") {
        expect((await readdir(dir.path)).filter((name) => name.startsWith(`.killed-${signal}`))).toEqual([]);
      }
    });
  }
});
