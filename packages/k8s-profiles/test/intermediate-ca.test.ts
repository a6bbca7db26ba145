// Two-tier CAs (issue 20): the cluster's CAs issued by an offline root, or brought with their
// chain; every leaf file is leaf + intermediate(s), every CA file the CA alone (kubernetes/kubernetes
// PR #97266, kubernetes/kubeadm#2360). Checked by openssl, @peculiar/x509's chain builder and core's
// verifyChain; day 2 (renew, diff, apply) keeps the chain.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { type Certificate, type ExtKeyUsage, parseCertificates, verifyChain } from "@kubepki/core";
import * as x509 from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught } from "../../core/test/helpers/caught.js";
import {
  applyCluster,
  auditCluster,
  type ClusterConfig,
  describeTree,
  diffCluster,
  generateCluster,
  type KubeadmFile,
  renewCertificates,
  rotateCas,
  toKubeadmFiles,
} from "../src/index.js";
import { type CaPair, makeIntermediate, makeRoot } from "./helpers/chain-cas.js";
import { openssl, tempDir, writeTree } from "./helpers/tree.js";

x509.cryptoProvider.set(webcrypto as Crypto);

const small: ClusterConfig = {
  keyAlgorithm: "ECDSA-P256",
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] },
    { name: "w-1", role: "worker", addresses: ["192.168.10.21"] },
  ],
};
const PURPOSE: Partial<Record<ExtKeyUsage, string>> = { serverAuth: "sslserver", clientAuth: "sslclient" };
const CA_FILES = ["pki/ca.crt", "pki/etcd/ca.crt", "pki/front-proxy-ca.crt"];

const fileOf = (files: readonly KubeadmFile[], path: string) => files.find((file) => file.path === path) as KubeadmFile;
const filesMap = (files: readonly KubeadmFile[]) => Object.fromEntries(files.map((file) => [file.path, file.contents]));
const kubeconfigData = (text: string, field: string) =>
  Buffer.from(new RegExp(`${field}: (\\S+)`).exec(text)?.[1] ?? "", "base64").toString("utf8");

describe("generateCluster with rootCa: the three CAs are intermediates of the root", () => {
  const work = tempDir("intermediate");
  let offline: CaPair;
  let files: KubeadmFile[];
  let pki: Awaited<ReturnType<typeof generateCluster>>;
  beforeAll(async () => {
    offline = await makeRoot("/O=Example Corp/CN=offline-root", 1);
    pki = await generateCluster(small, { rootCa: offline.pem });
    files = toKubeadmFiles(pki);
    writeTree(work.dir, files);
    writeTree(work.dir, [{ path: "root.crt", contents: offline.certificate.pem, mode: 0o644 }]);
  }, 60_000);
  afterAll(() => work.remove());

  it("issues ca, etcd-ca, front-proxy-ca from the root: CA, pathlen 0, keyCertSign, the plan's subjects", () => {
    for (const entry of pki.certificates.filter((candidate) => candidate.spec.isCa)) {
      expect(entry.certificate.isCa).toBe(true);
      expect(entry.certificate.pathLength).toBe(0);
      expect(entry.certificate.keyUsages).toContain("keyCertSign");
      expect(entry.certificate.issuerText).toBe("/O=Example Corp/CN=offline-root");
      expect(entry.certificate.subjectText).toBe(`/CN=${entry.spec.role === "ca" ? "kubernetes" : entry.spec.role}`);
      // The root is self-signed: not sent, so a CA's chain is empty.
      expect(entry.chain).toEqual([]);
    }
  });

  it("writes every CA file (and node copy, and certificate-authority-data) as the CA alone", () => {
    for (const path of [...CA_FILES, "nodes/cp-1/pki/ca.crt", "nodes/w-1/pki/ca.crt"]) {
      expect(parseCertificates(fileOf(files, path).contents), path).toHaveLength(1);
    }
    for (const file of files.filter((candidate) => candidate.path.endsWith(".conf"))) {
      const ca = parseCertificates(kubeconfigData(file.contents, "certificate-authority-data"));
      expect(
        ca.map((certificate) => certificate.subjectText),
        file.path,
      ).toEqual(["/CN=kubernetes"]);
      const client = parseCertificates(kubeconfigData(file.contents, "client-certificate-data"));
      expect(client.map((certificate) => certificate.subjectText).slice(1), file.path).toEqual(["/CN=kubernetes"]);
    }
  });

  it("writes every leaf as leaf + its intermediate; openssl verifies each against the root alone", () => {
    const leaves = pki.certificates.filter((entry) => !entry.spec.isCa);
    expect(leaves.length).toBeGreaterThan(10);
    for (const entry of leaves) {
      const certificates = parseCertificates(fileOf(files, entry.spec.certPath).contents);
      const ca = pki.certificates.find((candidate) => candidate.spec.isCa && candidate.spec.role === entry.spec.signer);
      expect(certificates.map((certificate) => certificate.fingerprintSha256)).toEqual([
        entry.certificate.fingerprintSha256,
        ca?.certificate.fingerprintSha256,
      ]);
      const purpose = PURPOSE[entry.spec.extKeyUsages[0] as ExtKeyUsage] as string;
      const path = entry.spec.certPath;
      const caPath = CA_FILES[["ca", "etcd-ca", "front-proxy-ca"].indexOf(entry.spec.signer)] as string;
      const byRoot = openssl(
        ["verify", "-purpose", purpose, "-CAfile", "root.crt", "-untrusted", path, path],
        work.dir,
      );
      expect(byRoot.status, `${path}: ${byRoot.stdout}${byRoot.stderr}`).toBe(0);
      const partial = openssl(["verify", "-partial_chain", "-purpose", purpose, "-CAfile", caPath, path], work.dir);
      expect(partial.status, `${path}: ${partial.stdout}${partial.stderr}`).toBe(0);
    }
  });

  it("@peculiar/x509's chain builder takes every leaf file up to the root; core's verifyChain too", async () => {
    const rootX509 = new x509.X509Certificate(offline.certificate.pem);
    for (const entry of pki.certificates.filter((candidate) => !candidate.spec.isCa)) {
      const [leaf, ...rest] = parseCertificates(fileOf(files, entry.spec.certPath).contents) as [
        Certificate,
        ...Certificate[],
      ];
      const builder = new x509.X509ChainBuilder({
        certificates: [...rest.map((certificate) => new x509.X509Certificate(certificate.pem)), rootX509],
      });
      const chain = await builder.build(new x509.X509Certificate(leaf.pem));
      expect(chain.map((certificate) => certificate.subject)).toEqual([
        new x509.X509Certificate(leaf.pem).subject,
        ...rest.map((certificate) => new x509.X509Certificate(certificate.pem).subject),
        "O=Example Corp, CN=offline-root",
      ]);
      expect(await verifyChain(leaf, rest, [offline.certificate])).toHaveLength(3);
    }
  });

  it("never writes the root key, and no key file equals it", async () => {
    const rootKey = offline.pem.privateKeyPem;
    const body = rootKey.split("\n")[1] as string;
    for (const file of files) {
      expect(file.contents.includes(body), file.path).toBe(false);
      expect(file.contents, file.path).not.toBe(rootKey);
    }
    expect(JSON.stringify(pki)).not.toContain(body);
  });

  it("refuses a root whose pathlen is 0, a root that ends before caDays, and rootCa with existingCa", async () => {
    const tight = await makeRoot("/CN=tight-root", 0);
    const error = await caught(() => generateCluster(small, { rootCa: tight.pem }));
    expect(error).toMatchObject({ code: "PATH_LENGTH_EXCEEDED", details: { field: "rootCa.certificatePem" } });
    const short = await makeRoot("/CN=short-root", undefined, 365);
    const shortError = await caught(() => generateCluster(small, { rootCa: short.pem }));
    expect(shortError).toMatchObject({ code: "VALIDITY_EXCEEDS_ISSUER", details: { field: "rootCa" } });
    const both = await caught(() => generateCluster(small, { rootCa: offline.pem, existingCa: { ca: offline.pem } }));
    expect(both).toMatchObject({ code: "INVALID_ARGUMENT", details: { field: "existingCa.ca" } });
    const leaf = await caught(() =>
      generateCluster(small, {
        rootCa: {
          certificatePem: fileOf(files, "pki/apiserver.crt").contents,
          privateKeyPem: offline.pem.privateKeyPem,
        },
      }),
    );
    expect(leaf).toMatchObject({ code: "NOT_A_CA" });
    const wrongKey = await caught(() =>
      generateCluster(small, {
        rootCa: { certificatePem: offline.pem.certificatePem, privateKeyPem: tight.pem.privateKeyPem },
      }),
    );
    expect(wrongKey).toMatchObject({ code: "KEY_MISMATCH" });
  });

  it("day 2: renew keeps leaf + intermediate, the diff sees no change, the tree stays verifiable", async () => {
    const tree = filesMap(files);
    const diff = diffCluster(pki.plan.config, tree);
    expect(diff.counts).toMatchObject({ add: 0, change: 0, remove: 0 });
    const renewed = await renewCertificates(tree, { names: ["apiserver", "admin.conf"] });
    const apiserver = renewed.files.find((file) => file.path === "pki/apiserver.crt")?.contents as string;
    const [fresh, ...tail] = parseCertificates(apiserver);
    expect(fresh?.fingerprintSha256).not.toBe(
      parseCertificates(tree["pki/apiserver.crt"] as string)[0]?.fingerprintSha256,
    );
    expect(tail.map((certificate) => certificate.subjectText)).toEqual(["/CN=kubernetes"]);
    const admin = renewed.files.find((file) => file.path === "admin.conf")?.contents as string;
    expect(parseCertificates(kubeconfigData(admin, "client-certificate-data"))).toHaveLength(2);
  });
});

describe("day 2 in a tree of intermediates", () => {
  let offline: CaPair;
  let tree: Record<string, string>;
  let pki: Awaited<ReturnType<typeof generateCluster>>;
  beforeAll(async () => {
    offline = await makeRoot("/CN=day2-root", 1);
    pki = await generateCluster(small, { rootCa: offline.pem });
    tree = filesMap(toKubeadmFiles(pki));
  }, 60_000);

  it("describeTree reads it; applyCluster gives a new node's leaves the same tail and keeps the others byte for byte", async () => {
    const described = describeTree(tree);
    expect((described.config.nodes ?? []).map((node) => node.name).sort()).toEqual(["cp-1", "w-1"]);
    const wanted = {
      ...small,
      nodes: [...(small.nodes ?? []), { name: "w-2", role: "worker" as const, addresses: ["192.168.10.22"] }],
    };
    const result = await applyCluster(wanted, tree);
    const written = filesMap(result.files);
    expect(written["pki/apiserver.crt"]).toBeUndefined(); // kept: not rewritten
    const kubelet = written["nodes/w-2/pki/kubelet.crt"] as string;
    expect(parseCertificates(kubelet).map((certificate) => certificate.subjectText)).toEqual([
      "/O=system:nodes/CN=system:node:w-2",
      "/CN=kubernetes",
    ]);
    const conf = written["nodes/w-2/kubelet.conf"] as string;
    expect(parseCertificates(kubeconfigData(conf, "client-certificate-data"))).toHaveLength(2);
    expect(parseCertificates(kubeconfigData(conf, "certificate-authority-data"))).toHaveLength(1);
    const after = { ...tree, ...written };
    const [leaf, ...rest] = parseCertificates(kubelet) as [Certificate, ...Certificate[]];
    await verifyChain(leaf, rest, [offline.certificate], { usage: "serverAuth" });
    expect(diffCluster(wanted, after).counts).toMatchObject({ add: 0, change: 0, remove: 0 });
  });

  it("rotateCas to a new self-signed CA drops the old intermediate from the reissued leaves", async () => {
    let files: Record<string, string> = tree;
    for (const phase of ["begin", "reissue"] as const) {
      const step = await rotateCas(files, { targets: ["ca"], phase });
      files = { ...files, ...filesMap(step.files) };
      for (const path of step.remove) delete files[path];
      // Each phase's tree audits without errors or warnings (info: the rotation in progress).
      const report = await auditCluster(files);
      expect(
        report.findings.filter((finding) => finding.severity !== "info"),
        phase,
      ).toEqual([]);
    }
    const apiserver = parseCertificates(files["pki/apiserver.crt"] as string);
    expect(apiserver).toHaveLength(1);
    const [newCa] = parseCertificates(files["pki/ca.crt"] as string) as [Certificate];
    expect(apiserver[0]?.issuerText).toBe(newCa.subjectText);
    await verifyChain(apiserver[0] as Certificate, [], [newCa], { usage: "serverAuth" });
    // The etcd CA, not rotated, keeps its leaves' tail.
    expect(parseCertificates(files["pki/etcd/server.crt"] as string)).toHaveLength(2);
  });
});

describe("existingCa with a chain: the CA, then its issuers", () => {
  it("keeps the chain of an intermediate brought with its root: leaves = leaf + intermediate, ca.crt = the intermediate", async () => {
    const corp = await makeRoot("/CN=corp-root", 1);
    const issuing = await makeIntermediate(corp, "/CN=corp-issuing");
    const pki = await generateCluster(small, {
      existingCa: {
        ca: {
          certificatePem: issuing.pem.certificatePem + corp.pem.certificatePem,
          privateKeyPem: issuing.pem.privateKeyPem,
        },
      },
    });
    const files = toKubeadmFiles(pki);
    expect(fileOf(files, "pki/ca.crt").contents).toBe(issuing.certificate.pem);
    const apiserver = parseCertificates(fileOf(files, "pki/apiserver.crt").contents);
    expect(apiserver.map((certificate) => certificate.subjectText)).toEqual(["/CN=kube-apiserver", "/CN=corp-issuing"]);
    // The etcd CA, made as usual (self-signed): its leaves stay one certificate.
    expect(parseCertificates(fileOf(files, "pki/etcd/server.crt").contents)).toHaveLength(1);
    await verifyChain(apiserver[0] as Certificate, apiserver.slice(1), [corp.certificate], { usage: "serverAuth" });
  });

  it("keeps a three-deep chain (root → int1 → int2 = cluster CA): leaves carry int2 and int1", async () => {
    const top = await makeRoot("/CN=top-root", 2);
    const int1 = await makeIntermediate(top, "/CN=int1", 1);
    const int2 = await makeIntermediate(int1, "/CN=int2", 0);
    const pki = await generateCluster(small, {
      existingCa: {
        ca: {
          certificatePem: int2.pem.certificatePem + int1.pem.certificatePem + top.pem.certificatePem,
          privateKeyPem: int2.pem.privateKeyPem,
        },
      },
    });
    const files = toKubeadmFiles(pki);
    const chain = parseCertificates(fileOf(files, "pki/apiserver.crt").contents);
    expect(chain.map((certificate) => certificate.subjectText)).toEqual(["/CN=kube-apiserver", "/CN=int2", "/CN=int1"]);
  });

  it("names the broken link: wrong order, a name mismatch, a signature that does not verify, pathlen", async () => {
    const corp = await makeRoot("/CN=corp-root", 1);
    const int1 = await makeIntermediate(corp, "/CN=int1");
    const int2 = await makeIntermediate(int1, "/CN=int2", 0);
    const other = await makeRoot("/CN=int1", 2); // same name as int1, another key
    const cases: [string, string][] = [
      [int2.pem.certificatePem + corp.pem.certificatePem + int1.pem.certificatePem, "INVALID_CHAIN"],
      [int2.pem.certificatePem + other.pem.certificatePem, "INVALID_CHAIN"],
      [int2.pem.certificatePem + int1.pem.certificatePem + corp.pem.certificatePem, "PATH_LENGTH_EXCEEDED"],
    ];
    for (const [certificatePem, code] of cases) {
      const error = await caught(() =>
        generateCluster(small, { existingCa: { ca: { certificatePem, privateKeyPem: int2.pem.privateKeyPem } } }),
      );
      expect(error).toMatchObject({ code, details: { field: "existingCa.ca.certificatePem" } });
    }
    const wrongName = await caught(() =>
      generateCluster(small, {
        existingCa: {
          ca: {
            certificatePem: int2.pem.certificatePem + corp.pem.certificatePem,
            privateKeyPem: int2.pem.privateKeyPem,
          },
        },
      }),
    );
    expect(wrongName).toMatchObject({ code: "INVALID_CHAIN", details: { link: 2 } });
    expect((wrongName as Error).message).toMatch(/\/CN=int1 issued certificate 1, not \/CN=corp-root/);
  });
});

describe("a single existing CA certificate: as before, byte for byte", () => {
  it("writes leaves of one certificate and ca.crt exactly as given", async () => {
    const corp = await makeRoot("/CN=corp-one");
    const pki = await generateCluster(small, { existingCa: { ca: corp.pem } });
    const files = toKubeadmFiles(pki);
    expect(fileOf(files, "pki/ca.crt").contents).toBe(corp.pem.certificatePem);
    expect(parseCertificates(fileOf(files, "pki/apiserver.crt").contents)).toHaveLength(1);
    expect(pki.certificates.every((entry) => entry.chain.length === 0)).toBe(true);
  });
});
