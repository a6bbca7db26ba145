// The audit and passphrase-encrypted keys (issue 20): an encrypted key a component must load is
// ENCRYPTED_KEY — a warning for the CA keys (kept encrypted for storage or offline signing), an
// error for leaf keys, kubeconfig client keys and sa.key — never UNREADABLE or KEY_MISMATCH, and
// the audit asks for no passphrase.
import { encryptPrivateKeyPem } from "@kubepki/core";
import { beforeAll, describe, expect, it } from "vitest";
import { type AuditReport, auditCluster } from "../src/index.js";
import { buildKubepkiTree } from "./helpers/kubepki-tree.js";

const CA_KEYS = ["pki/ca.key", "pki/etcd/ca.key", "pki/front-proxy-ca.key"];

async function encrypted(files: Map<string, string>, paths: readonly string[]): Promise<Map<string, string>> {
  const copy = new Map(files);
  for (const path of paths) {
    copy.set(path, await encryptPrivateKeyPem(files.get(path) as string, "passphrase", { iterations: 1000 }));
  }
  return copy;
}

/** admin.conf with its client-key-data replaced by an encrypted PEM of the same key. */
async function encryptedKubeconfigKey(files: Map<string, string>): Promise<Map<string, string>> {
  const text = files.get("admin.conf") as string;
  const match = /client-key-data: (\S+)/.exec(text);
  if (!match?.[1]) throw new Error("admin.conf has no client-key-data");
  const pem = Buffer.from(match[1], "base64").toString("utf8");
  const encryptedPem = await encryptPrivateKeyPem(pem, "passphrase", { iterations: 1000 });
  const copy = new Map(files);
  copy.set("admin.conf", text.replace(match[1], Buffer.from(encryptedPem).toString("base64")));
  return copy;
}

const summary = (report: AuditReport) =>
  report.findings.map((finding) => `${finding.severity} ${finding.code} ${finding.file}`).sort();

describe("audit of encrypted keys", () => {
  let files: Map<string, string>;
  beforeAll(async () => {
    files = await buildKubepkiTree();
  }, 60_000);

  it("the base tree has no findings", async () => {
    expect(summary(await auditCluster(files))).toEqual([]);
  });

  for (const keyCheck of ["public-key", "pairwise"] as const) {
    it(`encrypted CA keys: one ENCRYPTED_KEY warning each, no error (${keyCheck})`, async () => {
      const report = await auditCluster(await encrypted(files, CA_KEYS), { keyCheck });
      expect(summary(report)).toEqual(CA_KEYS.map((path) => `warning ENCRYPTED_KEY ${path}`).sort());
      expect(report.findings.find((finding) => finding.file === "pki/ca.key")?.role).toBe("ca");
    });
  }

  it("encrypted leaf key, sa.key and a kubeconfig's client-key-data: ENCRYPTED_KEY errors, nothing else", async () => {
    const tree = await encryptedKubeconfigKey(await encrypted(files, ["pki/apiserver.key", "pki/sa.key"]));
    const report = await auditCluster(tree, { keyCheck: "pairwise" });
    expect(summary(report)).toEqual([
      "error ENCRYPTED_KEY admin.conf",
      "error ENCRYPTED_KEY pki/apiserver.key",
      "error ENCRYPTED_KEY pki/sa.key",
    ]);
    const kubeconfig = report.findings.find((finding) => finding.file === "admin.conf");
    expect(kubeconfig?.message).toMatch(/client-key-data is encrypted/);
    expect(report.findings.find((finding) => finding.file === "pki/apiserver.key")?.role).toBe("apiserver");
  });
});
