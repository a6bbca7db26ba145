// checkExpiration / formatExpirationTable against a kubepki tree made at a known instant, and
// against kubeadm's own printed output (reference §8.1).
import { beforeAll, describe, expect, it } from "vitest";
import { checkExpiration, type ExpirationRow, formatExpirationTable } from "../src/index.js";
import { formatExpirationDate } from "../src/lifecycle/expiration.js";
import { buildKubepkiTree, KUBEPKI_CONFIG } from "./helpers/kubepki-tree.js";
import { buildTutorialTree } from "./helpers/tutorial-tree.js";

const MADE = new Date("2024-12-30T08:24:00Z");
const CHECKED = new Date("2025-01-04T10:00:00Z");

describe("checkExpiration on a kubepki tree with known dates", () => {
  let files: Map<string, string>;
  let rows: ExpirationRow[];
  beforeAll(async () => {
    files = await buildKubepkiTree(KUBEPKI_CONFIG, MADE);
    rows = checkExpiration(files, { now: CHECKED });
  }, 60_000);

  it("lists kubeadm's rows (kubelet.conf excluded), then the CAs, each sorted by name", () => {
    const certificates = rows.filter((row) => row.kind !== "ca").map((row) => row.name);
    expect(certificates).toEqual([...certificates].sort());
    expect(certificates).toEqual(
      expect.arrayContaining([
        "admin.conf",
        "apiserver",
        "apiserver-etcd-client",
        "apiserver-kubelet-client",
        "controller-manager.conf",
        "etcd-healthcheck-client",
        "etcd-peer",
        "etcd-server",
        "front-proxy-client",
        "scheduler.conf",
        "super-admin.conf",
        // kubepki's per-node ones
        "apiserver:cp-2",
        "admin.conf:cp-2",
        "kubelet-serving:worker-1",
      ]),
    );
    expect(certificates.some((name) => name.startsWith("kubelet.conf"))).toBe(false);
    expect(rows.filter((row) => row.kind === "ca").map((row) => row.name)).toEqual(["ca", "etcd-ca", "front-proxy-ca"]);
    expect(rows.findIndex((row) => row.kind === "ca")).toBe(certificates.length);
  });

  it("gives dates, residual time, CA and kind as kubeadm does", () => {
    const byName = new Map(rows.map((row) => [row.name, row]));
    expect(byName.get("apiserver")).toEqual({
      name: "apiserver",
      file: "pki/apiserver.crt",
      expires: new Date("2025-12-30T08:24:00Z"),
      residual: "359d",
      certificateAuthority: "ca",
      externallyManaged: false,
      kind: "certificate",
    });
    expect(byName.get("etcd-server")?.certificateAuthority).toBe("etcd-ca");
    expect(byName.get("front-proxy-client")?.certificateAuthority).toBe("front-proxy-ca");
    expect(byName.get("admin.conf")).toMatchObject({
      kind: "kubeconfig",
      certificateAuthority: "ca",
      file: "admin.conf",
    });
    expect(byName.get("ca")).toMatchObject({ residual: "9y", certificateAuthority: "", kind: "ca" });
  });

  it("says externally managed when a CA key is absent", () => {
    const external = new Map(files);
    external.delete("pki/etcd/ca.key");
    const again = checkExpiration(external, { now: CHECKED });
    expect(again.find((row) => row.name === "etcd-ca")?.externallyManaged).toBe(true);
    expect(again.find((row) => row.name === "etcd-peer")?.externallyManaged).toBe(true);
    expect(again.find((row) => row.name === "apiserver")?.externallyManaged).toBe(false);
  });

  it("prints kubeadm's two tables", () => {
    const table = formatExpirationTable(rows);
    const lines = table.split("\n");
    expect(lines[0]).toBe(
      "CERTIFICATE                     EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED",
    );
    expect(lines).toContain(
      "apiserver                       Dec 30, 2025 08:24 UTC   359d            ca                      no      ",
    );
    const blank = lines.indexOf("");
    expect(lines.slice(blank + 1)).toEqual([
      "CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED",
      "ca                      Dec 28, 2034 08:24 UTC   9y              no      ",
      "etcd-ca                 Dec 28, 2034 08:24 UTC   9y              no      ",
      "front-proxy-ca          Dec 28, 2034 08:24 UTC   9y              no      ",
      "",
    ]);
  });
});

describe("formatting", () => {
  it("reproduces a table printed by kubeadm (column widths, yes/no padding)", () => {
    const at = (text: string) => new Date(text);
    const row = (name: string, ca: string, kind: ExpirationRow["kind"] = "certificate"): ExpirationRow => ({
      name,
      file: name,
      expires: at(kind === "ca" ? "2035-08-17T09:03:00Z" : "2026-08-19T09:03:00Z"),
      residual: kind === "ca" ? "9y" : "360d",
      certificateAuthority: ca,
      externallyManaged: false,
      kind,
    });
    const table = formatExpirationTable([
      row("admin.conf", "ca", "kubeconfig"),
      row("apiserver-kubelet-client", "ca"),
      row("ca", "", "ca"),
    ]);
    // From `kubeadm certs check-expiration` (v1.33) output.
    expect(table).toBe(
      [
        "CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED",
        "admin.conf                 Aug 19, 2026 09:03 UTC   360d            ca                      no      ",
        "apiserver-kubelet-client   Aug 19, 2026 09:03 UTC   360d            ca                      no      ",
        "",
        "CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED",
        "ca                      Aug 17, 2035 09:03 UTC   9y              no      ",
        "",
      ].join("\n"),
    );
    expect(formatExpirationDate(at("2024-12-30T08:19:59Z"))).toBe("Dec 30, 2024 08:19 UTC");
  });

  it("computes residual time as ShortHumanDuration", async () => {
    const files = await buildKubepkiTree(KUBEPKI_CONFIG, MADE);
    const expiry = new Date("2025-12-30T08:24:00Z").getTime();
    const residual = (msBefore: number) =>
      checkExpiration(files, { now: new Date(expiry - msBefore) }).find((row) => row.name === "apiserver")?.residual;
    expect(residual(30_000)).toBe("30s");
    expect(residual(59 * 60_000)).toBe("59m");
    expect(residual(23 * 3_600_000)).toBe("23h");
    expect(residual(364 * 86_400_000)).toBe("364d");
    expect(residual(-1_000)).toBe("0s");
    expect(residual(-60_000)).toBe("<invalid>");
  }, 60_000);

  it("works on other layouts and ignores garbage", async () => {
    const { files } = await buildTutorialTree();
    const rows = checkExpiration(files);
    expect(rows.map((row) => row.name)).toContain("kube-scheduler.crt");
    expect(rows.filter((row) => row.kind === "ca").map((row) => row.name)).toEqual(["ca"]);
    expect(checkExpiration({ "pki/ca.crt": "garbage", "admin.conf": "::" })).toEqual([]);
  }, 120_000);
});
