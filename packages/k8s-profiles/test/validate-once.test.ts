/**
 * Validate at the edge, trust inside (issue 17): what resolveClusterConfig, planCluster and
 * generateCluster made is marked and taken as it is by the layer below; anything else (a copy, an
 * edited plan) is checked once, before any key. CertSpec is a union in which a CA is self-signed
 * and a leaf names its CA role.
 */
import * as core from "@kubepki/core/issue";
import { describe, expect, it, vi } from "vitest";
import {
  type CertSpec,
  type ClusterConfig,
  generateCluster,
  planCluster,
  ROLE_PROFILES,
  resolveClusterConfig,
  toKubeadmFiles,
} from "../src/index.js";
import { countingCrypto } from "./helpers/tree.js";

// Counting wrappers around core's validating entry points and the plan path, as generate sees them.
vi.mock("@kubepki/core/issue", async (importOriginal) => {
  const real = await importOriginal<typeof import("@kubepki/core/issue")>();
  return {
    ...real,
    normalizeName: vi.fn(real.normalizeName),
    normalizeSubjectAltNames: vi.fn(real.normalizeSubjectAltNames),
    issueCertificate: vi.fn(real.issueCertificate),
    createSelfSignedCa: vi.fn(real.createSelfSignedCa),
    issuePlannedCertificate: vi.fn(real.issuePlannedCertificate),
    prepareIssuer: vi.fn(real.prepareIssuer),
  };
});

const config: ClusterConfig = {
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11", "fd00::11"] },
    { name: "w-1", role: "worker", addresses: ["192.168.10.21"] },
  ],
  certSANs: ["10.0.0.100"],
  keyAlgorithm: "ECDSA-P256",
};

describe("validated once, where the data enters", () => {
  it("a resolved config is resolved once: resolving or planning it again takes it as it is", () => {
    const resolved = resolveClusterConfig(config);
    expect(resolveClusterConfig(resolved)).toBe(resolved);
    expect(planCluster(resolved).config).toBe(resolved);
    // A copy is not the validated object: it is resolved (and checked) again, to an equal value.
    const copy = { ...resolved };
    expect(resolveClusterConfig(copy)).not.toBe(copy);
    expect(resolveClusterConfig(copy)).toEqual(resolved);
    expect(() => resolveClusterConfig({ ...resolved, bindPort: 0 })).toThrow(/bindPort/);
    // The mark is not enumerable: equality, JSON and printed plans do not see it.
    expect(Object.keys(resolved)).not.toContain("validatedBy");
    expect(JSON.parse(JSON.stringify(resolved))).toEqual(JSON.parse(JSON.stringify(copy)));
  });

  it("generateCluster issues a planCluster plan through the plan path: no subject, SAN or usage is checked again", async () => {
    const plan = planCluster(config);
    vi.clearAllMocks();
    const pki = await generateCluster(plan);
    expect(core.normalizeSubjectAltNames).not.toHaveBeenCalled();
    expect(core.normalizeName).not.toHaveBeenCalled();
    expect(core.issueCertificate).not.toHaveBeenCalled();
    expect(core.createSelfSignedCa).not.toHaveBeenCalled();
    expect(core.issuePlannedCertificate).toHaveBeenCalledTimes(plan.certificates.length);
    // One prepared issuer per CA, whatever the number of leaves.
    expect(core.prepareIssuer).toHaveBeenCalledTimes(plan.certificates.filter((spec) => spec.isCa).length);
    expect(pki.certificates.map((entry) => entry.spec)).toEqual(plan.certificates);
    // What it generated is marked in turn: toKubeadmFiles indexes it without checking it again.
    expect(toKubeadmFiles(pki).length).toBeGreaterThan(pki.certificates.length);
  });

  it("a plan that is not planCluster's own (a copy, an edit) is checked once, before any key", async () => {
    const plan = planCluster(config);
    vi.clearAllMocks();
    const { crypto, stats } = countingCrypto();
    await generateCluster({ ...plan }, { crypto });
    // Every spec's subject and SANs normalised once, up front, and nothing again per certificate.
    expect(core.normalizeSubjectAltNames).toHaveBeenCalledTimes(plan.certificates.length);
    expect(core.issuePlannedCertificate).toHaveBeenCalledTimes(plan.certificates.length);

    const [first, ...others] = plan.certificates as [CertSpec, ...CertSpec[]];
    const apiserver = others.findIndex((spec) => spec.role === "apiserver") + 1;
    const edited = plan.certificates.map((spec, index) =>
      index === apiserver ? { ...spec, sans: [...spec.sans, { type: "ip" as const, value: "10.0.0.300" }] } : spec,
    );
    stats.calls = 0;
    const error = await generateCluster({ ...plan, certificates: edited }, { crypto }).catch((e: unknown) => e);
    expect(core.isKubepkiError(error, "INVALID_IP") || core.isKubepkiError(error, "INVALID_SAN"), String(error)).toBe(
      true,
    );
    expect((error as Error).message).toMatch(new RegExp(`^${plan.certificates[apiserver]?.id}: `));
    expect(stats.calls).toBe(0);

    // A leaf moved before its CA, and a CA that names a signer: refused before any key too.
    const caLate = { ...plan, certificates: [...others, first] };
    expect(
      core.isKubepkiError(await generateCluster(caLate, { crypto }).catch((e: unknown) => e), "INVALID_ARGUMENT"),
    ).toBe(true);
    const signedCa = { ...plan, certificates: [{ ...first, signer: "ca" } as unknown as CertSpec, ...others] };
    expect(
      core.isKubepkiError(await generateCluster(signedCa, { crypto }).catch((e: unknown) => e), "INVALID_ARGUMENT"),
    ).toBe(true);
    expect(stats.calls).toBe(0);
  });

  it("toKubeadmFiles checks a result generateCluster did not mark", async () => {
    const pki = await generateCluster(planCluster(config));
    const error = (() => {
      try {
        toKubeadmFiles({ ...pki, certificates: pki.certificates.slice(1) });
      } catch (caught) {
        return caught;
      }
    })();
    expect(core.isKubepkiError(error, "INVALID_ARGUMENT")).toBe(true);
    expect((error as Error).message).toMatch(/^pki: /);
  });
});

describe("CertSpec: a CA is self-signed, a leaf names its CA role", () => {
  it("every row of the role table pairs isCa with signer self, and every plan spec narrows by isCa", () => {
    for (const profile of ROLE_PROFILES) expect(profile.isCa, profile.role).toBe(profile.signer === "self");
    for (const spec of planCluster(config).certificates) {
      if (spec.isCa) {
        expect(spec.signer).toBe("self");
        expect(["ca", "etcd-ca", "front-proxy-ca"]).toContain(spec.role);
      } else {
        expect(["ca", "etcd-ca", "front-proxy-ca"]).toContain(spec.signer);
      }
    }
  });

  it("wrong pairings do not type-check (pnpm lint runs tsc over this file)", () => {
    const base = planCluster(config).certificates[0] as CertSpec;
    const fields = { ...base, pathLength: undefined };
    const specs: CertSpec[] = [
      { ...fields, role: "ca", isCa: true, signer: "self" },
      { ...fields, role: "apiserver", isCa: false, signer: "ca" },
      // @ts-expect-error a CA cannot name a CA as its signer
      { ...fields, role: "ca", isCa: true, signer: "ca" },
      // @ts-expect-error a leaf cannot be self-signed
      { ...fields, role: "apiserver", isCa: false, signer: "self" },
      // @ts-expect-error a leaf role cannot be a CA
      { ...fields, role: "apiserver", isCa: true, signer: "self" },
      // @ts-expect-error a CA role cannot be a leaf
      { ...fields, role: "etcd-ca", isCa: false, signer: "ca" },
      // @ts-expect-error pathLength exists only on a CA
      { ...fields, role: "admin", isCa: false, signer: "ca", pathLength: 0 },
    ];
    const narrowed = specs.map((spec) => (spec.isCa ? spec.signer : spec.signer));
    expect(narrowed.slice(0, 2)).toEqual(["self", "ca"]);
  });
});
