// auditCluster against three trees: the seed tutorial's (built with its own openssl commands —
// every mistake of reference §7 that leaves a trace in files must be found, one test per item),
// a correct openssl-made tree (no errors), and a kubepki-generated one (no findings at all).
import { decodePem, encodePem } from "@kubepki/core";
import { beforeAll, describe, expect, it } from "vitest";
import { type AuditReport, auditCluster, type Finding, type FindingCode } from "../src/index.js";
import { buildKubepkiTree, KUBEPKI_CONFIG } from "./helpers/kubepki-tree.js";
import { buildOpensslTree } from "./helpers/openssl-tree.js";
import { buildTutorialTree } from "./helpers/tutorial-tree.js";

function find(report: AuditReport, code: FindingCode, file?: string): Finding[] {
  return report.findings.filter((finding) => finding.code === code && (file === undefined || finding.file === file));
}

function one(report: AuditReport, code: FindingCode, file: string): Finding {
  const found = find(report, code, file);
  expect(found, `${code} on ${file}`).toHaveLength(1);
  return found[0] as Finding;
}

describe("the seed tutorial's tree (its own openssl commands)", () => {
  let report: AuditReport;
  let files: Map<string, string>;
  beforeAll(async () => {
    ({ files } = await buildTutorialTree());
    report = await auditCluster(files);
  }, 120_000);

  it("identifies every certificate's role in the flat layout and says how", () => {
    const roles = Object.fromEntries(report.certificates.map((cert) => [cert.file, [cert.role, cert.node]]));
    expect(roles).toEqual({
      "ca.crt": ["ca", undefined],
      "admin.crt": ["admin", undefined],
      "kube-scheduler.crt": ["scheduler", undefined],
      "kube-controller-manager.crt": ["controller-manager", undefined],
      "kube-proxy.crt": ["kube-proxy", undefined],
      "etcdserver.crt": ["etcd-server", "etcdserver"],
      "etcdpeer1.crt": ["etcd-peer", "etcdserver"],
      "apiserver.crt": ["apiserver", undefined],
      "kubelet-node01.crt": ["kubelet-serving", "node01"],
      "kubelet-client-node01.crt": ["kubelet-client", "node01"],
    });
    const how = Object.fromEntries(report.certificates.map((cert) => [cert.file, cert.identifiedBy]));
    expect(how["kubelet-client-node01.crt"]).toMatch(/subject CN system:node:node01/);
    expect(how["kube-scheduler.crt"]).toBe("file name kube-scheduler.crt");
    expect(how["etcdpeer1.crt"]).toBe("file name etcdpeer1.crt");
  });

  it("§7 item 1: the CA is a v1 certificate without CA:TRUE (x509 -req -signkey)", () => {
    expect(one(report, "V1_CERTIFICATE", "ca.crt").severity).toBe("error");
    const notCa = one(report, "NOT_A_CA", "ca.crt");
    expect(notCa.severity).toBe("error");
    expect(notCa.fix).toMatch(/openssl req -x509 -new -key ca\.key/);
  });

  it("§7 item 2: no -days, so everything is valid for 30 days", () => {
    const short = find(report, "SHORT_VALIDITY");
    expect(short.map((finding) => finding.file).sort()).toEqual(report.certificates.map((cert) => cert.file).sort());
    expect(one(report, "SHORT_VALIDITY", "ca.crt").fix).toMatch(/-days 3650/);
    expect(find(report, "EXPIRES_SOON")).toHaveLength(report.certificates.length);
  });

  it("§7 item 3: CA CN KUBERNETES-CA instead of kubernetes (parity only: info, nothing checks a CA's CN)", () => {
    expect(one(report, "WRONG_SUBJECT", "ca.crt").severity).toBe("info");
  });

  it("§7 item 4: the admin certificate has no group, so no rights", () => {
    const finding = one(report, "MISSING_GROUP", "admin.crt");
    expect(finding.severity).toBe("error");
    expect(finding.fix).toContain("/O=kubeadm:cluster-admins");
    // The later `req … O=system:masters` was never signed again.
    expect(one(report, "CSR_MISMATCH", "admin.csr").message).toContain("O=system:masters");
  });

  it("§7 item 8 (scheduler): CN kube-scheduler gets no RBAC permissions", () => {
    const finding = one(report, "WRONG_SUBJECT", "kube-scheduler.crt");
    expect(finding.severity).toBe("error");
    expect(finding.fix).toContain('-subj "/CN=system:kube-scheduler"');
  });

  it("§7 item 8 (controller-manager): CN kube-controller-manager gets no RBAC permissions", () => {
    const finding = one(report, "WRONG_SUBJECT", "kube-controller-manager.crt");
    expect(finding.severity).toBe("error");
    expect(finding.fix).toContain("/CN=system:kube-controller-manager");
  });

  it("§7 item 8 (kube-proxy): CN kube-proxy is not the user system:node-proxier binds", () => {
    const finding = one(report, "WRONG_SUBJECT", "kube-proxy.crt");
    expect(finding.severity).toBe("error");
    expect(finding.fix).toContain("/CN=system:kube-proxy");
  });

  it("§7 items 10/11: every leaf is a v1 certificate with no keyUsage and no extendedKeyUsage", () => {
    const leaves = report.certificates
      .filter((cert) => cert.role !== "ca")
      .map((cert) => cert.file)
      .sort();
    expect(
      find(report, "V1_CERTIFICATE")
        .filter((f) => f.file !== "ca.crt")
        .map((f) => f.file)
        .sort(),
    ).toEqual(leaves);
    expect(
      find(report, "MISSING_EKU")
        .map((f) => f.file)
        .sort(),
    ).toEqual(leaves);
    expect(one(report, "MISSING_EKU", "apiserver.crt").fix).toContain("extendedKeyUsage=serverAuth");
  });

  it("§7 item 13: the apiserver request asks for keyUsage nonRepudiation only", () => {
    expect(one(report, "WRONG_KEY_USAGE", "apiserver.csr").message).toContain("nonRepudiation");
  });

  it("§7 items 13-14: x509 -req dropped the SANs, so the API server certificate has none", () => {
    const missing = one(report, "MISSING_SAN", "apiserver.crt");
    expect(missing.severity).toBe("error");
    expect(missing.fix).toContain("subjectAltName=DNS:kubernetes,DNS:kubernetes.default");
    const dropped = one(report, "EXTENSIONS_DROPPED", "apiserver.crt");
    expect(dropped.message).toContain("IP:172.17.0.87");
    expect(dropped.fix).toContain("-copy_extensions copyall");
  });

  it("§7 item 24: kubectl dials kube-apiserver, a name the certificate does not carry", () => {
    expect(one(report, "SERVER_NAME_MISMATCH", "kube-config.yaml").message).toContain("kube-apiserver");
  });

  it("§7 items 19 and 36: the kubelet kubeconfig points at ca.pem and an unexpanded KUBELET_HOSTNAME variable", () => {
    expect(one(report, "UNRESOLVED_REFERENCE", "kubelet-client-config.yaml").message).toContain(
      "/var/lib/kubernetes/ca.pem",
    );
    expect(one(report, "INVALID_SERVER", "kubelet-client-config.yaml").message).toContain("KUBELET_HOSTNAME");
  });

  it("§7 item 26: etcd certificates signed by the cluster CA (WRONG_ISSUER + SHARED_ETCD_CA)", () => {
    for (const file of ["etcdserver.crt", "etcdpeer1.crt"]) {
      const finding = one(report, "WRONG_ISSUER", file);
      expect(finding.severity).toBe("error");
      expect(finding.message).toContain("etcd-ca");
    }
    const shared = find(report, "SHARED_ETCD_CA");
    expect(shared).toHaveLength(1);
    expect(shared[0]?.message).toMatch(/etcdpeer1\.crt, etcdserver\.crt/);
  });

  it("§7 item 27: etcd subjects carry O, no SANs, no serverAuth+clientAuth", () => {
    for (const file of ["etcdserver.crt", "etcdpeer1.crt"]) {
      expect(one(report, "UNEXPECTED_GROUP", file).message).toContain("etcd ignores O");
      expect(one(report, "MISSING_SAN", file).severity).toBe("error");
      expect(one(report, "MISSING_EKU", file).fix).toContain("extendedKeyUsage=serverAuth,clientAuth");
    }
    expect(one(report, "MISSING_SAN", "etcdserver.crt").fix).toContain("DNS:localhost,IP:127.0.0.1");
  });

  it("§7 item 29: kubelet serving certificate CN=kubelet for every node, no SANs", () => {
    expect(one(report, "WRONG_SUBJECT", "kubelet-node01.crt").message).toContain("system:node:<nodeName>");
    expect(one(report, "MISSING_SAN", "kubelet-node01.crt").severity).toBe("error");
  });

  it("§7 items 20 and 38: apiserver clients, front-proxy, etcd CA, healthcheck client and sa keys are missing", () => {
    const missing = find(report, "MISSING_FILE").map((finding) => finding.file);
    expect(missing).toEqual(
      expect.arrayContaining([
        "pki/apiserver-kubelet-client.crt",
        "pki/apiserver-etcd-client.crt",
        "pki/front-proxy-ca.crt",
        "pki/front-proxy-client.crt",
        "pki/etcd/ca.crt",
        "pki/etcd/healthcheck-client.crt",
        "pki/sa.key",
      ]),
    );
  });

  it("§7 item 36: the kubelet client certificate itself is correct", () => {
    const kubeletClient = report.findings.filter(
      (finding) =>
        finding.file === "kubelet-client-node01.crt" && ["WRONG_SUBJECT", "MISSING_GROUP"].includes(finding.code),
    );
    expect(kubeletClient).toEqual([]);
  });

  it("§7 item 39: OpenSSL 3 genrsa writes PKCS#8 keys (info only)", () => {
    expect(one(report, "PKCS8_KEY", "ca.key").severity).toBe("info");
  });

  it("every finding says what to do and keys match their certificates", () => {
    for (const finding of report.findings) expect(finding.fix.length, finding.code).toBeGreaterThan(10);
    expect(find(report, "KEY_MISMATCH")).toEqual([]);
  });

  it("a swapped key is KEY_MISMATCH, whichever keyCheck", async () => {
    const swapped = new Map(files);
    swapped.set("kube-proxy.key", files.get("admin.key") as string);
    for (const keyCheck of ["public-key", "pairwise"] as const) {
      const again = await auditCluster(swapped, { keyCheck });
      expect(one(again, "KEY_MISMATCH", "kube-proxy.crt").severity, keyCheck).toBe("error");
    }
  });
});

describe("a correct tree made with openssl", () => {
  const config = {
    nodes: [
      { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] },
      { name: "worker-1", role: "worker", addresses: ["192.168.10.21"] },
    ],
  } as const;
  let files: Map<string, string>;
  beforeAll(async () => {
    files = await buildOpensslTree(config);
  }, 120_000);

  it("has no findings at all, with or without the config", async () => {
    for (const options of [{ config }, {}]) {
      const report = await auditCluster(files, options);
      expect(report.findings).toEqual([]);
      expect(report.certificates.every((cert) => cert.role !== undefined)).toBe(true);
    }
  });

  it("with the config, a missing apiserver SAN and a missing file are errors", async () => {
    const withCertSan = { ...config, certSANs: ["k8s.internal"] };
    const report = await auditCluster(files, { config: withCertSan });
    expect(one(report, "MISSING_SAN", "pki/apiserver.crt").message).toContain("DNS:k8s.internal");
    const without = new Map(files);
    without.delete("pki/front-proxy-client.crt");
    const missing = await auditCluster(without, { config });
    expect(one(missing, "MISSING_FILE", "pki/front-proxy-client.crt").severity).toBe("error");
  });
});

describe("a kubepki-generated tree", () => {
  it("has no findings at all", async () => {
    const files = await buildKubepkiTree();
    const report = await auditCluster(files, { config: KUBEPKI_CONFIG });
    expect(report.findings).toEqual([]);
    expect(report.certificates.filter((cert) => cert.role === undefined)).toEqual([]);
    expect((await auditCluster(files)).findings.filter((finding) => finding.severity !== "info")).toEqual([]);
    expect((await auditCluster(files, { config: KUBEPKI_CONFIG, keyCheck: "pairwise" })).findings).toEqual([]);
  }, 60_000);

  it('an EC key whose scalar is damaged but whose stored point is intact: only keyCheck "pairwise" sees it', async () => {
    const files = await buildKubepkiTree();
    const { label, der } = decodePem(files.get("pki/front-proxy-client.key") as string);
    // SEC1 P-256: 30 77 02 01 01 04 20 <32-byte scalar> …; flip a bit in the scalar.
    expect(label).toBe("EC PRIVATE KEY");
    const damaged = der.slice();
    damaged[20] = (damaged[20] as number) ^ 0x01;
    const tree = new Map(files).set("pki/front-proxy-client.key", encodePem(label, damaged));
    const quick = await auditCluster(tree, { config: KUBEPKI_CONFIG });
    expect(quick.findings).toEqual([]);
    const thorough = await auditCluster(tree, { config: KUBEPKI_CONFIG, keyCheck: "pairwise" });
    expect(thorough.findings.map((finding) => [finding.severity, finding.file])).toEqual([
      ["error", "pki/front-proxy-client.key"],
    ]);
    await expect(auditCluster(tree, { keyCheck: "thorough" as never })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  }, 60_000);

  it("flags expiry relative to the injected clock", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const files = await buildKubepkiTree(KUBEPKI_CONFIG, now);
    const later = await auditCluster(files, { now: new Date("2030-12-15T00:00:00Z") });
    expect(one(later, "EXPIRES_SOON", "pki/apiserver.crt").severity).toBe("warning");
    const expired = await auditCluster(files, { now: new Date("2031-06-01T00:00:00Z") });
    expect(one(expired, "EXPIRED", "pki/apiserver.crt").severity).toBe("error");
    expect(find(expired, "EXPIRED", "pki/ca.crt")).toEqual([]);
  }, 60_000);
});

describe("garbage in", () => {
  it("unreadable files are findings, not exceptions", async () => {
    const report = await auditCluster({
      "pki/ca.crt": "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
      "pki/apiserver.crt": new Uint8Array([0x30, 0x03, 0x02, 0x01]),
      "admin.conf": "apiVersion: v1\nkind: Config\nusers: 12\n",
      "random.txt": "hello",
    });
    expect(report.findings.map((finding) => [finding.code, finding.file]).sort()).toEqual([
      ["UNREADABLE", "admin.conf"],
      ["UNREADABLE", "pki/apiserver.crt"],
      ["UNREADABLE", "pki/ca.crt"],
    ]);
  });

  it("a files value that is not a map is a KubepkiError", async () => {
    await expect(auditCluster(42 as never)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(auditCluster({}, { expiringWithinDays: -1 })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});
