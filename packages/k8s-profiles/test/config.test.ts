import { KubepkiError } from "@kubepki/core";
import { describe, expect, it } from "vitest";
import { type ClusterConfig, resolveClusterConfig } from "../src/index.js";

const cp = (name: string, ...addresses: string[]) => ({ name, role: "control-plane" as const, addresses });
const worker = (name: string, ...addresses: string[]) => ({ name, role: "worker" as const, addresses });

function failure(config: unknown): KubepkiError {
  try {
    resolveClusterConfig(config as ClusterConfig);
  } catch (error) {
    expect(error).toBeInstanceOf(KubepkiError);
    return error as KubepkiError;
  }
  throw new Error("expected resolveClusterConfig to throw");
}

describe("resolveClusterConfig defaults (kubeadm v1beta4 defaults.go)", () => {
  it("fills every field", () => {
    const config = resolveClusterConfig();
    expect(config).toMatchObject({
      clusterName: "kubernetes",
      controlPlaneEndpoint: undefined,
      serviceSubnets: ["10.96.0.0/12"],
      dnsDomain: "cluster.local",
      nodes: [
        { name: "control-plane-1", role: "control-plane", addresses: ["10.0.0.10"], advertiseAddress: "10.0.0.10" },
      ],
      certSANs: [],
      etcd: { type: "local", serverCertSANs: [], peerCertSANs: [] },
      keyAlgorithm: "RSA-2048",
      validity: { caDays: 3650, leafDays: 365 },
      kubeProxy: "service-account",
      bindPort: 6443,
      keyEncipherment: true,
      dualStackApiserverSan: false,
      endpoint: undefined,
    });
  });

  it("is idempotent and canonicalises addresses, CIDRs and the endpoint", () => {
    const once = resolveClusterConfig({
      nodes: [cp("cp-1", "FD00:0::11", "10.0.0.11")],
      serviceSubnets: "fd00:10:96:0::/112, 10.96.0.0/12",
      controlPlaneEndpoint: "[FD00::1]:6443",
    });
    expect(once.nodes[0]?.addresses).toEqual(["fd00::11", "10.0.0.11"]);
    expect(once.serviceSubnets).toEqual(["fd00:10:96::/112", "10.96.0.0/12"]);
    expect(once.controlPlaneEndpoint).toBe("[fd00::1]:6443");
    expect(once.endpoint).toEqual({ host: "fd00::1", hostType: "ip", port: 6443, portGiven: true });
    expect(resolveClusterConfig(once)).toEqual(once);
  });

  it("accepts endpoint forms: host, host:port, bare IPv6, [IPv6]", () => {
    expect(resolveClusterConfig({ controlPlaneEndpoint: "api.example.com" }).endpoint).toEqual({
      host: "api.example.com",
      hostType: "dns",
      port: 6443,
      portGiven: false,
    });
    expect(resolveClusterConfig({ controlPlaneEndpoint: "fd00::1" }).endpoint?.host).toBe("fd00::1");
    expect(resolveClusterConfig({ controlPlaneEndpoint: "[fd00::1]" }).endpoint?.portGiven).toBe(false);
    expect(resolveClusterConfig({ controlPlaneEndpoint: "10.0.0.100:443" }).endpoint).toMatchObject({
      hostType: "ip",
      port: 443,
    });
  });

  it("a service CIDR with host bits set is its network, as kubeadm reads it (net.ParseCIDR masks)", () => {
    // kubeadm's ValidateIPNetFromString accepts 10.96.0.5/12 and uses the masked network 10.96.0.0/12.
    const resolved = resolveClusterConfig({ serviceSubnets: ["10.96.0.5/12", "fd00:10:96::5/112"] });
    expect(resolved.serviceSubnets).toEqual(["10.96.0.0/12", "fd00:10:96::/112"]);
  });

  it("service CIDR size limits: /12 and /28 (IPv4), /108 and /124 (IPv6) are the extremes", () => {
    for (const cidr of ["10.96.0.0/12", "10.96.0.0/28", "fd00::/108", "fd00::/124"]) {
      expect(resolveClusterConfig({ serviceSubnets: [cidr] }).serviceSubnets).toEqual([cidr]);
    }
  });
});

describe("resolveClusterConfig refuses invalid input, naming the field", () => {
  const cases: [string, unknown, KubepkiError["code"], string][] = [
    ["bad CIDR text", { serviceSubnets: ["10.96.0.0"] }, "INVALID_IP", "serviceSubnets[0]"],
    ["bad CIDR prefix", { serviceSubnets: ["10.96.0.0/33"] }, "INVALID_IP", "serviceSubnets[0]"],
    ["CIDR with leading zeros", { serviceSubnets: ["010.96.0.0/12"] }, "INVALID_IP", "serviceSubnets[0]"],
    [
      "IPv4 service CIDR too small for .10 (/29)",
      { serviceSubnets: ["10.96.0.0/29"] },
      "INVALID_ARGUMENT",
      "serviceSubnets[0]",
    ],
    [
      "IPv6 service CIDR too small (/125)",
      { serviceSubnets: ["10.96.0.0/12", "fd00::/125"] },
      "INVALID_ARGUMENT",
      "serviceSubnets[1]",
    ],
    ["IPv4 service CIDR too large (/11)", { serviceSubnets: ["10.0.0.0/11"] }, "INVALID_ARGUMENT", "serviceSubnets[0]"],
    ["IPv6 service CIDR too large (/107)", { serviceSubnets: ["fd00::/107"] }, "INVALID_ARGUMENT", "serviceSubnets[0]"],
    [
      "two CIDRs of the same family",
      { serviceSubnets: ["10.96.0.0/12", "172.16.0.0/16"] },
      "INVALID_ARGUMENT",
      "serviceSubnets[1]",
    ],
    [
      "three CIDRs",
      { serviceSubnets: ["10.96.0.0/12", "fd00::/112", "172.16.0.0/16"] },
      "INVALID_ARGUMENT",
      "serviceSubnets",
    ],
    [
      "bad node address",
      { nodes: [cp("cp-1", "10.0.0.11"), worker("w-1", "10.0.0.300")] },
      "INVALID_IP",
      "nodes[1].addresses[0]",
    ],
    ["node address with leading zeros", { nodes: [cp("cp-1", "10.0.0.011")] }, "INVALID_IP", "nodes[0].addresses[0]"],
    ["node without addresses", { nodes: [cp("cp-1")] }, "INVALID_ARGUMENT", "nodes[0].addresses"],
    [
      "address shared by two nodes",
      { nodes: [cp("cp-1", "10.0.0.11"), worker("w-1", "10.0.0.21", "10.0.0.11")] },
      "INVALID_ARGUMENT",
      "nodes[1].addresses[1]",
    ],
    ["uppercase in a node name", { nodes: [cp("CP-1", "10.0.0.11")] }, "INVALID_DNS_NAME", "nodes[0].name"],
    ["underscore in a node name", { nodes: [cp("cp_1", "10.0.0.11")] }, "INVALID_DNS_NAME", "nodes[0].name"],
    [
      "duplicate node names",
      { nodes: [cp("cp-1", "10.0.0.11"), cp("cp-1", "10.0.0.12")] },
      "INVALID_ARGUMENT",
      "nodes[1].name",
    ],
    [
      "a worker named like a control-plane node",
      { nodes: [cp("cp-1", "10.0.0.11"), worker("cp-1", "10.0.0.21")] },
      "INVALID_ARGUMENT",
      "nodes[1].name",
    ],
    ["no control-plane node", { nodes: [worker("w-1", "10.0.0.21")] }, "INVALID_ARGUMENT", "nodes"],
    [
      "unknown node role",
      { nodes: [{ name: "cp-1", role: "master", addresses: ["10.0.0.11"] }] },
      "INVALID_ARGUMENT",
      "nodes[0].role",
    ],
    ["unknown keyAlgorithm", { keyAlgorithm: "Ed25519" }, "INVALID_ARGUMENT", "keyAlgorithm"],
    ["unknown keyAlgorithm spelling", { keyAlgorithm: "rsa-2048" }, "INVALID_ARGUMENT", "keyAlgorithm"],
    ["keyEncipherment off with RSA", { keyEncipherment: false }, "INVALID_ARGUMENT", "keyEncipherment"],
    [
      "endpoint with a scheme",
      { controlPlaneEndpoint: "https://api.example.com:6443" },
      "INVALID_ARGUMENT",
      "controlPlaneEndpoint",
    ],
    [
      "endpoint with a bad port",
      { controlPlaneEndpoint: "api.example.com:http" },
      "INVALID_ARGUMENT",
      "controlPlaneEndpoint",
    ],
    [
      "endpoint port out of range",
      { controlPlaneEndpoint: "api.example.com:65536" },
      "INVALID_ARGUMENT",
      "controlPlaneEndpoint",
    ],
    ["endpoint port 0", { controlPlaneEndpoint: "api.example.com:0" }, "INVALID_ARGUMENT", "controlPlaneEndpoint"],
    [
      "endpoint with an invalid host",
      { controlPlaneEndpoint: "api_server:6443" },
      "INVALID_DNS_NAME",
      "controlPlaneEndpoint",
    ],
    ["endpoint with a bad IPv4", { controlPlaneEndpoint: "10.0.0.256:6443" }, "INVALID_IP", "controlPlaneEndpoint"],
    [
      "endpoint with a bad bracketed IPv6",
      { controlPlaneEndpoint: "[fd00::g]:6443" },
      "INVALID_IP",
      "controlPlaneEndpoint",
    ],
    [
      "endpoint IPv4 in brackets",
      { controlPlaneEndpoint: "[10.0.0.1]:6443" },
      "INVALID_ARGUMENT",
      "controlPlaneEndpoint",
    ],
    ["bindPort out of range", { bindPort: 70000 }, "INVALID_ARGUMENT", "bindPort"],
    ["bindPort not an integer", { bindPort: 64.43 }, "INVALID_ARGUMENT", "bindPort"],
    ["dnsDomain invalid", { dnsDomain: "Cluster.Local" }, "INVALID_DNS_NAME", "dnsDomain"],
    ["leaf outliving its CA", { validity: { caDays: 30, leafDays: 365 } }, "INVALID_ARGUMENT", "validity.leafDays"],
    ["zero CA days", { validity: { caDays: 0 } }, "INVALID_ARGUMENT", "validity.caDays"],
    ["unknown top-level field (typo)", { serviceSubnet: "10.96.0.0/12" }, "INVALID_ARGUMENT", "serviceSubnet"],
    ["unknown etcd type", { etcd: { type: "remote" } }, "INVALID_ARGUMENT", "etcd.type"],
    [
      "external etcd without endpoints",
      { etcd: { type: "external", endpoints: [] } },
      "INVALID_ARGUMENT",
      "etcd.endpoints",
    ],
    [
      "external etcd endpoint not a URL",
      { etcd: { type: "external", endpoints: ["etcd:2379"] } },
      "INVALID_ARGUMENT",
      "etcd.endpoints[0]",
    ],
    [
      "external etcd CA not a string",
      { etcd: { type: "external", endpoints: ["https://e:2379"], caCertPem: 1 } },
      "INVALID_ARGUMENT",
      "etcd.caCertPem",
    ],
    ["certSANs not strings", { certSANs: ["a", 1] }, "INVALID_ARGUMENT", "certSANs[1]"],
    ["kubeProxy unknown", { kubeProxy: "token" }, "INVALID_ARGUMENT", "kubeProxy"],
  ];

  it.each(cases)("%s", (_name, config, code, field) => {
    const error = failure(config);
    expect(error.code).toBe(code);
    expect(error.details).toMatchObject({ field });
    expect(error.message).toContain(field);
  });
});
