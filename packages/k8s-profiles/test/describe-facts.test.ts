/**
 * The rules describeTree infers cluster-wide facts by (service CIDR from the service IP, validity
 * from lifetimes, key algorithm from the leaves), on their own, and a tree in kubeadm's own layout.
 */
import type { Certificate } from "@kubepki/core";
import { renderKubeconfig } from "@kubepki/renderers";
import { describe, expect, it } from "vitest";
import { type ClusterConfig, describeTree, generateCluster, planCluster, toKubeadmFiles } from "../src/index.js";
import { keyAlgorithmFrom, serviceCidrFor, validityFrom } from "../src/lifecycle/describe/facts.js";

const DAY = 86_400_000;

/** Just the fields the rules read. */
function cert(notBefore: number, notAfter: number, keyAlgorithm = "ECDSA-P256"): Certificate {
  return { notBefore: new Date(notBefore), notAfter: new Date(notAfter), keyAlgorithm } as unknown as Certificate;
}

describe("serviceCidrFor: the block whose index 1 is the API server's service IP", () => {
  it.each([
    ["10.96.0.1", "10.96.0.0/12"], // kubeadm's default
    ["10.100.0.1", "10.100.0.0/14"], // the largest block with that network address
    ["10.0.0.1", "10.0.0.0/12"], // capped at kubeadm's 20 host bits
    ["10.96.0.17", "10.96.0.16/28"], // the smallest that still holds cluster DNS (index 10)
    ["fd00:10:96::1", "fd00:10:96::/108"],
    ["10.96.0.2", undefined], // 10.96.0.1 is no network address
    ["10.96.0.9", undefined], // a /29 has no index 10
    ["not an ip", undefined],
  ])("%s → %s", (ip, cidr) => {
    expect(serviceCidrFor(ip)).toBe(cidr);
  });
});

describe("validityFrom", () => {
  const t0 = Date.UTC(2026, 0, 1);
  const backdate = 5 * 60_000;

  it("reads kubepki's (backdated 5 minutes) and openssl's (-days) lifetimes exactly, without notes", () => {
    const ca = cert(t0 - backdate, t0 + 3650 * DAY);
    expect(validityFrom(ca, cert(t0 + 1000 - backdate, t0 + 1000 + 90 * DAY))).toEqual({
      value: { caDays: 3650, leafDays: 90 },
      notes: [],
    });
    expect(validityFrom(cert(t0, t0 + 100 * DAY), cert(t0 + 5000, t0 + 5000 + 30 * DAY))).toEqual({
      value: { caDays: 100, leafDays: 30 },
      notes: [],
    });
  });

  it("a leaf that starts with its CA (kubeadm) says nothing of the period: 365 and a note", () => {
    const ca = cert(t0 - backdate, t0 + 3650 * DAY);
    const leaf = cert(t0 - backdate, t0 + 40 * DAY + 365 * DAY + 3_600_000); // renewed 40 days later
    const { value, notes } = validityFrom(ca, leaf);
    expect(value).toEqual({ caDays: 3650, leafDays: 365 });
    expect(notes).toEqual([expect.stringMatching(/^validity\.leafDays: .*kubeadm's way.*365/)]);
  });

  it("rounds other lifetimes with a note, and keeps the leaf within its CA", () => {
    const { value, notes } = validityFrom(cert(t0, t0 + 10 * DAY + 7_200_000), cert(t0, t0 + 20 * DAY + 7_200_000));
    expect(value).toEqual({ caDays: 10, leafDays: 10 });
    expect(notes).toHaveLength(3);
    expect(validityFrom(undefined, undefined).notes).toHaveLength(2);
  });
});

describe("keyAlgorithmFrom", () => {
  it("takes the most common leaf key and notes a mix", () => {
    const leaves = [cert(0, DAY, "ECDSA-P256"), cert(0, DAY, "ECDSA-P256"), cert(0, DAY, "RSA-2048")];
    const { value, notes } = keyAlgorithmFrom(leaves);
    expect(value).toBe("ECDSA-P256");
    expect(notes).toEqual([expect.stringMatching(/mix.*ECDSA-P256 ×2, RSA-2048 ×1/)]);
    expect(keyAlgorithmFrom([cert(0, DAY, "ECDSA-P384")])).toEqual({ value: "ECDSA-P384", notes: [] });
    expect(keyAlgorithmFrom([cert(0, DAY, "Ed25519")]).value).toBe("RSA-2048");
  });
});

describe("describeTree on kubeadm's own layout (one node's /etc/kubernetes, no nodes/, users/ or flags/)", () => {
  it("finds the node from etcd, the port from the local kubeconfigs, the endpoint from admin.conf", async () => {
    const config: ClusterConfig = {
      keyAlgorithm: "ECDSA-P256",
      controlPlaneEndpoint: "api.kadm.example:6443",
      certSANs: ["10.20.0.100"],
      nodes: [{ name: "kadm-1", role: "control-plane", addresses: ["10.20.0.5"] }],
    };
    const files = new Map<string, string>();
    for (const file of toKubeadmFiles(await generateCluster(config))) {
      if (/^(nodes|users|flags)\/|^kubepki\.yaml$/.test(file.path)) continue;
      files.set(file.path, file.contents);
    }
    // After TLS bootstrap kubeadm's kubelet.conf names no node: it points at the rotated pair.
    files.set(
      "kubelet.conf",
      renderKubeconfig({
        clusters: [
          {
            name: "kubernetes",
            server: "https://10.20.0.5:6443",
            certificateAuthority: { pem: files.get("pki/ca.crt") as string },
          },
        ],
        users: [
          {
            name: "default-auth",
            clientCertificate: { path: "/var/lib/kubelet/pki/kubelet-client-current.pem" },
            clientKey: { path: "/var/lib/kubelet/pki/kubelet-client-current.pem" },
          },
        ],
        contexts: [{ name: "default-auth@kubernetes", cluster: "kubernetes", user: "default-auth" }],
        currentContext: "default-auth@kubernetes",
      }),
    );
    const described = describeTree(files);
    expect(described.config.nodes).toEqual(config.nodes);
    expect(described.config.controlPlaneEndpoint).toBe("api.kadm.example:6443");
    expect(described.config.certSANs).toEqual(["10.20.0.100"]);
    expect(described.notes).toContainEqual(expect.stringMatching(/^nodes: the tree has no nodes\/<name>\/ folders/));
    const certificates = (c: ClusterConfig) => planCluster(c).certificates.map((spec) => JSON.stringify(spec));
    expect(certificates(described.config)).toEqual(certificates(config));
  });
});
