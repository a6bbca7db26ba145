// The external-CA flow (generateCsrs → toCsrFiles → an external CA signs → finishCsrs), with core
// as the external CA in-process; openssl, etcd and kubectl play it in the CLI's csr-flow test.
import "reflect-metadata";
import {
  type Certificate,
  createSelfSignedCa,
  generateKeyPair,
  type Issuer,
  issueCertificate,
  parseCertificates,
  parseCsr,
} from "@kubepki/core";
import * as x509 from "@peculiar/x509";
import { beforeAll, describe, expect, it } from "vitest";
import { caught } from "../../core/test/helpers/caught.js";
import {
  auditCluster,
  type CsrProblem,
  finishCsrs,
  generateCsrs,
  type KubeadmFile,
  type SigningEntry,
  toCsrFiles,
} from "../src/index.js";

const CONFIG = {
  keyAlgorithm: "ECDSA-P256",
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] },
    { name: "worker-1", role: "worker", addresses: ["192.168.10.21"] },
    { name: "worker-2", role: "worker", addresses: ["192.168.10.22"] },
  ],
} as const;

interface ExternalCa {
  readonly issuer: Issuer;
  readonly pem: string;
}

async function externalCa(cn: string): Promise<ExternalCa> {
  const keyPair = await generateKeyPair("ECDSA-P256");
  const certificate = await createSelfSignedCa({ keyPair, subject: `/CN=${cn}`, validity: { days: 3650 } });
  return { issuer: { certificate, privateKey: keyPair.privateKey }, pem: certificate.pem };
}

/** The external CA at work: each request signed as `openssl x509 -req -copy_extensions copyall` would. */
async function sign(
  entry: SigningEntry,
  csrPem: string,
  ca: ExternalCa,
  change: Partial<Parameters<typeof issueCertificate>[0]> = {},
) {
  const csr = parseCsr(csrPem);
  const certificate = await issueCertificate({
    issuer: ca.issuer,
    csr,
    keyUsages: csr.keyUsages,
    extKeyUsages: csr.extKeyUsages as never,
    validity: { days: entry.days },
    ...change,
  } as Parameters<typeof issueCertificate>[0]);
  return certificate.pem;
}

describe("external CA: kubepki csr, signed elsewhere, kubepki csr finish", () => {
  let cas: Record<string, ExternalCa>;
  let csrFiles: KubeadmFile[];
  let list: SigningEntry[];
  let signed: Map<string, string>;

  beforeAll(async () => {
    cas = {
      ca: await externalCa("kubernetes"),
      "etcd-ca": await externalCa("etcd-ca"),
      "front-proxy-ca": await externalCa("front-proxy-ca"),
    };
    const set = await generateCsrs(CONFIG, {
      cas: {
        ca: cas.ca?.pem as string,
        etcdCa: cas["etcd-ca"]?.pem as string,
        frontProxyCa: cas["front-proxy-ca"]?.pem as string,
      },
    });
    csrFiles = toCsrFiles(set);
    list = JSON.parse(csrFiles.find((file) => file.path === "csr-signing.json")?.contents as string).requests;
    signed = new Map(csrFiles.map((file) => [file.path, file.contents]));
    for (const entry of list) {
      signed.set(entry.certificate, await sign(entry, signed.get(entry.csr) as string, cas[entry.ca] as ExternalCa));
    }
  }, 120_000);

  const withCertificate = async (entry: SigningEntry, pem: Promise<string> | string) => {
    const tree = new Map(signed);
    tree.set(entry.certificate, await pem);
    return tree;
  };
  const entryFor = (csr: string) => list.find((entry) => entry.csr === csr) as SigningEntry;
  const refusal = async (tree: Map<string, string>): Promise<CsrProblem[]> => {
    const error = await caught(() => finishCsrs(tree));
    expect(error).toMatchObject({ code: "CSR_FINISH_REFUSED" });
    return (error as { details: { problems: CsrProblem[] } }).details.problems;
  };

  it("writes kubeadm's generate-csr layout for every node, workers included, and no CA key", () => {
    const paths = csrFiles.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "pki/ca.crt",
        "pki/etcd/ca.crt",
        "pki/front-proxy-ca.crt",
        "pki/apiserver.key",
        "pki/apiserver.csr",
        "pki/etcd/server.csr",
        "admin.conf",
        "admin.conf.csr",
        "super-admin.conf.csr",
        "nodes/worker-1/kubelet.conf",
        "nodes/worker-1/kubelet.conf.csr",
        "nodes/worker-2/pki/kubelet.csr",
        "pki/sa.key",
        "pki/sa.pub",
        "kubepki.yaml",
        "csr-signing.json",
      ]),
    );
    expect(paths.filter((path) => /ca\.key$/.test(path))).toEqual([]);
    expect(paths.filter((path) => path.endsWith(".crt") && !path.endsWith("ca.crt"))).toEqual([]);
    for (const file of csrFiles) {
      const secret = file.path.endsWith(".key") || file.path.endsWith(".conf");
      expect(file.mode, file.path).toBe(secret ? 0o600 : 0o644);
    }
    // The partial kubeconfig: the key, and the certificate to come beside it.
    const admin = csrFiles.find((file) => file.path === "admin.conf")?.contents ?? "";
    expect(admin).toContain("client-key-data:");
    expect(admin).toContain("client-certificate: admin.conf.crt");
    expect(admin).not.toContain("client-certificate-data");
    // 17 leaves for 1 control-plane node and 2 workers, each once in the list, with its CA and days.
    expect(list).toHaveLength(csrFiles.filter((file) => file.path.endsWith(".csr")).length);
    expect(entryFor("pki/etcd/peer.csr")).toMatchObject({ ca: "etcd-ca", caCertificate: "pki/etcd/ca.crt", days: 365 });
    expect(entryFor("pki/front-proxy-client.csr")).toMatchObject({
      ca: "front-proxy-ca",
      caCertificate: "pki/front-proxy-ca.crt",
    });
  });

  it("the signing list names each certificate's usages (for a CA that takes them from a profile: cfssl)", () => {
    expect(entryFor("pki/apiserver.csr")).toMatchObject({
      keyUsages: ["digitalSignature", "keyEncipherment"],
      extKeyUsages: ["serverAuth"],
    });
    expect(entryFor("pki/etcd/peer.csr").extKeyUsages).toEqual(["serverAuth", "clientAuth"]);
    expect(entryFor("admin.conf.csr").extKeyUsages).toEqual(["clientAuth"]);
    for (const entry of list) {
      const request = parseCsr(signed.get(entry.csr) as string);
      expect(request.extKeyUsages, entry.csr).toEqual(entry.extKeyUsages);
      expect(request.keyUsages, entry.csr).toEqual(entry.keyUsages);
    }
  });

  it("each request carries the role's subject, SANs, usages and CA:FALSE (read by @peculiar/x509)", () => {
    const request = new x509.Pkcs10CertificateRequest(signed.get("pki/apiserver.csr") as string);
    expect(request.subject).toBe("CN=kube-apiserver");
    const raw = (oid: string) => request.extensions.find((extension) => extension.type === oid)?.rawData as ArrayBuffer;
    const ku = new x509.KeyUsagesExtension(raw("2.5.29.15"));
    expect(ku.critical).toBe(true);
    expect(ku.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
    expect(new x509.ExtendedKeyUsageExtension(raw("2.5.29.37")).usages).toEqual(["1.3.6.1.5.5.7.3.1"]);
    const bc = new x509.BasicConstraintsExtension(raw("2.5.29.19"));
    expect(bc.ca).toBe(false);
    expect(bc.critical).toBe(true);
    const sans = new x509.SubjectAlternativeNameExtension(raw("2.5.29.17")).names.toJSON().map((name) => name.value);
    expect(sans).toEqual(
      expect.arrayContaining(["kubernetes.default.svc.cluster.local", "192.168.10.11", "10.96.0.1"]),
    );
    const worker = parseCsr(signed.get("nodes/worker-2/kubelet.conf.csr") as string);
    expect(worker.subjectText).toBe("/O=system:nodes/CN=system:node:worker-2");
    expect(worker.extKeyUsages).toEqual(["clientAuth"]);
  });

  it("a missing CA is named; a CA certificate that is no CA is refused", async () => {
    const pem = cas.ca?.pem as string;
    const missing = await caught(() => generateCsrs(CONFIG, { cas: { ca: pem, frontProxyCa: pem } as never }));
    expect(missing).toMatchObject({ code: "INVALID_ARGUMENT", details: { field: "cas.etcdCa" } });
    expect((missing as Error).message).toContain("pki/etcd/ca.crt");
    const leaf = signed.get("pki/apiserver.crt") as string;
    const notCa = await caught(() => generateCsrs(CONFIG, { cas: { ca: pem, etcdCa: pem, frontProxyCa: leaf } }));
    expect(notCa).toMatchObject({ code: "NOT_A_CA", details: { field: "cas.frontProxyCa" } });
    const later = new Date(Date.now() + 3700 * 86_400_000);
    const expired = await caught(() =>
      generateCsrs(CONFIG, { cas: { ca: pem, etcdCa: pem, frontProxyCa: pem }, now: later }),
    );
    expect(expired).toMatchObject({ code: "EXPIRED", details: { field: "cas.ca" } });
  });

  it("finish: the complete tree, certificates as returned, kubeconfigs with their certificate; audit clean", async () => {
    // An intermediate external CA appends its certificate: kept byte for byte.
    const withChain = `${signed.get("pki/apiserver.crt")}${cas.ca?.pem}`;
    const tree = new Map(signed).set("pki/apiserver.crt", withChain);
    const result = await finishCsrs(tree);
    const out = new Map(result.files.map((file) => [file.path, file]));
    expect(out.get("pki/apiserver.crt")?.contents).toBe(withChain);
    expect(out.get("pki/etcd/server.crt")?.contents).toBe(signed.get("pki/etcd/server.crt"));
    expect(out.get("pki/ca.crt")?.contents).toBe(signed.get("pki/ca.crt"));
    expect([...out.keys()].filter((path) => path.endsWith("ca.key"))).toEqual([]);
    expect(out.get("pki/sa.key")?.contents).toBe(signed.get("pki/sa.key"));
    expect(out.get("kubepki.yaml")?.contents).toBe(signed.get("kubepki.yaml"));
    const admin = out.get("admin.conf")?.contents as string;
    expect(admin).toContain(
      `client-certificate-data: ${Buffer.from(signed.get("admin.conf.crt") as string).toString("base64")}`,
    );
    expect(out.get("users/admin.crt")?.contents).toBe(signed.get("admin.conf.crt"));
    expect(out.has("kubelet.conf") && out.has("nodes/worker-2/kubelet-config.yaml")).toBe(true);
    // kubeadm's external-CA mode: the controller-manager signs nothing itself.
    expect(out.get("flags/kube-controller-manager.txt")?.contents).toContain("--cluster-signing-cert-file=\n");
    expect(result.remove).toEqual(
      expect.arrayContaining(["admin.conf.crt", "nodes/worker-1/kubelet.conf.crt", "csr-signing.json"]),
    );
    expect(result.remove.filter((path) => path.endsWith(".csr"))).toEqual([]);
    expect(result.warnings).toEqual([]);

    const finished = new Map(tree);
    for (const path of result.remove) finished.delete(path);
    for (const file of result.files) finished.set(file.path, file.contents);
    const report = await auditCluster(finished);
    expect(report.findings.filter((finding) => finding.severity !== "info")).toEqual([]);
  });

  it("refuses, naming file and reason: wrong CN, missing SAN, wrong usage, wrong key, wrong CA, expired, not signed", async () => {
    const apiserver = entryFor("pki/apiserver.csr");
    const csrOf = (entry: SigningEntry) => signed.get(entry.csr) as string;
    const ca = cas.ca as ExternalCa;
    const reasonsFor = async (tree: Map<string, string>, file: string) => {
      const problems = await refusal(tree);
      expect(problems.map((problem) => problem.file)).toEqual([file]);
      return problems.map((problem) => problem.reason).join("; ");
    };
    expect(
      await reasonsFor(
        await withCertificate(apiserver, sign(apiserver, csrOf(apiserver), ca, { subject: "/CN=wrong" })),
        "pki/apiserver.crt",
      ),
    ).toMatch(/CN is "wrong", the role needs "kube-apiserver"/);
    expect(
      await reasonsFor(
        await withCertificate(apiserver, sign(apiserver, csrOf(apiserver), ca, { sans: ["kubernetes"] })),
        "pki/apiserver.crt",
      ),
    ).toMatch(/missing SAN .*ip:10\.96\.0\.1/);
    expect(
      await reasonsFor(
        await withCertificate(apiserver, sign(apiserver, csrOf(apiserver), ca, { extKeyUsages: ["clientAuth"] })),
        "pki/apiserver.crt",
      ),
    ).toMatch(/extended key usage is clientAuth, the role needs serverAuth/);
    const otherKey = await generateKeyPair("ECDSA-P256");
    const wrongKey = issueCertificate({
      issuer: ca.issuer,
      publicKey: otherKey.publicKey,
      subject: "/CN=kube-apiserver",
      sans: parseCsr(csrOf(apiserver)).subjectAltNames.map((san) => san.value),
      keyUsages: ["digitalSignature", "keyEncipherment"],
      extKeyUsages: ["serverAuth"],
    }).then((certificate) => certificate.pem);
    expect(await reasonsFor(await withCertificate(apiserver, wrongKey), "pki/apiserver.crt")).toMatch(
      /public key is not the key in pki\/apiserver\.key/,
    );
    expect(
      await reasonsFor(
        await withCertificate(apiserver, sign(apiserver, csrOf(apiserver), cas["etcd-ca"] as ExternalCa)),
        "pki/apiserver.crt",
      ),
    ).toMatch(/does not verify against ca \(\/CN=kubernetes\)/);
    const shortLived = await withCertificate(
      apiserver,
      sign(apiserver, csrOf(apiserver), ca, { validity: { days: 1 } }),
    );
    const later = new Date(Date.now() + 2 * 86_400_000);
    const expired = await caught(() => finishCsrs(shortLived, { now: later }));
    expect((expired as { details: { problems: CsrProblem[] } }).details.problems).toEqual([
      { file: "pki/apiserver.crt", reason: expect.stringMatching(/expired/i) },
    ]);
    const unsigned = new Map(signed);
    unsigned.delete("nodes/worker-2/kubelet.conf.crt");
    unsigned.delete("pki/etcd/peer.crt");
    const problems = await refusal(unsigned);
    expect(problems).toEqual([
      {
        file: "pki/etcd/peer.crt",
        reason: expect.stringContaining("not signed yet: sign pki/etcd/peer.csr with etcd-ca"),
      },
      { file: "nodes/worker-2/kubelet.conf.crt", reason: expect.stringContaining("not signed yet") },
    ]);
  });

  it("several problems at once are all reported, in plan order", async () => {
    const tree = new Map(signed);
    const ca = cas.ca as ExternalCa;
    const admin = entryFor("admin.conf.csr");
    tree.set(
      admin.certificate,
      await sign(admin, tree.get(admin.csr) as string, ca, { subject: "/CN=kubernetes-admin" }),
    );
    tree.set("pki/front-proxy-client.crt", tree.get("pki/apiserver.crt") as string);
    const problems = await refusal(tree);
    expect(problems.map((problem) => problem.file)).toEqual([
      "pki/front-proxy-client.crt",
      "pki/front-proxy-client.crt",
      "pki/front-proxy-client.crt",
      "pki/front-proxy-client.crt",
      "admin.conf.crt",
    ]);
    expect(problems.at(-1)?.reason).toMatch(/O is absent, the role needs kubeadm:cluster-admins/);
  });

  it("finish on a finished tree changes nothing (the kubeconfigs' embedded certificates are read back)", async () => {
    const first = await finishCsrs(signed);
    const finished = new Map(signed);
    for (const path of first.remove) finished.delete(path);
    for (const file of first.files) finished.set(file.path, file.contents);
    const again = await finishCsrs(finished);
    expect(again.files.filter((file) => finished.get(file.path) !== file.contents)).toEqual([]);
    expect(again.remove).toEqual([]);
  });

  it("an aborted signal stops before any key (ABORTED); progress counts every key, sa included", async () => {
    const given = {
      ca: cas.ca?.pem as string,
      etcdCa: cas["etcd-ca"]?.pem as string,
      frontProxyCa: cas["front-proxy-ca"]?.pem as string,
    };
    const controller = new AbortController();
    controller.abort();
    const aborted = await caught(() => generateCsrs(CONFIG, { cas: given, signal: controller.signal }));
    expect(aborted).toMatchObject({ code: "ABORTED" });
    const seen: number[] = [];
    const set = await generateCsrs(
      { keyAlgorithm: "ECDSA-P256" },
      { cas: given, onProgress: ({ done, total }) => seen.push(total - done) },
    );
    expect(seen).toHaveLength(set.requests.length + 1);
    expect(seen.at(-1)).toBe(0);
  });

  it("a CA text holding a chain: its first certificate is the CA, the only one written", async () => {
    const chain = `${cas.ca?.pem}${cas["etcd-ca"]?.pem}`;
    const set = await generateCsrs(
      { keyAlgorithm: "ECDSA-P256" },
      { cas: { ca: chain, etcdCa: cas["etcd-ca"]?.pem as string, frontProxyCa: cas["front-proxy-ca"]?.pem as string } },
    );
    expect(toCsrFiles(set).find((file) => file.path === "pki/ca.crt")?.contents).toBe(cas.ca?.pem);
  });

  it("parsed certificates keep their own fields under the file's PEM", async () => {
    const result = await finishCsrs(signed);
    const [leaf] = parseCertificates(
      result.files.find((file) => file.path === "pki/apiserver.crt")?.contents as string,
    ) as Certificate[];
    expect(leaf?.subjectText).toBe("/CN=kube-apiserver");
  });
});
