// Helpers that were public until issue 17 made them internal (the API report lists what stays
// public). Their former TSDoc examples, kept as tests: the stages still rely on each of them.
import { describe, expect, it } from "vitest";
import { joinHostPort, resolveClusterConfig } from "../src/config/resolve.js";
import { formatExpirationDate } from "../src/lifecycle/expiration.js";
import { outputPathOnNode } from "../src/plan/plan.js";
import { classifySans, normalizeSans } from "../src/plan/sans.js";
import { certSpecWithWarnings, nodeDir } from "../src/roles/profiles.js";

describe("internal helpers behave as their former examples said", () => {
  it("joinHostPort brackets IPv6", () => {
    expect(joinHostPort("fd00::1", 6443)).toBe("[fd00::1]:6443");
    expect(joinHostPort("10.0.0.1", 6443)).toBe("10.0.0.1:6443");
  });

  it("formatExpirationDate is kubeadm's layout", () => {
    expect(formatExpirationDate(new Date("2024-12-30T08:19:59Z"))).toBe("Dec 30, 2024 08:19 UTC");
  });

  it("outputPathOnNode maps a tree path to /etc/kubernetes", () => {
    expect(outputPathOnNode("nodes/cp-2/pki/etcd/server.crt")).toBe("/etc/kubernetes/pki/etcd/server.crt");
  });

  it("classifySans splits names and addresses and warns on bad ones", () => {
    const { dns, ips, warnings } = classifySans(["FD00::1", "*.apps.example.com", "bad_name"], "certSANs");
    expect([dns, ips, warnings.length]).toEqual([["*.apps.example.com"], ["fd00::1"], 1]);
  });

  it("normalizeSans sorts DNS names first, dedupes, canonicalises IPs", () => {
    expect(normalizeSans(["b", "a", "b"], ["10.0.0.1", "fd00::1", "FD00:0::1"]).map((san) => san.value)).toEqual([
      "a",
      "b",
      "10.0.0.1",
      "fd00::1",
    ]);
  });

  it("nodeDir and certSpecWithWarnings", () => {
    expect(nodeDir("worker-1")).toBe("nodes/worker-1/");
    const config = resolveClusterConfig({ certSANs: ["bad_name"] });
    expect(certSpecWithWarnings(config, "apiserver", "control-plane-1").warnings).toHaveLength(1);
  });
});
