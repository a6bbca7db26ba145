/**
 * `kubepki audit` on the tree the seed tutorial's own openssl commands make (built by the
 * k8s-profiles test helper that runs them): it names each mistake and its fix, and exits 1.
 * And `kubepki init` on a terminal draws a progress bar (a real pty through script(1)).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTutorialTree } from "../../k8s-profiles/test/helpers/tutorial-tree.js";
import { BIN, kubepki, run, tempDir } from "./helpers/run.js";

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

describe("kubepki audit on the tutorial's tree", () => {
  it("names each mistake with its fix and exits 1", async () => {
    const { files } = await buildTutorialTree();
    const tree = join(dir.path, "tutorial");
    await mkdir(tree);
    for (const [name, text] of files) await writeFile(join(tree, name), text);
    const audit = await kubepki(["audit", tree]);
    expect(audit.code).toBe(1);
    const out = audit.stdout;
    // One block a file (`file (role)`, then its findings), text joined back where it wrapped.
    const block = (header: string) =>
      (out.split("\n\n").find((text) => text.startsWith(`${header}\n`)) ?? "").replace(/\s+/g, " ");
    // §7 item 1: the v1 CA; item 14: SANs dropped by `openssl x509 -req`; item 8: CNs without
    // system:; item 26: etcd signed by the cluster CA; item 4: the admin without a group.
    expect(block("ca.crt (ca)")).toMatch(/v1|version 1/i);
    expect(block("apiserver.crt (apiserver)")).toContain("SAN");
    expect(out.replace(/\s+/g, " ")).toContain("copy_extensions");
    expect(block("kube-scheduler.crt (scheduler)")).toContain("system:kube-scheduler");
    expect(block("etcdserver.crt (etcd-server)")).toMatch(/error\[/);
    expect(out).toMatch(/\d+ finding\(s\), \d+ error\(s\)/);
    const json = JSON.parse((await kubepki(["audit", tree, "--json"])).stdout);
    const codes = new Set(json.findings.map((finding: { code: string }) => finding.code));
    for (const code of [
      "V1_CERTIFICATE",
      "NOT_A_CA",
      "MISSING_SAN",
      "WRONG_SUBJECT",
      "SHARED_ETCD_CA",
      "MISSING_EKU",
    ]) {
      expect(codes, code).toContain(code);
    }
    for (const finding of json.findings) expect(finding.fix.length, finding.code).toBeGreaterThan(10);
  }, 120_000);
});

describe("progress on a terminal", () => {
  it("draws a bar redrawn in place on a TTY, and plain lines when piped", async () => {
    const out = join(dir.path, "tty");
    const command = `${process.execPath} ${BIN} init --out ${out} --key-algorithm ECDSA-P256 --worker w1=10.0.0.21 --control-plane cp-1=10.0.0.11`;
    const tty = await run("script", ["-qec", command, "/dev/null"], { env: { COLUMNS: "120" } });
    expect(tty.code, tty.stdout + tty.stderr).toBe(0);
    expect(tty.stdout).toMatch(/\r\x1b\[2K[█░]+ \d+\/\d+ /);
    const piped = await kubepki(["init", "--out", join(dir.path, "piped"), "--key-algorithm", "ECDSA-P256"]);
    expect(piped.stderr).toMatch(/^\[1\/\d+\] /m);
    expect(piped.stderr).not.toContain("\r");
    const quiet = await kubepki(["init", "--out", join(dir.path, "json"), "--key-algorithm", "ECDSA-P256", "--json"]);
    expect(quiet.stderr).toBe("");
    expect(JSON.parse(quiet.stdout).files.length).toBeGreaterThan(20);
  });
});
