// kubeadm's machine-readable check-expiration output (`-o json|yaml`, CertificateExpirationInfo of
// output.kubeadm.k8s.io/v1alpha3) for a fixed tree and a fixed clock, against golden files written
// field for field from kubeadm's types (cmd/kubeadm/app/apis/output/v1alpha3/types.go) and
// fetchCertificateExpirationInfo (cmd/kubeadm/app/cmd/certs.go); and the expiry status behind the
// CLI's exit codes.
import { readFile } from "node:fs/promises";
import { renderExpirationInfoJson, renderExpirationInfoYaml } from "@kubepki/renderers";
import { beforeAll, describe, expect, it } from "vitest";
import { certificateTimes, checkExpiration, type ExpirationRow, expirationInfo, expiryStatus } from "../src/index.js";
import { buildKubepkiTree } from "./helpers/kubepki-tree.js";

const MADE = new Date("2024-12-30T08:24:00Z");
const CHECKED = new Date("2025-01-04T10:00:00Z");
const DAY = 86_400_000;
const golden = (name: string) => readFile(new URL(`./fixtures/check-expiration/${name}`, import.meta.url), "utf8");

describe("expirationInfo: kubeadm's CertificateExpirationInfo", () => {
  let files: Map<string, string>;
  let rows: ExpirationRow[];
  beforeAll(async () => {
    files = await buildKubepkiTree(
      { keyAlgorithm: "ECDSA-P256", nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] }] },
      MADE,
    );
    rows = checkExpiration(files, { now: CHECKED });
  }, 60_000);

  it("prints -o json byte for byte as kubeadm (Go struct order, four-space indent, caName only on leaves)", async () => {
    expect(renderExpirationInfoJson(expirationInfo(rows, CHECKED))).toBe(await golden("single-node.json"));
  });

  it("prints -o yaml byte for byte as kubeadm (sigs.k8s.io/yaml: sorted keys, quoted dates)", async () => {
    expect(renderExpirationInfoYaml(expirationInfo(rows, CHECKED))).toBe(await golden("single-node.yaml"));
  });

  it("counts residualTime in whole seconds truncated toward zero, negative once expired", () => {
    const row = rows.find((r) => r.name === "apiserver") as ExpirationRow;
    const at = (ms: number) =>
      expirationInfo([row], new Date(row.expires.getTime() + ms)).certificates[0]?.residualTime;
    expect(at(-1500)).toBe(1);
    expect(at(1500)).toBe(-1);
    expect(at(2 * DAY)).toBe(-172_800);
  });

  it("refuses a bad clock with INVALID_ARGUMENT", () => {
    expect(() => expirationInfo(rows, new Date(Number.NaN))).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
  });

  it("certificateTimes gives the rows of checkExpiration with subject, issuer, role and notBefore", () => {
    const times = certificateTimes(files, { now: CHECKED });
    expect(times.map((t) => t.name)).toEqual(rows.map((r) => r.name));
    expect(times.find((t) => t.name === "apiserver")).toMatchObject({
      file: "pki/apiserver.crt",
      commonName: "kube-apiserver",
      issuer: "kubernetes",
      role: "apiserver",
      notBefore: new Date(MADE.getTime() - 5 * 60_000),
    });
    expect(times.find((t) => t.name === "etcd-server")).toMatchObject({ issuer: "etcd-ca", role: "etcd-server" });
  });

  it("expiryStatus: invalid = expired or not yet valid; expiring only with a window, bound included", () => {
    const times = certificateTimes(files, { now: CHECKED });
    const leafExpiry = new Date("2025-12-30T08:24:00Z").getTime();
    const status = (now: number, warnWithinMs?: number) => {
      const s = expiryStatus(times, { now: new Date(now), ...(warnWithinMs === undefined ? {} : { warnWithinMs }) });
      return { invalid: s.invalid.length, expiring: s.expiring.length };
    };
    expect(status(CHECKED.getTime())).toEqual({ invalid: 0, expiring: 0 });
    expect(status(CHECKED.getTime(), 30 * DAY)).toEqual({ invalid: 0, expiring: 0 });
    // Ten days before the leaves expire: all 12 leaves within 30d, none within 5d; the CAs never.
    expect(status(leafExpiry - 10 * DAY, 30 * DAY)).toEqual({ invalid: 0, expiring: 12 });
    expect(status(leafExpiry - 10 * DAY, 5 * DAY)).toEqual({ invalid: 0, expiring: 0 });
    expect(status(leafExpiry - 10 * DAY, 10 * DAY)).toEqual({ invalid: 0, expiring: 12 });
    expect(status(leafExpiry, 30 * DAY)).toEqual({ invalid: 12, expiring: 0 });
    expect(status(MADE.getTime() - 10 * 60_000)).toEqual({ invalid: 15, expiring: 0 });
    expect(() => expiryStatus(times, { warnWithinMs: -1 })).toThrow(/warnWithinMs/);
  });
});
