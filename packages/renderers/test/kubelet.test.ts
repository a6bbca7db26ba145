import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { cidrAddress, cidrSize, isKubepkiError, parseCidr, renderKubeletConfig } from "../src/index.js";

describe("renderKubeletConfig", () => {
  it("kubeadm's security settings and defaults (reference §4.3)", () => {
    const text = renderKubeletConfig({
      clientCAFile: "/etc/kubernetes/pki/ca.crt",
      staticPodPath: "/etc/kubernetes/manifests",
    });
    expect(parse(text)).toEqual({
      apiVersion: "kubelet.config.k8s.io/v1beta1",
      kind: "KubeletConfiguration",
      authentication: {
        anonymous: { enabled: false },
        webhook: { enabled: true },
        x509: { clientCAFile: "/etc/kubernetes/pki/ca.crt" },
      },
      authorization: { mode: "Webhook" },
      clusterDomain: "cluster.local",
      clusterDNS: ["10.96.0.10"],
      rotateCertificates: true,
      staticPodPath: "/etc/kubernetes/manifests",
    });
    // go-yaml key order, like /var/lib/kubelet/config.yaml written by kubeadm.
    expect(
      text
        .split("\n")
        .filter((l) => /^[A-Za-z]/.test(l))
        .map((l) => l.split(":")[0]),
    ).toEqual([
      "apiVersion",
      "authentication",
      "authorization",
      "clusterDNS",
      "clusterDomain",
      "kind",
      "rotateCertificates",
      "staticPodPath",
    ]);
  });

  it("clusterDNS is the 10th address of the FIRST service CIDR (IPv4 and IPv6 first)", () => {
    const dns = (serviceSubnets: string | string[]) =>
      parse(renderKubeletConfig({ clientCAFile: "/ca.crt", serviceSubnets })).clusterDNS;
    expect(dns("10.96.0.0/12")).toEqual(["10.96.0.10"]);
    expect(dns("10.32.0.0/24")).toEqual(["10.32.0.10"]);
    expect(dns("10.96.0.0/12,fd00:10:96::/112")).toEqual(["10.96.0.10"]);
    expect(dns(["fd00:10:96::/112", "10.96.0.0/12"])).toEqual(["fd00:10:96::a"]);
    expect(
      parse(renderKubeletConfig({ clientCAFile: "/ca.crt", clusterDNS: ["10.0.0.53", "FD00::35"] })).clusterDNS,
    ).toEqual(["10.0.0.53", "fd00::35"]);
  });

  it("serving certificate: static files or serverTLSBootstrap", () => {
    const files = parse(
      renderKubeletConfig({
        clientCAFile: "/ca.crt",
        tls: { certFile: "/var/lib/kubelet/pki/kubelet.crt", keyFile: "/var/lib/kubelet/pki/kubelet.key" },
      }),
    );
    expect(files.tlsCertFile).toBe("/var/lib/kubelet/pki/kubelet.crt");
    expect(files.tlsPrivateKeyFile).toBe("/var/lib/kubelet/pki/kubelet.key");
    expect(files.serverTLSBootstrap).toBeUndefined();
    const bootstrap = parse(
      renderKubeletConfig({ clientCAFile: "/ca.crt", tls: "serverTLSBootstrap", rotateCertificates: false }),
    );
    expect(bootstrap.serverTLSBootstrap).toBe(true);
    expect(bootstrap.rotateCertificates).toBe(false);
    expect(bootstrap.tlsCertFile).toBeUndefined();
  });

  it("resolvConf, cgroupDriver and extra fields", () => {
    const config = parse(
      renderKubeletConfig({
        clientCAFile: "/ca.crt",
        resolvConf: "/run/systemd/resolve/resolv.conf",
        cgroupDriver: "systemd",
        extra: { runtimeRequestTimeout: "15m" },
      }),
    );
    expect(config).toMatchObject({
      resolvConf: "/run/systemd/resolve/resolv.conf",
      cgroupDriver: "systemd",
      runtimeRequestTimeout: "15m",
    });
  });

  it("validates clusterDomain as a DNS name and the service CIDR", () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return isKubepkiError(error) ? error.code : "other";
      }
      return "none";
    };
    expect(code(() => renderKubeletConfig({ clientCAFile: "/ca.crt", clusterDomain: "cluster..local" }))).toBe(
      "INVALID_DNS_NAME",
    );
    expect(code(() => renderKubeletConfig({ clientCAFile: "/ca.crt", clusterDomain: "Cluster_Local" }))).toBe(
      "INVALID_DNS_NAME",
    );
    expect(code(() => renderKubeletConfig({ clientCAFile: "/ca.crt", serviceSubnets: "10.96.0.0/33" }))).toBe(
      "INVALID_IP",
    );
    expect(code(() => renderKubeletConfig({ clientCAFile: "/ca.crt", serviceSubnets: "10.96.0.0/29" }))).toBe(
      "INVALID_ARGUMENT",
    );
    expect(code(() => renderKubeletConfig({ clientCAFile: "" }))).toBe("INVALID_ARGUMENT");
    // "cluser.local" is a valid DNS name: the typo can only be documented, not detected (§7 item 31).
    expect(code(() => renderKubeletConfig({ clientCAFile: "/ca.crt", clusterDomain: "cluser.local" }))).toBe("none");
  });

  it("the cluser.local typo is called out in the README", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    expect(readme).toContain("cluser.local");
  });
});

describe("CIDR math", () => {
  it("parses and indexes IPv4/IPv6 blocks like Go's net.ParseCIDR + kubeadm GetIndexedIP", () => {
    expect(parseCidr("10.96.5.7/12")).toEqual({ family: 4, network: "10.96.0.0", prefix: 12, text: "10.96.0.0/12" });
    expect(cidrSize(parseCidr("10.96.5.7/12"))).toBe(1n << 20n);
    expect(parseCidr("fd00:10:96::/112").network).toBe("fd00:10:96::");
    expect(cidrAddress("10.96.0.0/12", 1)).toBe("10.96.0.1");
    expect(cidrAddress("10.255.255.0/24", 255)).toBe("10.255.255.255");
    expect(cidrAddress("fd00:10:96::/108", 10)).toBe("fd00:10:96::a");
    expect(cidrAddress("2001:db8::/32", 0)).toBe("2001:db8::");
    expect(cidrAddress("::/0", 1)).toBe("::1");
    expect(cidrAddress("::ffff:10.0.0.0/120", 5)).toBe("::ffff:a00:5");
    for (const bad of [
      "10.96.0.0",
      "10.96.0.0/",
      "10.96.0/12",
      "010.96.0.0/12",
      "fd00:::/64",
      "fd00::/129",
      "1:2:3:4:5:6:7:8:9/64",
    ]) {
      expect(() => parseCidr(bad), bad).toThrowError(expect.objectContaining({ code: "INVALID_IP" }));
    }
    expect(() => cidrAddress("10.0.0.0/30", 4)).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
