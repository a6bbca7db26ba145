// renewCertificates: kubeadm `certs renew` semantics (reference §8.2) on a kubepki tree.
import { parseCertificate, parseCertificates, verifyCertificate } from "@kubepki/core";
import { parseKubeconfig } from "@kubepki/renderers";
import { beforeAll, describe, expect, it } from "vitest";
import { auditCluster, checkExpiration, type RenewResult, renewCertificates } from "../src/index.js";
import { buildKubepkiTree, KUBEPKI_CONFIG } from "./helpers/kubepki-tree.js";

const MADE = new Date("2024-01-01T00:00:00Z");
const LATER = new Date("2024-12-01T00:00:00Z");

function apply(files: Map<string, string>, result: RenewResult): Map<string, string> {
  const out = new Map(files);
  for (const file of result.files) out.set(file.path, file.contents);
  return out;
}

function embeddedCert(kubeconfig: string) {
  const user = parseKubeconfig(kubeconfig).users[0];
  const data = user?.clientCertificate;
  if (!data || !("pem" in data)) throw new Error("no embedded certificate");
  return parseCertificate(data.pem);
}

describe("renewCertificates", () => {
  let files: Map<string, string>;
  let result: RenewResult;
  let renewed: Map<string, string>;
  beforeAll(async () => {
    files = await buildKubepkiTree(KUBEPKI_CONFIG, MADE);
    result = await renewCertificates(files, { names: "all", now: LATER });
    renewed = apply(files, result);
  }, 60_000);

  it("renews every renewable row, nothing skipped, only changed files returned", () => {
    const rows = checkExpiration(files, { now: LATER }).filter((row) => row.kind !== "ca");
    expect([...result.renewed].sort()).toEqual(rows.map((row) => row.name).sort());
    expect(result.skipped).toEqual([]);
    const paths = result.files.map((file) => file.path);
    expect(paths).not.toContain("pki/ca.crt");
    expect(paths).not.toContain("pki/ca.key");
    expect(paths).not.toContain("pki/sa.key");
    expect(paths).not.toContain("nodes/worker-1/kubelet.conf");
    expect(result.files.find((file) => file.path === "pki/apiserver.crt")?.mode).toBe(0o644);
    expect(result.files.find((file) => file.path === "pki/apiserver.key")?.mode).toBe(0o600);
    expect(result.files.find((file) => file.path === "admin.conf")?.mode).toBe(0o600);
  });

  it("extends notAfter, keeps subject, SANs, usages and the CA, with a new serial and a new key", async () => {
    for (const path of [
      "pki/apiserver.crt",
      "pki/etcd/peer.crt",
      "nodes/cp-2/pki/apiserver.crt",
      "nodes/worker-1/pki/kubelet.crt",
    ]) {
      const before = parseCertificate(files.get(path) as string);
      const after = parseCertificate(renewed.get(path) as string);
      expect(after.notAfter.getTime()).toBeGreaterThan(before.notAfter.getTime());
      expect(after.notAfter.toISOString()).toBe("2025-12-01T00:00:00.000Z");
      expect(after.subjectText).toBe(before.subjectText);
      expect(after.subjectAltNames).toEqual(before.subjectAltNames);
      expect(after.extKeyUsages).toEqual(before.extKeyUsages);
      expect(after.keyUsages).toEqual(before.keyUsages);
      expect(after.serialNumber).not.toBe(before.serialNumber);
      expect(after.publicKeyInfo).not.toEqual(before.publicKeyInfo);
      expect(after.keyAlgorithm).toBe(before.keyAlgorithm);
      expect(after.issuerText).toBe(before.issuerText);
      const caPath = path.includes("etcd") ? "pki/etcd/ca.crt" : "pki/ca.crt";
      await verifyCertificate(after, parseCertificate(files.get(caPath) as string), { at: LATER });
    }
  });

  it("rewrites kubeconfigs in place: new certificate and key, the rest unchanged, still parses", () => {
    const before = files.get("admin.conf") as string;
    const after = renewed.get("admin.conf") as string;
    const changed = after.split("\n").filter((line, i) => line !== before.split("\n")[i]);
    expect(changed.map((line) => line.trim().split(":")[0])).toEqual(["client-certificate-data", "client-key-data"]);
    const config = parseKubeconfig(after);
    expect(config.currentContext).toBe("kubernetes-admin@kubernetes");
    const cert = embeddedCert(after);
    expect(cert.subjectText).toBe(embeddedCert(before).subjectText);
    expect(cert.notAfter.getTime()).toBeGreaterThan(embeddedCert(before).notAfter.getTime());
    // kubepki's users/ copy follows its kubeconfig.
    expect(parseCertificate(renewed.get("users/admin.crt") as string).fingerprintSha256).toBe(cert.fingerprintSha256);
  });

  it("leaves a tree the audit still finds clean (kubelet.conf is the kubelet's to rotate)", async () => {
    const report = await auditCluster(renewed, { config: KUBEPKI_CONFIG, now: LATER });
    expect(report.findings.filter((finding) => finding.role !== "kubelet-client")).toEqual([]);
    expect(new Set(report.findings.map((finding) => finding.code))).toEqual(new Set(["EXPIRES_SOON"]));
  });

  it("reuseKey keeps the public key (and writes no key file)", async () => {
    const kept = await renewCertificates(files, { names: ["apiserver", "admin.conf"], reuseKey: true, now: LATER });
    expect(kept.renewed).toEqual(["apiserver", "admin.conf"]);
    expect(kept.files.map((file) => file.path)).toEqual(["pki/apiserver.crt", "admin.conf", "users/admin.crt"]);
    const next = apply(files, kept);
    expect(parseCertificate(next.get("pki/apiserver.crt") as string).publicKeyInfo).toEqual(
      parseCertificate(files.get("pki/apiserver.crt") as string).publicKeyInfo,
    );
    expect(embeddedCert(next.get("admin.conf") as string).publicKeyInfo).toEqual(
      embeddedCert(files.get("admin.conf") as string).publicKeyInfo,
    );
    const report = await auditCluster(next, { config: KUBEPKI_CONFIG, now: LATER });
    expect(report.findings.filter((finding) => !["apiserver", "admin"].includes(finding.role ?? ""))).not.toEqual([]);
    expect(report.findings.filter((finding) => ["pki/apiserver.crt", "admin.conf"].includes(finding.file))).toEqual([]);
  });

  it("changes the key algorithm on request", async () => {
    const rsa = await renewCertificates(files, { names: ["front-proxy-client"], keyAlgorithm: "RSA-2048", now: LATER });
    const cert = parseCertificates(rsa.files[0]?.contents as string)[0];
    expect(cert?.keyAlgorithm).toBe("RSA-2048");
    expect(rsa.files[1]?.contents).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
  });

  it("refuses CAs, sa and kubelet.conf by name, and unknown names", async () => {
    for (const names of [["ca"], ["etcd-ca", "apiserver"], ["sa"], ["kubelet.conf:worker-1"], ["kubelet.conf"]]) {
      await expect(renewCertificates(files, { names })).rejects.toMatchObject({
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining(`not renewable: ${names[0]}`),
      });
    }
    await expect(renewCertificates(files, { names: ["apisrever"] })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      details: { names: ["apisrever"] },
    });
  });

  it("skips certificates whose CA key is absent (external CA) and reports them", async () => {
    const external = new Map(files);
    external.delete("pki/front-proxy-ca.key");
    const partial = await renewCertificates(external, { now: LATER });
    expect(partial.skipped.map((item) => item.name).sort()).toEqual(["front-proxy-client", "front-proxy-client:cp-2"]);
    expect(partial.skipped[0]?.reason).toContain("external CA");
    expect(partial.renewed).toContain("apiserver");
  });
});
