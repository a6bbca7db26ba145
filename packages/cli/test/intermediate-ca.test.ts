// Two-tier CAs with real peers (issue 20): `init --root-ca/--root-key` (roots made by openssl, RSA
// and ECDSA) and `init --ca-cert` with an intermediate + root file. Every leaf verified by openssl
// up to the root and against its CA file alone; real etcd with the intermediate as its trusted CA;
// kubectl 1.33 against an HTTPS server sending leaf + intermediate, with the tree's admin.conf and
// with a kubeconfig that trusts only the root (and refused when the server sends the leaf alone);
// `audit` and `audit --root-ca`.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import { join } from "node:path";
import { createSecureContext, type SecureContext } from "node:tls";
import { parseCertificates } from "@kubepki/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ecCsrArgs, intermediateCaExt, rootCaArgs, signCsrArgs } from "../../core/test/helpers/openssl-args.js";
import { etcdctl, freePort, startEtcd } from "./helpers/etcd.js";
import { BIN, kubectlHealthz, kubepki, run, tempDir } from "./helpers/run.js";

let dir: { path: string; cleanup: () => Promise<void> };

async function openssl(args: readonly string[]): Promise<void> {
  const result = await run("openssl", args, { cwd: dir.path });
  expect(result.code, `openssl ${args.join(" ")}: ${result.stderr}`).toBe(0);
}

interface Case {
  /** The tree's name, its root file, and the init flags that make it. */
  readonly name: string;
  readonly root: string;
  readonly flags: () => string[];
  /** The CA files that are intermediates of the root (the others are self-signed). */
  readonly intermediates: readonly string[];
}

const ALL_CAS = ["pki/ca.crt", "pki/etcd/ca.crt", "pki/front-proxy-ca.crt"];
const CASES: readonly Case[] = [
  {
    name: "rsa-root",
    root: "rsa-root.crt",
    flags: () => ["--root-ca", join(dir.path, "rsa-root.crt"), "--root-key", join(dir.path, "rsa-root.key")],
    intermediates: ALL_CAS,
  },
  {
    name: "ec-root",
    root: "ec-root.crt",
    flags: () => ["--root-ca", join(dir.path, "ec-root.crt"), "--root-key", join(dir.path, "ec-root.key")],
    intermediates: ALL_CAS,
  },
  {
    // kubepki's own offline root: Ed25519 (Go and openssl verify its signatures on the
    // intermediates), its key encrypted, the passphrase from a file.
    name: "ed25519-root",
    root: "ed-root/ca.crt",
    flags: () => [
      "--root-ca",
      join(dir.path, "ed-root/ca.crt"),
      "--root-key",
      join(dir.path, "ed-root/ca.key"),
      "--root-passphrase-file",
      join(dir.path, "root.pass"),
    ],
    intermediates: ALL_CAS,
  },
  {
    name: "ca-cert-chain",
    root: "corp-root.crt",
    flags: () => ["--ca-cert", join(dir.path, "corp-chain.crt"), "--ca-key", join(dir.path, "corp-issuing.key")],
    intermediates: ["pki/ca.crt"],
  },
];
const inits = new Map<string, { code: number; stdout: string; stderr: string }>();
const treeOf = (name: string) => join(dir.path, name);

beforeAll(async () => {
  dir = await tempDir();
  await openssl(rootCaArgs("rsa-root", "/O=Example Corp/CN=Example RSA Root", { pathlen: 1, days: 7300 }));
  await openssl(rootCaArgs("ec-root", "/O=Example Corp/CN=Example EC Root", { ec: true, pathlen: 1, days: 7300 }));
  await openssl(rootCaArgs("corp-root", "/CN=corp-root", { ec: true, pathlen: 1, days: 7300 }));
  await writeFile(join(dir.path, "corp-issuing.ext"), intermediateCaExt(0));
  await openssl(ecCsrArgs("corp-issuing", "/CN=kubernetes"));
  await openssl(
    signCsrArgs({
      csr: "corp-issuing.csr",
      ca: "corp-root",
      out: "corp-issuing.crt",
      days: 3650,
      extfile: "corp-issuing.ext",
    }),
  );
  await writeFile(join(dir.path, "root.pass"), "correct horse battery staple\n");
  const caInit = await kubepki([
    "ca",
    "init",
    "--out",
    join(dir.path, "ed-root"),
    "--key-algorithm",
    "Ed25519",
    "--encrypt",
    "--passphrase-file",
    join(dir.path, "root.pass"),
  ]);
  expect(caInit.code, caInit.stderr).toBe(0);
  const chain =
    (await readFile(join(dir.path, "corp-issuing.crt"), "utf8")) +
    (await readFile(join(dir.path, "corp-root.crt"), "utf8"));
  await writeFile(join(dir.path, "corp-chain.crt"), chain);
  for (const { name, flags } of CASES) {
    const args = ["init", "--out", treeOf(name), "--key-algorithm", "ECDSA-P256", "--control-plane", "cp-1=127.0.0.1"];
    inits.set(name, await kubepki([...args, "--worker", "w-1=10.0.0.21", ...flags()]));
  }
}, 180_000);
afterAll(() => dir.cleanup());

const CA_BY_ISSUER: Record<string, string> = {
  "/CN=kubernetes": "pki/ca.crt",
  "/CN=etcd-ca": "pki/etcd/ca.crt",
  "/CN=front-proxy-ca": "pki/front-proxy-ca.crt",
};

describe.each(CASES)("$name", ({ name, root, intermediates }) => {
  const tree = () => treeOf(name);
  const at = (path: string) => join(tree(), path);

  it("init succeeds and says the CAs are intermediates, with the openssl command that proves a leaf", () => {
    const init = inits.get(name);
    expect(init?.code, init?.stderr).toBe(0);
    expect(init?.stdout.replace(/\s+/g, " ")).toMatch(
      intermediates.length > 1
        ? /CAs ca, etcd-ca, front-proxy-ca are intermediates of \//
        : /CA ca is an intermediate of \//,
    );
    const oneLine = init?.stdout.replace(/\s+/g, " ");
    expect(oneLine).toMatch(/openssl verify -CAfile \S+ -untrusted \S+pki\/ca\.crt \S+pki\/apiserver\.crt/);
  });

  it("every CA file is one certificate; every leaf of an intermediate is leaf + CA; openssl verifies each up to the root and against the CA alone", async () => {
    const failures: string[] = [];
    let leaves = 0;
    for (const path of (await listAll(tree())).filter((file) => file.endsWith(".crt"))) {
      const certificates = parseCertificates(await readFile(at(path), "utf8"));
      const [leaf] = certificates;
      if (!leaf) continue;
      if (leaf.isCa) {
        if (certificates.length !== 1) failures.push(`${path}: a CA file of ${certificates.length} certificates`);
        continue;
      }
      const caFile = CA_BY_ISSUER[leaf.issuerText] as string;
      const purpose = leaf.extKeyUsages?.includes("serverAuth") ? "sslserver" : "sslclient";
      const partial = await run("openssl", [
        "verify",
        "-partial_chain",
        "-purpose",
        purpose,
        "-CAfile",
        at(caFile),
        at(path),
      ]);
      if (partial.code !== 0) failures.push(`${path} against ${caFile}: ${partial.stdout}${partial.stderr}`);
      if (!intermediates.includes(caFile)) {
        if (certificates.length !== 1) failures.push(`${path}: a leaf of a self-signed CA with a chain`);
        continue;
      }
      leaves++;
      if (certificates.length !== 2) failures.push(`${path}: ${certificates.length} certificates, expected leaf + CA`);
      for (const untrusted of [at(caFile), at(path)]) {
        const args = [
          "verify",
          "-purpose",
          purpose,
          "-CAfile",
          join(dir.path, root),
          "-untrusted",
          untrusted,
          at(path),
        ];
        const verified = await run("openssl", args);
        if (verified.code !== 0) failures.push(`${path} up to ${root}: ${verified.stdout}${verified.stderr}`);
      }
    }
    expect(failures).toEqual([]);
    expect(leaves).toBeGreaterThan(intermediates.length === 1 ? 5 : 10);
  }, 120_000);

  it("real etcd serves with its intermediate (or its CA) as trusted CA; etcdctl with the apiserver-etcd-client pair", async () => {
    const member = await startEtcd(at("pki/etcd"), join(dir.path, `etcd-${name}`));
    try {
      const put = await etcdctl(member.port, at("pki/etcd/ca.crt"), at("pki/apiserver-etcd-client"), [
        "put",
        "/kubepki/x",
        "1",
      ]);
      expect(put.code, put.stderr).toBe(0);
      const get = await etcdctl(member.port, at("pki/etcd/ca.crt"), at("pki/apiserver-etcd-client"), [
        "get",
        "/kubepki/x",
      ]);
      expect(get.stdout).toContain("/kubepki/x");
    } finally {
      await member.stop();
    }
  }, 60_000);

  it("kubectl 1.33: admin.conf (trusting the intermediate) and a root-only kubeconfig connect; the leaf alone is refused by the root-only client", async () => {
    const serving = await readFile(at("pki/apiserver.crt"), "utf8");
    const admin = await readFile(at("admin.conf"), "utf8");
    const rootData = Buffer.from(await readFile(join(dir.path, root))).toString("base64");
    const rootOnly = admin.replace(/certificate-authority-data: \S+/, `certificate-authority-data: ${rootData}`);
    expect(rootOnly).not.toBe(admin);
    await writeFile(join(dir.path, `${name}-root-only.conf`), rootOnly, { mode: 0o600 });
    const leafAlone = (parseCertificates(serving)[0] as { pem: string }).pem;
    const kubectl = (port: number, kubeconfig: string) => kubectlHealthz(kubeconfig, port);
    const withServer = async (cert: string, ca: Buffer | undefined, work: (port: number) => Promise<void>) => {
      const { port, server } = await startApiserver(cert, await readFile(at("pki/apiserver.key")), ca);
      try {
        await work(port);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    };
    const rootOnlyConf = join(dir.path, `${name}-root-only.conf`);
    // Client certificates required against pki/ca.crt, the intermediate alone, as the apiserver's --client-ca-file.
    await withServer(serving, await readFile(at("pki/ca.crt")), async (port) => {
      for (const kubeconfig of [at("admin.conf"), rootOnlyConf, at("nodes/w-1/kubelet.conf")]) {
        const result = await kubectl(port, kubeconfig);
        expect(result.stdout.trim(), `${kubeconfig}: ${result.stderr}`).toBe("ok");
      }
    });
    // Without a CA store OpenSSL cannot add the intermediate itself: what is sent is the file.
    await withServer(serving, undefined, async (port) => {
      const result = await kubectl(port, rootOnlyConf);
      expect(result.stdout.trim(), result.stderr).toBe("ok");
    });
    await withServer(leafAlone, undefined, async (port) => {
      const refused = await kubectl(port, rootOnlyConf);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/certificate signed by unknown authority/);
      // The same server, for a client that trusts the intermediate itself: fine.
      const direct = await kubectl(port, at("admin.conf"));
      expect(direct.stdout.trim(), direct.stderr).toBe("ok");
    });
  }, 60_000);

  it("audit is clean, and audit --root-ca checks the intermediates up to the root", async () => {
    const audit = await kubepki(["audit", tree(), "--json"]);
    expect(audit.code, audit.stdout).toBe(0);
    const errorsOf = (stdout: string) =>
      (JSON.parse(stdout).findings as { severity: string; code: string; file: string }[])
        .filter((finding) => finding.severity !== "info")
        .map((finding) => `${finding.code} ${finding.file}`);
    expect(errorsOf(audit.stdout).filter((finding) => !finding.startsWith("EXTERNAL_CA"))).toEqual([]);
    const rooted = await kubepki(["audit", tree(), "--root-ca", join(dir.path, root), "--json"]);
    // The CAs kubepki made self-signed beside a brought intermediate are, truly, not under the root.
    const notUnder = ALL_CAS.filter((file) => !intermediates.includes(file)).map((file) => `NOT_UNDER_ROOT ${file}`);
    expect(errorsOf(rooted.stdout).filter((finding) => !finding.startsWith("EXTERNAL_CA"))).toEqual(notUnder);
    expect(rooted.code).toBe(notUnder.length > 0 ? 1 : 0);
  }, 60_000);
});

describe("the root key and the flags", () => {
  it("no file of the tree contains the root key, and no key file equals it", async () => {
    for (const name of ["rsa-root", "ec-root"]) {
      const rootKey = await readFile(join(dir.path, `${name}.key`), "utf8");
      const body = rootKey.split("\n").slice(1, 3).join("\n");
      const files = await listAll(treeOf(name));
      expect(files.length).toBeGreaterThan(20);
      for (const path of files) {
        const text = await readFile(join(treeOf(name), path), "utf8");
        expect(text.includes(body), path).toBe(false);
        expect(text === rootKey, path).toBe(false);
        // kubeconfigs embed keys in base64: the root key must not be there either.
        expect(text.includes(Buffer.from(rootKey).toString("base64").slice(0, 60)), path).toBe(false);
      }
    }
  });

  it("the encrypted Ed25519 root: it is encrypted on disk, its key (decrypted by openssl) is in no file of the tree", async () => {
    const encrypted = await readFile(join(dir.path, "ed-root/ca.key"), "utf8");
    expect(encrypted).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const plain = await run("openssl", [
      "pkey",
      "-in",
      join(dir.path, "ed-root/ca.key"),
      "-passin",
      `file:${join(dir.path, "root.pass")}`,
    ]);
    expect(plain.code, plain.stderr).toBe(0);
    const body = plain.stdout.split("\n")[1] as string;
    expect(body.length).toBeGreaterThan(40);
    for (const path of await listAll(treeOf("ed25519-root"))) {
      const text = await readFile(join(treeOf("ed25519-root"), path), "utf8");
      expect(text.includes(body), path).toBe(false);
      expect(text.includes(encrypted.split("\n")[1] as string), path).toBe(false);
    }
  });

  it("a wrong root passphrase is WRONG_PASSPHRASE before anything is written; none at all is PASSPHRASE_REQUIRED", async () => {
    await writeFile(join(dir.path, "wrong.pass"), "not the passphrase\n");
    const base = ["init", "--control-plane", "cp-1=127.0.0.1", "--root-ca", join(dir.path, "ed-root/ca.crt")];
    const key = ["--root-key", join(dir.path, "ed-root/ca.key")];
    const wrong = await kubepki([
      ...base,
      "--out",
      join(dir.path, "wrong-pass"),
      ...key,
      "--root-passphrase-file",
      join(dir.path, "wrong.pass"),
    ]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/WRONG_PASSPHRASE|wrong passphrase/i);
    expect(await readdir(join(dir.path, "wrong-pass")).catch(() => [])).toEqual([]);
    // No file, no variable, and no terminal (setsid: no controlling terminal, stdin not one).
    const none = await run("setsid", [process.execPath, BIN, ...base, "--out", join(dir.path, "no-pass"), ...key], {
      input: "",
    });
    expect(none.code, none.stderr).toBe(2);
    expect(none.stderr).toMatch(/--root-passphrase-file/);
    expect(none.stderr).toMatch(/KUBEPKI_ROOT_PASSPHRASE/);
    expect(await readdir(join(dir.path, "no-pass")).catch(() => [])).toEqual([]);
    // The variable works too.
    const viaEnv = await run(process.execPath, [BIN, ...base, "--out", join(dir.path, "env-pass"), ...key], {
      env: { KUBEPKI_ROOT_PASSPHRASE: "correct horse battery staple" },
    });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
  }, 60_000);

  it("--root-ca with --ca-cert is a usage error (exit 2), and --root-ca alone too", async () => {
    const both = await kubepki([
      "init",
      "--out",
      join(dir.path, "both"),
      "--root-ca",
      join(dir.path, "ec-root.crt"),
      "--root-key",
      join(dir.path, "ec-root.key"),
      "--ca-cert",
      join(dir.path, "corp-chain.crt"),
      "--ca-key",
      join(dir.path, "corp-issuing.key"),
    ]);
    expect(both.code, both.stderr).toBe(2);
    const alone = await kubepki(["init", "--out", join(dir.path, "alone"), "--root-ca", join(dir.path, "ec-root.crt")]);
    expect(alone.code, alone.stderr).toBe(2);
  });
});

/** Every file of a tree, relative. */
async function listAll(root: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...(await listAll(root, path)));
    else found.push(path);
  }
  return found;
}

/**
 * An apiserver-like HTTPS server on 127.0.0.1 sending `cert`; with `ca`, client certificates are
 * required against it.
 */
async function startApiserver(cert: string, key: Buffer, ca?: Buffer): Promise<{ port: number; server: Server }> {
  // allowPartialTrustChain: a CA file that is an intermediate is a trust anchor, as in Go's
  // crypto/x509 (the real apiserver's --client-ca-file); OpenSSL otherwise wants the root too.
  // Node 20 takes the flag on a secure context only, handed over per connection by SNI (kubectl
  // sends --tls-server-name).
  const clientAuth = ca
    ? {
        ca,
        requestCert: true,
        rejectUnauthorized: true,
        SNICallback: (_name: string, done: (error: Error | null, context: SecureContext) => void) =>
          done(null, createSecureContext({ cert, key, ca, allowPartialTrustChain: true })),
      }
    : {};
  const server = createServer({ cert, key, ...clientAuth }, (_request, response) => {
    response.writeHead(200, { "content-type": "text/plain" });
    response.end("ok");
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, server };
}
