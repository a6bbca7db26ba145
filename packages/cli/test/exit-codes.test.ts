/**
 * Issue 16, CLI points 3, 4 and 7: exit codes as documented (0 ok, 1 findings or failure, 2
 * usage), a malformed flag value named as typed; audit and check-expiration of a directory without
 * certificates fail; --config with --control-plane/--worker merges the nodes; unknown config keys
 * get a "did you mean".
 */
import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubepki, tempDir } from "./helpers/run.js";

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

describe("a malformed flag value is a usage error (2) that names the flag as typed", () => {
  it.each([
    [["plan", "--control-plane", "cp-1=10.0.0.300"], "--control-plane cp-1=10.0.0.300: "],
    [["plan", "--control-plane", "cp-1=10.0.0.1", "--worker", "w-1=10.0.0.999"], "--worker w-1=10.0.0.999: "],
    [["plan", "--control-plane", "cp_1=10.0.0.1"], "--control-plane cp_1=10.0.0.1: "],
    [["plan", "--control-plane", "cp-1=10.0.0.1", "--service-cidr", "10.96.0.0/33"], "--service-cidr 10.96.0.0/33: "],
    [["plan", "--control-plane-endpoint", "a b"], "--control-plane-endpoint a b: "],
    [["plan", "--dns-domain", "Cluster..Local"], "--dns-domain Cluster..Local: "],
    [["plan", "--cluster-name", "my cluster"], "--cluster-name my cluster: "],
    [["plan", "--key-algorithm", "RSA-1024"], "--key-algorithm must be one of RSA-2048"],
    [["init", "--out", "x", "--control-plane", "cp-1=10.0.0.300"], "--control-plane cp-1=10.0.0.300: "],
  ])("kubepki %j", async (args, message) => {
    const result = await kubepki(args, { cwd: dir.path });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    // The flag, not the config field it became.
    expect(result.stderr).not.toMatch(/nodes\[\d+\]|serviceSubnets|controlPlaneEndpoint|dnsDomain|clusterName/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("init refuses a bad flag value before writing anything", async () => {
    const out = join(dir.path, "never");
    const result = await kubepki(["init", "--out", out, "--control-plane", "cp-1=10.0.0.300", "--json"]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error.code).toBe("USAGE");
    await expect(stat(out)).rejects.toThrow();
  });

  it("sign-csr without --node for a per-node role is a usage error naming --node", async () => {
    const result = await kubepki([
      "sign-csr",
      "--csr",
      "worker-1.csr",
      "--role",
      "kubelet-client",
      "--dir",
      "pki",
      "--out",
      "worker-1.crt",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Missing --node NAME");
  });

  it("an error in the --config file itself stays a failure (1) naming the field the user wrote", async () => {
    const config = join(dir.path, "bad-address.yaml");
    await writeFile(config, "nodes:\n  - { name: cp-1, role: control-plane, addresses: [10.0.0.300] }\n");
    const result = await kubepki(["plan", "--config", config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("nodes[0].addresses[0]");
  });
});

describe("audit and check-expiration of a directory without certificates fail", () => {
  it.each(["audit", "check-expiration"])(
    "%s of an empty directory and of one without certificates",
    async (command) => {
      const empty = join(dir.path, `empty-${command}`);
      const notPki = join(dir.path, `not-pki-${command}`);
      await mkdir(empty);
      await mkdir(notPki);
      await writeFile(join(notPki, "README.md"), "# notes\n");
      for (const tree of [empty, notPki]) {
        const result = await kubepki([command, tree]);
        expect(result.code, result.stdout).toBe(1);
        expect(result.stderr).toContain(`no certificates found in ${tree}`);
        expect(result.stdout).not.toContain("no findings");
        const json = await kubepki([command, tree, "--json"]);
        expect(json.code).toBe(1);
        expect(JSON.parse(json.stdout).error.code).toBe("NO_CERTIFICATES");
      }
    },
  );
});

describe("--config together with --control-plane/--worker", () => {
  it("merges the nodes: the config's are kept, a flag node of the same name replaces it", async () => {
    const config = join(dir.path, "two-cp.yaml");
    await writeFile(
      config,
      [
        "clusterName: merged",
        "nodes:",
        "  - { name: cp-1, role: control-plane, addresses: [10.0.0.11] }",
        "  - { name: cp-2, role: control-plane, addresses: [10.0.0.12] }",
        "",
      ].join("\n"),
    );
    const result = await kubepki([
      "plan",
      "--config",
      config,
      "--control-plane",
      "cp-2=10.0.0.22",
      "--worker",
      "worker-1=10.0.0.31",
      "--json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.config.clusterName).toBe("merged");
    expect(plan.config.nodes.map((node: { name: string; addresses: string[] }) => [node.name, node.addresses])).toEqual(
      [
        ["cp-1", ["10.0.0.11"]],
        ["cp-2", ["10.0.0.22"]],
        ["worker-1", ["10.0.0.31"]],
      ],
    );
    // --worker alone is enough when the config has the control plane.
    const workerOnly = await kubepki(["plan", "--config", config, "--worker", "worker-1=10.0.0.31", "--json"]);
    expect(workerOnly.code, workerOnly.stderr).toBe(0);
    expect(JSON.parse(workerOnly.stdout).config.nodes).toHaveLength(3);
    // A bad merged flag node is still named as typed.
    const bad = await kubepki(["plan", "--config", config, "--worker", "worker-1=10.0.0.300"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--worker worker-1=10.0.0.300: ");
  });

  it("unknown config keys get a did-you-mean (clusterDomain → dnsDomain, typos)", async () => {
    for (const [yaml, hint] of [
      ["clusterDomain: example.local\n", "clusterDomain: unknown field (did you mean dnsDomain?)"],
      ["dnsDomian: example.local\n", "dnsDomian: unknown field (did you mean dnsDomain?)"],
      ["serviceSubnet: 10.96.0.0/12\n", "(did you mean serviceSubnets?)"],
      ["nodes:\n  - { name: cp-1, role: control-plane, address: [10.0.0.1] }\n", "(did you mean addresses?)"],
    ] as const) {
      const config = join(dir.path, "typo.yaml");
      await writeFile(config, yaml);
      const result = await kubepki(["plan", "--config", config]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(hint);
    }
  });
});
