// `kubepki export DIR --secrets`: the CAs as Kubernetes objects. Checked by independent readers:
// the yaml package (multi-document parse), openssl (each Secret's tls.crt/tls.key are PEM that pair:
// the same public key), kubectl 1.33 (`label --local -f` decodes every object without a server;
// `create secret tls --dry-run=client` from the decoded files, which runs Go's tls.X509KeyPair, gives
// the same data). `kubectl create --dry-run=client -f` itself asks the API server for discovery even
// with --validate=false, so it cannot run here without a cluster.
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { initTree } from "./helpers/init-tree.js";
import { initPerNodeTree } from "./helpers/per-node-tree.js";
import { KUBECTL, kubepki, modeOf, run, tempDir } from "./helpers/run.js";

interface K8sObject {
  kind: string;
  type?: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  data: Record<string, string>;
}

const CA_FILES: Record<string, string> = {
  ca: "pki/ca",
  "etcd-ca": "pki/etcd/ca",
  "front-proxy-ca": "pki/front-proxy-ca",
};

let tmp: { path: string; cleanup: () => Promise<void> };
let flat: string;
let perNode: string;
/** A kubeconfig pointing at a closed loopback port: kubectl must not need a server for what is run here. */
let kubeconfig: string;

beforeAll(async () => {
  tmp = await tempDir();
  flat = join(tmp.path, "flat");
  perNode = join(tmp.path, "per-node");
  await initPerNodeTree(flat, perNode);
  kubeconfig = join(tmp.path, "offline.kubeconfig");
  await writeFile(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      "clusters: [{name: none, cluster: {server: 'https://127.0.0.1:9'}}]",
      "users: [{name: none, user: {token: none}}]",
      "contexts: [{name: none, context: {cluster: none, user: none}}]",
      "current-context: none",
      "",
    ].join("\n"),
  );
}, 120_000);
afterAll(() => tmp.cleanup());

function objects(text: string): K8sObject[] {
  const documents = parseAllDocuments(text);
  for (const document of documents) expect(document.errors).toEqual([]);
  return documents.map((document) => document.toJS() as K8sObject);
}

const decoded = (value: string | undefined) => Buffer.from(value ?? "", "base64").toString("utf8");

async function publicKeyOf(kind: "x509" | "pkey", pem: string, file: string): Promise<string> {
  await writeFile(file, pem, { mode: 0o600 });
  const args = kind === "x509" ? ["x509", "-in", file, "-noout", "-pubkey"] : ["pkey", "-in", file, "-pubout"];
  const result = await run("openssl", args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

describe("kubepki export --secrets", () => {
  it("Secrets whose tls.crt/tls.key are the tree's CA files, pairing by openssl and kubectl; ConfigMaps without keys; --out 0600", async () => {
    const out = join(tmp.path, "secrets.yaml");
    const result = await kubepki(["export", flat, "--secrets", "--namespace", "cert-manager", "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    expect((await modeOf(out)).toString(8)).toBe("600");
    const text = await readFile(out, "utf8");
    const all = objects(text);
    expect(all.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([
      "Secret/kubepki-ca",
      "ConfigMap/kubepki-ca.crt",
      "Secret/kubepki-etcd-ca",
      "ConfigMap/kubepki-etcd-ca.crt",
      "Secret/kubepki-front-proxy-ca",
      "ConfigMap/kubepki-front-proxy-ca.crt",
    ]);
    for (const object of all) expect(object.metadata.namespace).toBe("cert-manager");

    for (const secret of all.filter((object) => object.kind === "Secret")) {
      const ca = secret.metadata.labels["kubepki/ca"] as string;
      const base = join(flat, CA_FILES[ca] as string);
      expect(secret.type).toBe("kubernetes.io/tls");
      const crt = decoded(secret.data["tls.crt"]);
      const key = decoded(secret.data["tls.key"]);
      expect(crt).toBe(await readFile(`${base}.crt`, "utf8"));
      expect(key).toBe(await readFile(`${base}.key`, "utf8"));
      expect(decoded(secret.data["ca.crt"])).toBe(crt);
      const scratch = join(tmp.path, `scratch-${ca}`);
      const fromCert = await publicKeyOf("x509", crt, `${scratch}.crt`);
      expect(fromCert).toContain("BEGIN PUBLIC KEY");
      expect(await publicKeyOf("pkey", key, `${scratch}.key`)).toBe(fromCert);
      // kubectl's own TLS Secret from the decoded files (Go's tls.X509KeyPair refuses a pair that does not match).
      const kubectl = await run(KUBECTL, [
        "--kubeconfig",
        kubeconfig,
        "create",
        "secret",
        "tls",
        secret.metadata.name,
        "--cert",
        `${scratch}.crt`,
        "--key",
        `${scratch}.key`,
        "--dry-run=client",
        "-o",
        "yaml",
      ]);
      expect(kubectl.code, kubectl.stderr).toBe(0);
      const made = objects(kubectl.stdout)[0] as K8sObject;
      expect(made.type).toBe("kubernetes.io/tls");
      expect([made.data["tls.crt"], made.data["tls.key"]]).toEqual([secret.data["tls.crt"], secret.data["tls.key"]]);
    }

    const documents = text.split(/^---$/m);
    const maps = documents.filter((document) => /^kind: ConfigMap$/m.test(document));
    expect(maps).toHaveLength(3);
    for (const map of maps) expect(map).not.toContain("PRIVATE KEY");
    for (const map of all.filter((object) => object.kind === "ConfigMap")) {
      const ca = map.metadata.labels["kubepki/ca"] as string;
      expect(map.data).toEqual({ "ca.crt": await readFile(join(flat, `${CA_FILES[ca]}.crt`), "utf8") });
    }
    // The example Issuer is a comment: cert-manager's CRDs need not exist for the file to apply.
    expect(text).toMatch(/^#\s+kind: Issuer$/m);
    expect(text).toMatch(/^#\s+secretName: kubepki-ca$/m);
  });

  it("kubectl decodes every object of the file without a server (label --local -f)", async () => {
    const out = join(tmp.path, "for-kubectl.yaml");
    expect((await kubepki(["export", flat, "--secrets", "--out", out])).code).toBe(0);
    const result = await run(KUBECTL, [
      "--kubeconfig",
      kubeconfig,
      "label",
      "--local",
      "-f",
      out,
      "checked=yes",
      "-o",
      "jsonpath={.kind}/{.metadata.name}/{.metadata.labels.checked} ",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split(" ")).toEqual([
      "Secret/kubepki-ca/yes",
      "ConfigMap/kubepki-ca.crt/yes",
      "Secret/kubepki-etcd-ca/yes",
      "ConfigMap/kubepki-etcd-ca.crt/yes",
      "Secret/kubepki-front-proxy-ca/yes",
      "ConfigMap/kubepki-front-proxy-ca.crt/yes",
    ]);
    // The same kubectl refuses a broken file: the check can fail.
    await writeFile(join(tmp.path, "broken.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: [\n");
    const broken = await run(KUBECTL, [
      "--kubeconfig",
      kubeconfig,
      "label",
      "--local",
      "-f",
      join(tmp.path, "broken.yaml"),
      "a=b",
    ]);
    expect(broken.code).not.toBe(0);
  });

  it("stdout by default; a per-node tree (init --layout per-node) gives the same objects, its CAs taken from the first control-plane folder", async () => {
    const fromFlat = await kubepki(["export", flat, "--secrets"]);
    const fromPerNode = await kubepki(["export", perNode, "--secrets"]);
    expect(fromFlat.code, fromFlat.stderr).toBe(0);
    expect(fromPerNode.code, fromPerNode.stderr).toBe(0);
    expect(fromFlat.stdout).toBe(await readFile(join(tmp.path, "for-kubectl.yaml"), "utf8"));
    const names = (text: string) => objects(text).map((object) => `${object.kind}/${object.metadata.name}`);
    expect(names(fromPerNode.stdout)).toEqual(names(fromFlat.stdout));
    // The two trees are two clusters: the per-node one's Secrets are cp-1's CA files.
    const pki = join(perNode, "cp-1/etc/kubernetes/pki");
    for (const [name, file] of [
      ["kubepki-ca", "ca"],
      ["kubepki-etcd-ca", "etcd/ca"],
      ["kubepki-front-proxy-ca", "front-proxy-ca"],
    ] as const) {
      const secret = objects(fromPerNode.stdout).find(
        (object) => object.kind === "Secret" && object.metadata.name === name,
      ) as { data: Record<string, string> };
      const decoded = (key: string) => Buffer.from(secret.data[key] as string, "base64").toString("utf8");
      expect(decoded("tls.crt"), name).toBe(await readFile(join(pki, `${file}.crt`), "utf8"));
      expect(decoded("tls.key"), name).toBe(await readFile(join(pki, `${file}.key`), "utf8"));
    }
  });

  it("an external CA (no key) gets a ConfigMap only and a note", async () => {
    const external = join(tmp.path, "external");
    await cp(flat, external, { recursive: true });
    await rm(join(external, "pki/ca.key"));
    const result = await kubepki(["export", external, "--secrets"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("note: ca has no key");
    const kinds = objects(result.stdout).map((object) => `${object.kind}/${object.metadata.name}`);
    expect(kinds).not.toContain("Secret/kubepki-ca");
    expect(kinds).toContain("ConfigMap/kubepki-ca.crt");
    expect(kinds).toContain("Secret/kubepki-etcd-ca");
    expect(result.stdout).toContain("# kubepki-ca: no usable key for this CA");
  });

  it("encrypted CA keys (init --encrypt-ca-keys) go in no Secret", async () => {
    const encrypted = join(tmp.path, "encrypted");
    const passphrase = join(tmp.path, "passphrase");
    await writeFile(passphrase, "correct horse battery staple\n", { mode: 0o600 });
    await initTree(encrypted, "--encrypt-ca-keys", "--passphrase-file", passphrase);
    const result = await kubepki(["export", encrypted, "--secrets"], { timeoutMs: 120_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("is encrypted");
    expect(objects(result.stdout).map((object) => object.kind)).toEqual(["ConfigMap", "ConfigMap", "ConfigMap"]);
    expect(result.stdout).not.toContain("PRIVATE KEY");
  }, 120_000);

  it("refusals: --out exists (FILES_EXIST, unchanged) unless --force; no --secrets (exit 2); a bad namespace; no CA", async () => {
    const out = join(tmp.path, "secrets.yaml");
    const before = await readFile(out, "utf8");
    const refused = await kubepki(["export", flat, "--secrets", "--out", out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Refusing to overwrite");
    expect(await readFile(out, "utf8")).toBe(before);
    const forced = await kubepki(["export", flat, "--secrets", "--out", out, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect((await modeOf(out)).toString(8)).toBe("600");
    expect((await kubepki(["export", flat])).code).toBe(2);
    const namespace = await kubepki(["export", flat, "--secrets", "--namespace", "Kube_System"]);
    expect(namespace.code).toBe(1);
    expect(namespace.stderr).toContain("is not a DNS label");
    expect(namespace.stdout).toBe("");
    const empty = join(tmp.path, "empty");
    await cp(join(flat, "flags"), empty, { recursive: true });
    const noCa = await kubepki(["export", empty, "--secrets"]);
    expect(noCa.code).toBe(1);
    expect(noCa.stderr).toContain("holds no pki/ca.crt");
  });
});
