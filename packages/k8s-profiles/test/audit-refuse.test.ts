// Issue 15 point 6: what Kubernetes refuses (or should) is an error with an exact text. Each input
// is made with openssl in the test, and openssl's own verdict is asserted beside the audit's.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signCsrArgs } from "../../core/test/helpers/openssl-args.js";
import { type AuditReport, auditCluster, type Finding, type FindingCode } from "../src/index.js";
import { buildOpensslTree } from "./helpers/openssl-tree.js";
import { openssl, tempDir } from "./helpers/tree.js";

const CONFIG = { nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] }] } as const;
const APISERVER_EXT = [
  "basicConstraints=critical,CA:FALSE",
  "keyUsage=critical,digitalSignature,keyEncipherment",
  "extendedKeyUsage=serverAuth",
  "subjectAltName=DNS:cp-1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1,IP:192.168.10.11",
].join("\n");
const EC_KEY = ["ecparam", "-name", "prime256v1", "-genkey", "-noout"];
const CA_USAGE = "keyUsage=critical,digitalSignature,keyCertSign";

const work = tempDir("audit-refuse");
afterAll(() => work.remove());

/** Writes tree files into a fresh directory (for openssl) and returns it. */
function materialize(files: ReadonlyMap<string, string>, name: string): string {
  const dir = join(work.dir, name);
  mkdirSync(join(dir, "pki"), { recursive: true });
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function ssl(args: readonly string[], cwd: string): string {
  const result = openssl(args, cwd);
  expect(result.status, `openssl ${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

/** openssl verify's exit code and full output (it exits non-zero on failure). */
function verify(args: readonly string[], cwd: string): string {
  const result = openssl(["verify", ...args], cwd);
  return `${result.status} ${result.stdout}${result.stderr}`;
}

/** Issues `pki/apiserver.crt` (+ key) again in `dir` with openssl, with extra `openssl x509 -req` arguments. */
function reissueApiserver(dir: string, keyArgs: readonly string[], x509Args: readonly string[], ca = "pki/ca"): void {
  ssl(
    keyArgs[0] === "genrsa"
      ? ["genrsa", "-out", "pki/apiserver.key", ...keyArgs.slice(1)]
      : [...keyArgs, "-out", "pki/apiserver.key"],
    dir,
  );
  ssl(["req", "-new", "-key", "pki/apiserver.key", "-subj", "/CN=kube-apiserver", "-out", "apiserver.csr"], dir);
  writeFileSync(join(dir, "apiserver.ext"), `${APISERVER_EXT}\n`);
  ssl(
    signCsrArgs({ csr: "apiserver.csr", ca, out: "pki/apiserver.crt", extfile: "apiserver.ext", extra: x509Args }),
    dir,
  );
}

/** A self-signed CA at `<stem>.crt`/`<stem>.key` in `dir`. */
function makeCa(dir: string, stem: string, keyArgs: readonly string[], extensions: readonly string[]): void {
  ssl(keyArgs[0] === "genrsa" ? ["genrsa", "-out", `${stem}.key`, "2048"] : [...keyArgs, "-out", `${stem}.key`], dir);
  ssl(
    [
      "req",
      "-x509",
      "-new",
      "-key",
      `${stem}.key`,
      "-subj",
      "/CN=kubernetes",
      "-days",
      "3650",
      ...extensions.flatMap((extension) => ["-addext", extension]),
      "-out",
      `${stem}.crt`,
    ],
    dir,
  );
}

function readBack(files: ReadonlyMap<string, string>, dir: string, paths: readonly string[]): Map<string, string> {
  const out = new Map(files);
  for (const path of paths) out.set(path, readFileSync(join(dir, path), "utf8"));
  return out;
}

function only(report: AuditReport, code: FindingCode, file: string): Finding {
  const found = report.findings.filter((finding) => finding.code === code && finding.file === file);
  expect(found, `${code} on ${file}: ${JSON.stringify(report.findings, null, 1)}`).toHaveLength(1);
  return found[0] as Finding;
}

describe("what Kubernetes refuses is an error with an exact text", () => {
  let files: Map<string, string>;
  beforeAll(async () => {
    files = await buildOpensslTree(CONFIG);
  }, 120_000);

  /**
   * The apiserver pair re-issued by openssl (`keyArgs`, `x509Args`), openssl's verdict matched
   * against `oracle`, then the audit's only finding on pki/apiserver.* checked: `code`, `message`.
   */
  async function onlyApiserverFinding(
    name: string,
    issue: { keyArgs: readonly string[]; x509Args: readonly string[] },
    oracle: { args: readonly string[]; says: RegExp },
    expected: { code: FindingCode; message: string },
  ): Promise<void> {
    const dir = materialize(files, name);
    reissueApiserver(dir, issue.keyArgs, issue.x509Args);
    const said = oracle.args[0] === "verify" ? verify(oracle.args.slice(1), dir) : ssl(oracle.args, dir);
    expect(said).toMatch(oracle.says);
    const report = await auditCluster(readBack(files, dir, ["pki/apiserver.crt", "pki/apiserver.key"]), {
      config: CONFIG,
    });
    const finding = only(report, expected.code, "pki/apiserver.crt");
    expect(finding.severity).toBe("error");
    expect(finding.message).toBe(expected.message);
    expect(report.findings.filter((other) => other.file.startsWith("pki/apiserver"))).toEqual([finding]);
  }

  it("an RSA-1024 apiserver key", async () => {
    await onlyApiserverFinding(
      "rsa1024",
      { keyArgs: ["genrsa", "-traditional", "1024"], x509Args: [] },
      {
        args: ["verify", "-CAfile", "pki/ca.crt", "-auth_level", "2", "pki/apiserver.crt"],
        says: /EE certificate key too weak/,
      },
      {
        code: "WEAK_KEY",
        message:
          'RSA key of 1024 bits, below the 2048-bit minimum (NIST SP 800-131A; kubeadm only makes RSA-2048 or larger, and openssl verify -auth_level 2 refuses it: "EE certificate key too weak"): whoever factors it can impersonate this certificate',
      },
    );
  });

  it("a negative serial number (Go ≥ 1.23 refuses to parse it)", async () => {
    await onlyApiserverFinding(
      "negative-serial",
      { keyArgs: EC_KEY, x509Args: ["-set_serial", "-5"] },
      { args: ["x509", "-in", "pki/apiserver.crt", "-noout", "-serial"], says: /^serial=-05\n$/ },
      {
        code: "NEGATIVE_SERIAL",
        message:
          'serial number -5 is negative: Go ≥ 1.23 refuses to parse the certificate ("x509: negative serial number", crypto/x509/parser.go; only GODEBUG=x509negativeserial=1 lets it through), so no Kubernetes component loads it',
      },
    );
  });

  it("a pathlen:0 root signing an intermediate that signs the leaf", async () => {
    const dir = materialize(files, "pathlen");
    makeCa(dir, "pki/ca", EC_KEY, ["basicConstraints=critical,CA:TRUE,pathlen:0", CA_USAGE]);
    ssl([...EC_KEY, "-out", "intermediate.key"], dir);
    ssl(["req", "-new", "-key", "intermediate.key", "-subj", "/CN=kubernetes-intermediate", "-out", "i.csr"], dir);
    writeFileSync(join(dir, "i.ext"), `basicConstraints=critical,CA:TRUE\n${CA_USAGE}\n`);
    ssl(
      [
        "x509",
        "-req",
        "-in",
        "i.csr",
        "-CA",
        "pki/ca.crt",
        "-CAkey",
        "pki/ca.key",
        "-days",
        "3650",
        "-extfile",
        "i.ext",
        "-out",
        "intermediate.crt",
      ],
      dir,
    );
    reissueApiserver(dir, EC_KEY, [], "intermediate");
    expect(verify(["-CAfile", "pki/ca.crt", "-untrusted", "intermediate.crt", "pki/apiserver.crt"], dir)).toMatch(
      /path length constraint exceeded/,
    );
    // The apiserver serves its certificate with the intermediate (a bundle, as --tls-cert-file takes it).
    const bundle =
      readFileSync(join(dir, "pki/apiserver.crt"), "utf8") + readFileSync(join(dir, "intermediate.crt"), "utf8");
    const tree = readBack(files, dir, ["pki/ca.crt", "pki/ca.key", "pki/apiserver.key"]).set(
      "pki/apiserver.crt",
      bundle,
    );
    const report = await auditCluster(tree, { config: CONFIG });
    const finding = only(report, "PATH_LENGTH_EXCEEDED", "pki/apiserver.crt");
    expect(finding.severity).toBe("error");
    expect(finding.message).toBe(
      'the CA /CN=kubernetes has pathlen:0 but 1 intermediate CA(s) sit below it on the way to pki/ca.crt: Go refuses the chain ("x509: too many intermediates for path length constraint"), openssl too ("path length constraint exceeded")',
    );
    expect(report.findings.filter((other) => other.file === "pki/apiserver.crt")).toEqual([finding]);
  });

  it("missing pki/etcd/server.key, or any certificate whose key is missing", async () => {
    const tree = new Map(files);
    tree.delete("pki/etcd/server.key");
    tree.delete("pki/front-proxy-client.key");
    const report = await auditCluster(tree, { config: CONFIG });
    const etcd = only(report, "MISSING_KEY", "pki/etcd/server.crt");
    expect(etcd.severity).toBe("error");
    expect(etcd.message).toBe(
      'no private key (looked for pki/etcd/server.key): the component that presents this certificate cannot start or authenticate without it (Go\'s tls.LoadX509KeyPair: "open pki/etcd/server.key: no such file or directory")',
    );
    expect(only(report, "MISSING_KEY", "pki/front-proxy-client.crt").severity).toBe("error");
  });

  it("an MD5 signature is named MD5, not SHA-1", async () => {
    const dir = materialize(new Map(), "md5");
    makeCa(dir, "pki/ca", ["genrsa"], [CA_USAGE]);
    reissueApiserver(dir, EC_KEY, ["-md5"]);
    expect(ssl(["x509", "-in", "pki/apiserver.crt", "-noout", "-text"], dir)).toMatch(/md5WithRSAEncryption/);
    expect(verify(["-CAfile", "pki/ca.crt", "-auth_level", "1", "pki/apiserver.crt"], dir)).toMatch(
      /CA signature digest algorithm too weak/,
    );
    const tree = readBack(new Map(), dir, ["pki/ca.crt", "pki/ca.key", "pki/apiserver.crt", "pki/apiserver.key"]);
    const report = await auditCluster(tree);
    const finding = only(report, "WEAK_SIGNATURE", "pki/apiserver.crt");
    expect(finding.severity).toBe("error");
    expect(finding.message).toBe(
      'signed with MD5 (md5WithRSAEncryption): Go refuses it ("x509: cannot verify signature: insecure algorithm MD5-RSA"), and MD5 collisions are practical',
    );
    expect(report.findings.filter((other) => other.file === "pki/apiserver.crt").map((other) => other.code)).toEqual([
      "WEAK_SIGNATURE",
    ]);
  });
});
