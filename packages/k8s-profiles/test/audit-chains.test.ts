// The audit of chains (issue 20): leaf files of leaf + intermediate(s), CA files that are
// intermediates, and, with rootCa, each CA file up to the root. Each finding provoked once; the
// 3-deep pathlen case is made by openssl (kubepki refuses to issue it).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type Certificate,
  createSelfSignedCa,
  generateKeyPair,
  issueCertificate,
  parseCertificates,
} from "@kubepki/core";
import { afterAll, describe, expect, it } from "vitest";
import { ecCsrArgs, intermediateCaExt, rootCaArgs, signCsrArgs } from "../../core/test/helpers/openssl-args.js";
import { type AuditReport, auditCluster, type ClusterConfig, generateCluster, toKubeadmFiles } from "../src/index.js";
import { makeIntermediate, makeRoot } from "./helpers/chain-cas.js";
import { openssl, tempDir } from "./helpers/tree.js";

const small: ClusterConfig = {
  keyAlgorithm: "ECDSA-P256",
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] },
    { name: "w-1", role: "worker", addresses: ["192.168.10.21"] },
  ],
};

async function treeOf(options: Parameters<typeof generateCluster>[1]): Promise<Record<string, string>> {
  const pki = await generateCluster(small, options);
  return Object.fromEntries(toKubeadmFiles(pki).map((file) => [file.path, file.contents]));
}

const codes = (report: AuditReport) => report.findings.map((finding) => `${finding.code} ${finding.file}`);
const notInfo = (report: AuditReport) => report.findings.filter((finding) => finding.severity !== "info");

describe("auditCluster and chains of intermediate CAs", () => {
  it("a tree of intermediates made by rootCa audits clean, with and without the root", async () => {
    const offline = await makeRoot("/CN=offline-root", 1);
    const tree = await treeOf({ rootCa: offline.pem });
    expect(notInfo(await auditCluster(tree))).toEqual([]);
    expect(notInfo(await auditCluster(tree, { rootCa: offline.certificate.pem }))).toEqual([]);
  });

  it("a depth-3 chain (root → int1 → int2 = cluster CA) audits clean, up to the root too", async () => {
    const top = await makeRoot("/CN=top-root", 2);
    const int1 = await makeIntermediate(top, "/CN=int1", 1);
    const int2 = await makeIntermediate(int1, "/CN=kubernetes", 0);
    const tree = await treeOf({
      existingCa: {
        ca: {
          certificatePem: int2.pem.certificatePem + int1.pem.certificatePem + top.pem.certificatePem,
          privateKeyPem: int2.pem.privateKeyPem,
        },
      },
    });
    expect(parseCertificates(tree["pki/apiserver.crt"] as string)).toHaveLength(3);
    expect(notInfo(await auditCluster(tree))).toEqual([]);
    // Up to the root: the cluster CA is under it; etcd's and the front proxy's, made as usual, are not.
    const report = await auditCluster(tree, { rootCa: top.certificate.pem });
    expect(notInfo(report).map((finding) => `${finding.code} ${finding.file}`)).toEqual([
      "NOT_UNDER_ROOT pki/etcd/ca.crt",
      "NOT_UNDER_ROOT pki/front-proxy-ca.crt",
    ]);
  });

  it("CHAIN_INCOMPLETE: a leaf of an intermediate whose file lacks it (a warning; its consumer still trusts it)", async () => {
    const offline = await makeRoot("/CN=offline-root", 1);
    const tree = await treeOf({ rootCa: offline.pem });
    const [leaf] = parseCertificates(tree["pki/apiserver.crt"] as string) as [Certificate];
    const report = await auditCluster({ ...tree, "pki/apiserver.crt": leaf.pem }, { rootCa: offline.certificate.pem });
    expect(notInfo(report).map((finding) => [finding.severity, finding.code, finding.file])).toEqual([
      ["warning", "CHAIN_INCOMPLETE", "pki/apiserver.crt"],
    ]);
  });

  it("CHAIN_OUT_OF_ORDER: leaf, int1, int2 instead of leaf, int2, int1", async () => {
    const top = await makeRoot("/CN=top-root", 2);
    const int1 = await makeIntermediate(top, "/CN=int1", 1);
    const int2 = await makeIntermediate(int1, "/CN=int2", 0);
    const tree = await treeOf({
      existingCa: {
        ca: {
          certificatePem: int2.pem.certificatePem + int1.pem.certificatePem,
          privateKeyPem: int2.pem.privateKeyPem,
        },
      },
    });
    const [leaf] = parseCertificates(tree["pki/apiserver.crt"] as string) as [Certificate];
    const swapped = leaf.pem + int1.certificate.pem + int2.certificate.pem;
    const report = await auditCluster({ ...tree, "pki/apiserver.crt": swapped });
    expect(codes(report).filter((code) => code.endsWith("pki/apiserver.crt"))).toEqual([
      "CHAIN_OUT_OF_ORDER pki/apiserver.crt",
    ]);
  });

  it("CHAIN_NAME_MISMATCH: the leaf re-signed by the intermediate's key under another issuer name", async () => {
    const offline = await makeRoot("/CN=offline-root", 1);
    const issuing = await makeIntermediate(offline, "/CN=corp-issuing");
    const tree = await treeOf({
      existingCa: {
        ca: {
          certificatePem: issuing.pem.certificatePem + offline.pem.certificatePem,
          privateKeyPem: issuing.pem.privateKeyPem,
        },
      },
    });
    // The same key under another name: the leaf's signature verifies with the intermediate's key.
    const alias = await createSelfSignedCa({ keyPair: issuing.keyPair, subject: "/CN=corp-issuing-2" });
    const [leaf] = parseCertificates(tree["pki/apiserver.crt"] as string) as [Certificate];
    const resigned = await issueCertificate({
      issuer: { certificate: alias, privateKey: issuing.keyPair.privateKey },
      publicKey: (await generateKeyPair("ECDSA-P256")).publicKey,
      subject: leaf.subject,
      sans: leaf.subjectAltNames,
      extKeyUsages: ["serverAuth"],
    });
    const report = await auditCluster({ ...tree, "pki/apiserver.crt": resigned.pem + issuing.certificate.pem });
    const apiserver = report.findings.filter((finding) => finding.file === "pki/apiserver.crt");
    expect(apiserver.map((finding) => finding.code)).toContain("CHAIN_NAME_MISMATCH");
    expect(apiserver.map((finding) => finding.code)).not.toContain("NOT_TRUSTED");
  });

  it("CHAIN_BROKEN: a further certificate that is not a CA, or whose key did not sign", async () => {
    const offline = await makeRoot("/CN=offline-root", 1);
    const tree = await treeOf({ rootCa: offline.pem });
    const [leaf, ca] = parseCertificates(tree["pki/apiserver.crt"] as string) as [Certificate, Certificate];
    // The CA's name on a leaf (not a CA), and on a CA with another key.
    const namesake = await issueCertificate({
      issuer: { certificate: offline.certificate, privateKey: offline.keyPair.privateKey },
      publicKey: (await generateKeyPair("ECDSA-P256")).publicKey,
      subject: "/CN=kubernetes",
      extKeyUsages: ["clientAuth"],
    });
    const lookalike = await makeRoot("/CN=kubernetes");
    for (const tail of [namesake.pem, lookalike.certificate.pem]) {
      const report = await auditCluster({ ...tree, "pki/apiserver.crt": leaf.pem + tail });
      expect(codes(report)).toContain("CHAIN_BROKEN pki/apiserver.crt");
    }
    expect(ca.subjectText).toBe("/CN=kubernetes");
  });

  it("NOT_UNDER_ROOT: CA files that another root issued, or self-signed ones, checked against rootCa", async () => {
    const offline = await makeRoot("/CN=offline-root", 1);
    const stranger = await makeRoot("/CN=offline-root", 1); // same name, another key
    const tree = await treeOf({ rootCa: offline.pem });
    const report = await auditCluster(tree, { rootCa: stranger.certificate.pem });
    expect(
      codes(report)
        .filter((code) => code.startsWith("NOT_UNDER_ROOT"))
        .sort(),
    ).toEqual(["NOT_UNDER_ROOT pki/ca.crt", "NOT_UNDER_ROOT pki/etcd/ca.crt", "NOT_UNDER_ROOT pki/front-proxy-ca.crt"]);
    const selfSigned = await treeOf({});
    expect(codes(await auditCluster(selfSigned, { rootCa: offline.certificate.pem }))).toContain(
      "NOT_UNDER_ROOT pki/ca.crt",
    );
    await expect(auditCluster(tree, { rootCa: "not a certificate" })).rejects.toMatchObject({
      details: { field: "rootCa" },
    });
  });

  describe("PATH_LENGTH_EXCEEDED: root → int1 (pathlen 0) → int2 → leaf, made by openssl", () => {
    const work = tempDir("chain-pathlen");
    afterAll(() => work.remove());
    const ossl = (...args: string[]) => {
      const result = openssl(args, work.dir);
      expect(result.status, result.stderr).toBe(0);
    };
    it("is refused by openssl, and by the audit on the leaf file and up to the root", async () => {
      ossl(...rootCaArgs("root", "/CN=root", { ec: true, pathlen: 2 }));
      for (const [stem, issuer, pathlen] of [
        ["int1", "root", 0],
        ["int2", "int1", undefined],
      ] as const) {
        writeFileSync(join(work.dir, `${stem}.ext`), intermediateCaExt(pathlen));
        ossl(...ecCsrArgs(stem, `/CN=${stem}`));
        ossl(
          ...signCsrArgs({ csr: `${stem}.csr`, ca: issuer, out: `${stem}.crt`, days: 3000, extfile: `${stem}.ext` }),
        );
      }
      const int2 = readFileSync(join(work.dir, "int2.crt"), "utf8");
      const int1 = readFileSync(join(work.dir, "int1.crt"), "utf8");
      const rootPem = readFileSync(join(work.dir, "root.crt"), "utf8");
      // One certificate: kubepki takes it as before (no chain checks), the leaves carry nothing.
      const tree = await treeOf({
        existingCa: { ca: { certificatePem: int2, privateKeyPem: readFileSync(join(work.dir, "int2.key"), "utf8") } },
      });
      const leaf = tree["pki/apiserver.crt"] as string;
      writeFileSync(join(work.dir, "apiserver.crt"), leaf + int2 + int1);
      const refused = openssl(
        ["verify", "-CAfile", "root.crt", "-untrusted", "apiserver.crt", "apiserver.crt"],
        work.dir,
      );
      expect(refused.status).not.toBe(0);
      expect(refused.stdout + refused.stderr).toMatch(/path length constraint exceeded/);

      const report = await auditCluster({ ...tree, "pki/apiserver.crt": leaf + int2 + int1 }, { rootCa: rootPem });
      expect(codes(report)).toContain("PATH_LENGTH_EXCEEDED pki/apiserver.crt");
      expect(codes(report)).toContain("PATH_LENGTH_EXCEEDED pki/ca.crt");
      // And kubepki refuses the chain where it is given.
      await expect(
        generateCluster(small, {
          existingCa: {
            ca: {
              certificatePem: int2 + int1 + rootPem,
              privateKeyPem: readFileSync(join(work.dir, "int2.key"), "utf8"),
            },
          },
        }),
      ).rejects.toMatchObject({ code: "PATH_LENGTH_EXCEEDED" });
    });
  });
});
