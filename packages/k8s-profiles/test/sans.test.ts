import { describe, expect, it } from "vitest";
import { apiserverSans, type ClusterConfig, etcdSans, kubeletServingSans, resolveClusterConfig } from "../src/index.js";
import { classifySans } from "../src/plan/sans.js";

const values = (config: ClusterConfig, node: string) =>
  apiserverSans(resolveClusterConfig(config), node).sans.map((san) => `${san.type}:${san.value}`);

const cp = (name: string, ...addresses: string[]) => ({ name, role: "control-plane" as const, addresses });

const SERVICE_NAMES = [
  "dns:kubernetes",
  "dns:kubernetes.default",
  "dns:kubernetes.default.svc",
  "dns:kubernetes.default.svc.cluster.local",
];

describe("apiserverSans (kubeadm-pki.md §2.1)", () => {
  it("reproduces the worked example of §2.1 exactly", () => {
    const config = resolveClusterConfig({
      nodes: [cp("cp-1", "192.168.10.11")],
      serviceSubnets: ["10.96.0.0/12", "fd00:10:96::/112"],
      controlPlaneEndpoint: "k8s-api.example.com:6443",
      certSANs: ["127.0.0.1", "k8s.internal", "*.apps.example.com", "bad_name"],
    });
    const { sans, warnings } = apiserverSans(config, "cp-1");
    expect(sans).toEqual([
      { type: "dns", value: "*.apps.example.com" },
      { type: "dns", value: "cp-1" },
      { type: "dns", value: "k8s-api.example.com" },
      { type: "dns", value: "k8s.internal" },
      { type: "dns", value: "kubernetes" },
      { type: "dns", value: "kubernetes.default" },
      { type: "dns", value: "kubernetes.default.svc" },
      { type: "dns", value: "kubernetes.default.svc.cluster.local" },
      { type: "ip", value: "10.96.0.1" },
      { type: "ip", value: "192.168.10.11" },
      { type: "ip", value: "127.0.0.1" },
    ]);
    // fd00:10:96::1 absent; bad_name skipped and warned.
    expect(warnings).toEqual([expect.objectContaining({ code: "SAN_SKIPPED", field: "certSANs[3]" })]);
    expect(warnings[0]?.message).toContain("bad_name");
  });

  it("dual-stack: only the first CIDR's .1 by default, both with dualStackApiserverSan", () => {
    const base = { nodes: [cp("cp-1", "192.168.10.11")], serviceSubnets: ["10.96.0.0/16", "fd00:10:96::/108"] };
    expect(values(base, "cp-1").filter((v) => v.startsWith("ip:"))).toEqual(["ip:10.96.0.1", "ip:192.168.10.11"]);
    expect(values({ ...base, dualStackApiserverSan: true }, "cp-1").filter((v) => v.startsWith("ip:"))).toEqual([
      "ip:10.96.0.1",
      "ip:fd00:10:96::1",
      "ip:192.168.10.11",
    ]);
    // IPv6-primary: the first CIDR decides.
    const v6first = { ...base, serviceSubnets: ["fd00:10:96::/112", "10.96.0.0/12"] };
    expect(values(v6first, "cp-1").filter((v) => v.startsWith("ip:"))).toEqual([
      "ip:fd00:10:96::1",
      "ip:192.168.10.11",
    ]);
    // The option has nothing to add with a single CIDR.
    expect(values({ nodes: base.nodes, dualStackApiserverSan: true }, "cp-1")).toEqual(
      values({ nodes: base.nodes }, "cp-1"),
    );
  });

  it("IPv6 control-plane endpoint [fd00::1]:6443 becomes an IP SAN, port stripped", () => {
    expect(values({ nodes: [cp("cp-1", "fd00::11")], controlPlaneEndpoint: "[fd00::1]:6443" }, "cp-1")).toEqual([
      "dns:cp-1",
      ...SERVICE_NAMES,
      "ip:10.96.0.1",
      "ip:fd00::11",
      "ip:fd00::1",
    ]);
  });

  it("endpoint as IP vs as DNS name", () => {
    expect(values({ nodes: [cp("cp-1", "10.0.0.11")], controlPlaneEndpoint: "10.0.0.100:6443" }, "cp-1")).toEqual([
      "dns:cp-1",
      ...SERVICE_NAMES,
      "ip:10.96.0.1",
      "ip:10.0.0.11",
      "ip:10.0.0.100",
    ]);
    expect(values({ nodes: [cp("cp-1", "10.0.0.11")], controlPlaneEndpoint: "api.example.com" }, "cp-1")).toEqual([
      "dns:api.example.com",
      "dns:cp-1",
      ...SERVICE_NAMES,
      "ip:10.96.0.1",
      "ip:10.0.0.11",
    ]);
  });

  it("custom DNS domain: kubernetes.default.svc.<dnsDomain>, nothing for cluster.local", () => {
    const sans = values({ nodes: [cp("cp-1", "10.0.0.11")], dnsDomain: "corp.example" }, "cp-1");
    expect(sans).toContain("dns:kubernetes.default.svc.corp.example");
    expect(sans).not.toContain("dns:kubernetes.default.svc.cluster.local");
  });

  it.each([
    ["10.96.0.0/12", "10.96.0.1"],
    ["172.16.0.0/16", "172.16.0.1"],
    ["10.32.0.0/24", "10.32.0.1"],
    ["fd00:10:96::/108", "fd00:10:96::1"],
    ["fd00:10:96::/112", "fd00:10:96::1"],
  ])("service CIDR %s → API ClusterIP %s", (cidr, ip) => {
    const ips = values({ nodes: [cp("cp-1", "10.0.0.11")], serviceSubnets: [cidr] }, "cp-1").filter((v) =>
      v.startsWith("ip:"),
    );
    expect(ips[0]).toBe(`ip:${ip}`);
  });

  it("de-duplicates: node name equal to the endpoint host, certSANs repeating IPs in other spellings", () => {
    const config = resolveClusterConfig({
      nodes: [cp("cp-1", "fd00::11")],
      controlPlaneEndpoint: "cp-1:6443",
      certSANs: ["FD00:0::11", "10.96.0.1", "cp-1", "kubernetes"],
    });
    const { sans, warnings } = apiserverSans(config, "cp-1");
    expect(sans.map((san) => san.value)).toEqual([
      "cp-1",
      "kubernetes",
      "kubernetes.default",
      "kubernetes.default.svc",
      "kubernetes.default.svc.cluster.local",
      "10.96.0.1",
      "fd00::11",
    ]);
    expect(warnings).toEqual([]);
  });

  it("decision: IP-looking text that is not a strict IP (010.96.0.1, [fd00::1], 1.2.3) is skipped with a warning", () => {
    const config = resolveClusterConfig({
      nodes: [cp("cp-1", "10.0.0.11")],
      certSANs: ["010.96.0.1", "[fd00::1]", "1.2.3", "Upper.Example.com", "*.com", "ok.example.com"],
    });
    const { sans, warnings } = apiserverSans(config, "cp-1");
    expect(sans.filter((san) => san.type === "ip").map((san) => san.value)).toEqual(["10.96.0.1", "10.0.0.11"]);
    expect(sans.map((san) => san.value)).toContain("ok.example.com");
    expect(warnings.map((warning) => warning.field)).toEqual([
      "certSANs[0]",
      "certSANs[1]",
      "certSANs[2]",
      "certSANs[3]",
      "certSANs[4]",
    ]);
  });

  it("never adds localhost or loopback on its own (§2.1 'Not added by kubeadm')", () => {
    const sans = values({}, "control-plane-1");
    expect(sans).not.toContain("dns:localhost");
    expect(sans).not.toContain("ip:127.0.0.1");
  });

  it("each control-plane node gets its own name and advertise address, not the others'", () => {
    const config = { nodes: [cp("cp-1", "10.0.0.11"), cp("cp-2", "10.0.0.12")] };
    expect(values(config, "cp-2")).toContain("dns:cp-2");
    expect(values(config, "cp-2")).not.toContain("dns:cp-1");
    expect(values(config, "cp-2")).toContain("ip:10.0.0.12");
    expect(values(config, "cp-2")).not.toContain("ip:10.0.0.11");
  });
});

describe("etcdSans (kubeadm-pki.md §2.2)", () => {
  it("server: node name, localhost, advertise address, both loopbacks, + serverCertSANs", () => {
    const config = resolveClusterConfig({
      nodes: [cp("cp-1", "fd00::11")],
      etcd: {
        type: "local",
        serverCertSANs: ["etcd.example.com", "10.0.0.99", "bad name"],
        peerCertSANs: ["peer.example.com"],
      },
    });
    const server = etcdSans(config, "cp-1");
    expect(server.sans.map((san) => `${san.type}:${san.value}`)).toEqual([
      "dns:cp-1",
      "dns:etcd.example.com",
      "dns:localhost",
      "ip:fd00::11",
      "ip:127.0.0.1",
      "ip:::1",
      "ip:10.0.0.99",
    ]);
    expect(server.warnings).toEqual([expect.objectContaining({ field: "etcd.serverCertSANs[2]" })]);
    const peer = etcdSans(config, "cp-1", "peer");
    expect(peer.sans.map((san) => san.value)).toEqual([
      "cp-1",
      "localhost",
      "peer.example.com",
      "fd00::11",
      "127.0.0.1",
      "::1",
    ]);
    expect(peer.warnings).toEqual([]);
  });
});

describe("kubeletServingSans (kubeadm-pki.md §4.2)", () => {
  it("node name as DNS, every address as IP", () => {
    const config = resolveClusterConfig({
      nodes: [cp("cp-1", "10.0.0.11"), { name: "w-1", role: "worker", addresses: ["10.0.0.21", "FD00::21"] }],
    });
    expect(kubeletServingSans(config, "w-1").sans).toEqual([
      { type: "dns", value: "w-1" },
      { type: "ip", value: "10.0.0.21" },
      { type: "ip", value: "fd00::21" },
    ]);
  });
});

describe("classifySans", () => {
  it("IP first, then DNS, then wildcard; canonical IPs", () => {
    const result = classifySans(["FD00::1", "a.example", "*.b.example", "x_y"], "certSANs");
    expect(result.ips).toEqual(["fd00::1"]);
    expect(result.dns).toEqual(["a.example", "*.b.example"]);
    expect(result.warnings.map((warning) => warning.field)).toEqual(["certSANs[3]"]);
  });
});

describe("per-node SAN functions need a node", () => {
  it("a missing or unknown node is a KubepkiError naming the field, not a TypeError", async () => {
    const { KubepkiError } = await import("@kubepki/core");
    const config = resolveClusterConfig({});
    for (const call of [
      () => apiserverSans(config, undefined as unknown as string),
      () => apiserverSans(config, "no-such-node"),
      () => etcdSans(config, null as unknown as string, "server"),
    ]) {
      let error: unknown;
      try {
        call();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(KubepkiError);
      expect((error as InstanceType<typeof KubepkiError>).details?.field).toBe("node");
    }
  });
});
