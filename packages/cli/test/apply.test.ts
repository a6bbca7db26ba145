/**
 * Issue 18: day 2 on a real tree with the built CLI — `plan --against` shows the difference,
 * `apply` carries out exactly it. CAs and every certificate that still fits stay byte for byte
 * (hashes); what is new or reissued is checked by openssl, Node's TLS client and kubectl 1.33.
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { connect, createServer } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpensslTree } from "../../k8s-profiles/test/helpers/openssl-tree.js";
import { freePort } from "./helpers/etcd.js";
import { BIN, hashTree, KUBECTL, kubepki, modeOf, run, tempDir } from "./helpers/run.js";
import { copyTree, inBatches, kubepkiLeftovers, spawnWithEnv, waitForStderr } from "./helpers/tree-tools.js";

let dir: { path: string; cleanup: () => Promise<void> };
/** 1 control plane, 2 workers. */
let single: string;
/** 2 control planes, 1 worker. */
let ha: string;

const BACKUP = /^tmp\/kubepki-backup-[0-9TZ-]+\//;

beforeAll(async () => {
  dir = await tempDir();
  single = join(dir.path, "single");
  ha = join(dir.path, "ha");
  const nodes = ["--control-plane", "cp-1=10.0.0.11", "--worker", "w-1=10.0.0.21", "--worker", "w-2=10.0.0.22"];
  const haNodes = [
    "--control-plane",
    "cp-1=10.0.0.11",
    "--control-plane",
    "cp-2=10.0.0.12",
    "--worker",
    "w-1=10.0.0.21",
  ];
  const [a, b] = await Promise.all([
    kubepki(["init", "--out", single, "--key-algorithm", "ECDSA-P256", ...nodes]),
    kubepki(["init", "--out", ha, "--key-algorithm", "ECDSA-P256", ...haNodes]),
  ]);
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(0);
}, 120_000);
afterAll(() => dir.cleanup());

/** A fresh copy of a base tree to change. */
async function copyOf(base: string, name: string): Promise<string> {
  const to = join(dir.path, name);
  await copyTree(base, to);
  return to;
}

/** What changed between two hash maps: paths added, changed and removed. */
function compare(before: Record<string, string>, after: Record<string, string>) {
  const added = Object.keys(after).filter((path) => !(path in before));
  const removed = Object.keys(before).filter((path) => !(path in after));
  const changed = Object.keys(after).filter((path) => path in before && before[path] !== after[path]);
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort() };
}

const openssl = (...args: string[]) => run("openssl", args);

async function sanOf(file: string): Promise<string> {
  const result = await openssl("x509", "-in", file, "-noout", "-ext", "subjectAltName");
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** The PEM of the client certificate embedded in a kubeconfig. */
async function embeddedClientCert(kubeconfig: string): Promise<string> {
  const text = await readFile(kubeconfig, "utf8");
  const data = /client-certificate-data: (\S+)/.exec(text)?.[1];
  expect(data).toBeDefined();
  return Buffer.from(data as string, "base64").toString("utf8");
}

/** A TLS handshake on 127.0.0.1 with the given server pair, verified by Node against `ca` for `servername`. */
async function handshake(cert: string, key: string, ca: string, servername: string): Promise<string | undefined> {
  const server = createServer({ cert: await readFile(cert), key: await readFile(key) }, (socket) => socket.end());
  const trusted = await readFile(ca, "utf8");
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  try {
    return await new Promise<string | undefined>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port, ca: [trusted], servername, timeout: 5_000 }, () => {
        resolve(socket.authorized ? undefined : String(socket.authorizationError));
        socket.destroy();
      });
      socket.on("error", (error) => resolve(error.message));
      socket.on("timeout", () => {
        resolve("timeout");
        socket.destroy();
      });
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe("apply adds a worker: only that worker's files are new", () => {
  it("plan --against names each new file with its reason and counts the rest; --json says the same", async () => {
    const plan = await kubepki(["plan", "--against", single, "--worker", "w-3=10.0.0.23"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/^\+ nodes\/w-3\/pki\/kubelet\.crt \(new node\)$/m);
    expect(plan.stdout).toMatch(/^~ kubepki\.yaml \(node w-3 added\)$/m);
    expect(plan.stdout).toMatch(/^= \d+ unchanged$/m);
    expect(plan.stdout).not.toMatch(/^[~+-] pki\//m);
    expect(plan.stdout).toMatch(/^Copy to w-3:$/m);
    expect(plan.stdout).toMatch(/^ {2}nodes\/w-3\/pki\/kubelet\.crt → \/etc\/kubernetes\/pki\/kubelet\.crt$/m);
    const json = JSON.parse(
      (await kubepki(["plan", "--against", single, "--worker", "w-3=10.0.0.23", "--json"])).stdout,
    );
    const added = json.files
      .filter((file: { change: string }) => file.change === "add")
      .map((f: { path: string }) => f.path);
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((path: string) => path.startsWith("nodes/w-3/"))).toBe(true);
    expect(json.counts.keep).toBe(json.files.filter((file: { change: string }) => file.change === "keep").length);
  });

  it("every other file is byte-identical; the new kubelet certificates verify against the unchanged ca.crt", async () => {
    const tree = await copyOf(single, "add-worker");
    const before = await hashTree(tree);
    const apply = await kubepki(["apply", tree, "--worker", "w-3=10.0.0.23", "--yes"]);
    expect(apply.code, apply.stderr).toBe(0);
    const { added, changed, removed } = compare(before, await hashTree(tree));
    expect(removed).toEqual([]);
    expect(changed).toEqual(["kubepki.yaml"]);
    expect(added.filter((path) => !BACKUP.test(path)).every((path) => path.startsWith("nodes/w-3/"))).toBe(true);
    expect(added.filter((path) => BACKUP.test(path)).map((path) => path.replace(BACKUP, ""))).toEqual(["kubepki.yaml"]);
    expect(added).toContain("nodes/w-3/pki/kubelet.crt");
    const ca = join(tree, "pki/ca.crt");
    const serving = await openssl(
      "verify",
      "-CAfile",
      ca,
      "-purpose",
      "sslserver",
      join(tree, "nodes/w-3/pki/kubelet.crt"),
    );
    expect(serving.code, serving.stderr).toBe(0);
    const clientPem = join(dir.path, "w-3-client.crt");
    await writeFile(clientPem, await embeddedClientCert(join(tree, "nodes/w-3/kubelet.conf")));
    const client = await openssl("verify", "-CAfile", ca, "-purpose", "sslclient", clientPem);
    expect(client.code, client.stderr).toBe(0);
    const subject = await openssl("x509", "-in", clientPem, "-noout", "-subject");
    expect(subject.stdout).toMatch(/CN ?= ?system:node:w-3/);
    expect(await modeOf(join(tree, "nodes/w-3/pki/kubelet.key"))).toBe(0o600);
    // A second apply with the same wanted cluster has nothing to do.
    const again = await kubepki(["apply", tree, "--yes"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Nothing to do");
    const audit = await kubepki(["audit", tree]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
  }, 60_000);
});

describe("apply with a new certSANs entry on two control-plane nodes", () => {
  it("only each control-plane node's apiserver.crt/.key change; the name verifies with openssl and Node's TLS client", async () => {
    const tree = await copyOf(ha, "cert-san");
    const before = await hashTree(tree);
    const plan = await kubepki(["plan", "--against", tree, "--cert-san", "api.example.com"]);
    expect(plan.stdout).toMatch(/^~ pki\/apiserver\.crt \(.*SAN DNS:api\.example\.com added.*\)$/m);
    const apply = await kubepki(["apply", tree, "--cert-san", "api.example.com", "--yes"]);
    expect(apply.code, apply.stderr).toBe(0);
    const { added, changed, removed } = compare(before, await hashTree(tree));
    expect(removed).toEqual([]);
    expect(changed).toEqual([
      "kubepki.yaml",
      "nodes/cp-2/pki/apiserver.crt",
      "nodes/cp-2/pki/apiserver.key",
      "pki/apiserver.crt",
      "pki/apiserver.key",
    ]);
    expect(added.every((path) => BACKUP.test(path))).toBe(true);
    expect(apply.stdout).toMatch(/restart kube-apiserver/);
    const ca = join(tree, "pki/ca.crt");
    for (const stem of ["pki/apiserver", "nodes/cp-2/pki/apiserver"]) {
      const cert = join(tree, `${stem}.crt`);
      expect(await sanOf(cert)).toContain("DNS:api.example.com");
      const verify = await openssl("verify", "-CAfile", ca, "-purpose", "sslserver", cert);
      expect(verify.code, verify.stderr).toBe(0);
      const host = await openssl("x509", "-in", cert, "-noout", "-checkhost", "api.example.com");
      expect(host.stdout).toContain("does match");
      expect(await handshake(cert, join(tree, `${stem}.key`), ca, "api.example.com")).toBeUndefined();
      // The same handshake for a name the certificate does not have fails: the check can fail.
      expect(await handshake(cert, join(tree, `${stem}.key`), ca, "other.example.com")).toMatch(
        /altnames|ERR_TLS_CERT_ALTNAME_INVALID/i,
      );
    }
    expect(await modeOf(join(tree, "pki/apiserver.key"))).toBe(0o600);
  }, 60_000);
});

describe("apply with a controlPlaneEndpoint added", () => {
  it("kubeconfigs that use it get the new server:, the apiserver certificate the new SAN; kubectl reads every kubeconfig", async () => {
    const tree = await copyOf(single, "endpoint");
    const before = await hashTree(tree);
    const plan = await kubepki(["plan", "--against", tree, "--control-plane-endpoint", "k8s.example.com:6443"]);
    expect(plan.stdout).toMatch(/^~ admin\.conf \(.*server changed.*\)$/m);
    const apply = await kubepki(["apply", tree, "--control-plane-endpoint", "k8s.example.com:6443", "--yes"]);
    expect(apply.code, apply.stderr).toBe(0);
    const { changed, removed } = compare(before, await hashTree(tree));
    expect(removed).toEqual([]);
    expect(changed).toEqual(
      expect.arrayContaining(["admin.conf", "super-admin.conf", "pki/apiserver.crt", "kubepki.yaml"]),
    );
    // Local kubeconfigs keep the node's own address, as kubeadm writes them: unchanged.
    expect(changed).not.toContain("controller-manager.conf");
    expect(changed).not.toContain("scheduler.conf");
    expect(changed.filter((path) => path.startsWith("pki/") && !path.startsWith("pki/apiserver."))).toEqual([]);
    expect(await sanOf(join(tree, "pki/apiserver.crt"))).toContain("DNS:k8s.example.com");
    const kubeconfigs = Object.keys(await hashTree(tree)).filter(
      (path) => path.endsWith(".conf") && !BACKUP.test(path),
    );
    for (const kubeconfig of kubeconfigs) {
      const view = await run(KUBECTL, [
        "config",
        "view",
        "--kubeconfig",
        join(tree, kubeconfig),
        "--raw",
        "-o",
        "jsonpath={.clusters[0].cluster.server}",
      ]);
      expect(view.code, `${kubeconfig}: ${view.stderr}`).toBe(0);
      if (changed.includes(kubeconfig)) expect(view.stdout, kubeconfig).toBe("https://k8s.example.com:6443");
      else expect(view.stdout, kubeconfig).not.toBe("https://k8s.example.com:6443");
    }
    const audit = await kubepki(["audit", tree]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
  }, 60_000);
});

describe("apply after removing a worker", () => {
  it("keeps and reports its files without --prune; --prune moves them to the backup (keys still 0600)", async () => {
    const tree = await copyOf(single, "remove");
    const before = await hashTree(tree);
    const kept = await kubepki(["apply", tree, "--remove-node", "w-2", "--yes"]);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toMatch(/^- nodes\/w-2\/pki\/kubelet\.crt \(node removed; kept unless --prune\)$/m);
    const middle = await hashTree(tree);
    const step1 = compare(before, middle);
    expect(step1.removed).toEqual([]);
    expect(step1.changed).toEqual(["kubepki.yaml"]);
    // The record no longer lists w-2; pruning is a second, explicit step.
    const pruned = await kubepki(["apply", tree, "--prune", "--yes"]);
    expect(pruned.code, pruned.stderr).toBe(0);
    const step2 = compare(middle, await hashTree(tree));
    expect(step2.removed.length).toBeGreaterThan(0);
    expect(step2.removed.every((path) => path.startsWith("nodes/w-2/"))).toBe(true);
    expect(step2.changed).toEqual([]);
    const backedUp = step2.added.filter((path) => BACKUP.test(path)).map((path) => path.replace(BACKUP, ""));
    expect(backedUp.sort()).toEqual(step2.removed);
    const keyBackup = step2.added.find((path) => path.endsWith("nodes/w-2/pki/kubelet.key")) as string;
    expect(await modeOf(join(tree, keyBackup))).toBe(0o600);
    const afterPrune = await hashTree(tree);
    for (const path of step2.added) expect(afterPrune[path], path).toBe(middle[path.replace(BACKUP, "")]);
    const audit = await kubepki(["audit", tree]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
  }, 60_000);
});

describe("apply on a tree kubepki did not make (openssl, kubeadm's layout)", () => {
  it("changes nothing when the config matches it, with --config or described from its certificates", async () => {
    const config = {
      nodes: [
        { name: "cp-1", role: "control-plane" as const, addresses: ["10.0.0.11"] },
        { name: "w-1", role: "worker" as const, addresses: ["10.0.0.21"] },
      ],
    };
    const files = await buildOpensslTree(config);
    const tree = join(dir.path, "openssl-tree");
    for (const [path, contents] of files) {
      await mkdir(dirname(join(tree, path)), { recursive: true });
      await writeFile(join(tree, path), contents, { mode: /\.(key|conf)$/.test(path) ? 0o600 : 0o644 });
    }
    const configFile = join(dir.path, "openssl-tree.yaml");
    await writeFile(configFile, JSON.stringify(config));
    const before = await hashTree(tree);
    const plan = await kubepki(["plan", "--against", tree, "--config", configFile]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout, plan.stdout).not.toMatch(/^[~+-] /m);
    for (const extra of [["--config", configFile], []]) {
      const apply = await kubepki(["apply", tree, ...extra, "--yes"]);
      expect(apply.code, apply.stderr).toBe(0);
      expect(apply.stdout).toContain("Nothing to do");
      expect(await hashTree(tree)).toEqual(before);
    }
  }, 120_000);
});

describe("writing nothing, and nothing half-written", () => {
  it("--dry-run writes nothing; without a terminal apply needs --yes (exit 2, nothing written)", async () => {
    const tree = await copyOf(single, "dry");
    const before = await hashTree(tree);
    const dry = await kubepki(["apply", tree, "--worker", "w-3=10.0.0.23", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^\+ nodes\/w-3\//m);
    expect(dry.stdout).toContain("Dry run: nothing written");
    const unconfirmed = await kubepki(["apply", tree, "--worker", "w-3=10.0.0.23"]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain("--yes");
    expect(await hashTree(tree)).toEqual(before);
    expect(await kubepkiLeftovers(tree)).toEqual([]);
  }, 60_000);

  it("on a terminal apply asks first: 'n' writes nothing (exit 1), 'y' applies", async () => {
    const tree = await copyOf(single, "ask");
    const before = await hashTree(tree);
    const command = `${process.execPath} ${BIN} apply ${tree} --worker w-3=10.0.0.23`;
    const no = await run("script", ["-qec", command, "/dev/null"], { input: "n\n", env: { COLUMNS: "120" } });
    expect(no.stdout).toMatch(/Apply these \d+ change\(s\) to .*\? \[y\/N\]/);
    expect(no.stdout).toContain("not confirmed; nothing written");
    expect(await hashTree(tree)).toEqual(before);
    const yes = await run("script", ["-qec", command, "/dev/null"], { input: "y\n", env: { COLUMNS: "120" } });
    expect(yes.code, yes.stdout).toBe(0);
    expect(yes.stdout).toContain("kubepki apply: ");
    expect(Object.keys(await hashTree(tree))).toContain("nodes/w-3/pki/kubelet.crt");
  }, 60_000);

  it("apply killed (SIGKILL) after any rename leaves the old tree, which audits clean; run to the end, the new one audits clean", async () => {
    const base = await copyOf(ha, "kill-base");
    const before = await hashTree(base);
    const change = ["--worker", "w-9=10.0.0.29", "--cert-san", "api.example.com", "--yes"];
    // How many renames a full apply makes: two per replaced file, one per new file.
    const dry = JSON.parse((await kubepki(["apply", base, ...change.slice(0, -1), "--dry-run", "--json"])).stdout);
    const adds = dry.counts.add;
    const changes = dry.counts.change;
    const renames = adds + changes /* backups */ + 2 * changes;
    expect(renames).toBeGreaterThan(10);
    const ks = [0, 1, Math.floor(renames / 2), renames - 1];
    const failures: string[] = [];
    await inBatches(ks, 2, async (k) => {
      const tree = join(dir.path, `kill-${k}`);
      await copyTree(base, tree);
      const apply = spawnWithEnv(["apply", tree, ...change], { KUBEPKI_TEST_PAUSE_AFTER_RENAME: String(k) });
      await waitForStderr(apply, (stderr) => stderr.includes(`paused after rename ${k}\n`));
      apply.child.kill("SIGKILL");
      await apply.exited;
      const audit = await kubepki(["audit", tree]);
      if (audit.code !== 0) failures.push(`k=${k}: audit after kill -9: ${audit.stdout}${audit.stderr}`);
      const after = await hashTree(tree);
      if (JSON.stringify(after) !== JSON.stringify(before))
        failures.push(`k=${k}: not the old tree: ${JSON.stringify(compare(before, after))}`);
      if ((await kubepkiLeftovers(tree)).length > 0) failures.push(`k=${k}: leftovers`);
    });
    expect(failures).toEqual([]);
    const full = await copyOf(base, "kill-none");
    const apply = await kubepki(["apply", full, ...change]);
    expect(apply.code, apply.stderr).toBe(0);
    const audit = await kubepki(["audit", full]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    expect(Object.keys(await hashTree(full))).toContain("nodes/w-9/pki/kubelet.crt");
  }, 300_000);
});

describe("what apply refuses, with nothing written", () => {
  it("another CA given with --ca-cert, or a swapped pki/ca.crt: CA_REPLACEMENT_REFUSED, pointing to rotation", async () => {
    const tree = await copyOf(single, "refuse");
    const other = join(dir.path, "other-ca");
    const made = await kubepki(["init", "--out", other, "--key-algorithm", "ECDSA-P256"]);
    expect(made.code, made.stderr).toBe(0);
    const before = await hashTree(tree);
    const given = await kubepki(["apply", tree, "--ca-cert", join(other, "pki/ca.crt"), "--yes", "--json"]);
    expect(given.code).toBe(1);
    expect(given.stderr + given.stdout).toContain("CA_REPLACEMENT_REFUSED");
    expect(given.stderr + given.stdout).toMatch(/rotat/);
    expect(await hashTree(tree)).toEqual(before);
    // The same CA is not a change.
    const same = await kubepki(["apply", tree, "--ca-cert", join(tree, "pki/ca.crt"), "--yes"]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain("Nothing to do");
    // pki/ca.crt swapped under leaves signed by the old CA.
    await writeFile(join(tree, "pki/ca.crt"), await readFile(join(other, "pki/ca.crt")));
    await writeFile(join(tree, "pki/ca.key"), await readFile(join(other, "pki/ca.key")), { mode: 0o600 });
    const swapped = await hashTree(tree);
    const refused = await kubepki(["apply", tree, "--worker", "w-3=10.0.0.23", "--yes", "--json"]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe("CA_REPLACEMENT_REFUSED");
    expect(refused.stderr).toMatch(/rotat/);
    expect(await hashTree(tree)).toEqual(swapped);
  }, 60_000);

  it("a new key algorithm applies to reissued certificates only, and the plan says so", async () => {
    const plan = await kubepki(["plan", "--against", single, "--key-algorithm", "RSA-2048"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).not.toMatch(/^~ pki\//m);
    expect(plan.stdout).toMatch(/note: .*RSA-2048.*reissued/);
  });

  it("a directory that is not a tree is refused before anything is written", async () => {
    const empty = join(dir.path, "empty");
    await mkdir(empty);
    const apply = await kubepki(["apply", empty, "--yes"]);
    expect(apply.code).toBe(1);
    expect(await readdir(empty)).toEqual([]);
  });
});
