// The external-CA flow with real peers: openssl is the external CA (three CAs made with
// `openssl req -x509`, keys kept outside --ca-dir), `kubepki csr` makes keys and requests for one
// control-plane node and two workers, openssl signs every request as the signing list says,
// `kubepki csr finish` refuses a wrong CN and a missing SAN (tree unchanged) and then completes the
// tree, which openssl verify, a real etcd member, kubectl 1.33 and `kubepki audit` accept.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:https";
import { join } from "node:path";
import type { SigningEntry } from "@kubepki/k8s-profiles";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rootCaArgs } from "../../core/test/helpers/openssl-args.js";
import { etcdctl, freePort, startEtcd } from "./helpers/etcd.js";
import { hashTree, KUBECTL, kubepki, modeOf, run, tempDir } from "./helpers/run.js";
import { inBatches } from "./helpers/tree-tools.js";

const CAS = [
  { name: "ca", file: "ca", cn: "kubernetes" },
  { name: "front-proxy-ca", file: "front-proxy-ca", cn: "front-proxy-ca" },
  { name: "etcd-ca", file: "etcd/ca", cn: "etcd-ca" },
] as const;
const NODES = ["--control-plane", "cp-1=127.0.0.1", "--worker", "w-1=10.0.0.21", "--worker", "w-2=10.0.0.22"];
/** Roles whose certificate a TLS server presents. */
const SERVING = /^(apiserver|etcd-server|etcd-peer|kubelet-serving)(:|$)/;

let work: { path: string; cleanup: () => Promise<void> };
let caDir: string;
let caKeys: string;
/** The bytes of the CA key kept in --ca-dir, which kubepki must never copy. */
let decoyKey: string;

async function openssl(...args: string[]) {
  const result = await run("openssl", args, { timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`openssl ${args.join(" ")}: ${result.stderr}`);
  return result;
}

/** Signs every request of `out` with openssl, as its signing list says. */
async function signAll(out: string): Promise<SigningEntry[]> {
  const list: SigningEntry[] = JSON.parse(await readFile(join(out, "csr-signing.json"), "utf8")).requests;
  await inBatches(list, 4, async (entry) => {
    const ca = CAS.find((candidate) => candidate.name === entry.ca);
    if (!ca) throw new Error(`unknown CA ${entry.ca}`);
    await openssl(
      "x509",
      "-req",
      "-in",
      join(out, entry.csr),
      "-CA",
      join(caDir, `${ca.file}.crt`),
      "-CAkey",
      join(caKeys, `${ca.file}.key`),
      "-copy_extensions",
      "copyall",
      "-days",
      String(entry.days),
      "-out",
      join(out, entry.certificate),
    );
  });
  return list;
}

beforeAll(async () => {
  work = await tempDir();
  caDir = join(work.path, "external-ca");
  caKeys = join(work.path, "ca-keys");
  for (const ca of CAS) {
    await mkdir(join(caDir, "etcd"), { recursive: true });
    await mkdir(join(caKeys, "etcd"), { recursive: true });
    // The CA pair is made beside its key (outside --ca-dir); only the certificate goes into --ca-dir.
    await openssl(...rootCaArgs(join(caKeys, ca.file), `/CN=${ca.cn}`, { ec: true }));
    await copyFile(join(caKeys, `${ca.file}.crt`), join(caDir, `${ca.file}.crt`));
  }
  // A CA key left in --ca-dir: a copy of the real one (never copied into the tree), and a FIFO
  // where ca.key would be, which would block any reader forever (even root), so the test would
  // time out if kubepki ever opened it.
  decoyKey = await readFile(join(caKeys, "etcd/ca.key"), "utf8");
  await copyFile(join(caKeys, "etcd/ca.key"), join(caDir, "etcd/ca.key"));
  execFileSync("mkfifo", [join(caDir, "ca.key")]);
}, 60_000);
afterAll(() => work.cleanup());

describe("kubepki csr → openssl signs → kubepki csr finish, with real peers", () => {
  let out: string;
  let list: SigningEntry[];

  beforeAll(async () => {
    out = join(work.path, "pki");
    // The default key algorithm (RSA-2048, kubeadm's); ECDSA below.
    const made = await kubepki(["csr", "--out", out, "--ca-dir", caDir, ...NODES, "--json"]);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout).next).toMatch(/csr finish /);
    list = await signAll(out);
  }, 120_000);

  it("writes requests for every node, workers included, and no CA key; refuses a non-empty --out", async () => {
    const files = Object.keys(await hashTree(out));
    expect(files).toEqual(
      expect.arrayContaining(["pki/apiserver.csr", "nodes/w-2/kubelet.conf.csr", "nodes/w-2/pki/kubelet.csr"]),
    );
    expect(list.map((entry) => entry.name)).toEqual(
      expect.arrayContaining(["kubelet.conf:w-1", "kubelet-serving:w-2"]),
    );
    expect(files.filter((file) => file.endsWith("ca.key"))).toEqual([]);
    for (const file of files) {
      expect(await readFile(join(out, file), "utf8"), file).not.toContain(decoyKey.split("\n")[1]);
    }
    expect(await modeOf(join(out, "pki/apiserver.key"))).toBe(0o600);
    expect(await modeOf(join(out, "admin.conf"))).toBe(0o600);
    const again = await kubepki(["csr", "--out", out, "--ca-dir", caDir, ...NODES]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("Refusing to overwrite");
    const noCas = await kubepki([
      "csr",
      "--out",
      join(work.path, "no-cas"),
      "--ca-dir",
      join(work.path, "ca-keys", "none"),
      ...NODES,
    ]);
    expect(noCas.code).toBe(1);
    expect(noCas.stderr).toMatch(/none\/ca\.crt: cas\.ca: missing/);
    const human = await kubepki(["csr", "--out", join(work.path, "human"), "--ca-dir", caDir, ...NODES]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain("-copy_extensions copyall");
    expect(human.stdout).toMatch(/Next: .*csr finish/);
  }, 60_000);

  it("refuses a wrong CN and a missing SAN, naming the file and the reason; nothing written", async () => {
    const crt = join(out, "pki/apiserver.crt");
    const good = await readFile(crt, "utf8");
    try {
      // Re-requested with another subject (openssl req -new -key … -subj /CN=wrong) and signed.
      await openssl(
        "req",
        "-new",
        "-key",
        join(out, "pki/apiserver.key"),
        "-subj",
        "/CN=wrong",
        "-out",
        join(work.path, "wrong.csr"),
      );
      await openssl(
        "x509",
        "-req",
        "-in",
        join(work.path, "wrong.csr"),
        "-CA",
        join(caDir, "ca.crt"),
        "-CAkey",
        join(caKeys, "ca.key"),
        "-copy_extensions",
        "copyall",
        "-days",
        "365",
        "-out",
        crt,
      );
      let before = await hashTree(out);
      const wrongCn = await kubepki(["csr", "finish", out]);
      expect(wrongCn.code).toBe(1);
      expect(wrongCn.stderr).toContain('pki/apiserver.crt: CN is "wrong", the role needs "kube-apiserver"');
      expect(await hashTree(out)).toEqual(before);

      // Signed without the request's extensions, with an -extfile that has fewer SANs.
      const extfile = join(work.path, "fewer-sans.cnf");
      await writeFile(
        extfile,
        "basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:kubernetes, IP:127.0.0.1\n",
      );
      await openssl(
        "x509",
        "-req",
        "-in",
        join(out, "pki/apiserver.csr"),
        "-CA",
        join(caDir, "ca.crt"),
        "-CAkey",
        join(caKeys, "ca.key"),
        "-extfile",
        extfile,
        "-days",
        "365",
        "-out",
        crt,
      );
      before = await hashTree(out);
      const missingSan = await kubepki(["csr", "finish", out, "--json"]);
      expect(missingSan.code).toBe(1);
      expect(missingSan.stderr).toMatch(/pki\/apiserver\.crt: missing SAN .*dns:kubernetes\.default\.svc/);
      const { error } = JSON.parse(missingSan.stdout);
      expect(error.code).toBe("CSR_FINISH_REFUSED");
      expect(error.problems).toEqual([{ file: "pki/apiserver.crt", reason: expect.stringMatching(/^missing SAN /) }]);
      expect(await hashTree(out)).toEqual(before);
    } finally {
      await writeFile(crt, good);
    }
  }, 60_000);

  describe("finished", () => {
    let files: Map<string, string>;
    beforeAll(async () => {
      const finished = await kubepki(["csr", "finish", out]);
      expect(finished.code, finished.stderr).toBe(0);
      expect(finished.stdout).toMatch(/Next: .*audit/);
      const before = await hashTree(out);
      const again = await kubepki(["csr", "finish", out]);
      expect(again.stdout, again.stderr).toContain("wrote 0 files, removed 0");
      expect(await hashTree(out)).toEqual(before);
      const paths = Object.keys(await hashTree(out));
      files = new Map(
        await Promise.all(paths.map(async (path) => [path, await readFile(join(out, path), "utf8")] as const)),
      );
    }, 60_000);

    it("has the complete tree: kubeconfigs with their certificates, .csr kept, .conf.crt folded in, no CA key", () => {
      expect(files.get("admin.conf")).toContain("client-certificate-data:");
      expect(
        files.has("kubelet.conf") &&
          files.has("nodes/w-2/kubelet-config.yaml") &&
          files.has("flags/kube-apiserver.txt"),
      ).toBe(true);
      expect(files.has("admin.conf.crt") || files.has("csr-signing.json")).toBe(false);
      expect(files.has("pki/apiserver.csr") && files.has("admin.conf.csr")).toBe(true);
      expect([...files.keys()].filter((path) => path.endsWith("ca.key"))).toEqual([]);
      expect(files.get("flags/kube-controller-manager.txt")).toContain("--cluster-signing-key-file=\n");
    });

    it("openssl verify accepts every certificate with its purpose, against the CA that signed it", async () => {
      const failures: string[] = [];
      for (const entry of list) {
        const purposes = SERVING.test(entry.name) ? ["sslserver"] : ["sslclient"];
        if (entry.name.startsWith("etcd-server") || entry.name.startsWith("etcd-peer")) purposes.push("sslclient");
        let pem = files.get(entry.certificate);
        if (entry.certificate.endsWith(".conf.crt")) {
          const kubeconfig = files.get(entry.certificate.replace(/\.crt$/, "")) ?? "";
          pem = Buffer.from(/client-certificate-data: (\S+)/.exec(kubeconfig)?.[1] ?? "", "base64").toString();
        }
        for (const purpose of purposes) {
          const verify = await run(
            "openssl",
            ["verify", "-CAfile", join(caDir, entry.caCertificate.replace(/^pki\//, "")), "-purpose", purpose],
            { input: pem ?? "" },
          );
          if (verify.code !== 0) failures.push(`${entry.certificate} (${purpose}): ${verify.stdout}${verify.stderr}`);
        }
      }
      expect(failures).toEqual([]);
      expect(list).toHaveLength(17);
    }, 120_000);

    it("a real etcd member serves with the tree's etcd pairs; the apiserver's etcd client is accepted", async () => {
      const etcd = await startEtcd(join(out, "pki/etcd"), join(work.path, "etcd-data"));
      try {
        const put = await etcdctl(etcd.port, join(out, "pki/etcd/ca.crt"), join(out, "pki/apiserver-etcd-client"), [
          "put",
          "k",
          "v",
        ]);
        expect(put.code, put.stderr).toBe(0);
      } finally {
        await etcd.stop();
      }
    }, 60_000);

    it("kubectl 1.33 with admin.conf and a worker's kubelet.conf reaches a server requiring client certificates from ca.crt", async () => {
      const server = createServer(
        {
          cert: files.get("pki/apiserver.crt"),
          key: files.get("pki/apiserver.key"),
          ca: files.get("pki/ca.crt"),
          requestCert: true,
          rejectUnauthorized: true,
        },
        (_request, response) => response.end("ok"),
      );
      const port = await freePort();
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
      try {
        for (const kubeconfig of ["admin.conf", "nodes/w-2/kubelet.conf"]) {
          const result = await run(KUBECTL, [
            "--kubeconfig",
            join(out, kubeconfig),
            "--server",
            `https://127.0.0.1:${port}`,
            "--request-timeout=5s",
            "get",
            "--raw",
            "/healthz",
          ]);
          expect(result.stdout.trim(), `${kubeconfig}: ${result.stderr}`).toBe("ok");
        }
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    }, 60_000);

    it("kubepki audit finds nothing wrong", async () => {
      const audit = await kubepki(["audit", out, "--json"]);
      expect(audit.code, audit.stdout).toBe(0);
      const findings = JSON.parse(audit.stdout).findings as { severity: string; code: string; file: string }[];
      expect(findings.filter((finding) => finding.severity !== "info")).toEqual([]);
    }, 60_000);
  });
});

describe("the same flow with ECDSA keys", () => {
  it("csr, openssl signs, finish, openssl verify and audit clean", async () => {
    const out = join(work.path, "ecdsa");
    const made = await kubepki([
      "csr",
      "--out",
      out,
      "--ca-dir",
      caDir,
      "--control-plane",
      "cp-1=127.0.0.1",
      "--key-algorithm",
      "ECDSA-P256",
    ]);
    expect(made.code, made.stderr).toBe(0);
    const list = await signAll(out);
    const finished = await kubepki(["csr", "finish", out]);
    expect(finished.code, finished.stderr).toBe(0);
    expect(existsSync(join(out, "admin.conf.crt"))).toBe(false);
    const apiserver = list.find((entry) => entry.name === "apiserver") as SigningEntry;
    const verify = await run("openssl", [
      "verify",
      "-CAfile",
      join(caDir, "ca.crt"),
      "-purpose",
      "sslserver",
      join(out, apiserver.certificate),
    ]);
    expect(verify.code, verify.stderr).toBe(0);
    const key = await readFile(join(out, "pki/apiserver.key"), "utf8");
    expect(key).toContain("BEGIN EC PRIVATE KEY");
    const audit = await kubepki(["audit", out]);
    expect(audit.code, audit.stdout).toBe(0);
  }, 180_000);
});
