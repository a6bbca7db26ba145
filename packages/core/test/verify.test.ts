import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Certificate,
  createSelfSignedCa,
  issueCertificate,
  KubepkiError,
  type KubepkiErrorCode,
  keyMatchesCertificate,
  parseCertificate,
  verifyCertificate,
  verifyChain,
} from "../src/index.js";
import { fromBase64 } from "../src/vocabulary/base64.js";
import { opensslOk, tempDir } from "./helpers/openssl.js";

/**
 * verifyCertificate / verifyChain / keyMatchesCertificate on chains made by the openssl binary
 * (independent of kubepki's write path), plus chains made by kubepki itself. Expected outcomes
 * follow Go's x509.Certificate.Verify; every success is also confirmed with `openssl verify`.
 */

type Alg = "rsa" | "p256" | "p384" | "ed25519";
const GENPKEY: Record<Alg, string[]> = {
  rsa: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
  p256: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
  p384: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
  ed25519: ["-algorithm", "ED25519"],
};
const IMPORT: Record<Alg, AlgorithmIdentifier | EcKeyImportParams | RsaHashedImportParams> = {
  rsa: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  p256: { name: "ECDSA", namedCurve: "P-256" },
  p384: { name: "ECDSA", namedCurve: "P-384" },
  ed25519: { name: "Ed25519" },
};

let dir: string;
let cleanup: () => Promise<void>;
const certs: Record<string, Certificate> = {};
const algs: Record<string, Alg> = {};

const CA_EXT = [
  "basicConstraints=critical,CA:TRUE",
  "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
  "subjectKeyIdentifier=hash",
];
const SERVER_EXT = [
  "basicConstraints=critical,CA:FALSE",
  "keyUsage=critical,digitalSignature,keyEncipherment",
  "extendedKeyUsage=serverAuth",
  "authorityKeyIdentifier=keyid",
];

interface MakeOptions {
  alg: Alg;
  subj: string;
  ext: string[];
  /** Issuer name; self-signed when absent. */
  ca?: string;
  days?: number;
  digest?: string;
  /** Reuse another certificate's key. */
  keyOf?: string;
}

async function make(name: string, options: MakeOptions): Promise<Certificate> {
  const keyName = options.keyOf ?? name;
  if (!options.keyOf) await opensslOk(["genpkey", ...GENPKEY[options.alg], "-out", `${name}.key`], { cwd: dir });
  algs[name] = options.alg;
  await writeFile(join(dir, `${name}.ext`), `[ext]\n${options.ext.join("\n")}\n`);
  await opensslOk(
    ["req", "-new", "-key", `${keyName}.key`, "-subj", options.subj, "-config", "min.cnf", "-out", `${name}.csr`],
    { cwd: dir },
  );
  const signer = options.ca
    ? ["-CA", `${options.ca}.crt`, "-CAkey", `${options.ca}.key`]
    : ["-signkey", `${keyName}.key`];
  await opensslOk(
    [
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      ...signer,
      "-days",
      String(options.days ?? 365),
      ...(options.digest ? [`-${options.digest}`] : []),
      ...(options.ext.length > 0 ? ["-extfile", `${name}.ext`, "-extensions", "ext"] : []),
      "-out",
      `${name}.crt`,
    ],
    { cwd: dir },
  );
  certs[name] = parseCertificate(await readFile(join(dir, `${name}.crt`), "utf8"));
  return certs[name];
}

const c = (name: string): Certificate => {
  const certificate = certs[name];
  if (!certificate) throw new Error(`no fixture ${name}`);
  return certificate;
};

async function expectCode(promise: Promise<unknown>, code: KubepkiErrorCode, message?: RegExp): Promise<KubepkiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected KubepkiError ${code}`).toBeInstanceOf(KubepkiError);
  expect((error as KubepkiError).code, (error as Error).message).toBe(code);
  if (message) expect((error as Error).message).toMatch(message);
  return error as KubepkiError;
}

/** `openssl verify` as a second opinion on chains that kubepki accepts. */
async function opensslVerifies(leaf: string, intermediates: string[], root: string): Promise<boolean> {
  const args = ["verify", "-CAfile", `${root}.crt`];
  for (const intermediate of intermediates) args.push("-untrusted", `${intermediate}.crt`);
  try {
    await opensslOk([...args, `${leaf}.crt`], { cwd: dir });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  ({ path: dir, cleanup } = await tempDir());
  await writeFile(join(dir, "min.cnf"), "[req]\ndistinguished_name=dn\n[dn]\n");
  await make("ca", { alg: "rsa", subj: "/CN=kubernetes", ext: [...CA_EXT, "subjectAltName=DNS:kubernetes"] });
  await make("server", {
    alg: "rsa",
    subj: "/CN=kube-apiserver",
    ca: "ca",
    ext: [
      ...SERVER_EXT,
      "subjectAltName=DNS:kubernetes,DNS:Kubernetes.Default,DNS:*.example.com,DNS:api.*.example.net,DNS:bad_name.internal,IP:10.96.0.1,IP:fd00::1",
    ],
  });
  await make("client", {
    alg: "rsa",
    subj: "/O=kubeadm:cluster-admins/CN=kubernetes-admin",
    ca: "ca",
    ext: ["keyUsage=critical,digitalSignature", "extendedKeyUsage=clientAuth", "authorityKeyIdentifier=keyid"],
  });
  await make("no-eku", { alg: "p256", subj: "/CN=no-eku", ca: "ca", ext: ["subjectAltName=DNS:no-eku"] });
  await make("short", { alg: "p256", subj: "/CN=short", ca: "ca", days: 1, ext: [...SERVER_EXT] });
  // Another CA with another name, and an impostor with the same name as "ca" but its own key.
  await make("other-ca", { alg: "rsa", subj: "/CN=other-ca", ext: CA_EXT });
  await make("other-leaf", { alg: "rsa", subj: "/CN=other-leaf", ca: "other-ca", ext: SERVER_EXT });
  await make("impostor", { alg: "rsa", subj: "/CN=kubernetes", ext: CA_EXT });
  // A leaf used as a CA, and the tutorial's v1 CA (no extensions at all).
  await make("leaf-signed", { alg: "p256", subj: "/CN=leaf-signed", ca: "server", ext: SERVER_EXT });
  await make("v1-ca", { alg: "rsa", subj: "/CN=tutorial-ca", ext: [] });
  await make("v1-leaf", { alg: "rsa", subj: "/CN=v1-leaf", ca: "v1-ca", ext: SERVER_EXT.slice(0, 3) });
  // One CA and leaf per signature algorithm.
  await make("ca-p256", { alg: "p256", subj: "/CN=etcd-ca", ext: CA_EXT });
  await make("leaf-p256", { alg: "p256", subj: "/CN=etcd-server", ca: "ca-p256", ext: SERVER_EXT });
  await make("ca-p384", { alg: "p384", subj: "/CN=p384-ca", ext: CA_EXT, digest: "sha384" });
  await make("leaf-p384", { alg: "p256", subj: "/CN=p384-leaf", ca: "ca-p384", ext: SERVER_EXT, digest: "sha384" });
  await make("ca-ed25519", { alg: "ed25519", subj: "/CN=ed-ca", ext: CA_EXT });
  await make("leaf-ed25519", { alg: "ed25519", subj: "/CN=ed-leaf", ca: "ca-ed25519", ext: SERVER_EXT });
  // root → intermediate (pathlen 0) → leaf; a root with pathlen 0; an intermediate limited to clientAuth.
  await make("root", { alg: "p256", subj: "/CN=root", ext: CA_EXT });
  await make("root-pl0", {
    alg: "p256",
    subj: "/CN=root",
    keyOf: "root",
    ext: [...CA_EXT.slice(0, 1).map((e) => `${e},pathlen:0`), ...CA_EXT.slice(1)],
  });
  await make("intermediate", {
    alg: "p256",
    subj: "/CN=intermediate",
    ca: "root",
    ext: [
      "basicConstraints=critical,CA:TRUE,pathlen:0",
      "keyUsage=critical,keyCertSign",
      "subjectKeyIdentifier=hash",
      "authorityKeyIdentifier=keyid",
    ],
  });
  await make("int-client-only", {
    alg: "p256",
    subj: "/CN=intermediate",
    keyOf: "intermediate",
    ca: "root",
    ext: [
      "basicConstraints=critical,CA:TRUE",
      "keyUsage=critical,keyCertSign",
      "extendedKeyUsage=clientAuth",
      "subjectKeyIdentifier=hash",
      "authorityKeyIdentifier=keyid",
    ],
  });
  await make("int-short", {
    alg: "p256",
    subj: "/CN=intermediate",
    keyOf: "intermediate",
    ca: "root",
    days: 1,
    ext: [
      "basicConstraints=critical,CA:TRUE",
      "keyUsage=critical,keyCertSign",
      "subjectKeyIdentifier=hash",
      "authorityKeyIdentifier=keyid",
    ],
  });
  await make("chained", {
    alg: "p256",
    subj: "/CN=chained",
    ca: "intermediate",
    ext: [...SERVER_EXT, "subjectAltName=DNS:chained.example.com"],
  });
  // An intermediate below "intermediate": violates its pathlen:0.
  await make("sub-intermediate", {
    alg: "p256",
    subj: "/CN=sub-intermediate",
    ca: "intermediate",
    ext: [
      "basicConstraints=critical,CA:TRUE",
      "keyUsage=critical,keyCertSign",
      "subjectKeyIdentifier=hash",
      "authorityKeyIdentifier=keyid",
    ],
  });
  await make("deep", { alg: "p256", subj: "/CN=deep", ca: "sub-intermediate", ext: SERVER_EXT });
}, 180_000);

afterAll(async () => {
  await cleanup?.();
});

const later = (certificate: Certificate, days: number) => new Date(certificate.notBefore.getTime() + days * 86_400_000);

describe("verifyCertificate", () => {
  it("accepts a certificate signed by its CA (RSA, ECDSA P-256, P-384 with SHA-384, Ed25519)", async () => {
    for (const [leaf, ca] of [
      ["server", "ca"],
      ["leaf-p256", "ca-p256"],
      ["leaf-p384", "ca-p384"],
      ["leaf-ed25519", "ca-ed25519"],
    ] as const) {
      await expect(verifyCertificate(c(leaf), c(ca)), leaf).resolves.toBeUndefined();
      expect(await opensslVerifies(leaf, [], ca)).toBe(true);
    }
    expect(c("leaf-p384").signatureAlgorithm).toBe("1.2.840.10045.4.3.3");
    expect(c("leaf-ed25519").signatureAlgorithm).toBe("1.3.101.112");
  });

  it("reports an altered signature or TBS as SIGNATURE_INVALID, for every algorithm", async () => {
    for (const [leaf, ca] of [
      ["server", "ca"],
      ["leaf-p256", "ca-p256"],
      ["leaf-p384", "ca-p384"],
      ["leaf-ed25519", "ca-ed25519"],
    ] as const) {
      const signatureValue = c(leaf).signatureValue.slice();
      signatureValue[signatureValue.length - 5] = (signatureValue.at(-5) as number) ^ 0x01;
      await expectCode(verifyCertificate({ ...c(leaf), signatureValue }, c(ca)), "SIGNATURE_INVALID");
      const tbsDer = c(leaf).tbsDer.slice();
      tbsDer[tbsDer.length - 40] = (tbsDer.at(-40) as number) ^ 0x01;
      await expectCode(verifyCertificate({ ...c(leaf), tbsDer }, c(ca)), "SIGNATURE_INVALID");
    }
  });

  it("tells a CA with another name (UNKNOWN_ISSUER) from one with the same name and another key", async () => {
    await expectCode(verifyCertificate(c("server"), c("other-ca")), "UNKNOWN_ISSUER", /issued by "\/CN=kubernetes"/);
    await expectCode(verifyCertificate(c("server"), c("impostor")), "SIGNATURE_INVALID");
  });

  it("refuses a leaf as issuer, and a v1 CA with a message about kubeadm", async () => {
    await expectCode(verifyCertificate(c("leaf-signed"), c("server")), "NOT_A_CA", /not a CA/);
    await expectCode(verifyCertificate(c("v1-leaf"), c("v1-ca")), "NOT_A_CA", /kubeadm refuses such a CA/);
    expect(await opensslVerifies("leaf-signed", [], "server")).toBe(false);
  });

  it("checks validity at `at`, both ends inclusive", async () => {
    const short = c("short");
    await expect(verifyCertificate(short, c("ca"), { at: short.notAfter })).resolves.toBeUndefined();
    await expect(verifyCertificate(short, c("ca"), { at: short.notBefore })).resolves.toBeUndefined();
    await expectCode(
      verifyCertificate(short, c("ca"), { at: new Date(short.notAfter.getTime() + 1000) }),
      "EXPIRED",
      /expired at/,
    );
    await expectCode(
      verifyCertificate(short, c("ca"), { at: new Date(short.notBefore.getTime() - 1000) }),
      "NOT_YET_VALID",
    );
    await expectCode(verifyCertificate(short, c("ca"), { at: new Date(Number.NaN) }), "INVALID_ARGUMENT");
  });
});

describe("verifyChain: names (Go VerifyHostname)", () => {
  const check = (options: { dnsName?: string; ipAddress?: string }) => verifyChain(c("server"), [], [c("ca")], options);

  it("matches DNS names exactly and case-insensitively, with a trailing dot", async () => {
    for (const dnsName of ["kubernetes", "KUBERNETES", "kubernetes.default", "Kubernetes.Default", "kubernetes."]) {
      await expect(check({ dnsName }), dnsName).resolves.toHaveLength(2);
    }
  });

  it("matches a wildcard as exactly one whole leftmost label", async () => {
    await expect(check({ dnsName: "api.example.com" })).resolves.toBeDefined();
    await expect(check({ dnsName: "API.Example.COM" })).resolves.toBeDefined();
    for (const dnsName of ["a.b.example.com", "example.com", ".example.com", "api.x.example.net"]) {
      await expectCode(check({ dnsName }), "NAME_MISMATCH");
    }
    // `*` that is not the leftmost label is only ever matched literally, as Go does.
    await expect(check({ dnsName: "api.*.example.net" })).resolves.toBeDefined();
    // Not a valid hostname pattern (`_` is allowed by Go, so this one is): exact matching.
    await expect(check({ dnsName: "bad_name.internal" })).resolves.toBeDefined();
  });

  it("matches IPs only against IP SANs, canonically, without IPv4-mapped equivalence", async () => {
    await expect(check({ ipAddress: "10.96.0.1" })).resolves.toBeDefined();
    await expect(check({ ipAddress: "FD00:0:0::1" })).resolves.toBeDefined();
    await expect(check({ dnsName: "10.96.0.1" })).resolves.toBeDefined();
    await expect(check({ dnsName: "[fd00::1]" })).resolves.toBeDefined();
    await expectCode(check({ ipAddress: "10.96.0.2" }), "NAME_MISMATCH", /IP:10\.96\.0\.1/);
    await expectCode(check({ ipAddress: "::ffff:10.96.0.1" }), "NAME_MISMATCH");
    await expectCode(check({ ipAddress: "not-an-ip" }), "INVALID_IP");
  });

  it("never falls back to the subject CN", async () => {
    await expectCode(check({ dnsName: "kube-apiserver" }), "NAME_MISMATCH", /CN is not used/);
    await expectCode(verifyChain(c("client"), [], [c("ca")], { dnsName: "kubernetes-admin" }), "NAME_MISMATCH");
  });
});

describe("verifyChain: issuers, validity and usage", () => {
  it("returns the chain leaf first, through an intermediate", async () => {
    const chain = await verifyChain(c("chained"), [c("intermediate")], [c("root")], {
      usage: "serverAuth",
      dnsName: "chained.example.com",
    });
    expect(chain.map((certificate) => certificate.subject.commonName)).toEqual(["chained", "intermediate", "root"]);
    expect(await opensslVerifies("chained", ["intermediate"], "root")).toBe(true);
  });

  it("finds no chain without the intermediate, or with another CA: UNKNOWN_ISSUER", async () => {
    await expectCode(verifyChain(c("chained"), [], [c("root")]), "UNKNOWN_ISSUER", /CN=intermediate/);
    await expectCode(verifyChain(c("server"), [], [c("other-ca")]), "UNKNOWN_ISSUER");
    await expectCode(verifyChain(c("other-leaf"), [c("intermediate")], [c("ca")]), "UNKNOWN_ISSUER");
  });

  it("reports a same-name CA with another key as SIGNATURE_INVALID, and skips it when the right one is there", async () => {
    await expectCode(verifyChain(c("server"), [], [c("impostor")]), "SIGNATURE_INVALID");
    const chain = await verifyChain(c("server"), [], [c("impostor"), c("ca")]);
    expect(chain[1]).toBe(c("ca"));
  });

  it("refuses non-CA and v1 issuers: NOT_A_CA", async () => {
    await expectCode(verifyChain(c("leaf-signed"), [], [c("server")]), "NOT_A_CA");
    await expectCode(verifyChain(c("leaf-signed"), [c("server")], [c("ca")]), "NOT_A_CA");
    await expectCode(verifyChain(c("v1-leaf"), [], [c("v1-ca")]), "NOT_A_CA", /kubeadm/);
  });

  it("enforces pathLen", async () => {
    await expectCode(
      verifyChain(c("deep"), [c("sub-intermediate"), c("intermediate")], [c("root")]),
      "NOT_A_CA",
      /pathLen 0/,
    );
    await expectCode(verifyChain(c("chained"), [c("intermediate")], [c("root-pl0")]), "NOT_A_CA", /pathLen 0/);
    expect(await opensslVerifies("deep", ["sub-intermediate", "intermediate"], "root")).toBe(false);
  });

  it("checks the validity of every certificate of the chain", async () => {
    const leaf = c("short");
    await expectCode(verifyChain(leaf, [], [c("ca")], { at: later(leaf, 3) }), "EXPIRED");
    await expectCode(verifyChain(leaf, [], [c("ca")], { at: later(leaf, -1) }), "NOT_YET_VALID");
    // The leaf is valid in 3 days; its only intermediate is not.
    const chained = c("chained");
    await expectCode(verifyChain(chained, [c("int-short")], [c("root")], { at: later(chained, 3) }), "EXPIRED");
    await expect(
      verifyChain(chained, [c("int-short"), c("intermediate")], [c("root")], { at: later(chained, 3) }),
    ).resolves.toHaveLength(3);
    // The root itself expired (Go checks roots too).
    await expectCode(verifyChain(c("server"), [], [c("ca")], { at: later(c("ca"), 400) }), "EXPIRED");
  });

  it("requires the usage on the leaf (or no EKU, or any) and on every CA above it", async () => {
    await expectCode(
      verifyChain(c("client"), [], [c("ca")], { usage: "serverAuth" }),
      "USAGE_NOT_ALLOWED",
      /clientAuth/,
    );
    await expect(verifyChain(c("client"), [], [c("ca")], { usage: "clientAuth" })).resolves.toBeDefined();
    await expect(verifyChain(c("client"), [], [c("ca")], { usage: "any" })).resolves.toBeDefined();
    await expect(verifyChain(c("client"), [], [c("ca")])).resolves.toBeDefined();
    await expect(verifyChain(c("no-eku"), [], [c("ca")], { usage: "serverAuth" })).resolves.toBeDefined();
    // EKU nesting: an intermediate limited to clientAuth cannot vouch for a serving certificate.
    await expectCode(
      verifyChain(c("chained"), [c("int-client-only")], [c("root")], { usage: "serverAuth" }),
      "USAGE_NOT_ALLOWED",
    );
    await expect(verifyChain(c("chained"), [c("int-client-only")], [c("root")])).resolves.toHaveLength(3);
    await expectCode(verifyChain(c("client"), [], [c("ca")], { usage: "bogus" as never }), "INVALID_ARGUMENT");
  });

  it("accepts a leaf that is itself a trusted root, and verifies every signature algorithm", async () => {
    await expect(verifyChain(c("ca"), [], [c("ca")])).resolves.toEqual([c("ca")]);
    for (const [leaf, ca] of [
      ["leaf-p256", "ca-p256"],
      ["leaf-p384", "ca-p384"],
      ["leaf-ed25519", "ca-ed25519"],
    ] as const) {
      await expect(verifyChain(c(leaf), [], [c(ca)], { usage: "serverAuth" })).resolves.toHaveLength(2);
    }
  });
});

describe("keyMatchesCertificate", () => {
  async function importKey(name: string, extractable = true): Promise<CryptoKey> {
    const pem = await readFile(join(dir, `${name}.key`), "utf8");
    const der = fromBase64(pem.replace(/-----[A-Z ]+-----/g, "")) as Uint8Array<ArrayBuffer>;
    const alg = algs[name] as Alg;
    return crypto.subtle.importKey("pkcs8", der, IMPORT[alg], extractable, ["sign"]);
  }

  it("matches each key with its own certificate only (RSA, P-256, P-384, Ed25519)", async () => {
    for (const name of ["server", "leaf-p256", "ca-p384", "leaf-ed25519"]) {
      expect(await keyMatchesCertificate(await importKey(name), c(name)), name).toBe(true);
    }
    expect(await keyMatchesCertificate(await importKey("server"), c("ca"))).toBe(false);
    expect(await keyMatchesCertificate(await importKey("leaf-p256"), c("ca-p256"))).toBe(false);
    expect(await keyMatchesCertificate(await importKey("leaf-p256"), c("server"))).toBe(false);
    expect(await keyMatchesCertificate(await importKey("ca-ed25519"), c("leaf-ed25519"))).toBe(false);
    // Two certificates over one key.
    expect(await keyMatchesCertificate(await importKey("root"), c("root-pl0"))).toBe(true);
  });

  it("takes the certificate as PEM or DER and the key as a key pair", async () => {
    const privateKey = await importKey("leaf-p256");
    expect(await keyMatchesCertificate(privateKey, c("leaf-p256").pem)).toBe(true);
    expect(await keyMatchesCertificate(privateKey, c("leaf-p256").der)).toBe(true);
    const hidden = await importKey("leaf-p256", false);
    await expectCode(keyMatchesCertificate(hidden, c("leaf-p256")), "INVALID_ARGUMENT");
    const jwk = await crypto.subtle.exportKey("jwk", privateKey);
    const publicKey = await crypto.subtle.importKey(
      "jwk",
      { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
      IMPORT.p256,
      true,
      ["verify"],
    );
    expect(
      await keyMatchesCertificate({ algorithm: "ECDSA-P256", privateKey: hidden, publicKey }, c("leaf-p256")),
    ).toBe(true);
  });
});

describe("certificates made by kubepki", () => {
  it("parse back to the same fields, verify, and pass openssl verify", async () => {
    const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    const keyPair = { algorithm: "ECDSA-P256" as const, ...pair };
    const ca = await createSelfSignedCa({ keyPair, subject: { commonName: "kubernetes" }, sans: ["kubernetes"] });
    const leafPair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    const leaf = await issueCertificate({
      issuer: { certificate: ca, privateKey: pair.privateKey },
      publicKey: leafPair.publicKey,
      subject: { commonName: "kube-apiserver" },
      sans: ["kubernetes", "10.96.0.1"],
      extKeyUsages: ["serverAuth"],
    });
    for (const made of [ca, leaf]) {
      const parsed = parseCertificate(made.pem);
      expect({ ...parsed }).toEqual({ ...made });
    }
    expect(
      await verifyChain(leaf, [], [ca], { usage: "serverAuth", dnsName: "kubernetes", ipAddress: "10.96.0.1" }),
    ).toHaveLength(2);
    expect(await keyMatchesCertificate(leafPair.privateKey, leaf)).toBe(true);
    await writeFile(join(dir, "kubepki-ca.crt"), ca.pem);
    await writeFile(join(dir, "kubepki-leaf.crt"), leaf.pem);
    expect(await opensslVerifies("kubepki-leaf", [], "kubepki-ca")).toBe(true);
  });
});
