import "reflect-metadata";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  KeyUsagesExtension,
  Pkcs10CertificateRequest,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
} from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Certificate,
  canonicalIp,
  EXT_KEY_USAGE_OIDS,
  encodePem,
  KEY_USAGES,
  KubepkiError,
  parseCertificate,
  parseCertificates,
  parseCsr,
  verifyCsr,
} from "../src/index.js";
import { toHex } from "../src/lib/bytes.js";
import { opensslOk, tempDir } from "./helpers/openssl.js";
import { signCsrArgs } from "./helpers/openssl-args.js";

/**
 * parseCertificate / parseCertificates / parseCsr against two independent readers: OpenSSL 3
 * (text output) and @peculiar/x509. Fixtures are made with the openssl binary, with a minimal
 * config so that every extension present is one the test asked for.
 */

type Alg = "rsa" | "rsa1024" | "p256" | "p384" | "p521" | "ed25519";
const GENPKEY: Record<Alg, string[]> = {
  rsa: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
  rsa1024: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
  p256: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
  p384: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
  p521: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
  ed25519: ["-algorithm", "ED25519"],
};

let dir: string;
let cleanup: () => Promise<void>;
const fixtures: Record<string, string> = {};
const keys: Record<string, Alg> = {};

async function key(name: string, alg: Alg): Promise<void> {
  keys[name] = alg;
  await opensslOk(["genpkey", ...GENPKEY[alg], "-out", `${name}.key`], { cwd: dir });
}

/** A self-signed certificate; `ext` lines go to an extensions section (none → X.509 v1). */
async function selfSigned(name: string, alg: Alg, subj: string, ext: string[], extra: string[] = []): Promise<string> {
  await key(name, alg);
  await writeFile(join(dir, `${name}.ext`), `[ext]\n${ext.join("\n")}\n`);
  await opensslOk(
    [
      "req",
      "-new",
      "-key",
      `${name}.key`,
      "-subj",
      subj,
      "-config",
      "min.cnf",
      "-utf8",
      ...(subj.includes("+") ? ["-multivalue-rdn"] : []),
      "-out",
      `${name}.csr`,
    ],
    { cwd: dir },
  );
  await opensslOk(
    [
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-signkey",
      `${name}.key`,
      "-days",
      "365",
      ...(ext.length > 0 ? ["-extfile", `${name}.ext`, "-extensions", "ext"] : []),
      ...extra,
      "-out",
      `${name}.crt`,
    ],
    { cwd: dir },
  );
  fixtures[name] = await readFile(join(dir, `${name}.crt`), "utf8");
  return fixtures[name];
}

async function issued(
  name: string,
  alg: Alg,
  ca: string,
  subj: string,
  ext: string[],
  extra: string[] = [],
): Promise<string> {
  await key(name, alg);
  await writeFile(join(dir, `${name}.ext`), `[ext]\n${ext.join("\n")}\n`);
  await opensslOk(["req", "-new", "-key", `${name}.key`, "-subj", subj, "-config", "min.cnf", "-out", `${name}.csr`], {
    cwd: dir,
  });
  await opensslOk(
    signCsrArgs({
      csr: `${name}.csr`,
      ca,
      out: `${name}.crt`,
      extfile: `${name}.ext`,
      extra: ["-extensions", "ext", ...extra],
    }),
    { cwd: dir },
  );
  fixtures[name] = await readFile(join(dir, `${name}.crt`), "utf8");
  return fixtures[name];
}

const CA_EXT = [
  "basicConstraints=critical,CA:TRUE",
  "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
  "subjectKeyIdentifier=hash",
];

beforeAll(async () => {
  ({ path: dir, cleanup } = await tempDir());
  await writeFile(join(dir, "min.cnf"), "[req]\ndistinguished_name=dn\n[dn]\n");
  await selfSigned("ca-rsa", "rsa", "/CN=kubernetes", [...CA_EXT, "subjectAltName=DNS:kubernetes"]);
  await issued(
    "apiserver",
    "rsa",
    "ca-rsa",
    "/CN=kube-apiserver",
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      "authorityKeyIdentifier=keyid",
      "subjectAltName=DNS:kubernetes,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1,IP:FD00:0:0::1,IP:192.168.0.10",
    ],
    ["-set_serial", "0x00f3a1b2c3d4e5f607"],
  );
  await selfSigned("ca-p256", "p256", "/CN=etcd-ca", [...CA_EXT]);
  await issued(
    "node-p256",
    "p256",
    "ca-p256",
    "/O=system:nodes/CN=system:node:w1",
    [
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=clientAuth,serverAuth,1.3.6.1.4.1.311.10.3.4",
      "authorityKeyIdentifier=keyid",
      "subjectAltName=URI:spiffe://cluster.local/ns/kube-system/sa/x,email:ops@example.com,DNS:w1.example.com",
    ],
    ["-set_serial", "5"],
  );
  await selfSigned("ca-p384", "p384", "/C=DE/ST=Berlin/L=Berlin/O=b+O=a/OU=ops/CN=front-proxy-ca", [
    "basicConstraints=critical,CA:TRUE,pathlen:1",
    "keyUsage=critical,keyCertSign,cRLSign",
    "subjectKeyIdentifier=hash",
  ]);
  await selfSigned("ed25519", "ed25519", "/DC=example/DC=com/CN=edge", [
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature",
    "extendedKeyUsage=anyExtendedKeyUsage",
  ]);
  await selfSigned("p521", "p521", "/CN=big-curve", ["keyUsage=digitalSignature,nonRepudiation,decipherOnly"]);
  await selfSigned("v1", "rsa", "/CN=tutorial-ca/O=kubernetes", []);
  await selfSigned("rsa1024", "rsa1024", "/CN=weak", ["basicConstraints=CA:FALSE"]);
  await selfSigned(
    "utf8",
    "p256",
    "/CN=Grüße \\/ 日本/O=a\\+b",
    ["subjectAltName=IP:::ffff:10.0.0.1,IP:2001:db8::"],
    ["-days", "40000"],
  );
}, 120_000);

afterAll(async () => {
  await cleanup?.();
});

const SIGNATURE_OIDS: Record<string, string> = {
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
  "ecdsa-with-SHA256": "1.2.840.10045.4.3.2",
  "ecdsa-with-SHA384": "1.2.840.10045.4.3.3",
  "ecdsa-with-SHA512": "1.2.840.10045.4.3.4",
  ED25519: "1.3.101.112",
};

const X509_SAN_TYPES: Record<string, string> = { dns: "dns", ip: "ip", url: "uri", email: "email" };

/** Every field of `ours` against openssl's text output and @peculiar/x509. */
async function compareWithOracles(name: string, ours: Certificate): Promise<void> {
  const file = `${name}.crt`;
  const run = (...args: string[]) => opensslOk(["x509", "-in", file, "-noout", ...args], { cwd: dir });
  const text = await run("-text");
  const serial = (await run("-serial")).trim().replace(/^serial=/, "");
  const fingerprint = (await run("-fingerprint", "-sha256")).trim().replace(/^.*Fingerprint=/, "");
  const subject = (await run("-subject", "-nameopt", "compat")).trim().replace(/^subject=/, "");
  const issuer = (await run("-issuer", "-nameopt", "compat")).trim().replace(/^issuer=/, "");
  const dates = await run("-startdate", "-enddate");

  expect(ours.version).toBe(Number(/Version: (\d)/.exec(text)?.[1]));
  expect(ours.serialNumber).toBe(serial.toLowerCase());
  expect(ours.fingerprintSha256).toBe(fingerprint.replace(/:/g, "").toLowerCase());
  if (!subject.includes("\\")) expect(ours.subjectText).toBe(subject);
  if (!issuer.includes("\\")) expect(ours.issuerText).toBe(issuer);
  expect(ours.notBefore.getTime()).toBe(Date.parse(/notBefore=(.*)/.exec(dates)?.[1] ?? ""));
  expect(ours.notAfter.getTime()).toBe(Date.parse(/notAfter=(.*)/.exec(dates)?.[1] ?? ""));
  const signatureName = /Signature Algorithm: (\S+)/.exec(text)?.[1] ?? "";
  expect(ours.signatureAlgorithm).toBe(SIGNATURE_OIDS[signatureName]);
  const bits = /Public-Key: \((\d+) bit\)/.exec(text)?.[1];
  expect(ours.keyBits).toBe(bits ? Number(bits) : 256);

  const x = new X509Certificate(ours.pem);
  expect(ours.der).toEqual(new Uint8Array(x.rawData));
  expect(ours.serialNumber).toBe(x.serialNumber.toLowerCase().replace(/^(00)+(?=..)/, ""));
  expect(ours.notBefore.getTime()).toBe(x.notBefore.getTime());
  expect(ours.notAfter.getTime()).toBe(x.notAfter.getTime());
  expect(ours.publicKeyInfo).toEqual(new Uint8Array(x.publicKey.rawData));
  expect(ours.signatureValue).toEqual(new Uint8Array(x.signature));
  expect(ours.fingerprintSha256).toBe(toHex(new Uint8Array(await x.getThumbprint("SHA-256"))));
  expect(ours.subject.commonName).toBe(x.subjectName.getField("CN").at(-1));
  expect(ours.subject.organizations ?? []).toEqual(x.subjectName.getField("O"));
  expect(ours.issuer.commonName).toBe(x.issuerName.getField("CN").at(-1));

  const san = x.getExtension(SubjectAlternativeNameExtension);
  expect(ours.subjectAltNames).toEqual(
    (san?.names.items ?? []).map((item) => ({
      type: X509_SAN_TYPES[item.type],
      value: item.type === "ip" ? canonicalIp(item.value) : item.value,
    })),
  );
  const keyUsage = x.getExtension(KeyUsagesExtension);
  expect(ours.keyUsages === undefined).toBe(keyUsage === null);
  if (keyUsage) {
    const flags = (ours.keyUsages ?? []).reduce((sum, usage) => sum | (1 << KEY_USAGES.indexOf(usage)), 0);
    expect(flags).toBe(keyUsage.usages);
  }
  const eku = x.getExtension(ExtendedKeyUsageExtension);
  expect(ours.extKeyUsages === undefined).toBe(eku === null);
  if (eku) {
    expect(
      ours.extKeyUsages?.map((usage) => EXT_KEY_USAGE_OIDS[usage as keyof typeof EXT_KEY_USAGE_OIDS] ?? usage),
    ).toEqual(eku.usages);
  }
  const constraints = x.getExtension(BasicConstraintsExtension);
  expect(ours.isCa).toBe(constraints?.ca ?? false);
  expect(ours.pathLength).toBe(constraints?.ca ? constraints.pathLength : undefined);
  expect(ours.subjectKeyIdentifier).toBe(x.getExtension(SubjectKeyIdentifierExtension)?.keyId);
  expect(ours.authorityKeyIdentifier).toBe(x.getExtension(AuthorityKeyIdentifierExtension)?.keyId);

  // tbsDer: exactly the bytes after the outer header, up to the signature algorithm.
  const headerLength = ours.der[1] === 0x82 ? 4 : ours.der[1] === 0x81 ? 3 : 2;
  expect(ours.tbsDer).toEqual(ours.der.subarray(headerLength, headerLength + ours.tbsDer.length));
}

describe("parseCertificate", () => {
  const names = ["ca-rsa", "apiserver", "ca-p256", "node-p256", "ca-p384", "ed25519", "p521", "v1", "rsa1024", "utf8"];
  for (const name of names) {
    it(`reads ${name} like openssl and @peculiar/x509`, async () => {
      await compareWithOracles(name, parseCertificate(fixtures[name] as string));
    });
  }

  it("decodes a kubeadm-like CA and serving certificate field by field", () => {
    const ca = parseCertificate(fixtures["ca-rsa"] as string);
    expect(ca).toMatchObject({
      version: 3,
      subject: { commonName: "kubernetes" },
      subjectText: "/CN=kubernetes",
      issuerText: "/CN=kubernetes",
      isCa: true,
      pathLength: undefined,
      keyUsages: ["digitalSignature", "keyEncipherment", "keyCertSign"],
      extKeyUsages: undefined,
      subjectAltNames: [{ type: "dns", value: "kubernetes" }],
      keyAlgorithm: "RSA-2048",
      keyBits: 2048,
      authorityKeyIdentifier: undefined,
    });
    const apiserver = parseCertificate(fixtures.apiserver as string);
    expect(apiserver).toMatchObject({
      serialNumber: "f3a1b2c3d4e5f607",
      isCa: false,
      extKeyUsages: ["serverAuth"],
      authorityKeyIdentifier: ca.subjectKeyIdentifier,
      subjectAltNames: [
        { type: "dns", value: "kubernetes" },
        { type: "dns", value: "kubernetes.default.svc.cluster.local" },
        { type: "ip", value: "10.96.0.1" },
        { type: "ip", value: "fd00::1" },
        { type: "ip", value: "192.168.0.10" },
      ],
    });
    expect(apiserver.issuerDer).toEqual(ca.subjectDer);
    expect(apiserver.pem).toBe(fixtures.apiserver);
  });

  it("keeps every O, in DER order, for single- and multi-valued RDNs", () => {
    const node = parseCertificate(fixtures["node-p256"] as string);
    expect(node.subject).toEqual({ commonName: "system:node:w1", organizations: ["system:nodes"] });
    expect(node.subjectText).toBe("/O=system:nodes/CN=system:node:w1");
    expect(node.extKeyUsages).toEqual(["clientAuth", "serverAuth", "1.3.6.1.4.1.311.10.3.4"]);
    expect(node.keyAlgorithm).toBe("ECDSA-P256");
    const p384 = parseCertificate(fixtures["ca-p384"] as string);
    expect(p384.subject).toEqual({
      countries: ["DE"],
      provinces: ["Berlin"],
      localities: ["Berlin"],
      // The two O values share one SET, which DER sorts: "a" before "b" whatever the -subj order.
      organizations: ["a", "b"],
      organizationalUnits: ["ops"],
      commonName: "front-proxy-ca",
    });
    expect(p384.subjectText).toBe("/C=DE/ST=Berlin/L=Berlin/O=a+O=b/OU=ops/CN=front-proxy-ca");
    expect(p384.pathLength).toBe(1);
    expect(p384.keyUsages).toEqual(["keyCertSign", "cRLSign"]);
    expect(p384.keyAlgorithm).toBe("ECDSA-P384");
  });

  it("puts attribute types it does not model into `others` and labels them in the text", () => {
    const edge = parseCertificate(fixtures.ed25519 as string);
    expect(edge.subject.others).toEqual([
      { oid: "0.9.2342.19200300.100.1.25", value: "example" },
      { oid: "0.9.2342.19200300.100.1.25", value: "com" },
    ]);
    expect(edge.subjectText).toBe("/DC=example/DC=com/CN=edge");
    expect(edge.keyAlgorithm).toBe("Ed25519");
    expect(edge.extKeyUsages).toEqual(["any"]);
  });

  it("escapes / + \\ in the one-line text, reads UTF-8, GeneralizedTime and IPv4-mapped IPv6 SANs", () => {
    const utf8 = parseCertificate(fixtures.utf8 as string);
    expect(utf8.subject.commonName).toBe("Grüße / 日本");
    expect(utf8.subject.organizations).toEqual(["a+b"]);
    expect(utf8.subjectText).toBe("/CN=Grüße \\/ 日本/O=a\\+b");
    expect(utf8.notAfter.getUTCFullYear()).toBeGreaterThan(2100);
    expect(utf8.subjectAltNames).toEqual([
      { type: "ip", value: "::ffff:a00:1" },
      { type: "ip", value: "2001:db8::" },
    ]);
  });

  it("parses a v1 certificate (no extensions) and keys kubepki cannot use", () => {
    const v1 = parseCertificate(fixtures.v1 as string);
    expect(v1).toMatchObject({
      version: 1,
      isCa: false,
      keyUsages: undefined,
      extKeyUsages: undefined,
      subjectAltNames: [],
      subjectKeyIdentifier: undefined,
    });
    expect(parseCertificate(fixtures.p521 as string)).toMatchObject({ keyAlgorithm: undefined, keyBits: 521 });
    expect(parseCertificate(fixtures.p521 as string).keyUsages).toEqual([
      "digitalSignature",
      "nonRepudiation",
      "decipherOnly",
    ]);
    expect(parseCertificate(fixtures.rsa1024 as string)).toMatchObject({ keyAlgorithm: undefined, keyBits: 1024 });
  });

  it("accepts DER bytes and PEM bytes, and copies the input", () => {
    const pem = fixtures.apiserver as string;
    const fromPem = parseCertificate(pem);
    const der = fromPem.der.slice();
    const fromDer = parseCertificate(der);
    der.fill(0);
    expect(fromDer.der).toEqual(fromPem.der);
    expect(parseCertificate(new TextEncoder().encode(pem)).fingerprintSha256).toBe(fromPem.fingerprintSha256);
  });

  it("refuses other PEM labels, naming what it found", async () => {
    const keyPem = await readFile(join(dir, "apiserver.key"), "utf8");
    expect(() => parseCertificate(keyPem)).toThrowError(/found PRIVATE KEY/);
    expect(() => parseCertificate(keyPem)).toThrowError(KubepkiError);
    const trusted = (fixtures.apiserver as string).replace(/CERTIFICATE/g, "TRUSTED CERTIFICATE");
    expect(() => parseCertificate(trusted)).toThrowError(/found TRUSTED CERTIFICATE/);
    const csrPem = await readFile(join(dir, "apiserver.csr"), "utf8");
    try {
      parseCertificate(csrPem);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: "INVALID_PEM" });
    }
  });

  it("refuses trailing bytes, BER indefinite lengths and mismatched signature algorithms", () => {
    const der = parseCertificate(fixtures["ca-p256"] as string).der;
    const trailing = new Uint8Array([...der, 0]);
    expect(() => parseCertificate(trailing)).toThrowError(/unexpected bytes after/);
    // Re-encode the outer SEQUENCE with an indefinite length (BER): 30 80 … 00 00.
    const headerLength = der[1] === 0x82 ? 4 : 3;
    const ber = new Uint8Array([0x30, 0x80, ...der.subarray(headerLength), 0, 0]);
    expect(() => parseCertificate(ber)).toThrowError(/indefinite length/);
    // Swap the outer ecdsa-with-SHA256 for ecdsa-with-SHA384 (last byte of the OID 02 → 03).
    const tampered = der.slice();
    const cert = parseCertificate(der);
    const outerOid = headerLength + cert.tbsDer.length + 2 + 2 + 7;
    expect(tampered[outerOid]).toBe(0x02);
    tampered[outerOid] = 0x03;
    expect(() => parseCertificate(tampered)).toThrowError(/differs from the outer one/);
  });
});

describe("parseCertificates", () => {
  it("returns every CERTIFICATE block in order, skipping other blocks", async () => {
    const keyPem = await readFile(join(dir, "ca-rsa.key"), "utf8");
    const bundle = `${fixtures.apiserver}${keyPem}junk between blocks\n${fixtures["ca-rsa"]}`;
    const parsed = parseCertificates(bundle);
    expect(parsed.map((certificate) => certificate.subject.commonName)).toEqual(["kube-apiserver", "kubernetes"]);
  });

  it("throws INVALID_PEM when there is no certificate, and names a broken one", async () => {
    const keyPem = await readFile(join(dir, "ca-rsa.key"), "utf8");
    expect(() => parseCertificates(keyPem)).toThrowError(/found PRIVATE KEY/);
    expect(() => parseCertificates("")).toThrowError(/No PEM block/);
    const broken = encodePem("CERTIFICATE", new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]));
    expect(() => parseCertificates(`${fixtures["ca-rsa"]}${broken}`)).toThrowError(/Certificate #2 of the bundle/);
  });
});

describe("parseCsr / verifyCsr", () => {
  it("reads subject, key and requested extensions like @peculiar/x509, and verifies the signature", async () => {
    await writeFile(
      join(dir, "req.cnf"),
      "[req]\ndistinguished_name=dn\nreq_extensions=ext\n[dn]\n[ext]\nsubjectAltName=DNS:w1,IP:10.0.0.7,IP:fd00::7\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n",
    );
    await key("req", "p384");
    await opensslOk(
      ["req", "-new", "-key", "req.key", "-subj", "/O=system:nodes/CN=system:node:w1", "-config", "req.cnf"],
      { cwd: dir },
    ).then((pem) => writeFile(join(dir, "req.csr"), pem));
    const pem = await readFile(join(dir, "req.csr"), "utf8");
    const csr = parseCsr(pem);
    expect(csr).toMatchObject({
      subject: { commonName: "system:node:w1", organizations: ["system:nodes"] },
      subjectText: "/O=system:nodes/CN=system:node:w1",
      subjectAltNames: [
        { type: "dns", value: "w1" },
        { type: "ip", value: "10.0.0.7" },
        { type: "ip", value: "fd00::7" },
      ],
      keyUsages: ["digitalSignature"],
      extKeyUsages: ["clientAuth"],
      keyAlgorithm: "ECDSA-P384",
      keyBits: 384,
      // openssl signs with SHA-256 whatever the curve (Go would pick SHA-384 for P-384).
      signatureAlgorithm: "1.2.840.10045.4.3.2",
    });
    const x = new Pkcs10CertificateRequest(pem);
    expect(csr.publicKeyInfo).toEqual(new Uint8Array(x.publicKey.rawData));
    expect(csr.signatureValue).toEqual(new Uint8Array(x.signature));
    expect(csr.der).toEqual(new Uint8Array(x.rawData));
    expect(csr.pem).toBe(pem);
    expect((await verifyCsr(pem)).subjectText).toBe(csr.subjectText);
    expect(await verifyCsr(csr)).toBe(csr);
    expect(await opensslOk(["req", "-in", "req.csr", "-noout", "-verify"], { cwd: dir })).toBeDefined();
  });

  it("accepts NEW CERTIFICATE REQUEST and a CSR without extensions", async () => {
    const pem = await readFile(join(dir, "apiserver.csr"), "utf8");
    const legacy = pem.replace(/CERTIFICATE REQUEST/g, "NEW CERTIFICATE REQUEST");
    const csr = parseCsr(legacy);
    expect(csr).toMatchObject({ subjectText: "/CN=kube-apiserver", subjectAltNames: [], keyUsages: undefined });
    await expect(verifyCsr(legacy)).resolves.toBeDefined();
  });

  it("reports a tampered request as SIGNATURE_INVALID and a certificate as INVALID_PEM", async () => {
    const csr = parseCsr(await readFile(join(dir, "node-p256.csr"), "utf8"));
    const der = csr.der.slice();
    // Flip a byte inside the CN value: still valid DER, no longer what was signed.
    const at = der.indexOf(0x77, 20); // "w" of "w1"
    der[at] = 0x78;
    await expect(verifyCsr(der)).rejects.toMatchObject({ code: "SIGNATURE_INVALID" });
    expect(() => parseCsr(fixtures["ca-rsa"] as string)).toThrowError(/found CERTIFICATE/);
  });
});
