/**
 * Every error the renderers throw on bad input is a kubepki error (issue 17: one error class):
 * core's `isKubepkiError` and `instanceof KubepkiError` are true for it, with a known code.
 * The renderers throw core's class itself, from `@kubepki/core/vocabulary` (the one part of core
 * they may import: no crypto, no ASN.1; bundle.test.ts).
 */

import { isKubepkiError, KubepkiError, type KubepkiErrorCode } from "@kubepki/core/vocabulary";
import { describe, expect, it } from "vitest";
import { caught } from "../../core/test/helpers/caught.js";
import type { OpensslCertSpec, RendererErrorCode } from "../src/index.js";
import * as renderers from "../src/index.js";

const SPEC: OpensslCertSpec = {
  id: "apiserver",
  subject: { commonName: "kube-apiserver" },
  sans: [{ type: "dns", value: "kubernetes" }],
  keyUsages: ["digitalSignature", "keyEncipherment"],
  extKeyUsages: ["serverAuth"],
  isCa: false,
  validityDays: 365,
  keyAlgorithm: "ECDSA-P256",
  certPath: "pki/apiserver.crt",
  keyPath: "pki/apiserver.key",
  signer: "ca",
};

describe("renderers: bad input through each public entry is a KubepkiError with a known code", () => {
  const cases: [string, () => unknown, RendererErrorCode][] = [
    ["parseKubeconfig(a list)", () => renderers.parseKubeconfig("- a\n"), "INVALID_KUBECONFIG"],
    ["parseKubeconfig(a scalar)", () => renderers.parseKubeconfig("a b c\n"), "INVALID_KUBECONFIG"],
    ["parseKubeconfig(not YAML)", () => renderers.parseKubeconfig("clusters: ["), "INVALID_KUBECONFIG"],
    [
      "renderKubeconfig(unknown current-context)",
      () => renderers.renderKubeconfig({ clusters: [], users: [], contexts: [], currentContext: "missing" }),
      "INVALID_ARGUMENT",
    ],
    [
      "simpleKubeconfig(empty cluster name)",
      () => renderers.simpleKubeconfig({ clusterName: "" } as never),
      "INVALID_ARGUMENT",
    ],
    ["renderSimpleKubeconfig(no user)", () => renderers.renderSimpleKubeconfig({} as never), "INVALID_ARGUMENT"],
    [
      "renderKubeletConfig(bad cluster domain)",
      () =>
        renderers.renderKubeletConfig({ clientCAFile: "/etc/kubernetes/pki/ca.crt", clusterDomain: "cluster..local" }),
      "INVALID_DNS_NAME",
    ],
    ["apiserverFlags(no paths)", () => renderers.apiserverFlags({ paths: {} } as never), "INVALID_ARGUMENT"],
    [
      "controllerManagerFlags(no paths)",
      () => renderers.controllerManagerFlags({ paths: {} } as never),
      "INVALID_ARGUMENT",
    ],
    ["schedulerFlags(no paths)", () => renderers.schedulerFlags({} as never), "INVALID_ARGUMENT"],
    ["etcdFlags(no paths)", () => renderers.etcdFlags({ paths: {} } as never), "INVALID_ARGUMENT"],
    ["renderStaticPodCommand(no binary)", () => renderers.renderStaticPodCommand("", []), "INVALID_ARGUMENT"],
    [
      "renderOpensslConfig(bad SAN)",
      () => renderers.renderOpensslConfig({ ...SPEC, sans: [{ type: "dns", value: "bad name!" }] }),
      "INVALID_SAN",
    ],
    ["renderOpensslCommands(empty id)", () => renderers.renderOpensslCommands({ ...SPEC, id: "" }), "INVALID_ARGUMENT"],
    ["parseCidr(/33)", () => renderers.parseCidr("10.96.0.0/33"), "INVALID_IP"],
    ["cidrAddress(too small)", () => renderers.cidrAddress("10.96.0.0/30", 10), "INVALID_ARGUMENT"],
    ["canonicalIp(a name)", () => renderers.canonicalIp("kubernetes"), "INVALID_IP"],
    [
      "renderCaSecrets(bad namespace)",
      () => renderers.renderCaSecrets({ namespace: "Kube_System", cas: [] }),
      "INVALID_ARGUMENT",
    ],
  ];
  for (const [name, run, code] of cases) {
    it(name, async () => {
      const error = await caught(run);
      expect(isKubepkiError(error), String(error)).toBe(true);
      expect(error).toBeInstanceOf(KubepkiError);
      expect(isKubepkiError(error, code)).toBe(true);
      expect(renderers.isRendererError(error, code)).toBe(true);
    });
  }

  it("every RendererErrorCode is a KubepkiErrorCode (one vocabulary)", () => {
    const code: RendererErrorCode = "INVALID_KUBECONFIG";
    // A compile-time check (tsc runs on the tests): the assignment fails if a renderers code is missing in core.
    const widened: KubepkiErrorCode = code;
    expect(widened).toBe("INVALID_KUBECONFIG");
  });
});
