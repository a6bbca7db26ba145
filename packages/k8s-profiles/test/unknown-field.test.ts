// Issue 16, CLI point 7: an unknown config field gets a "did you mean" from the library itself
// (so the CLI's --config and a caller of resolveClusterConfig/planCluster see the same hint).
import { describe, expect, it } from "vitest";
import { type ClusterConfig, planCluster, resolveClusterConfig } from "../src/index.js";

const CP = { name: "cp-1", role: "control-plane" as const, addresses: ["10.0.0.1"] };

function messageOf(config: unknown): string {
  try {
    resolveClusterConfig(config as ClusterConfig);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected resolveClusterConfig to refuse");
}

describe("unknown config fields", () => {
  it.each([
    // kubelet's KubeletConfiguration.clusterDomain is this dnsDomain: not an edit-distance neighbour.
    [{ clusterDomain: "example.local" }, "clusterDomain: unknown field (did you mean dnsDomain?)"],
    [{ serviceSubnet: "10.96.0.0/12" }, "serviceSubnet: unknown field (did you mean serviceSubnets?)"],
    [{ encryptionAlgorithm: "ECDSA-P256" }, "encryptionAlgorithm: unknown field (did you mean keyAlgorithm?)"],
    [{ keyAlgoritm: "ECDSA-P256" }, "keyAlgoritm: unknown field (did you mean keyAlgorithm?)"],
    [{ certSans: ["a.example.com"] }, "certSans: unknown field (did you mean certSANs?)"],
    [{ nodes: [{ ...CP, adresses: ["10.0.0.2"] }] }, "nodes[0].adresses: unknown field (did you mean addresses?)"],
    [
      { etcd: { type: "local", serverCertSans: [] } },
      "etcd.serverCertSans: unknown field for local etcd (did you mean serverCertSANs?)",
    ],
  ])("%j → %s", (config, message) => {
    expect(messageOf(config)).toBe(message);
    expect(() => planCluster(config as ClusterConfig)).toThrow(message);
  });

  it("says nothing more when no field is close (no wild guesses)", () => {
    expect(messageOf({ podSubnet: "10.244.0.0/16" })).toBe("podSubnet: unknown field");
    expect(messageOf({ x: 1 })).toBe("x: unknown field");
  });

  it("never suggests the derived fields of a resolved config", () => {
    expect(messageOf({ endpoints: "x" })).not.toContain("did you mean endpoint?");
  });
});
