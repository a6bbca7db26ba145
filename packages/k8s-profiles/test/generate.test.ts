import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type Certificate,
  type ExtKeyUsage,
  importPrivateKeyPem,
  isKubepkiError,
  keyMatchesCertificate,
  parseCertificate,
  verifyChain,
} from "@kubepki/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selfSignedRsaArgs } from "../../core/test/helpers/openssl-args.js";
import {
  type CertSpec,
  type ClusterConfig,
  type ClusterPki,
  type GenerateProgress,
  generateCluster,
  type KubeadmFile,
  planCluster,
  toKubeadmFiles,
} from "../src/index.js";
import { countingCrypto, KUBECTL, openssl, run, tempDir, writeTree } from "./helpers/tree.js";

const nodes: ClusterConfig["nodes"] = [
  { name: "cp-1", role: "control-plane", addresses: ["10.0.0.11"] },
  { name: "cp-2", role: "control-plane", addresses: ["10.0.0.12"] },
  { name: "cp-3", role: "control-plane", addresses: ["10.0.0.13", "fd00::13"] },
  { name: "w-1", role: "worker", addresses: ["10.0.0.21"] },
  { name: "w-2", role: "worker", addresses: ["10.0.0.22", "fd00::22"] },
  { name: "w-3", role: "worker", addresses: ["10.0.0.23"] },
];
const ha: ClusterConfig = {
  nodes,
  controlPlaneEndpoint: "k8s-api.example.com:6443",
  certSANs: ["10.0.0.100", "*.k8s.example.com"],
  keyAlgorithm: "ECDSA-P256",
};
const small: ClusterConfig = {
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] },
    { name: "w-1", role: "worker", addresses: ["192.168.10.21"] },
  ],
  keyAlgorithm: "ECDSA-P256",
};

const PURPOSE: Record<string, string> = { serverAuth: "sslserver", clientAuth: "sslclient" };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

function caSpecOf(pki: ClusterPki, spec: CertSpec): CertSpec {
  return pki.plan.certificates.find((candidate) => candidate.isCa && candidate.role === spec.signer) as CertSpec;
}

/**
 * Every check of a generated tree against independent implementations: openssl verify (with the
 * purpose each EKU allows), openssl's view of each key pair, core's verifyChain for every SAN,
 * keyMatchesCertificate, subjects and CA flags.
 */
async function checkTree(pki: ClusterPki, files: readonly KubeadmFile[], dir: string): Promise<void> {
  const byPath = new Map(files.map((file) => [file.path, file]));
  for (const spec of pki.plan.certificates) {
    const certFile = byPath.get(spec.certPath);
    const keyFile = byPath.get(spec.keyPath);
    expect(certFile, spec.certPath).toBeDefined();
    expect(keyFile, spec.keyPath).toBeDefined();
    const certificate = parseCertificate(certFile?.contents as string);

    // Subject, CA flag and usages exactly as specified.
    expect(certificate.subject.commonName, spec.id).toBe(spec.subject.commonName);
    expect(certificate.subject.organizations ?? [], spec.id).toEqual(spec.subject.organizations ?? []);
    expect(certificate.isCa, spec.id).toBe(spec.isCa);
    expect(certificate.keyUsages, spec.id).toEqual(spec.keyUsages);
    expect(certificate.extKeyUsages ?? [], spec.id).toEqual(spec.extKeyUsages);
    expect(certificate.notBefore.getTime(), spec.id).toBe(Math.floor(pki.now.getTime() / 1000) * 1000 - 5 * 60_000);

    // The key belongs to the certificate: core, and openssl's own reading of both files.
    const keyPair = await importPrivateKeyPem(keyFile?.contents as string);
    expect(await keyMatchesCertificate(keyPair, certificate), spec.id).toBe(true);
    const fromKey = openssl(["pkey", "-in", spec.keyPath, "-pubout"], dir);
    const fromCert = openssl(["x509", "-in", spec.certPath, "-pubkey", "-noout"], dir);
    expect(fromKey.status, fromKey.stderr).toBe(0);
    expect(fromKey.stdout, spec.id).toBe(fromCert.stdout);

    if (spec.isCa) {
      const text = openssl(["x509", "-in", spec.certPath, "-noout", "-ext", "basicConstraints"], dir);
      expect(text.stdout, spec.id).toMatch(/critical\s+CA:TRUE/);
      continue;
    }

    const ca = caSpecOf(pki, spec);
    const caCertificate = parseCertificate(byPath.get(ca.certPath)?.contents as string);
    for (const usage of spec.extKeyUsages) {
      const verified = openssl(
        ["verify", "-purpose", PURPOSE[usage] as string, "-CAfile", ca.certPath, spec.certPath],
        dir,
      );
      expect(verified.status, `${spec.id} ${usage}: ${verified.stdout}${verified.stderr}`).toBe(0);
      expect(verified.stdout).toContain(": OK");
    }
    const usage = spec.extKeyUsages[0] as ExtKeyUsage;
    const chain = await verifyChain(certificate, [], [caCertificate], { usage });
    expect(chain.map((link) => link.subjectText)).toEqual([certificate.subjectText, caCertificate.subjectText]);
    for (const san of spec.sans) {
      const name = san.type === "dns" ? { dnsName: san.value.replace(/^\*\./, "any.") } : { ipAddress: san.value };
      await expect(
        verifyChain(certificate, [], [caCertificate], { usage, ...name }),
        `${spec.id} ${san.value}`,
      ).resolves.toBeDefined();
    }
    // Chained to its own CA only: etcd leaves not to ca, front-proxy-client not to ca, the rest not to etcd-ca.
    const otherCa = pki.plan.certificates.find(
      (candidate) => candidate.isCa && candidate.role !== spec.signer,
    ) as CertSpec;
    const foreign = openssl(["verify", "-CAfile", otherCa.certPath, spec.certPath], dir);
    expect(foreign.status, `${spec.id} must not verify against ${otherCa.id}`).not.toBe(0);
  }
}

describe("generateCluster: 3 control-plane + 3 worker nodes, ECDSA P-256", () => {
  let pki: ClusterPki;
  let files: KubeadmFile[];
  const tree = tempDir("ha");

  beforeAll(async () => {
    pki = await generateCluster(ha);
    files = toKubeadmFiles(pki);
    writeTree(tree.dir, files);
  });
  afterAll(() => tree.remove());

  it("one entry per certificate of the plan, in plan order, each with its spec's key algorithm", () => {
    const plan = planCluster(ha);
    expect(pki.certificates.map((entry) => entry.spec.id)).toEqual(plan.certificates.map((spec) => spec.id));
    for (const entry of pki.certificates) {
      expect(entry.keyPair.algorithm).toBe("ECDSA-P256");
      expect(entry.certificate.keyAlgorithm).toBe("ECDSA-P256");
      expect(entry.source).toBe("generated");
      expect(entry.privateKeyPem.startsWith("-----BEGIN EC PRIVATE KEY-----")).toBe(true);
    }
    expect(pki.serviceAccountKey.keyPair.algorithm).toBe("ECDSA-P256");
  });

  it("every leaf verifies against its CA (openssl -purpose, verifyChain with each SAN), keys match, subjects and CA flags as specified", async () => {
    await checkTree(pki, files, tree.dir);
  }, 120_000);

  it("etcd certificates chain to etcd-ca, front-proxy-client to front-proxy-ca, everything else to ca", () => {
    const issuers = new Map(
      pki.certificates.filter((entry) => entry.spec.isCa).map((entry) => [entry.spec.role, entry]),
    );
    for (const entry of pki.certificates) {
      if (entry.spec.isCa) continue;
      const expected =
        entry.spec.role.startsWith("etcd-") || entry.spec.role === "apiserver-etcd-client"
          ? "etcd-ca"
          : entry.spec.role === "front-proxy-client"
            ? "front-proxy-ca"
            : "ca";
      expect(entry.spec.signer, entry.spec.id).toBe(expected);
      const ca = issuers.get(expected)?.certificate as Certificate;
      expect(entry.certificate.issuerText, entry.spec.id).toBe(ca.subjectText);
      expect(entry.certificate.authorityKeyIdentifier, entry.spec.id).toBe(ca.subjectKeyIdentifier);
    }
  });

  it("every kubeconfig is read by the real kubectl 1.33, with the user's own certificate and the cluster CA embedded", () => {
    const conf = files.filter((file) => file.path.endsWith(".conf"));
    expect(conf.map((file) => file.path).sort()).toEqual(pki.plan.kubeconfigs.map((spec) => spec.path).sort());
    const caPem = pki.certificates.find((entry) => entry.spec.id === "ca")?.certificate.pem;
    for (const spec of pki.plan.kubeconfigs) {
      // `config view` only reads the file: it never connects to the server.
      const viewed = run(KUBECTL, ["config", "view", "--raw", "-o", "json", "--kubeconfig", join(tree.dir, spec.path)]);
      expect(viewed.status, `${spec.path}: ${viewed.stderr}`).toBe(0);
      const config = JSON.parse(viewed.stdout);
      expect(config["current-context"]).toBe(spec.contextName);
      const context = config.contexts.find((entry: { name: string }) => entry.name === spec.contextName).context;
      expect(context).toEqual({ cluster: spec.clusterName, user: spec.userName });
      const user = config.users.find((entry: { name: string }) => entry.name === spec.userName).user;
      const cluster = config.clusters.find((entry: { name: string }) => entry.name === spec.clusterName).cluster;
      const entry = pki.certificates.find((candidate) => candidate.spec.id === spec.certificateId);
      const decode = (data: string) => Buffer.from(data, "base64").toString("utf8");
      expect(decode(user["client-certificate-data"]), spec.path).toBe(entry?.certificate.pem);
      expect(decode(user["client-key-data"]), spec.path).toBe(entry?.privateKeyPem);
      expect(decode(cluster["certificate-authority-data"]), spec.path).toBe(caPem);
      expect(cluster.server).toBe(spec.server);
      expect(parseCertificate(decode(user["client-certificate-data"])).subject.commonName).toBe(spec.userName);
    }
    const admin = pki.plan.kubeconfigs.find((spec) => spec.path === "admin.conf");
    expect(admin?.userName).toBe("kubernetes-admin");
  }, 120_000);

  it("uses one clock: every certificate shares NotBefore = now − 5 min", () => {
    const notBefore = new Set(pki.certificates.map((entry) => entry.certificate.notBefore.getTime()));
    expect(notBefore.size).toBe(1);
  });
});

describe("generateCluster: RSA-2048", () => {
  it("a small cluster with RSA keys passes the same checks; keys are PKCS#1 as kubeadm writes them", async () => {
    const tree = tempDir("rsa");
    try {
      const pki = await generateCluster({ ...small, keyAlgorithm: "RSA-2048" });
      const files = toKubeadmFiles(pki);
      writeTree(tree.dir, files);
      for (const entry of pki.certificates) {
        expect(entry.certificate.keyAlgorithm).toBe("RSA-2048");
        expect(entry.privateKeyPem.startsWith("-----BEGIN RSA PRIVATE KEY-----")).toBe(true);
      }
      expect(readFileSync(join(tree.dir, "pki/sa.key"), "utf8")).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
      await checkTree(pki, files, tree.dir);
    } finally {
      tree.remove();
    }
  }, 180_000);
});

describe("generateCluster: existing CA", () => {
  const work = tempDir("existing");
  let caCertPem: string;
  let caKeyPem: string;
  const makeCa = (name: string, extra: string[]) => {
    const made = openssl(selfSignedRsaArgs(name, `/CN=${name}`, extra), work.dir);
    expect(made.status, made.stderr).toBe(0);
    return {
      certificatePem: readFileSync(join(work.dir, `${name}.crt`), "utf8"),
      privateKeyPem: readFileSync(join(work.dir, `${name}.key`), "utf8"),
    };
  };

  beforeAll(() => {
    const ca = makeCa("corp-root", [
      "-days",
      "3650",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,digitalSignature",
    ]);
    caCertPem = ca.certificatePem;
    caKeyPem = ca.privateKeyPem;
  });
  afterAll(() => work.remove());

  it("signs the leaves with the given CA; ca.crt is that CA unchanged; no ca.key is generated or written", async () => {
    const tree = tempDir("existing-tree");
    try {
      const { crypto, stats } = countingCrypto();
      const events: GenerateProgress[] = [];
      const pki = await generateCluster(small, {
        existingCa: { ca: { certificatePem: caCertPem, privateKeyPem: caKeyPem } },
        crypto,
        onProgress: (event) => events.push(event),
      });
      // One key fewer than the plan has certificates (+ sa): the CA's.
      expect(stats.calls).toBe(pki.plan.certificates.length);
      const caEntry = pki.certificates.find((entry) => entry.spec.id === "ca");
      expect(caEntry?.source).toBe("existing");
      expect(events.find((event) => event.id === "ca")?.phase).toBe("existing-ca");

      const files = toKubeadmFiles(pki);
      writeTree(tree.dir, files);
      const paths = files.map((file) => file.path);
      expect(readFileSync(join(tree.dir, "pki/ca.crt"), "utf8")).toBe(caCertPem);
      expect(paths).not.toContain("pki/ca.key");
      expect(paths).toContain("pki/etcd/ca.key"); // the other CAs are made as usual
      for (const node of ["cp-1", "w-1"]) {
        expect(readFileSync(join(tree.dir, `nodes/${node}/pki/ca.crt`), "utf8")).toBe(caCertPem);
      }
      // kubeadm external-CA mode: the controller-manager does not sign CSRs.
      const kcm = readFileSync(join(tree.dir, "flags/kube-controller-manager.txt"), "utf8").split("\n");
      expect(kcm).toContain("--cluster-signing-cert-file=");
      expect(kcm).toContain("--cluster-signing-key-file=");

      const corpRoot = parseCertificate(caCertPem);
      for (const entry of pki.certificates) {
        if (entry.spec.signer !== "ca") continue;
        expect(entry.certificate.issuerText).toBe("/CN=corp-root");
        const usage = entry.spec.extKeyUsages[0] as ExtKeyUsage;
        await verifyChain(entry.certificate, [], [corpRoot], { usage });
        const verified = openssl(
          [
            "verify",
            "-purpose",
            PURPOSE[usage] as string,
            "-CAfile",
            join(work.dir, "corp-root.crt"),
            entry.spec.certPath,
          ],
          tree.dir,
        );
        expect(verified.status, `${entry.spec.id}: ${verified.stdout}${verified.stderr}`).toBe(0);
      }
      const admin = run(KUBECTL, [
        "config",
        "view",
        "--raw",
        "-o",
        "json",
        "--kubeconfig",
        join(tree.dir, "admin.conf"),
      ]);
      const caData = JSON.parse(admin.stdout).clusters[0].cluster["certificate-authority-data"];
      expect(Buffer.from(caData, "base64").toString("utf8")).toBe(caCertPem);
    } finally {
      tree.remove();
    }
  }, 60_000);

  it('existingCaKeys: "write" writes the CA key back (PKCS#1) and gives the controller-manager the signing pair', async () => {
    const pki = await generateCluster(small, {
      existingCa: { ca: { certificatePem: caCertPem, privateKeyPem: caKeyPem } },
    });
    const files = toKubeadmFiles(pki, { existingCaKeys: "write" });
    const key = files.find((file) => file.path === "pki/ca.key");
    expect(key?.mode).toBe(0o600);
    expect(key?.contents).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(await keyMatchesCertificate(await importPrivateKeyPem(key?.contents as string), caCertPem)).toBe(true);
    const kcm = files.find((file) => file.path === "flags/kube-controller-manager.txt")?.contents.split("\n");
    expect(kcm).toContain("--cluster-signing-key-file=/etc/kubernetes/pki/ca.key");
  });

  it("a certificate that is not a CA → NOT_A_CA naming existingCa.ca, before any key is generated", async () => {
    const leaf = makeCa("not-a-ca", ["-days", "3650", "-addext", "basicConstraints=critical,CA:FALSE"]);
    const { crypto, stats } = countingCrypto();
    const error = await rejection(generateCluster(small, { existingCa: { ca: leaf }, crypto }));
    expect(isKubepkiError(error, "NOT_A_CA")).toBe(true);
    expect((error as Error).message).toMatch(/^existingCa\.ca: \/CN=not-a-ca is not a CA/);
    expect(stats.calls).toBe(0);
  });

  it("a key that is not the CA's → KEY_MISMATCH naming existingCa.etcdCa", async () => {
    const other = makeCa("other", ["-days", "3650"]);
    const { crypto, stats } = countingCrypto();
    const error = await rejection(
      generateCluster(small, {
        existingCa: { etcdCa: { certificatePem: caCertPem, privateKeyPem: other.privateKeyPem } },
        crypto,
      }),
    );
    expect(isKubepkiError(error, "KEY_MISMATCH")).toBe(true);
    expect((error as Error).message).toContain("existingCa.etcdCa");
    expect(stats.calls).toBe(0);
  });

  it("a CA that expires before the leaves would (openssl's default 30 days) → VALIDITY_EXCEEDS_ISSUER up front", async () => {
    const short = makeCa("short-lived", [
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign",
    ]);
    const { crypto, stats } = countingCrypto();
    const error = await rejection(generateCluster(small, { existingCa: { frontProxyCa: short }, crypto }));
    expect(isKubepkiError(error, "VALIDITY_EXCEEDS_ISSUER")).toBe(true);
    expect((error as Error).message).toMatch(
      /^existingCa\.frontProxyCa: front-proxy-client:cp-1 would be valid for 365 days/,
    );
    expect(stats.calls).toBe(0);
  });

  it("broken PEM keeps core's code and names the field; an etcd CA with external etcd is refused", async () => {
    const broken = await rejection(
      generateCluster(small, { existingCa: { ca: { certificatePem: "nope", privateKeyPem: caKeyPem } } }),
    );
    expect(isKubepkiError(broken, "INVALID_PEM")).toBe(true);
    expect((broken as Error).message).toMatch(/^existingCa\.ca\.certificatePem: /);
    const external = await rejection(
      generateCluster(
        { ...small, etcd: { type: "external", endpoints: ["https://etcd-0.example.com:2379"] } },
        { existingCa: { etcdCa: { certificatePem: caCertPem, privateKeyPem: caKeyPem } } },
      ),
    );
    expect(isKubepkiError(external, "INVALID_ARGUMENT")).toBe(true);
    expect((external as Error).message).toMatch(/^existingCa\.etcdCa: /);
  });
});

describe("generateCluster: progress, abort, failure", () => {
  it("reports each item exactly once, done counting 1..total", async () => {
    const events: GenerateProgress[] = [];
    const pki = await generateCluster(ha, { onProgress: (event) => events.push(event) });
    const total = pki.plan.certificates.length + 1;
    expect(events.map((event) => event.done)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(new Set(events.map((event) => event.total))).toEqual(new Set([total]));
    expect(events.map((event) => event.id).sort()).toEqual(
      [...pki.plan.certificates.map((spec) => spec.id), "sa"].sort(),
    );
    const phases = new Map(events.map((event) => [event.id, event.phase]));
    expect(phases.get("ca")).toBe("ca");
    expect(phases.get("apiserver:cp-1")).toBe("certificate");
    expect(phases.get("sa")).toBe("service-account-key");
  });

  it("aborting after the first progress event rejects with ABORTED, no result and no further events", async () => {
    const controller = new AbortController();
    const events: GenerateProgress[] = [];
    const error = await rejection(
      generateCluster(ha, {
        signal: controller.signal,
        onProgress: (event) => {
          events.push(event);
          controller.abort();
        },
      }),
    );
    expect(isKubepkiError(error, "ABORTED")).toBe(true);
    expect(events).toHaveLength(1);
  });

  it("rejects promptly while key generations hang, and starts nothing once aborted", async () => {
    const controller = new AbortController();
    let release = () => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Every key generation waits until released: only the abort can end the call.
    const { crypto, stats } = countingCrypto(() => hold);
    const pending = generateCluster(small, { signal: controller.signal, crypto, concurrency: 2 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(stats.calls).toBe(2);
    controller.abort(new Error("user pressed ^C"));
    const error = await rejection(pending);
    expect(isKubepkiError(error, "ABORTED")).toBe(true);
    expect((error as Error).cause).toEqual(new Error("user pressed ^C"));
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stats.calls).toBe(2);
  });

  it("an already aborted signal rejects before any key is made", async () => {
    const { crypto, stats } = countingCrypto();
    const error = await rejection(generateCluster(small, { signal: AbortSignal.abort(), crypto }));
    expect(isKubepkiError(error, "ABORTED")).toBe(true);
    expect(stats.calls).toBe(0);
  });

  it("a failing key generation rejects the whole call with the certificate named, and stops new work", async () => {
    const { crypto, stats } = countingCrypto((call) =>
      call === 5 ? Promise.reject(new Error("HSM unplugged")) : undefined,
    );
    const error = await rejection(generateCluster(ha, { crypto, concurrency: 1 }));
    expect(isKubepkiError(error, "CRYPTO_ERROR"), String(error)).toBe(true);
    // Sequential (concurrency 1), so the fifth key is the fifth certificate of the plan.
    const fifth = planCluster(ha).certificates[4]?.id;
    expect(fifth).toBe("apiserver:cp-2");
    expect((error as Error).message).toBe(`${fifth}: WebCrypto generateKey(ECDSA-P256) failed: HSM unplugged`);
    expect((error as { details?: { certificate?: string } }).details?.certificate).toBe(fifth);
    expect(stats.calls).toBe(5);
  });

  it("a failure is reported at once even while another WebCrypto call never returns", async () => {
    // Key 1 hangs forever (a stuck HSM), key 2 fails: the call must reject with key 2's error
    // without waiting for key 1.
    const { crypto } = countingCrypto((call) =>
      call === 1 ? new Promise<void>(() => {}) : call === 2 ? Promise.reject(new Error("HSM unplugged")) : undefined,
    );
    const error = await rejection(generateCluster(small, { crypto, concurrency: 2 }));
    const second = planCluster(small).certificates[1]?.id;
    expect((error as Error).message).toBe(`${second}: WebCrypto generateKey(ECDSA-P256) failed: HSM unplugged`);
  });

  it("validates options and plans before doing anything", async () => {
    for (const [options, field] of [
      [{ concurrency: 0 }, "concurrency"],
      [{ concurrency: 2.5 }, "concurrency"],
      [{ now: new Date(Number.NaN) }, "now"],
      [{ onProgress: "yes" }, "onProgress"],
      [{ existingCa: { rootCa: { certificatePem: "", privateKeyPem: "" } } }, "existingCa.rootCa"],
    ] as const) {
      const error = await rejection(generateCluster(small, options as never));
      expect(isKubepkiError(error, "INVALID_ARGUMENT"), field).toBe(true);
      expect((error as { details?: { field?: string } }).details?.field).toBe(field);
    }
    // Config errors are planCluster's, as a rejection rather than a throw.
    const bad = generateCluster({ nodes: [{ name: "cp-1", role: "control-plane", addresses: ["10.0.0.300"] }] });
    expect(isKubepkiError(await rejection(bad), "INVALID_IP")).toBe(true);
    // A plan whose leaf comes before its CA.
    const plan = planCluster(small);
    const reordered = { ...plan, certificates: [...plan.certificates.slice(3), ...plan.certificates.slice(0, 3)] };
    expect(isKubepkiError(await rejection(generateCluster(reordered)), "INVALID_ARGUMENT")).toBe(true);
  });

  it("accepts a plan instead of a config, and honours now", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const pki = await generateCluster(planCluster(small), { now });
    expect(pki.now).toBe(now);
    const ca = pki.certificates[0]?.certificate as Certificate;
    expect(ca.notBefore.toISOString()).toBe("2029-12-31T23:55:00.000Z");
    expect(ca.notAfter.toISOString()).toBe("2039-12-30T00:00:00.000Z");
  });
});

describe("generateCluster: bounded concurrency (counted, not timed)", () => {
  const workers: ClusterConfig = {
    keyAlgorithm: "ECDSA-P256",
    nodes: [
      { name: "cp-1", role: "control-plane", addresses: ["10.0.0.11"] },
      ...Array.from({ length: 100 }, (_, i) => ({
        name: `worker-${i + 1}`,
        role: "worker" as const,
        addresses: [`10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`],
      })),
    ],
  };

  it("100 workers' kubelet pairs: more than one key generation in flight, never more than the default (32 for ECDSA)", async () => {
    const { crypto, stats } = countingCrypto();
    const pki = await generateCluster(workers, { crypto });
    expect(pki.certificates.filter((entry) => entry.spec.role.startsWith("kubelet-"))).toHaveLength(202);
    expect(stats.calls).toBe(pki.plan.certificates.length + 1);
    expect(stats.maxInFlight).toBeGreaterThan(1);
    expect(stats.maxInFlight).toBeLessThanOrEqual(32);
  }, 60_000);

  it("concurrency: 4 is honoured, and 1 makes it sequential", async () => {
    for (const concurrency of [4, 1]) {
      const { crypto, stats } = countingCrypto();
      await generateCluster(workers, { crypto, concurrency });
      expect(stats.maxInFlight).toBe(concurrency);
    }
  }, 60_000);

  it("RSA defaults to 8 in flight", async () => {
    // Held key generations fill the window without waiting for real RSA keys; then abort.
    const controller = new AbortController();
    const { crypto, stats } = countingCrypto(() => new Promise<void>(() => {}));
    const pending = generateCluster({ ...workers, keyAlgorithm: "RSA-2048" }, { crypto, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(stats.maxInFlight).toBe(8);
    controller.abort();
    expect(isKubepkiError(await rejection(pending), "ABORTED")).toBe(true);
  });
});
