// Issue 22, "Audit gaps found", at the CLI: an sa.pub that is not sa.key's public key (made with
// openssl genrsa) and an --etcd-servers host no etcd certificate carries make `kubepki audit` exit
// 1 naming the file; an empty directory is exit 1 too, never a clean report.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initTree } from "./helpers/init-tree.js";
import { kubepki, run, tempDir } from "./helpers/run.js";
import { copyTree } from "./helpers/tree-tools.js";

let dir: { path: string; cleanup: () => Promise<void> };
let tree: string;
beforeAll(async () => {
  dir = await tempDir();
  tree = join(dir.path, "tree");
  await initTree(tree);
}, 120_000);
afterAll(() => dir.cleanup());

interface AuditJson {
  errors: number;
  findings: { severity: string; code: string; file: string; message: string }[];
}

async function auditJson(root: string): Promise<{ code: number; report: AuditJson }> {
  const result = await kubepki(["audit", root, "--json"]);
  return { code: result.code, report: JSON.parse(result.stdout) as AuditJson };
}

describe("kubepki audit exits 1 on the gaps", () => {
  it("the init tree audits without those findings (exit 0)", async () => {
    const { code, report } = await auditJson(tree);
    expect(code, JSON.stringify(report.findings)).toBe(0);
    expect(report.findings.map((finding) => finding.code)).not.toContain("SA_KEY_MISMATCH");
    expect(report.findings.map((finding) => finding.code)).not.toContain("SERVER_NAME_MISMATCH");
  });

  it("sa.pub of another key (openssl genrsa): exit 1, SA_KEY_MISMATCH naming pki/sa.pub", async () => {
    const copy = join(dir.path, "sa-mismatch");
    await copyTree(tree, copy);
    const key = join(dir.path, "other-sa.key");
    expect((await run("openssl", ["genrsa", "-out", key, "2048"])).code).toBe(0);
    const pub = await run("openssl", ["pkey", "-in", key, "-pubout", "-out", join(copy, "pki", "sa.pub")]);
    expect(pub.code, pub.stderr).toBe(0);
    const text = await kubepki(["audit", copy]);
    expect(text.code, text.stdout).toBe(1);
    expect(text.stdout).toContain("SA_KEY_MISMATCH");
    expect(text.stdout).toContain("pki/sa.pub");
    const { code, report } = await auditJson(copy);
    expect(code).toBe(1);
    expect(report.errors).toBe(1);
    expect(report.findings.filter((finding) => finding.code === "SA_KEY_MISMATCH").map((f) => f.file)).toEqual([
      "pki/sa.pub",
    ]);
  });

  it("--etcd-servers with a host no etcd server certificate carries: exit 1 naming the flags file", async () => {
    const copy = join(dir.path, "etcd-servers");
    await copyTree(tree, copy);
    const flags = join(copy, "flags", "kube-apiserver.txt");
    const text = await readFile(flags, "utf8");
    expect(text).toContain("--etcd-servers=https://127.0.0.1:2379\n");
    await writeFile(flags, text.replace("https://127.0.0.1:2379", "https://etcd.example:2379"));
    const { code, report } = await auditJson(copy);
    expect(code).toBe(1);
    expect(report.errors).toBe(1);
    expect(
      report.findings
        .filter((finding) => finding.code === "SERVER_NAME_MISMATCH")
        .map((finding) => [finding.file, finding.message.includes("etcd.example")]),
    ).toEqual([["flags/kube-apiserver.txt", true]]);
  });

  it("a kubelet serving certificate without its node's IP: exit 1 (the tree's kubepki.yaml names it)", async () => {
    const copy = join(dir.path, "kubelet-no-ip");
    await copyTree(tree, copy);
    const at = (name: string) => join(dir.path, `kubelet-no-ip.${name}`);
    const usages = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment";
    await writeFile(at("ext"), `${usages}\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:w-1\n`);
    const key = join(copy, "nodes/w-1/pki/kubelet.key");
    const made = await run("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key]);
    expect(made.code, made.stderr).toBe(0);
    const subject = "/O=system:nodes/CN=system:node:w-1";
    const csr = await run("openssl", ["req", "-new", "-key", key, "-subj", subject, "-out", at("csr")]);
    expect(csr.code, csr.stderr).toBe(0);
    const signed = await run("openssl", [
      "x509",
      "-req",
      "-in",
      at("csr"),
      "-CA",
      join(copy, "pki/ca.crt"),
      "-CAkey",
      join(copy, "pki/ca.key"),
      "-CAcreateserial",
      "-CAserial",
      at("srl"),
      "-days",
      "365",
      "-extfile",
      at("ext"),
      "-out",
      join(copy, "nodes/w-1/pki/kubelet.crt"),
    ]);
    expect(signed.code, signed.stderr).toBe(0);
    const { code, report } = await auditJson(copy);
    expect(code).toBe(1);
    // The one error is the missing address.
    expect(report.errors).toBe(1);
    expect(
      report.findings
        .filter((finding) => finding.code === "MISSING_SAN")
        .map((finding) => [finding.file, finding.message.includes("IP:10.0.0.21")]),
    ).toEqual([["nodes/w-1/pki/kubelet.crt", true]]);
  });

  it("an empty directory: exit 1, no certificates found", async () => {
    const empty = join(dir.path, "empty");
    await mkdir(empty);
    const result = await kubepki(["audit", empty]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no certificates found in ${empty}`);
    // Said once, by the error: the library's NO_CERTIFICATES finding is not printed again.
    expect(result.stdout).toBe("");
    const json = await kubepki(["audit", empty, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error.code).toBe("NO_CERTIFICATES");
  });
});
