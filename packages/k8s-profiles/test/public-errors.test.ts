/**
 * Every error k8s-profiles throws on bad input is a KubepkiError with a known code (issue 17: one
 * error class), and its `parseCidr` is core's, the one the renderers export too.
 */
import * as core from "@kubepki/core";
import { isKubepkiError, KubepkiError, type KubepkiErrorCode } from "@kubepki/core";
import * as renderers from "@kubepki/renderers";
import { describe, expect, it } from "vitest";
import { caught } from "../../core/test/helpers/caught.js";
import { archiveFiles } from "../src/archive-entry.js";
import * as profiles from "../src/index.js";

describe("k8s-profiles: bad input through each public entry is a KubepkiError with a known code", () => {
  const cases: [string, () => unknown, KubepkiErrorCode][] = [
    ["resolveClusterConfig(bad CIDR)", () => profiles.resolveClusterConfig({ serviceSubnets: ["nope"] }), "INVALID_IP"],
    ["resolveClusterConfig(null)", () => profiles.resolveClusterConfig(null as never), "INVALID_ARGUMENT"],
    ["planCluster(bad DNS domain)", () => profiles.planCluster({ dnsDomain: "a..b" }), "INVALID_DNS_NAME"],
    [
      "generateCluster(unknown key algorithm)",
      () => profiles.generateCluster({ keyAlgorithm: "DSA" as never }),
      "INVALID_ARGUMENT",
    ],
    [
      "generateCluster(rootCa not an object)",
      () => profiles.generateCluster({}, { rootCa: "root.crt" as never }),
      "INVALID_ARGUMENT",
    ],
    [
      "generateCluster(rootCa not PEM)",
      () => profiles.generateCluster({}, { rootCa: { certificatePem: "nope", privateKeyPem: "nope" } }),
      "INVALID_PEM",
    ],
    ["auditCluster(not a file map)", () => profiles.auditCluster(null as never), "INVALID_ARGUMENT"],
    ["auditCluster(rootCa not PEM)", () => profiles.auditCluster({}, { rootCa: "nope" }), "INVALID_PEM"],
    ["checkExpiration(not a file map)", () => profiles.checkExpiration(null as never), "INVALID_ARGUMENT"],
    ["renewCertificates(not a file map)", () => profiles.renewCertificates(null as never), "INVALID_ARGUMENT"],
    ["diffCluster(not a file map)", () => profiles.diffCluster({}, null as never), "INVALID_ARGUMENT"],
    ["diffCluster(no CA in the tree)", () => profiles.diffCluster({}, {}), "NOT_A_TREE"],
    ["applyCluster(bad validityDays)", () => profiles.applyCluster({}, {}, { validityDays: -1 }), "INVALID_ARGUMENT"],
    ["rotationStatus(not a file map)", () => profiles.rotationStatus(null as never), "INVALID_ARGUMENT"],
    [
      "rotateCas(not a file map)",
      () => profiles.rotateCas(null as never, { targets: "all", phase: "begin" }),
      "INVALID_ARGUMENT",
    ],
    [
      "rotateCas(reissue before begin)",
      () => profiles.rotateCas({}, { targets: ["ca"], phase: "reissue" }),
      "ROTATION_OUT_OF_ORDER",
    ],
    ["generateCsrs(no CAs)", () => profiles.generateCsrs({}, {} as never), "INVALID_ARGUMENT"],
    ["generateCsrs(no options)", () => profiles.generateCsrs({}, null as never), "INVALID_ARGUMENT"],
    ["toCsrFiles(not a CSR set)", () => profiles.toCsrFiles(null as never), "INVALID_ARGUMENT"],
    ["signingList(not a CSR set)", () => profiles.signingList({} as never), "INVALID_ARGUMENT"],
    ["finishCsrs(not a file map)", () => profiles.finishCsrs(null as never), "INVALID_ARGUMENT"],
    ["finishCsrs(no kubepki.yaml)", () => profiles.finishCsrs({}), "NOT_A_TREE"],
    [
      "archiveFiles(path with ..)",
      () => archiveFiles([{ path: "../x", contents: "", mode: 0o644 }], "zip"),
      "INVALID_ARCHIVE_ENTRY",
    ],
    ["toKubeadmFiles(not a generated PKI)", () => profiles.toKubeadmFiles(null as never), "INVALID_ARGUMENT"],
    ["certificateName(unknown role)", () => profiles.certificateName("nope" as never, "pki/x.crt"), "INVALID_ARGUMENT"],
    ["parseCidr(/33)", () => profiles.parseCidr("10.96.0.0/33"), "INVALID_IP"],
    [
      "cidrAddress(block too small)",
      () => profiles.cidrAddress(profiles.parseCidr("10.96.0.0/30"), 10),
      "INVALID_ARGUMENT",
    ],
    ["findNode(unknown node)", () => profiles.findNode(profiles.resolveClusterConfig({}), "nope"), "INVALID_ARGUMENT"],
  ];
  for (const [name, run, code] of cases) {
    it(name, async () => {
      const error = await caught(run);
      expect(isKubepkiError(error, code), String(error)).toBe(true);
      expect(error).toBeInstanceOf(KubepkiError);
    });
  }

  it("a renderers error that crosses k8s-profiles is a KubepkiError too", () => {
    // k8s-profiles hands kubeconfig text to the renderers' parser; its error needs no wrapping.
    const error = (() => {
      try {
        renderers.parseKubeconfig("- not\n- a mapping\n");
      } catch (e) {
        return e;
      }
    })();
    expect(isKubepkiError(error, "INVALID_KUBECONFIG")).toBe(true);
    expect(error instanceof KubepkiError).toBe(true);
  });
});

describe("one parseCidr for every package (kubeadm: net.ParseCIDR masks the host bits)", () => {
  it("k8s-profiles and the renderers hand out core's functions themselves", () => {
    const shared = (from: typeof renderers | typeof profiles) => [from.parseCidr, from.cidrAddress, from.cidrSize];
    expect(shared(renderers)).toEqual([core.parseCidr, core.cidrAddress, core.cidrSize]);
    expect(shared(profiles)).toEqual([core.parseCidr, core.cidrAddress, core.cidrSize]);
    for (const [a, b] of [
      [renderers.parseCidr, core.parseCidr],
      [profiles.parseCidr, core.parseCidr],
      [renderers.canonicalIp, core.canonicalIp],
      [renderers.isIp, core.isIp],
      [renderers.ipFamily, core.ipFamily],
      [profiles.lastUsableIndex, core.lastUsableIndex],
    ] as const) {
      expect(a).toBe(b);
    }
  });

  const cases: [string, string | "INVALID_IP"][] = [
    ["10.96.0.0/12", "10.96.0.0/12"],
    ["10.96.0.5/12", "10.96.0.0/12"], // host bits set: kubeadm's ValidateIPNetFromString accepts it as 10.96.0.0/12
    ["10.96.255.255/16", "10.96.0.0/16"],
    ["192.168.1.77/0", "0.0.0.0/0"],
    ["192.168.1.77/32", "192.168.1.77/32"],
    ["FD00:10:96:0::/112", "fd00:10:96::/112"],
    ["fd00:10:96::5/112", "fd00:10:96::/112"],
    ["fd00::1/64", "fd00::/64"],
    ["::ffff:10.96.0.5/104", "::ffff:a00:0/104"],
    ["10.96.0.0/33", "INVALID_IP"],
    ["10.96.0.0", "INVALID_IP"],
    ["010.96.0.0/12", "INVALID_IP"],
    ["10.96.0.0/012", "INVALID_IP"],
    ["10.96.0.0/-1", "INVALID_IP"],
    ["fd00::/129", "INVALID_IP"],
    ["[fd00::]/64", "INVALID_IP"],
    ["kubernetes/12", "INVALID_IP"],
    ["", "INVALID_IP"],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${expected}`, () => {
      const read = (() => {
        try {
          return profiles.parseCidr(text).text;
        } catch (error) {
          expect(isKubepkiError(error, "INVALID_IP"), String(error)).toBe(true);
          return "INVALID_IP";
        }
      })();
      expect(read).toBe(expected);
    });
  }

  it("10.96.0.5/12 is the block 10.96.0.0/12, so the apiserver VIP is 10.96.0.1 as kubeadm's", () => {
    expect(profiles.cidrAddress(profiles.parseCidr("10.96.0.5/12"), 1)).toBe("10.96.0.1");
    expect(renderers.cidrAddress("10.96.0.5/12", 1)).toBe("10.96.0.1");
    const plan = profiles.planCluster({ serviceSubnets: ["10.96.0.5/12"] });
    expect(plan.certificates.find((cert) => cert.role === "apiserver")?.sans).toContainEqual({
      type: "ip",
      value: "10.96.0.1",
    });
  });
});
