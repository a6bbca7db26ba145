// checkCsrAgainstRole / signCsrForRole with CSRs made by openssl, as a kubelet or an operator
// would make them (reference §4.1, §4.2, §6).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createSelfSignedCa, generateKeyPair, parseCsr, verifyCertificate } from "@kubepki/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ecCsrArgs } from "../../core/test/helpers/openssl-args.js";
import { type CsrCheckResult, checkCsrAgainstRole, signCsrForRole } from "../src/index.js";

const run = promisify(execFile);
let dir: string;

/** `openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -subj … [-addext …]`. */
async function opensslCsr(subj: string, ...extra: string[]): Promise<string> {
  const name = `req-${Math.random().toString(36).slice(2)}`;
  await run("openssl", ecCsrArgs(name, subj, extra), { cwd: dir, timeout: 30_000 });
  return readFile(join(dir, `${name}.csr`), "utf8");
}

function reasons(result: CsrCheckResult): string[] {
  return result.ok ? [] : [...result.reasons];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kubepki-csr-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("kubelet-client (kube-apiserver-client-kubelet signer)", () => {
  it("accepts the kubelet's own request", async () => {
    const csr = await opensslCsr("/CN=system:node:worker-1/O=system:nodes");
    const result = await checkCsrAgainstRole(csr, "kubelet-client", { node: "worker-1" });
    expect(reasons(result)).toEqual([]);
    expect(result.ok && result.spec.subject).toEqual({
      commonName: "system:node:worker-1",
      organizations: ["system:nodes"],
    });
  });

  it("refuses system:masters, naming it", async () => {
    const csr = await opensslCsr("/CN=system:node:worker-1/O=system:masters");
    const result = reasons(await checkCsrAgainstRole(csr, "kubelet-client", { node: "worker-1" }));
    expect(result.some((reason) => reason.includes("system:masters"))).toBe(true);
    expect(result.some((reason) => reason.includes("lacks O=system:nodes"))).toBe(true);
    const both = await opensslCsr("/CN=system:node:worker-1/O=system:nodes/O=system:masters");
    expect(reasons(await checkCsrAgainstRole(both, "kubelet-serving", { node: "worker-1" })).join()).toContain(
      "system:masters",
    );
  });

  it("refuses another node's identity", async () => {
    const csr = await opensslCsr("/CN=system:node:worker-2/O=system:nodes");
    expect(reasons(await checkCsrAgainstRole(csr, "kubelet-client", { node: "worker-1" }))).toEqual([
      'CN is "system:node:worker-2", expected "system:node:worker-1" (a node may only ask for its own identity, system:node:<node>)',
    ]);
  });

  it("refuses SANs", async () => {
    const csr = await opensslCsr("/CN=system:node:worker-1/O=system:nodes", "-addext", "subjectAltName=DNS:worker-1");
    expect(reasons(await checkCsrAgainstRole(csr, "kubelet-client", { node: "worker-1" })).join()).toContain(
      "the kube-apiserver-client-kubelet signer allows none",
    );
  });

  it("refuses a request whose signature does not verify", async () => {
    const pem = await opensslCsr("/CN=system:node:worker-1/O=system:nodes");
    const parsed = parseCsr(pem);
    const tampered = {
      ...parsed,
      signatureValue: parsed.signatureValue.map((byte, i) => (i === 10 ? byte ^ 1 : byte)),
    };
    expect(reasons(await checkCsrAgainstRole(tampered, "kubelet-client", { node: "worker-1" })).join()).toContain(
      "signature does not verify",
    );
    expect(reasons(await checkCsrAgainstRole("garbage", "kubelet-client", { node: "worker-1" })).join()).toContain(
      "not a readable certificate request",
    );
  });
});

describe("kubelet-serving (kubelet-serving signer)", () => {
  it("requires at least one DNS/IP SAN", async () => {
    const bare = await opensslCsr("/CN=system:node:worker-1/O=system:nodes");
    expect(reasons(await checkCsrAgainstRole(bare, "kubelet-serving", { node: "worker-1" }))).toEqual([
      "has no DNS or IP SAN: the kubelet-serving signer requires at least one",
    ]);
    const good = await opensslCsr(
      "/CN=system:node:worker-1/O=system:nodes",
      "-addext",
      "subjectAltName=DNS:worker-1,IP:192.168.10.21",
    );
    const result = await checkCsrAgainstRole(good, "kubelet-serving", { node: "worker-1" });
    expect(result.ok && result.spec.sans).toEqual([
      { type: "dns", value: "worker-1" },
      { type: "ip", value: "192.168.10.21" },
    ]);
  });

  it("with a config, allows only the node's own names and addresses; refuses e-mail SANs", async () => {
    const config = { nodes: [{ name: "worker-1", role: "worker", addresses: ["192.168.10.21"] }] } as const;
    const csr = await opensslCsr(
      "/CN=system:node:worker-1/O=system:nodes",
      "-addext",
      "subjectAltName=DNS:worker-1,IP:10.0.0.99,email:a@b.example",
    );
    const why = reasons(
      await checkCsrAgainstRole(csr, "kubelet-serving", {
        node: "worker-1",
        config: {
          ...config,
          nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] }, ...config.nodes],
        },
      }),
    );
    expect(why.join("\n")).toContain("only DNS and IP SANs");
    expect(why.join("\n")).toContain("IP:10.0.0.99, which are not worker-1's");
  });
});

describe("other roles by their preset subject", () => {
  it("accepts the scheduler as system:kube-scheduler and refuses the tutorial's kube-scheduler", async () => {
    const good = await opensslCsr("/CN=system:kube-scheduler");
    expect((await checkCsrAgainstRole(good, "scheduler", { node: "cp-1" })).ok).toBe(true);
    const tutorial = await opensslCsr("/CN=kube-scheduler/O=system:kube-scheduler");
    expect(reasons(await checkCsrAgainstRole(tutorial, "scheduler", { node: "cp-1" }))).toEqual([
      'CN is "kube-scheduler", expected "system:kube-scheduler"',
      "asks for group system:kube-scheduler, which scheduler does not get (expected O absent)",
    ]);
  });

  it("admin gets kubeadm:cluster-admins, not system:masters; super-admin the reverse", async () => {
    const admin = await opensslCsr("/CN=kubernetes-admin/O=kubeadm:cluster-admins");
    expect((await checkCsrAgainstRole(admin, "admin", { node: "cp-1" })).ok).toBe(true);
    const masters = await opensslCsr("/CN=kubernetes-admin/O=system:masters");
    expect(reasons(await checkCsrAgainstRole(masters, "admin", { node: "cp-1" })).join()).toContain("system:masters");
    const superAdmin = await opensslCsr("/CN=kubernetes-super-admin/O=system:masters");
    expect((await checkCsrAgainstRole(superAdmin, "super-admin")).ok).toBe(true);
  });

  it("refuses CAs, and server roles without a config", async () => {
    const csr = await opensslCsr("/CN=kubernetes");
    expect(reasons(await checkCsrAgainstRole(csr, "ca"))[0]).toContain("CAs are never issued from a CSR");
    const apiserver = await opensslCsr("/CN=kube-apiserver");
    expect(reasons(await checkCsrAgainstRole(apiserver, "apiserver", { node: "cp-1" }))[0]).toContain("pass config");
  });
});

describe("signCsrForRole", () => {
  it("issues only accepted requests, with the preset's usages, chaining to the CA", async () => {
    const caKeys = await generateKeyPair("ECDSA-P256");
    const ca = await createSelfSignedCa({ keyPair: caKeys, subject: { commonName: "kubernetes" } });
    const issuer = { certificate: ca, privateKey: caKeys.privateKey };
    const csr = await opensslCsr("/CN=system:node:worker-1/O=system:nodes");
    const signed = await signCsrForRole(csr, "kubelet-client", { node: "worker-1", issuer });
    if (!signed.ok) throw new Error(signed.reasons.join("; "));
    expect(signed.certificate.subjectText).toBe("/O=system:nodes/CN=system:node:worker-1");
    expect(signed.certificate.extKeyUsages).toEqual(["clientAuth"]);
    expect(signed.certificate.keyUsages).toEqual(["digitalSignature"]);
    expect(signed.certificate.subjectAltNames).toEqual([]);
    await verifyCertificate(signed.certificate, ca);

    const refused = await signCsrForRole(
      await opensslCsr("/CN=system:node:worker-1/O=system:masters"),
      "kubelet-client",
      {
        node: "worker-1",
        issuer,
      },
    );
    expect(refused.ok).toBe(false);
  });
});
