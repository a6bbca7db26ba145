/**
 * One name per certificate across commands (issue 16 point 5): the names `plan` and `init` print
 * are the names `check-expiration` prints and `renew` takes; plan's former spelling
 * (`apiserver:cp-1`, `admin:cp-1`) is still accepted on input.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initTree, NODES } from "./helpers/init-tree.js";
import { kubepki, tempDir } from "./helpers/run.js";

let dir: { path: string; cleanup: () => Promise<void> };
let tree: string;
let initNames: string[];
beforeAll(async () => {
  dir = await tempDir();
  tree = join(dir.path, "cluster");
  initNames = JSON.parse(await initTree(tree, "--json")).certificates.map((cert: { name: string }) => cert.name);
}, 120_000);
afterAll(() => dir.cleanup());

/**
 * The first column of a table's rows, between the header line and the first empty line. A row's
 * long cells may wrap under it (indented lines, when the table does not fit the terminal): those
 * lines name no certificate.
 */
function firstColumn(text: string, header: string): string[] {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.startsWith(header));
  const rows: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "") break;
    if (/^\s/.test(line)) continue;
    rows.push(line.split(/\s+/)[0] as string);
  }
  return rows;
}

describe("one name per certificate", () => {
  it("plan, init and check-expiration print the same names (kubelet.conf aside, as kubeadm)", async () => {
    const plan = await kubepki(["plan", ...NODES]);
    expect(plan.code, plan.stderr).toBe(0);
    const planNames = firstColumn(plan.stdout, "CERTIFICATE");
    expect(planNames).toContain("apiserver");
    expect(planNames).toContain("apiserver:cp-2");
    expect(planNames).toContain("admin.conf");
    expect(planNames).not.toContain("apiserver:cp-1");
    expect(planNames).toEqual(initNames);
    const planJson = JSON.parse((await kubepki(["plan", ...NODES, "--json"])).stdout);
    expect(planJson.certificates.map((cert: { name: string }) => cert.name)).toEqual(planNames);

    const expiration = await kubepki(["check-expiration", tree]);
    expect(expiration.code, expiration.stderr).toBe(0);
    const printed = [
      ...firstColumn(expiration.stdout, "CERTIFICATE "),
      ...firstColumn(expiration.stdout, "CERTIFICATE AUTHORITY"),
    ];
    expect([...printed].sort()).toEqual(planNames.filter((name) => !name.startsWith("kubelet.conf")).sort());
  });

  it("renew takes every name plan prints (but kubelet.conf and the CAs, which it refuses as kubeadm does)", async () => {
    const plan = await kubepki(["plan", ...NODES]);
    const names = firstColumn(plan.stdout, "CERTIFICATE");
    for (const name of ["apiserver", "apiserver:cp-2", "admin.conf", "super-admin.conf", "kubelet-serving:w-1"]) {
      expect(names).toContain(name);
      const renew = await kubepki(["renew", tree, name, "--reuse-key"]);
      expect(renew.code, `${name}: ${renew.stderr}`).toBe(0);
      expect(renew.stdout).toContain(`renewed ${name}\n`);
    }
    for (const name of ["ca", "kubelet.conf:w-1"]) {
      const renew = await kubepki(["renew", tree, name]);
      expect(renew.code).toBe(1);
      expect(renew.stderr).toContain(`not renewable: ${name}`);
    }
  });

  it("renew also takes plan's old ids and prints the one name", async () => {
    for (const [typed, printed] of [
      ["apiserver:cp-1", "apiserver"],
      ["admin:cp-1", "admin.conf"],
      ["scheduler:cp-2", "scheduler.conf:cp-2"],
    ]) {
      const renew = await kubepki(["renew", tree, typed as string, "--reuse-key"]);
      expect(renew.code, `${typed}: ${renew.stderr}`).toBe(0);
      expect(renew.stdout).toContain(`renewed ${printed}\n`);
    }
  });
});
