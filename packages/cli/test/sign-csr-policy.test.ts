/**
 * `kubepki sign-csr` as the approver of kubelet serving requests (issue 15 point 5): openssl CSRs
 * through the built bin. A node gets only its own names and addresses (those the --dir tree
 * records, or --allow-san), never a Service name, the Service IP, the control-plane endpoint or
 * another node's name or address; each refused SAN is listed and nothing is written.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initTree } from "./helpers/init-tree.js";
import { kubepki, run, tempDir } from "./helpers/run.js";

let dir: { path: string; cleanup: () => Promise<void> };
let tree: string;
beforeAll(async () => {
  dir = await tempDir();
  tree = join(dir.path, "cluster");
  await initTree(tree, "--control-plane-endpoint", "k8s-api.example.com:6443", "--worker", "w-2=10.0.0.22");
}, 120_000);
afterAll(() => dir.cleanup());

let count = 0;
/** An openssl CSR of system:node:<node> with these SANs (`DNS:a,IP:b`). */
async function csr(sans: string, node = "w-1"): Promise<string> {
  const name = `req-${++count}`;
  const args = ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  args.push("-keyout", join(dir.path, `${name}.key`), "-out", join(dir.path, `${name}.csr`));
  args.push("-subj", `/O=system:nodes/CN=system:node:${node}`, "-addext", `subjectAltName=${sans}`);
  const result = await run("openssl", args);
  expect(result.code, result.stderr).toBe(0);
  return join(dir.path, `${name}.csr`);
}

async function signServing(request: string, ...extra: string[]) {
  const out = join(dir.path, `signed-${++count}.crt`);
  const result = await kubepki([
    "sign-csr",
    "--csr",
    request,
    "--role",
    "kubelet-serving",
    "--node",
    "w-1",
    "--out",
    out,
    ...(extra.includes("--ca-cert") ? [] : ["--dir", tree]),
    ...extra,
  ]);
  return { ...result, out, written: existsSync(out) };
}

describe("sign-csr kubelet-serving: only the node's own names and addresses", () => {
  it("refuses the API server's Service names and Service IP, listing each, writing nothing", async () => {
    const result = await signServing(await csr("DNS:kubernetes,DNS:kubernetes.default.svc,IP:10.96.0.1"));
    expect(result.code).toBe(1);
    expect(result.written).toBe(false);
    expect(result.stderr).toContain("refuses DNS:kubernetes: a Service name");
    expect(result.stderr).toContain("refuses DNS:kubernetes.default.svc: a Service name");
    expect(result.stderr).toContain("refuses IP:10.96.0.1: an API server address");
  });

  it("refuses another node's name and address and the control-plane endpoint", async () => {
    const result = await signServing(await csr("DNS:w-1,DNS:w-2,DNS:cp-1,IP:10.0.0.12,DNS:k8s-api.example.com"));
    expect(result.code).toBe(1);
    expect(result.written).toBe(false);
    expect(result.stderr).toContain("refuses DNS:w-2: node w-2's name");
    expect(result.stderr).toContain("refuses DNS:cp-1: node cp-1's name");
    expect(result.stderr).toContain("refuses IP:10.0.0.12: node cp-2's address");
    expect(result.stderr).toContain("refuses DNS:k8s-api.example.com: an API server name");
    expect(result.stderr).not.toContain("DNS:w-1:");
  });

  it("signs the node's own name and address, recorded in the tree; openssl verifies it", async () => {
    const result = await signServing(await csr("DNS:w-1,IP:10.0.0.21"));
    expect(result.code, result.stderr).toBe(0);
    const verify = await run("openssl", [
      "verify",
      "-purpose",
      "sslserver",
      "-CAfile",
      join(tree, "pki/ca.crt"),
      result.out,
    ]);
    expect(verify.code, verify.stderr).toBe(0);
    const text = (await run("openssl", ["x509", "-in", result.out, "-noout", "-ext", "subjectAltName"])).stdout;
    expect(text).toContain("DNS:w-1, IP Address:10.0.0.21");
  });

  it("an address the tree does not record needs --allow-san; --allow-san never allows a Service name", async () => {
    const request = await csr("DNS:w-1,IP:10.0.0.99");
    const refused = await signServing(request);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("IP:10.0.0.99, which are not w-1's name or addresses");
    const allowed = await signServing(request, "--allow-san", "IP:10.0.0.99");
    expect(allowed.code, allowed.stderr).toBe(0);

    const service = await signServing(await csr("DNS:kubernetes"), "--allow-san", "DNS:kubernetes");
    expect(service.code).toBe(1);
    expect(service.stderr).toContain("refuses DNS:kubernetes: a Service name");
  });

  it("without a tree (--ca-cert/--ca-key) only the node name and --allow-san are the node's", async () => {
    const ca = ["--ca-cert", join(tree, "pki/ca.crt"), "--ca-key", join(tree, "pki/ca.key")];
    const request = await csr("DNS:w-1,IP:10.0.0.21");
    const refused = await signServing(request, ...ca);
    expect(refused.code).toBe(1);
    expect(refused.written).toBe(false);
    expect(refused.stderr).toContain("IP:10.0.0.21, which are not w-1's name or addresses");
    const allowed = await signServing(request, ...ca, "--allow-san", "10.0.0.21");
    expect(allowed.code, allowed.stderr).toBe(0);
  });

  it("a malformed --allow-san is a usage error naming the flag; --json says CSR_REFUSED", async () => {
    const request = await csr("DNS:w-1");
    const bad = await signServing(request, "--allow-san", "IP:10.0.0.300");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--allow-san IP:10.0.0.300");
    const json = await signServing(await csr("DNS:kubernetes"), "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ signed: false, code: "CSR_REFUSED" });
  });
});
