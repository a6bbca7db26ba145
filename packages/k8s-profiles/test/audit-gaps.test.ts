// Issue 22, "Audit gaps found": each gap provoked on a correct tree with one wrong file (made with
// openssl), and shown absent on the same correct trees (kubepki's own and the openssl-only one).
//
// - sa.pub that is not sa.key's public key: SA_KEY_MISMATCH (error); during a rotation sa.key's
//   key must be among sa.pub's keys (its place in the bundle stays rotation's KEY_MISMATCH).
// - an empty tree, or one without a certificate: NO_CERTIFICATES (error), not a clean report.
// - "kubeconfig client certificate expiring before its CA", read as: a client certificate embedded
//   in a kubeconfig gets the same validity findings as a certificate file — EXPIRED, NOT_YET_VALID,
//   EXPIRES_SOON within the window, VALIDITY_EXCEEDS_CA when it outlives the CA that signed it —
//   with the kubeconfig as the file and its user in the message. A client certificate ending
//   before its CA is kubeadm's normal (leaves 1 year, CA 10), so that alone is no finding; what an
//   operator needs is to hear about the kubeconfig before its certificate stops working.
// - a kubelet serving certificate without its node's address: MISSING_SAN (error) when the config
//   (or the tree's kubepki.yaml, which the CLI reads) names the address; without one the tree does
//   not say the node's address, and only "no SAN at all" is reported, as before.
// - `--etcd-servers` hosts (flags/kube-apiserver.txt, or manifests/kube-apiserver.yaml of a node's
//   /etc/kubernetes) that no etcd server certificate carries, and a kubeconfig `server:` host
//   (the controlPlaneEndpoint) the API server certificate lacks: SERVER_NAME_MISMATCH (error).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuditOptions,
  type AuditReport,
  auditCluster,
  type FindingCode,
  generateCluster,
  type KubeadmFile,
  toNodeFiles,
} from "../src/index.js";
import { buildKubepkiTree, KUBEPKI_CONFIG } from "./helpers/kubepki-tree.js";
import { buildOpensslTree } from "./helpers/openssl-tree.js";
import { openssl, tempDir } from "./helpers/tree.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const NEW_CODES: readonly FindingCode[] = ["SA_KEY_MISMATCH", "NO_CERTIFICATES", "SERVER_NAME_MISMATCH"];
const TIME_CODES: readonly FindingCode[] = ["EXPIRED", "NOT_YET_VALID", "EXPIRES_SOON", "VALIDITY_EXCEEDS_CA"];

const scratch = tempDir("audit-gaps");
afterAll(() => scratch.remove());

let kubepkiTree: Map<string, string>;
let opensslTree: Map<string, string>;
let nodeFiles: readonly KubeadmFile[];
beforeAll(async () => {
  [kubepkiTree, opensslTree, nodeFiles] = await Promise.all([
    buildKubepkiTree(),
    buildOpensslTree(KUBEPKI_CONFIG),
    generateCluster(KUBEPKI_CONFIG).then(toNodeFiles),
  ]);
}, 120_000);

/** One folder of the per-node layout (`<node>/etc/kubernetes/`), as the audit of that directory reads it. */
const nodeFolder = (prefix: string) =>
  new Map(
    nodeFiles
      .filter((file) => file.path.startsWith(prefix))
      .map((file) => [file.path.slice(prefix.length), file.contents]),
  );

const withCode = (report: AuditReport, code: FindingCode) => report.findings.filter((finding) => finding.code === code);
const audit = (files: ReadonlyMap<string, string>, options: AuditOptions = {}) => auditCluster(files, options);

function ok(result: { status: number | null; stderr: string }): void {
  expect(result.status, result.stderr).toBe(0);
}

/** A public key PEM of a fresh RSA key (openssl genrsa), not the tree's. */
function otherPublicKey(name: string): string {
  const key = join(scratch.dir, `${name}.key`);
  ok(openssl(["genrsa", "-out", key, "2048"]));
  const pub = openssl(["pkey", "-in", key, "-pubout"]);
  ok(pub);
  return pub.stdout;
}

/** A leaf made by openssl: a fresh EC key, signed by the tree's pki/ca.crt and ca.key. */
function signedByTreeCa(
  files: ReadonlyMap<string, string>,
  name: string,
  subject: string,
  extensions: string,
  days: number,
): { crt: string; key: string } {
  const path = (file: string) => join(scratch.dir, `${name}.${file}`);
  writeFileSync(path("ca.crt"), files.get("pki/ca.crt") as string);
  writeFileSync(path("ca.key"), files.get("pki/ca.key") as string);
  writeFileSync(path("ext"), `${extensions}\n`);
  ok(openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", path("key")]));
  ok(openssl(["req", "-new", "-key", path("key"), "-subj", subject, "-out", path("csr")]));
  ok(
    openssl([
      "x509",
      "-req",
      "-in",
      path("csr"),
      "-CA",
      path("ca.crt"),
      "-CAkey",
      path("ca.key"),
      "-CAcreateserial",
      "-days",
      String(days),
      "-extfile",
      path("ext"),
      "-out",
      path("crt"),
    ]),
  );
  return { crt: readFileSync(path("crt"), "utf8"), key: readFileSync(path("key"), "utf8") };
}

const base64 = (text: string) => Buffer.from(text).toString("base64");

/** A kubeconfig with its embedded client pair replaced. */
function withClientPair(kubeconfig: string, pair: { crt: string; key: string }): string {
  return kubeconfig
    .replace(/client-certificate-data: \S+/, `client-certificate-data: ${base64(pair.crt)}`)
    .replace(/client-key-data: \S+/, `client-key-data: ${base64(pair.key)}`);
}

describe("correct trees give none of these findings", () => {
  it.each([
    ["kubepki", () => kubepkiTree],
    ["openssl", () => opensslTree],
  ])(
    "the %s tree, with and without its config",
    async (_name, files) => {
      for (const options of [{}, { config: KUBEPKI_CONFIG }]) {
        const report = await audit(files(), options);
        expect(report.findings.filter((finding) => NEW_CODES.includes(finding.code))).toEqual([]);
        expect(report.findings.filter((finding) => finding.code === "MISSING_SAN")).toEqual([]);
        expect(report.findings.filter((finding) => TIME_CODES.includes(finding.code))).toEqual([]);
      }
    },
    60_000,
  );
});

describe("sa.pub against sa.key", () => {
  it("an sa.pub of another key (openssl genrsa): SA_KEY_MISMATCH on pki/sa.pub", async () => {
    for (const tree of [kubepkiTree, opensslTree]) {
      const files = new Map(tree);
      files.set("pki/sa.pub", otherPublicKey("sa-other"));
      const found = withCode(await audit(files), "SA_KEY_MISMATCH");
      expect(found.map((finding) => [finding.severity, finding.file])).toEqual([["error", "pki/sa.pub"]]);
      expect(found[0]?.message).toContain("the public key in pki/sa.pub is not pki/sa.key's");
    }
  }, 60_000);

  it("an RSA pair made by openssl (genrsa -traditional, pkey -pubout) is no SA_KEY_MISMATCH", async () => {
    const key = join(scratch.dir, "sa-rsa.key");
    ok(openssl(["genrsa", "-traditional", "-out", key, "2048"]));
    const pub = openssl(["pkey", "-in", key, "-pubout"]);
    ok(pub);
    const files = new Map(opensslTree);
    files.set("pki/sa.key", readFileSync(key, "utf8"));
    files.set("pki/sa.pub", pub.stdout);
    expect(withCode(await audit(files), "SA_KEY_MISMATCH")).toEqual([]);
    files.set("pki/sa.pub", otherPublicKey("sa-rsa-other"));
    expect(withCode(await audit(files), "SA_KEY_MISMATCH").map((finding) => finding.file)).toEqual(["pki/sa.pub"]);
  }, 60_000);

  it("a node's copy is checked against the sa.key beside it", async () => {
    const files = new Map(kubepkiTree);
    files.set("nodes/cp-2/pki/sa.key", kubepkiTree.get("pki/sa.key") as string);
    files.set("nodes/cp-2/pki/sa.pub", otherPublicKey("sa-node"));
    expect(withCode(await audit(files), "SA_KEY_MISMATCH").map((finding) => finding.file)).toEqual([
      "nodes/cp-2/pki/sa.pub",
    ]);
  }, 60_000);

  it("a rotation's sa.pub: sa.key's key among them is no SA_KEY_MISMATCH; none of them is", async () => {
    const own = kubepkiTree.get("pki/sa.pub") as string;
    const other = otherPublicKey("sa-rotation");
    const files = new Map(kubepkiTree);
    // sa.key's key second: the order is rotation's KEY_MISMATCH, not a missing key.
    files.set("pki/sa.pub", `${other}${own}`);
    let report = await audit(files);
    expect(withCode(report, "SA_KEY_MISMATCH")).toEqual([]);
    expect(withCode(report, "KEY_MISMATCH").map((finding) => finding.file)).toEqual(["pki/sa.pub"]);
    files.set("pki/sa.pub", `${own}${other}`);
    expect(withCode(await audit(files), "SA_KEY_MISMATCH")).toEqual([]);
    files.set("pki/sa.pub", `${other}${otherPublicKey("sa-rotation-2")}`);
    report = await audit(files);
    expect(withCode(report, "SA_KEY_MISMATCH").map((finding) => [finding.file, finding.message])).toEqual([
      ["pki/sa.pub", expect.stringContaining("none of the 2 public keys in pki/sa.pub is pki/sa.key's")],
    ]);
    // Said once: not also "not the first key".
    expect(withCode(report, "KEY_MISMATCH").filter((finding) => finding.file === "pki/sa.pub")).toEqual([]);
  }, 60_000);
});

describe("a tree without certificates", () => {
  it("auditCluster({}), an empty Map and a tree of notes: NO_CERTIFICATES, an error", async () => {
    for (const files of [{}, new Map<string, string>(), new Map([["README.md", "# notes\n"]])]) {
      const report = await auditCluster(files);
      expect(report.findings.map((finding) => [finding.severity, finding.code])).toEqual([
        ["error", "NO_CERTIFICATES"],
      ]);
      expect(report.certificates).toEqual([]);
    }
  });

  it("an unreadable file already says what is wrong: UNREADABLE alone", async () => {
    const report = await auditCluster({ "pki/apiserver.crt": "not a certificate" });
    expect(report.findings.map((finding) => finding.code)).toEqual(["UNREADABLE"]);
  });
});

describe("validity of kubeconfig-embedded client certificates", () => {
  it("expired, not yet valid and expiring soon: on the kubeconfig, naming its user", async () => {
    const now = Date.now();
    const later = await audit(kubepkiTree, { now: new Date(now + 400 * DAY_MS) });
    const expired = withCode(later, "EXPIRED").find((finding) => finding.file === "admin.conf");
    expect(expired?.severity).toBe("error");
    expect(expired?.message).toMatch(/^user kubernetes-admin: expired on /);
    const before = await audit(kubepkiTree, { now: new Date(now - DAY_MS) });
    expect(withCode(before, "NOT_YET_VALID").find((finding) => finding.file === "admin.conf")?.message).toMatch(
      /^user kubernetes-admin: not valid before /,
    );
    const soon = await audit(kubepkiTree, { expiringWithinDays: 400 });
    const kubeconfigs = withCode(soon, "EXPIRES_SOON")
      .filter((finding) => finding.file.endsWith(".conf"))
      .map((finding) => finding.file);
    expect(kubeconfigs).toEqual(
      expect.arrayContaining(["admin.conf", "scheduler.conf", "nodes/worker-1/kubelet.conf"]),
    );
  }, 60_000);

  it("a client certificate outliving its CA (openssl -days 4000 under a 10-year CA): VALIDITY_EXCEEDS_CA", async () => {
    const pair = signedByTreeCa(
      kubepkiTree,
      "admin-long",
      "/O=kubeadm:cluster-admins/CN=kubernetes-admin",
      "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth",
      4000,
    );
    const files = new Map(kubepkiTree);
    files.set("admin.conf", withClientPair(kubepkiTree.get("admin.conf") as string, pair));
    const report = await audit(files);
    expect(withCode(report, "VALIDITY_EXCEEDS_CA").map((finding) => [finding.file, finding.message])).toEqual([
      ["admin.conf", expect.stringMatching(/^user kubernetes-admin: valid until .* after its CA pki\/ca\.crt expires/)],
    ]);
    // The pair itself is fine: no other error on admin.conf.
    expect(report.findings.filter((finding) => finding.file === "admin.conf" && finding.severity === "error")).toEqual(
      [],
    );
  }, 60_000);
});

describe("kubelet serving certificate and its node's address", () => {
  /** The tree with `<stem>.crt` and `<stem>.key` replaced. */
  const withPair = (tree: ReadonlyMap<string, string>, stem: string, pair: { crt: string; key: string }) =>
    new Map(tree).set(`${stem}.crt`, pair.crt).set(`${stem}.key`, pair.key);
  /** Audited with the config, which names worker-1's address: the one MISSING_SAN, an error naming it. */
  async function expectMissingIp(files: ReadonlyMap<string, string>, file: string): Promise<void> {
    const found = withCode(await audit(files, { config: KUBEPKI_CONFIG }), "MISSING_SAN");
    expect(found.map((finding) => [finding.severity, finding.file, finding.node])).toEqual([
      ["error", file, "worker-1"],
    ]);
    expect(found[0]?.message).toContain("missing SANs IP:192.168.10.21");
  }
  const SERVING_EXT =
    "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth";

  it("without the node's IP: MISSING_SAN naming it, with the config (or none without one)", async () => {
    for (const tree of [kubepkiTree, opensslTree]) {
      const pair = signedByTreeCa(
        tree,
        "kubelet-no-ip",
        "/O=system:nodes/CN=system:node:worker-1",
        `${SERVING_EXT}\nsubjectAltName=DNS:worker-1`,
        365,
      );
      const files = withPair(tree, "nodes/worker-1/pki/kubelet", pair);
      await expectMissingIp(files, "nodes/worker-1/pki/kubelet.crt");
      // Without a config the tree does not say the node's address: a DNS SAN is enough there.
      expect(withCode(await audit(files), "MISSING_SAN")).toEqual([]);
    }
  }, 60_000);

  it("per-node layout: a worker's own /etc/kubernetes with pki/kubelet.crt lacking its IP", async () => {
    const worker = nodeFolder("worker-1/etc/kubernetes/");
    expect(withCode(await audit(worker, { config: KUBEPKI_CONFIG }), "MISSING_SAN")).toEqual([]);
    const pair = signedByTreeCa(
      nodeFolder("cp-1/etc/kubernetes/"),
      "kubelet-per-node",
      "/O=system:nodes/CN=system:node:worker-1",
      `${SERVING_EXT}\nsubjectAltName=DNS:worker-1`,
      365,
    );
    await expectMissingIp(withPair(worker, "pki/kubelet", pair), "pki/kubelet.crt");
  }, 60_000);

  it("with no SAN at all: MISSING_SAN even without a config", async () => {
    const pair = signedByTreeCa(
      kubepkiTree,
      "kubelet-no-san",
      "/O=system:nodes/CN=system:node:worker-1",
      SERVING_EXT,
      365,
    );
    const files = withPair(kubepkiTree, "nodes/worker-1/pki/kubelet", pair);
    expect(withCode(await audit(files), "MISSING_SAN").map((finding) => finding.file)).toEqual([
      "nodes/worker-1/pki/kubelet.crt",
    ]);
  }, 60_000);
});

describe("hosts dialled that the serving certificate lacks", () => {
  it("--etcd-servers in flags/kube-apiserver.txt with a host no etcd server certificate carries", async () => {
    const files = new Map(kubepkiTree);
    const flags = kubepkiTree.get("flags/kube-apiserver.txt") as string;
    expect(flags).toContain("--etcd-servers=https://127.0.0.1:2379\n");
    files.set(
      "flags/kube-apiserver.txt",
      flags.replace(
        "--etcd-servers=https://127.0.0.1:2379",
        "--etcd-servers=https://127.0.0.1:2379,https://etcd-9.example:2379",
      ),
    );
    const found = withCode(await audit(files), "SERVER_NAME_MISMATCH");
    expect(found.map((finding) => [finding.severity, finding.file, finding.role])).toEqual([
      ["error", "flags/kube-apiserver.txt", "etcd-server"],
    ]);
    expect(found[0]?.message).toContain("--etcd-servers: https://etcd-9.example:2379 — etcd-9.example is not a SAN");
  }, 60_000);

  it("--etcd-servers in a node's manifests/kube-apiserver.yaml (per-node layout)", async () => {
    const files = nodeFolder("cp-1/etc/kubernetes/");
    const manifest = files.get("manifests/kube-apiserver.yaml") as string;
    expect(manifest).toContain("- --etcd-servers=https://127.0.0.1:2379\n");
    expect(withCode(await audit(files), "SERVER_NAME_MISMATCH")).toEqual([]);
    files.set("manifests/kube-apiserver.yaml", manifest.replace("https://127.0.0.1:2379", "https://10.9.9.9:2379"));
    // The flags file says the same in this layout: change only the manifest to see it named.
    const found = withCode(await audit(files), "SERVER_NAME_MISMATCH");
    expect(found.map((finding) => finding.file)).toEqual(["manifests/kube-apiserver.yaml"]);
    expect(found[0]?.message).toContain("10.9.9.9 is not a SAN of any etcd server certificate");
  }, 60_000);

  it("a kubeconfig server: https://lb.example:6443 the API server certificate lacks", async () => {
    for (const tree of [kubepkiTree, opensslTree]) {
      const files = new Map(tree);
      const admin = tree.get("admin.conf") as string;
      files.set("admin.conf", admin.replace(/server: \S+/, "server: https://lb.example:6443"));
      const found = withCode(await audit(files), "SERVER_NAME_MISMATCH");
      expect(found.map((finding) => [finding.severity, finding.file])).toEqual([["error", "admin.conf"]]);
      expect(found[0]?.message).toContain("server https://lb.example:6443 — lb.example is not a SAN");
    }
  }, 60_000);

  it("a server: name with a trailing dot, or in capitals, is the SAN it names (as Go's VerifyHostname reads it)", async () => {
    const files = new Map(kubepkiTree);
    const admin = kubepkiTree.get("admin.conf") as string;
    for (const server of ["https://kubernetes.default.svc.:6443", "https://KUBERNETES.default.svc:6443"]) {
      files.set("admin.conf", admin.replace(/server: \S+/, `server: ${server}`));
      expect(withCode(await audit(files), "SERVER_NAME_MISMATCH"), server).toEqual([]);
    }
  }, 60_000);
});
