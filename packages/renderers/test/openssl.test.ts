import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  canonicalIp,
  type ExtKeyUsage,
  isRendererError,
  type KeyUsage,
  type OpensslCertSpec,
  renderOpensslCommands,
  renderOpensslConfig,
} from "../src/index.js";
import { caSpec, issueWithOpenssl, spec } from "./helpers/pki.js";
import { run, runOk, tempDir } from "./helpers/run.js";

const KU_NAMES: Record<string, KeyUsage> = {
  "Digital Signature": "digitalSignature",
  "Non Repudiation": "nonRepudiation",
  "Key Encipherment": "keyEncipherment",
  "Data Encipherment": "dataEncipherment",
  "Key Agreement": "keyAgreement",
  "Certificate Sign": "keyCertSign",
  "CRL Sign": "cRLSign",
  "Encipher Only": "encipherOnly",
  "Decipher Only": "decipherOnly",
};
const EKU_NAMES: Record<string, ExtKeyUsage> = {
  "TLS Web Server Authentication": "serverAuth",
  "TLS Web Client Authentication": "clientAuth",
  "Code Signing": "codeSigning",
  "E-mail Protection": "emailProtection",
  "Time Stamping": "timeStamping",
  "OCSP Signing": "ocspSigning",
  "Any Extended Key Usage": "any",
};

/** What `openssl x509 -noout -subject -ext …` says about a certificate, in CertSpec terms. */
interface Observed {
  commonName: string | undefined;
  organizations: string[];
  sans: { type: string; value: string }[];
  keyUsages: KeyUsage[];
  extKeyUsages: ExtKeyUsage[];
  isCa: boolean | undefined;
  pathLength: number | undefined;
  basicConstraintsCritical: boolean;
  keyUsageCritical: boolean;
}

async function inspect(dir: string, certPath: string): Promise<Observed> {
  const out = await runOk(
    "openssl",
    [
      "x509",
      "-in",
      certPath,
      "-noout",
      "-subject",
      "-nameopt",
      "sep_multiline,utf8,sname",
      "-ext",
      "subjectAltName,keyUsage,extendedKeyUsage,basicConstraints",
    ],
    { cwd: dir },
  );
  const lines = out.split("\n");
  const observed: Observed = {
    commonName: undefined,
    organizations: [],
    sans: [],
    keyUsages: [],
    extKeyUsages: [],
    isCa: undefined,
    pathLength: undefined,
    basicConstraintsCritical: false,
    keyUsageCritical: false,
  };
  let section = "";
  for (const line of lines) {
    if (line.startsWith("subject=")) section = "subject";
    else if (line.startsWith("X509v3 ")) {
      section = line.slice(7).replace(/:.*$/, "");
      if (section === "Basic Constraints") observed.basicConstraintsCritical = line.includes("critical");
      if (section === "Key Usage") observed.keyUsageCritical = line.includes("critical");
    } else if (line.startsWith("    ")) {
      const text = line.trim();
      if (section === "subject") {
        const [attr, ...rest] = text.split("=");
        const value = rest.join("=");
        if (attr === "CN") observed.commonName = value;
        if (attr === "O") observed.organizations.push(value);
      } else if (section === "Subject Alternative Name") {
        for (const entry of text.split(", ")) {
          const colon = entry.indexOf(":");
          const kind = entry.slice(0, colon);
          const value = entry.slice(colon + 1);
          if (kind === "DNS") observed.sans.push({ type: "dns", value });
          else if (kind === "IP Address") observed.sans.push({ type: "ip", value: canonicalIp(value) });
          else if (kind === "URI") observed.sans.push({ type: "uri", value });
          else if (kind === "email") observed.sans.push({ type: "email", value });
        }
      } else if (section === "Key Usage") {
        observed.keyUsages = text.split(", ").map((n) => KU_NAMES[n]!);
      } else if (section === "Extended Key Usage") {
        observed.extKeyUsages = text.split(", ").map((n) => EKU_NAMES[n]!);
      } else if (section === "Basic Constraints") {
        observed.isCa = text.startsWith("CA:TRUE");
        const m = /pathlen:(\d+)/.exec(text);
        if (m) observed.pathLength = Number(m[1]);
      }
    }
  }
  return observed;
}

function expected(s: OpensslCertSpec): Observed {
  return {
    commonName: s.subject.commonName,
    organizations: [...(s.subject.organizations ?? [])],
    sans: s.sans.map((san) => ({ type: san.type, value: san.type === "ip" ? canonicalIp(san.value) : san.value })),
    keyUsages: [...s.keyUsages],
    extKeyUsages: [...s.extKeyUsages],
    isCa: s.isCa,
    pathLength: s.pathLength,
    basicConstraintsCritical: true,
    keyUsageCritical: s.keyUsages.length > 0,
  };
}

const sortUsages = (o: Observed) => ({
  ...o,
  keyUsages: [...o.keyUsages].sort(),
  extKeyUsages: [...o.extKeyUsages].sort(),
});

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await dir.cleanup();
});

describe("renderOpensslCommands, run with openssl (argv, no shell)", () => {
  const ca = caSpec("ca", "kubernetes");
  const caIssuer = { certPath: ca.certPath, keyPath: ca.keyPath, keyAlgorithm: ca.keyAlgorithm };
  const p384Ca = {
    ...caSpec("front-proxy-ca", "front-proxy-ca", "ECDSA-P384"),
    certPath: "pki/front-proxy-ca.crt",
    keyPath: "pki/front-proxy-ca.key",
  };
  const edCa = caSpec("ed-ca", "ed-ca", "Ed25519");
  const intermediate: OpensslCertSpec = {
    ...caSpec("intermediate", "kubernetes-intermediate"),
    signer: "ca",
    pathLength: 0,
  };

  const leaves: { spec: OpensslCertSpec; issuer: OpensslCertSpec; purposes: ("sslserver" | "sslclient")[] }[] = [
    {
      // Reference §2.1 worked example, plus an IPv6 address written non-canonically.
      spec: spec({
        id: "apiserver",
        subject: { commonName: "kube-apiserver" },
        sans: [
          { type: "dns", value: "cp-1" },
          { type: "dns", value: "kubernetes" },
          { type: "dns", value: "kubernetes.default" },
          { type: "dns", value: "kubernetes.default.svc" },
          { type: "dns", value: "kubernetes.default.svc.cluster.local" },
          { type: "dns", value: "*.apps.example.com" },
          { type: "ip", value: "10.96.0.1" },
          { type: "ip", value: "192.168.10.11" },
          { type: "ip", value: "FD00:10:96:0:0:0:0:1" },
        ],
        extKeyUsages: ["serverAuth"],
        certPath: "pki/apiserver.crt",
        keyPath: "pki/apiserver.key",
      }),
      issuer: ca,
      purposes: ["sslserver"],
    },
    {
      spec: spec({
        id: "admin",
        subject: { commonName: "kubernetes-admin", organizations: ["kubeadm:cluster-admins", "team $HOME #1"] },
        extKeyUsages: ["clientAuth"],
        keyAlgorithm: "ECDSA-P256",
      }),
      issuer: ca,
      purposes: ["sslclient"],
    },
    {
      spec: spec({
        id: "etcd/peer",
        subject: { commonName: "cp-1" },
        sans: [
          { type: "dns", value: "cp-1" },
          { type: "dns", value: "localhost" },
          { type: "ip", value: "127.0.0.1" },
          { type: "ip", value: "::1" },
        ],
        extKeyUsages: ["serverAuth", "clientAuth"],
        keyAlgorithm: "ECDSA-P256",
        certPath: "pki/etcd/peer.crt",
        keyPath: "pki/etcd/peer.key",
      }),
      issuer: ca,
      purposes: ["sslserver", "sslclient"],
    },
    {
      spec: spec({
        id: "front-proxy-client",
        extKeyUsages: ["clientAuth"],
        keyAlgorithm: "ECDSA-P384",
        sans: [
          { type: "uri", value: "spiffe://cluster.local/ns/kube-system/sa/front-proxy" },
          { type: "email", value: "ops@example.com" },
        ],
        signer: "front-proxy-ca",
      }),
      issuer: p384Ca,
      purposes: ["sslclient"],
    },
    {
      spec: spec({
        id: "ed-leaf",
        extKeyUsages: ["serverAuth"],
        keyUsages: ["digitalSignature"],
        keyAlgorithm: "Ed25519",
        sans: [{ type: "dns", value: "ed.example" }],
        signer: "ed-ca",
      }),
      issuer: edCa,
      purposes: ["sslserver"],
    },
    {
      spec: spec({
        id: "via-intermediate",
        extKeyUsages: ["serverAuth"],
        sans: [{ type: "dns", value: "leaf.example" }],
        signer: "intermediate",
        keyAlgorithm: "RSA-3072",
      }),
      issuer: intermediate,
      purposes: ["sslserver"],
    },
  ];

  beforeAll(async () => {
    for (const root of [ca, p384Ca, edCa]) await issueWithOpenssl(dir.path, root);
    await issueWithOpenssl(dir.path, intermediate, caIssuer);
    for (const leaf of leaves) {
      await issueWithOpenssl(dir.path, leaf.spec, {
        certPath: leaf.issuer.certPath,
        keyPath: leaf.issuer.keyPath,
        keyAlgorithm: leaf.issuer.keyAlgorithm,
      });
    }
  }, 120_000);

  it("self-signed CAs are v3 with critical CA:TRUE and keyCertSign, matching their spec", async () => {
    for (const root of [ca, p384Ca, edCa]) {
      expect(sortUsages(await inspect(dir.path, root.certPath))).toEqual(sortUsages(expected(root)));
      const text = await runOk("openssl", ["x509", "-in", root.certPath, "-noout", "-text"], { cwd: dir.path });
      expect(text).toMatch(/Version: 3 \(0x2\)/);
      expect(text).toMatch(/X509v3 Subject Key Identifier/);
    }
    expect(sortUsages(await inspect(dir.path, intermediate.certPath))).toEqual(sortUsages(expected(intermediate)));
  });

  for (const leaf of leaves) {
    it(`${leaf.spec.id}: subject, SANs and usages equal the spec; openssl verify -purpose ${leaf.purposes.join("+")} accepts it`, async () => {
      expect(sortUsages(await inspect(dir.path, leaf.spec.certPath))).toEqual(sortUsages(expected(leaf.spec)));
      const chain =
        leaf.issuer === intermediate
          ? ["-CAfile", ca.certPath, "-untrusted", intermediate.certPath]
          : ["-CAfile", leaf.issuer.certPath];
      for (const purpose of leaf.purposes) {
        const out = await runOk("openssl", ["verify", "-purpose", purpose, ...chain, leaf.spec.certPath], {
          cwd: dir.path,
        });
        expect(out).toContain(": OK");
      }
      // Scoped: a client-only certificate is not a server certificate (reference §7 item 11).
      if (!leaf.purposes.includes("sslserver")) {
        const result = await run("openssl", ["verify", "-purpose", "sslserver", ...chain, leaf.spec.certPath], {
          cwd: dir.path,
        });
        expect(result.code).not.toBe(0);
      }
    });
  }

  it("uses the validity from the spec (not openssl's 30-day default) and the issuer's digest", async () => {
    const apiserver = leaves[0]!.spec;
    const dates = await runOk("openssl", ["x509", "-in", apiserver.certPath, "-noout", "-startdate", "-enddate"], {
      cwd: dir.path,
    });
    const start = Date.parse(/notBefore=(.*)/.exec(dates)![1]!);
    const end = Date.parse(/notAfter=(.*)/.exec(dates)![1]!);
    expect(Math.round((end - start) / 86_400_000)).toBe(365);
    const fp = await runOk("openssl", ["x509", "-in", "front-proxy-client.crt", "-noout", "-text"], { cwd: dir.path });
    expect(fp).toMatch(/Signature Algorithm: ecdsa-with-SHA384/);
  });

  it("toShell() runs the same steps through sh", async () => {
    const shellDir = join(dir.path, "shell");
    const root = caSpec("shell ca", "shell-ca");
    const rootPlan = renderOpensslCommands(
      { ...root, certPath: "out dir/ca.crt", keyPath: "out dir/ca.key" },
      { workDir: "work dir" },
    );
    const leaf = spec({
      id: "o'brien",
      extKeyUsages: ["clientAuth"],
      certPath: "out dir/leaf.crt",
      keyPath: "out dir/leaf.key",
      signer: "shell ca",
    });
    const leafPlan = renderOpensslCommands(leaf, {
      issuer: { certPath: "out dir/ca.crt", keyPath: "out dir/ca.key" },
      workDir: "work dir",
    });
    await runOk("mkdir", ["-p", shellDir]);
    await runOk("sh", ["-c", rootPlan.toShell() + leafPlan.toShell()], { cwd: shellDir });
    const out = await runOk(
      "openssl",
      ["verify", "-purpose", "sslclient", "-CAfile", "out dir/ca.crt", "out dir/leaf.crt"],
      { cwd: shellDir },
    );
    expect(out).toContain(": OK");
  });
});

describe("the tutorial's own commands (reference §7) fail where ours succeed", () => {
  let tdir: string;
  beforeAll(async () => {
    tdir = join(dir.path, "tutorial");
    await runOk("mkdir", ["-p", tdir]);
    // Verbatim from the seed tutorial, "Certificate Authority (CA)".
    await runOk("openssl", ["genrsa", "-out", "ca.key", "2048"], { cwd: tdir });
    await runOk("openssl", ["req", "-new", "-key", "ca.key", "-subj", "/CN=KUBERNETES-CA", "-out", "ca.csr"], {
      cwd: tdir,
    });
    await runOk("openssl", ["x509", "-req", "-in", "ca.csr", "-signkey", "ca.key", "-out", "ca.crt"], { cwd: tdir });
    await writeFile(
      join(tdir, "openssl.cnf"),
      await readFile(new URL("./fixtures/tutorial-apiserver-openssl.cnf", import.meta.url)),
    );
    await runOk("openssl", ["genrsa", "-out", "apiserver.key", "2048"], { cwd: tdir });
  });

  it("x509 -req -signkey makes a v1 CA without CA:TRUE and with openssl's 30-day default (items 1, 2)", async () => {
    const text = await runOk("openssl", ["x509", "-in", "ca.crt", "-noout", "-text"], { cwd: tdir });
    expect(text).toMatch(/Version: 1 \(0x0\)/);
    expect(text).not.toMatch(/X509v3/);
    expect((await inspect(tdir, "ca.crt")).isCa).toBeUndefined();
    const dates = await runOk("openssl", ["x509", "-in", "ca.crt", "-noout", "-startdate", "-enddate"], { cwd: tdir });
    const days =
      (Date.parse(/notAfter=(.*)/.exec(dates)![1]!) - Date.parse(/notBefore=(.*)/.exec(dates)![1]!)) / 86_400_000;
    expect(Math.round(days)).toBe(30);
  });

  it("the apiserver CSR with the tutorial's openssl.cnf fails on OpenSSL 3 (item 12)", async () => {
    const result = await run(
      "openssl",
      [
        "req",
        "-new",
        "-key",
        "apiserver.key",
        "-subj",
        "/CN=kube-apiserver",
        "-out",
        "apiserver.csr",
        "-config",
        "openssl.cnf",
      ],
      { cwd: tdir },
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("Unable to get 'req_distinguished_name' section");
  });

  it("with that section added, x509 -req -CA drops the SANs and issues a v1 certificate (item 14)", async () => {
    const cnf = `${await readFile(join(tdir, "openssl.cnf"), "utf8")}[req_distinguished_name]\n`;
    await writeFile(join(tdir, "openssl-fixed.cnf"), cnf);
    await runOk(
      "openssl",
      [
        "req",
        "-new",
        "-key",
        "apiserver.key",
        "-subj",
        "/CN=kube-apiserver",
        "-out",
        "apiserver.csr",
        "-config",
        "openssl-fixed.cnf",
      ],
      { cwd: tdir },
    );
    // The CSR does carry the SANs ...
    const csr = await runOk("openssl", ["req", "-in", "apiserver.csr", "-noout", "-text"], { cwd: tdir });
    expect(csr).toContain("DNS:kubernetes.default.svc.cluster.local");
    // ... the tutorial's signing command loses them.
    await runOk(
      "openssl",
      ["x509", "-req", "-in", "apiserver.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-out", "apiserver.crt"],
      { cwd: tdir },
    );
    const observed = await inspect(tdir, "apiserver.crt");
    expect(observed.sans).toEqual([]);
    expect(observed.extKeyUsages).toEqual([]);
    const text = await runOk("openssl", ["x509", "-in", "apiserver.crt", "-noout", "-text"], { cwd: tdir });
    expect(text).toMatch(/Version: 1 \(0x0\)/);
  });

  it("even with its extensions kept, keyUsage = nonRepudiation is unsuitable for a TLS server (item 13)", async () => {
    await runOk(
      "openssl",
      [
        "x509",
        "-req",
        "-in",
        "apiserver.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-extfile",
        "openssl-fixed.cnf",
        "-extensions",
        "v3_req",
        "-out",
        "apiserver-ext.crt",
      ],
      { cwd: tdir },
    );
    expect((await inspect(tdir, "apiserver-ext.crt")).sans).toContainEqual({
      type: "dns",
      value: "kubernetes.default.svc.cluster.local",
    });
    const result = await run("openssl", ["verify", "-purpose", "sslserver", "-CAfile", "ca.crt", "apiserver-ext.crt"], {
      cwd: tdir,
    });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/unsuitable certificate purpose/);
  });
});

describe("renderOpensslConfig", () => {
  it("writes [req] with prompt = no and an existing distinguished_name section", () => {
    const cnf = renderOpensslConfig(caSpec("ca", "kubernetes"));
    expect(cnf).toMatch(/^\[req\]\ndistinguished_name = dn\nprompt = no$/m);
    expect(cnf).toMatch(/^\[dn\]\nCN = kubernetes$/m);
    expect(cnf).toContain("basicConstraints = critical, CA:TRUE\n");
    expect(cnf).toContain("keyUsage = critical, digitalSignature, keyEncipherment, keyCertSign\n");
    expect(cnf).not.toContain("authorityKeyIdentifier");
  });

  it("refuses what cannot be written, with typed errors", () => {
    const cases: [Partial<OpensslCertSpec>, string][] = [
      [{ subject: { commonName: "a\nb" } }, "INVALID_SUBJECT"],
      [{ subject: { commonName: "" } }, "INVALID_SUBJECT"],
      [{ sans: [{ type: "ip", value: "10.0.0.256" }] }, "INVALID_IP"],
      [{ sans: [{ type: "dns", value: "bad name" }] }, "INVALID_SAN"],
      [{ validityDays: 0 }, "INVALID_ARGUMENT"],
      [{ pathLength: 1 }, "INVALID_ARGUMENT"],
    ];
    for (const [overrides, code] of cases) {
      let caught: unknown;
      try {
        renderOpensslConfig(spec({ id: "x", ...overrides }));
      } catch (error) {
        caught = error;
      }
      expect(isRendererError(caught), JSON.stringify(overrides)).toBe(true);
      expect((caught as { code: string }).code, JSON.stringify(overrides)).toBe(code);
    }
    expect(() => renderOpensslCommands(spec({ id: "leaf" }))).toThrowError(/pass options.issuer/);
    expect(() =>
      renderOpensslCommands(caSpec("ca", "kubernetes"), { issuer: { certPath: "a", keyPath: "b" } }),
    ).toThrowError(/self-signed/);
  });
});
