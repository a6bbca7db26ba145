import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isKubepkiError,
  type Kubeconfig,
  parseKubeconfig,
  renderKubeconfig,
  renderSimpleKubeconfig,
  simpleKubeconfig,
} from "../src/index.js";
import { KUBECTL, run, runOk, tempDir } from "./helpers/run.js";

// Fake PEM text: kubectl and client-node carry *-data as opaque bytes, so no real key is needed
// here (real certificates are exercised in openssl.test.ts and etcd.test.ts).
const CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZmFrZS1jYQ==\n-----END CERTIFICATE-----\n";
const CERT_PEM = "-----BEGIN CERTIFICATE-----\nMIIBtjCCAVygAwIBAgIUY2xpZW50\n-----END CERTIFICATE-----\n";
const KEY_PEM = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIGtleQ==\n-----END EC PRIVATE KEY-----\n";
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

const variants: Record<string, Kubeconfig> = {
  embedded: simpleKubeconfig({
    server: "https://127.0.0.1:6443",
    caCertificate: { pem: CA_PEM },
    user: { name: "kubernetes-admin", clientCertificate: { pem: CERT_PEM }, clientKey: { pem: KEY_PEM } },
  }),
  byPath: simpleKubeconfig({
    server: "https://127.0.0.1:6443",
    caCertificate: { path: "/etc/kubernetes/pki/ca.crt" },
    user: {
      name: "system:node:node01",
      clientCertificate: { path: "/var/lib/kubelet/pki/kubelet-client-current.pem" },
      clientKey: { path: "/var/lib/kubelet/pki/kubelet-client-current.pem" },
    },
  }),
  token: simpleKubeconfig({
    server: "https://127.0.0.1:6443",
    caCertificate: { pem: CA_PEM },
    user: { name: "tls-bootstrap-token-user", token: "abcdef.0123456789abcdef" },
  }),
  extras: simpleKubeconfig({
    clusterName: "prod",
    server: "https://127.0.0.1:6443",
    caCertificate: { pem: CA_PEM },
    user: { name: "dev", clientCertificate: { pem: CERT_PEM }, clientKey: { path: "/home/dev/.kube/dev.key" } },
    namespace: "team-a",
    tlsServerName: "kubernetes.default.svc.cluster.local",
    proxyUrl: "http://127.0.0.1:3128",
  }),
  multiple: {
    clusters: [
      { name: "a", server: "https://127.0.0.1:6443", certificateAuthority: { pem: CA_PEM } },
      {
        name: "b",
        server: "https://[::1]:6443",
        certificateAuthority: { path: "/etc/b/ca.crt" },
        tlsServerName: "b.internal",
        extensions: [{ name: "example.com/meta", extension: { region: "eu", zones: ["a", "b"] } }],
      },
      { name: "c", server: "https://127.0.0.2:6443", insecureSkipTlsVerify: true },
    ],
    users: [
      { name: "admin", clientCertificate: { pem: CERT_PEM }, clientKey: { pem: KEY_PEM } },
      { name: "robot", token: "t0k3n" },
      {
        name: "sso",
        exec: { apiVersion: "client.authentication.k8s.io/v1", command: "kubelogin", args: ["get-token"] },
      },
    ],
    contexts: [
      { name: "admin@a", cluster: "a", user: "admin" },
      { name: "robot@b", cluster: "b", user: "robot", namespace: "ci" },
      { name: "sso@c", cluster: "c", user: "sso" },
    ],
    currentContext: "robot@b",
  },
  // Names and values that YAML 1.1 (go-yaml v2, i.e. kubectl) would read as booleans/numbers unless quoted.
  yaml11: {
    clusters: [{ name: "on", server: "https://127.0.0.1:6443" }],
    users: [{ name: "yes", token: "0123" }],
    contexts: [{ name: "true", cluster: "on", user: "yes", namespace: "no" }],
    currentContext: "true",
    preferences: {},
  },
};

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await dir.cleanup();
});

async function kubectlView(text: string, name: string): Promise<Record<string, unknown>> {
  const file = join(dir.path, `${name}.yaml`);
  await writeFile(file, text);
  return JSON.parse(await runOk(KUBECTL, ["config", "view", "--raw", "-o", "json", "--kubeconfig", file]));
}

describe("renderKubeconfig", () => {
  for (const [name, config] of Object.entries(variants)) {
    describe(name, () => {
      const text = renderKubeconfig(config);

      it("round-trips through parseKubeconfig exactly", () => {
        expect(parseKubeconfig(text)).toStrictEqual(config);
      });

      it("is read by kubectl 1.33 with the same clusters, users, contexts and data", async () => {
        const json = await kubectlView(text, name);
        // kubectl's JSON is a kubeconfig too; it adds defaults (preferences, exec fields), so compare as a subset.
        expect(parseKubeconfig(JSON.stringify(json))).toMatchObject({
          ...config,
          preferences: config.preferences ?? {},
        });
        const clusters = json.clusters as { name: string; cluster: Record<string, unknown> }[];
        for (const cluster of config.clusters) {
          const raw = clusters.find((c) => c.name === cluster.name)!.cluster;
          const ca = cluster.certificateAuthority;
          if (ca && "pem" in ca) expect(raw["certificate-authority-data"]).toBe(b64(ca.pem));
          if (ca && "path" in ca) expect(raw["certificate-authority"]).toBe(ca.path);
          expect(raw.server).toBe(cluster.server);
        }
        expect(json["current-context"]).toBe(config.currentContext ?? "");
      });

      it("is read by @kubernetes/client-node with the same clusters, users, contexts and data", () => {
        const kc = new KubeConfig();
        kc.loadFromString(text);
        expect(kc.getCurrentContext()).toBe(config.currentContext);
        expect(kc.clusters).toHaveLength(config.clusters.length);
        for (const cluster of config.clusters) {
          const got = kc.clusters.find((c) => c.name === cluster.name)!;
          expect(got.server).toBe(cluster.server);
          const ca = cluster.certificateAuthority;
          expect(got.caData).toBe(ca && "pem" in ca ? b64(ca.pem) : undefined);
          expect(got.caFile).toBe(ca && "path" in ca ? ca.path : undefined);
          expect(got.tlsServerName).toBe(cluster.tlsServerName);
          expect(got.proxyUrl).toBe(cluster.proxyUrl);
          expect(got.skipTLSVerify).toBe(cluster.insecureSkipTlsVerify ?? false);
        }
        expect(kc.users).toHaveLength(config.users.length);
        for (const user of config.users) {
          const got = kc.users.find((u) => u.name === user.name)!;
          const cert = user.clientCertificate;
          const key = user.clientKey;
          expect(got.certData).toBe(cert && "pem" in cert ? b64(cert.pem) : undefined);
          expect(got.certFile).toBe(cert && "path" in cert ? cert.path : undefined);
          expect(got.keyData).toBe(key && "pem" in key ? b64(key.pem) : undefined);
          expect(got.keyFile).toBe(key && "path" in key ? key.path : undefined);
          expect(got.token).toBe(user.token);
          if (user.exec) expect(got.exec).toMatchObject(user.exec);
        }
        expect(kc.contexts.map((c) => ({ ...c }))).toEqual(
          config.contexts.map((c) => ({ name: c.name, cluster: c.cluster, user: c.user, namespace: c.namespace })),
        );
      });
    });
  }

  it("embeds base64 of the PEM text under *-data and names the context <user>@<cluster> (kubeadm)", () => {
    const text = renderSimpleKubeconfig({
      server: "https://127.0.0.1:6443",
      caCertificate: { pem: CA_PEM },
      user: { name: "kubernetes-admin", clientCertificate: { pem: CERT_PEM }, clientKey: { pem: KEY_PEM } },
    });
    expect(text).toContain(`certificate-authority-data: ${b64(CA_PEM)}\n`);
    expect(text).toContain(`client-certificate-data: ${b64(CERT_PEM)}\n`);
    expect(text).toContain(`client-key-data: ${b64(KEY_PEM)}\n`);
    expect(text).toContain("current-context: kubernetes-admin@kubernetes\n");
    // kubectl's top-level key order.
    const keys = text
      .split("\n")
      .filter((l) => /^[A-Za-z-]+:/.test(l))
      .map((l) => l.split(":")[0]);
    expect(keys).toEqual(["apiVersion", "clusters", "contexts", "current-context", "kind", "preferences", "users"]);
  });

  it("base64-encodes non-ASCII text as UTF-8, like Buffer does", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nÄÖü€𝄞\n-----END CERTIFICATE-----\n";
    const config = simpleKubeconfig({
      server: "https://127.0.0.1:6443",
      caCertificate: { pem },
      user: { name: "u", token: "t" },
    });
    const text = renderKubeconfig(config);
    expect(text).toContain(b64(pem));
    expect(parseKubeconfig(text)).toStrictEqual(config);
  });
});

describe("kubeconfigs written by kubectl itself", () => {
  it("parse, and re-render byte for byte", async () => {
    const file = join(dir.path, "kubectl-written.yaml");
    const caFile = join(dir.path, "ca.crt");
    await writeFile(caFile, CA_PEM);
    const certFile = join(dir.path, "admin.crt");
    const keyFile = join(dir.path, "admin.key");
    await writeFile(certFile, CERT_PEM);
    await writeFile(keyFile, KEY_PEM);
    const k = (...args: string[]) => runOk(KUBECTL, ["config", ...args, "--kubeconfig", file]);
    await k(
      "set-cluster",
      "kubernetes",
      "--server=https://127.0.0.1:6443",
      `--certificate-authority=${caFile}`,
      "--embed-certs=true",
    );
    await k(
      "set-cluster",
      "by-path",
      "--server=https://[::1]:6443",
      `--certificate-authority=${caFile}`,
      "--tls-server-name=api.internal",
    );
    await k("set", "clusters.by-path.proxy-url", "http://127.0.0.1:3128");
    await k(
      "set-credentials",
      "kubernetes-admin",
      `--client-certificate=${certFile}`,
      `--client-key=${keyFile}`,
      "--embed-certs=true",
    );
    await k("set-credentials", "by-path", `--client-certificate=${certFile}`, `--client-key=${keyFile}`);
    await k("set-credentials", "bot", "--token=abcdef.0123456789abcdef");
    await k("set-context", "kubernetes-admin@kubernetes", "--cluster=kubernetes", "--user=kubernetes-admin");
    await k("set-context", "bot@by-path", "--cluster=by-path", "--user=bot", "--namespace=kube-system");
    await k("use-context", "kubernetes-admin@kubernetes");
    const text = await readFile(file, "utf8");

    const config = parseKubeconfig(text);
    expect(config.currentContext).toBe("kubernetes-admin@kubernetes");
    expect(config.clusters).toContainEqual({
      name: "kubernetes",
      server: "https://127.0.0.1:6443",
      certificateAuthority: { pem: CA_PEM },
    });
    expect(config.clusters).toContainEqual({
      name: "by-path",
      server: "https://[::1]:6443",
      // kubectl stores paths relative to the kubeconfig's directory.
      certificateAuthority: { path: "ca.crt" },
      tlsServerName: "api.internal",
      proxyUrl: "http://127.0.0.1:3128",
    });
    expect(config.users).toContainEqual({
      name: "kubernetes-admin",
      clientCertificate: { pem: CERT_PEM },
      clientKey: { pem: KEY_PEM },
    });
    expect(config.users).toContainEqual({
      name: "by-path",
      clientCertificate: { path: "admin.crt" },
      clientKey: { path: "admin.key" },
    });
    expect(config.users).toContainEqual({ name: "bot", token: "abcdef.0123456789abcdef" });
    expect(config.contexts).toContainEqual({
      name: "bot@by-path",
      cluster: "by-path",
      user: "bot",
      namespace: "kube-system",
    });
    // Same layout as kubectl: key order, quoting, indentation.
    expect(renderKubeconfig(config)).toBe(text);
  });

  it("a file still being assembled parses with strict: false", async () => {
    const file = join(dir.path, "partial.yaml");
    await runOk(KUBECTL, [
      "config",
      "set-context",
      "later",
      "--cluster=not-yet",
      "--user=nobody",
      "--kubeconfig",
      file,
    ]);
    const text = await readFile(file, "utf8");
    expect(() => parseKubeconfig(text)).toThrowError(/names cluster "not-yet"/);
    expect(parseKubeconfig(text, { strict: false }).contexts).toEqual([
      { name: "later", cluster: "not-yet", user: "nobody" },
    ]);
  });

  it("accepts JSON, empty files and files without kind/apiVersion, as kubectl does", () => {
    expect(parseKubeconfig("")).toStrictEqual({ clusters: [], users: [], contexts: [] });
    expect(
      parseKubeconfig('{"clusters":[{"name":"c","cluster":{"server":"https://127.0.0.1:6443"}}]}').clusters,
    ).toEqual([{ name: "c", server: "https://127.0.0.1:6443" }]);
    expect(parseKubeconfig("users:\n- name: u\n  user:\n    auth-provider:\n      name: oidc\n").users).toEqual([
      { name: "u", authProvider: { name: "oidc" } },
    ]);
  });
});

describe("invalid kubeconfigs", () => {
  const base = "apiVersion: v1\nkind: Config\n";
  const cases: { name: string; text: string; message: RegExp; kubectlRefusesOnLoad: boolean }[] = [
    { name: "not YAML", text: "clusters: [", message: /not valid YAML or JSON/, kubectlRefusesOnLoad: true },
    {
      name: "not a mapping",
      text: "- a\n- b\n",
      message: /is a list; it must be a mapping/,
      kubectlRefusesOnLoad: true,
    },
    // kubectl: "couldn't get version/kind; json parse error: json: cannot unmarshal string into …".
    { name: "a string scalar", text: "a b c\n", message: /is a string scalar/, kubectlRefusesOnLoad: true },
    { name: "a number", text: "42\n", message: /is a number scalar/, kubectlRefusesOnLoad: true },
    { name: "a boolean", text: "true\n", message: /is a boolean scalar/, kubectlRefusesOnLoad: true },
    // YAML 1.1 reads these as a Date and a Uint8Array, objects but not mappings.
    { name: "a timestamp", text: "2001-12-14\n", message: /is a timestamp scalar/, kubectlRefusesOnLoad: true },
    { name: "a binary scalar", text: "!!binary aGVsbG8=\n", message: /is a binary scalar/, kubectlRefusesOnLoad: true },
    {
      name: "a timestamp where a cluster goes",
      text: "clusters:\n- name: c\n  cluster: 2001-12-14\n",
      message: /clusters\[0\]\.cluster must be a mapping/,
      kubectlRefusesOnLoad: true,
    },
    {
      name: "wrong kind",
      text: "apiVersion: v1\nkind: Pod\n",
      message: /expected kind: Config/,
      kubectlRefusesOnLoad: true,
    },
    {
      name: "wrong apiVersion",
      text: "apiVersion: v2\nkind: Config\n",
      message: /apiVersion: v1/,
      kubectlRefusesOnLoad: true,
    },
    {
      name: "bad base64",
      text: `${base}clusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: "!!!"}\n`,
      message: /not valid base64/,
      kubectlRefusesOnLoad: true,
    },
    {
      name: "unpadded base64",
      text: `${base}clusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: "QUJ"}\n`,
      message: /not valid base64/,
      kubectlRefusesOnLoad: true,
    },
    {
      name: "wrong field type",
      text: `${base}clusters:\n- name: c\n  cluster: {server: 6443}\n`,
      message: /server must be a string/,
      kubectlRefusesOnLoad: true,
    },
    {
      name: "duplicate cluster names",
      text: `${base}clusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:6443"}\n- name: c\n  cluster: {server: "https://127.0.0.2:6443"}\n`,
      message: /duplicate name "c"/,
      kubectlRefusesOnLoad: true,
    },
    {
      name: "both client-certificate and client-certificate-data",
      text: `${base}users:\n- name: u\n  user: {client-certificate: /a.crt, client-certificate-data: ${b64(CERT_PEM)}, client-key: /a.key}\n`,
      message: /both client-certificate and client-certificate-data/,
      kubectlRefusesOnLoad: false,
    },
    {
      name: "certificate without key",
      text: `${base}users:\n- name: u\n  user: {client-certificate: /a.crt}\n`,
      message: /needs a client key/,
      kubectlRefusesOnLoad: false,
    },
    {
      name: "context naming an unknown cluster",
      text: `${base}contexts:\n- name: x\n  context: {cluster: nope, user: ""}\n`,
      message: /names cluster "nope"/,
      kubectlRefusesOnLoad: false,
    },
    {
      name: "context naming an unknown user",
      text: `${base}clusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:6443"}\ncontexts:\n- name: x\n  context: {cluster: c, user: ghost}\n`,
      message: /names user "ghost"/,
      kubectlRefusesOnLoad: false,
    },
    {
      name: "unknown current-context",
      text: `${base}current-context: zz\n`,
      message: /current-context "zz"/,
      kubectlRefusesOnLoad: false,
    },
  ];
  for (const c of cases) {
    it(`${c.name} → INVALID_KUBECONFIG`, async () => {
      let caught: unknown;
      try {
        parseKubeconfig(c.text);
      } catch (error) {
        caught = error;
      }
      expect(isKubepkiError(caught, "INVALID_KUBECONFIG")).toBe(true);
      expect((caught as Error).name).toBe("KubepkiError");
      expect((caught as Error).message).toMatch(c.message);
      if (c.kubectlRefusesOnLoad) {
        const file = join(dir.path, `bad-${c.name.replace(/\W+/g, "-")}.yaml`);
        await writeFile(file, c.text);
        const result = await run(KUBECTL, ["config", "view", "--raw", "--kubeconfig", file]);
        expect(result.code).not.toBe(0);
      }
    });
  }

  it("`::: not yaml [` is a mapping (key `::`), so an empty kubeconfig for kubectl and for us", async () => {
    // Despite its look it is `{"::": "not yaml ["}`: go-yaml and the yaml package agree, and kubectl
    // ignores the unknown key. A file must be a non-mapping to be refused (cases above).
    const text = "::: not yaml [\n";
    expect(parseKubeconfig(text)).toStrictEqual({ clusters: [], users: [], contexts: [] });
    const file = join(dir.path, "colons.yaml");
    await writeFile(file, text);
    expect((await run(KUBECTL, ["config", "view", "--raw", "--kubeconfig", file])).code).toBe(0);
  });

  it("kubectl also refuses an unknown current-context once it is used", async () => {
    const file = join(dir.path, "bad-current.yaml");
    await writeFile(file, `${base}current-context: zz\n`);
    const result = await run(KUBECTL, ["config", "view", "--minify", "--kubeconfig", file]);
    expect(result.code).not.toBe(0);
  });

  it("renderKubeconfig refuses the same mistakes with INVALID_ARGUMENT", () => {
    const bad: Kubeconfig[] = [
      { clusters: [], users: [], contexts: [{ name: "x", cluster: "nope", user: "" }] },
      { clusters: [], users: [], contexts: [], currentContext: "missing" },
      { clusters: [{ name: "c" }, { name: "c" }], users: [], contexts: [] },
      { clusters: [], users: [{ name: "u", clientCertificate: { path: "/a.crt" } }], contexts: [] },
      { clusters: [], users: [{ name: "u", token: "t", username: "admin", password: "p" }], contexts: [] },
      { clusters: [{ name: "c", certificateAuthority: { pem: "x", path: "/y" } as never }], users: [], contexts: [] },
    ];
    for (const config of bad) {
      expect(() => renderKubeconfig(config)).toThrowError(
        expect.objectContaining({ code: "INVALID_ARGUMENT", name: "KubepkiError" }),
      );
    }
    expect(() =>
      simpleKubeconfig({ server: "127.0.0.1:6443", caCertificate: { pem: CA_PEM }, user: { name: "u", token: "t" } }),
    ).toThrowError(/must be a URL/);
  });
});
