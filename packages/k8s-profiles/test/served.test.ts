// compareServedCertificates: what servers present against the tree on disk (the pure half of
// `audit --endpoint`; the CLI's endpoint tests fetch over real TLS).
import { createSelfSignedCa, generateKeyPair, issueCertificate } from "@kubepki/core";
import { beforeAll, describe, expect, it } from "vitest";
import { compareServedCertificates, type RenewResult, renewCertificates } from "../src/index.js";
import { buildKubepkiTree, KUBEPKI_CONFIG } from "./helpers/kubepki-tree.js";

const MADE = new Date("2024-01-01T00:00:00Z");
const NOW = new Date("2024-06-01T00:00:00Z");
const CP1 = "https://192.168.10.11:6443";

function apply(files: Map<string, string>, result: RenewResult): Map<string, string> {
  const out = new Map(files);
  for (const file of result.files) out.set(file.path, file.contents);
  return out;
}

describe("compareServedCertificates", () => {
  let files: Map<string, string>;
  let renewed: Map<string, string>;
  let other: Map<string, string>;
  beforeAll(async () => {
    files = await buildKubepkiTree(KUBEPKI_CONFIG, MADE);
    renewed = apply(files, await renewCertificates(files, { names: "all", now: NOW }));
    other = await buildKubepkiTree(KUBEPKI_CONFIG, MADE);
  }, 60_000);

  const pem = (tree: Map<string, string>, path: string) => tree.get(path) as string;

  it("finds nothing when each server presents its file (apiserver, etcd, a node's copy)", async () => {
    const served = [
      { endpoint: CP1, chainPem: pem(files, "pki/apiserver.crt") },
      { endpoint: "https://192.168.10.11:2379", chainPem: pem(files, "pki/etcd/server.crt") },
      { endpoint: "https://192.168.10.12:6443", chainPem: pem(files, "nodes/cp-2/pki/apiserver.crt") },
    ];
    expect(await compareServedCertificates(files, served, { now: NOW })).toEqual([]);
  });

  it("after a renew, a server still presenting the old certificate is stale: the file and the restart named", async () => {
    const findings = await compareServedCertificates(
      renewed,
      [
        { endpoint: CP1, chainPem: pem(files, "pki/apiserver.crt") },
        { endpoint: "https://192.168.10.12:6443", chainPem: pem(files, "nodes/cp-2/pki/apiserver.crt") },
        { endpoint: "https://192.168.10.11:2379", chainPem: pem(files, "pki/etcd/server.crt") },
        // etcd's peer certificate has the server's subject: the port (the table's servesOn) tells them apart.
        { endpoint: "https://192.168.10.11:2380", chainPem: pem(files, "pki/etcd/peer.crt") },
      ],
      { now: NOW },
    );
    expect(findings.map(({ code, file, role, severity }) => ({ code, file, role, severity }))).toEqual([
      { code: "SERVED_CERT_STALE", file: "pki/apiserver.crt", role: "apiserver", severity: "error" },
      { code: "SERVED_CERT_STALE", file: "nodes/cp-2/pki/apiserver.crt", role: "apiserver", severity: "error" },
      { code: "SERVED_CERT_STALE", file: "pki/etcd/server.crt", role: "etcd-server", severity: "error" },
      { code: "SERVED_CERT_STALE", file: "pki/etcd/peer.crt", role: "etcd-peer", severity: "error" },
    ]);
    expect(findings[0]?.message).toContain(CP1);
    expect(findings[0]?.message).toContain("not pki/apiserver.crt");
    expect(findings[0]?.fix).toMatch(/^Restart kube-apiserver so that it loads pki\/apiserver.crt/);
    expect(findings[2]?.fix).toMatch(/^Restart etcd so that it loads pki\/etcd\/server.crt/);
    // The renewed tree's own files served: nothing.
    expect(
      await compareServedCertificates(renewed, [{ endpoint: CP1, chainPem: pem(renewed, "pki/apiserver.crt") }], {
        now: NOW,
      }),
    ).toEqual([]);
  });

  it("another cluster's certificate is stale and untrusted", async () => {
    const findings = await compareServedCertificates(
      files,
      [{ endpoint: CP1, chainPem: pem(other, "pki/apiserver.crt") }],
      { now: NOW },
    );
    expect(findings.map((finding) => finding.code)).toEqual(["SERVED_CERT_STALE", "SERVED_CERT_UNTRUSTED"]);
    expect(findings[1]?.message).toContain("does not verify against the tree's CAs");
  });

  it("an expired served certificate is expired, not untrusted", async () => {
    const later = new Date("2030-01-01T00:00:00Z");
    const findings = await compareServedCertificates(
      files,
      [{ endpoint: CP1, chainPem: pem(files, "pki/apiserver.crt") }],
      {
        now: later,
      },
    );
    expect(findings.map((finding) => [finding.code, finding.file])).toEqual([
      ["SERVED_CERT_EXPIRED", "pki/apiserver.crt"],
    ]);
    expect(findings[0]?.message).toMatch(/expired 20\d\d-/);
  });

  it("a certificate no file stands for is info, except on kubeadm's ports where the role's file is meant", async () => {
    const caKeys = await generateKeyPair("ECDSA-P256");
    const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=somebody-else" });
    const leaf = await issueCertificate({
      issuer: { certificate: ca, privateKey: caKeys.privateKey },
      publicKey: (await generateKeyPair("ECDSA-P256")).publicKey,
      subject: "/CN=ingress",
      sans: ["192.168.10.11"],
      extKeyUsages: ["serverAuth"],
    });
    const findings = await compareServedCertificates(files, [
      { endpoint: "https://192.168.10.11:8443", chainPem: leaf.pem },
      { endpoint: "https://192.168.10.11:10250", chainPem: leaf.pem },
    ]);
    expect(findings.map((finding) => [finding.code, finding.severity, finding.file])).toEqual([
      ["SERVED_CERT_UNMATCHED", "info", "https://192.168.10.11:8443"],
      ["SERVED_CERT_UNTRUSTED", "error", "https://192.168.10.11:8443"],
      ["SERVED_CERT_STALE", "error", "nodes/cp-1/pki/kubelet.crt"],
      ["SERVED_CERT_UNTRUSTED", "error", "nodes/cp-1/pki/kubelet.crt"],
    ]);
  });

  it("an endpoint that could not be fetched, or a chain that does not parse, is unavailable", async () => {
    const findings = await compareServedCertificates(files, [
      { endpoint: CP1, error: "Connection refused by 192.168.10.11:6443" },
      { endpoint: "https://192.168.10.11:2379", chainPem: "not a certificate" },
    ]);
    expect(findings.map((finding) => [finding.code, finding.file])).toEqual([
      ["SERVED_CERT_UNAVAILABLE", CP1],
      ["SERVED_CERT_UNAVAILABLE", "https://192.168.10.11:2379"],
    ]);
    expect(findings[0]?.message).toBe(`${CP1}: Connection refused by 192.168.10.11:6443`);
  });
});
