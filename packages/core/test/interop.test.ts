/**
 * Everything core writes, read back by independent implementations: openssl 3 (x509 -text,
 * req -verify, verify -purpose) and @peculiar/x509, for every key algorithm:
 * generate → CSR → CA-signed leaf → parse back.
 */
import "reflect-metadata";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCsr,
  createSelfSignedCa,
  exportPrivateKeyPem,
  generateKeyPair,
  issueCertificate,
  KEY_ALGORITHMS,
  parseCertificate,
  parseCsr,
  verifyChain,
} from "../src/index.js";
import { openssl, opensslOk, tempDir } from "./helpers/openssl.js";

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await dir.cleanup();
});

const subject = { commonName: "system:node:wörker-1", organizations: ["system:nodes", "ops team"] };
const sans = [
  "worker-1",
  "worker-1.example.com",
  "192.168.10.21",
  "fd00:10::21",
  "spiffe://cluster.local/node/worker-1",
];

describe.each(KEY_ALGORITHMS.map((algorithm) => [algorithm]))("%s: generate → CSR → CA-signed leaf", (algorithm) => {
  it("is read identically by openssl, @peculiar/x509 and parseCertificate", async () => {
    const caKeys = await generateKeyPair(algorithm);
    const ca = await createSelfSignedCa({ keyPair: caKeys, subject: { commonName: `ca-${algorithm.toLowerCase()}` } });
    const leafKeys = await generateKeyPair(algorithm);
    const csr = await createCsr({ keyPair: leafKeys, subject, sans });
    const leaf = await issueCertificate({
      issuer: { certificate: ca, privateKey: caKeys.privateKey },
      csr: parseCsr(csr.pem),
      extKeyUsages: ["serverAuth", "clientAuth"],
    });

    const base = join(dir.path, algorithm);
    await writeFile(`${base}-ca.crt`, ca.pem);
    await writeFile(`${base}-leaf.crt`, leaf.pem);
    await writeFile(`${base}-leaf.csr`, csr.pem);
    await writeFile(`${base}-leaf.key`, await exportPrivateKeyPem(leafKeys), { mode: 0o600 });

    // openssl: the CSR's self-signature, the chain for both TLS purposes, and the decoded fields.
    const reqVerify = await openssl(["req", "-verify", "-noout", "-in", `${base}-leaf.csr`]);
    expect(reqVerify.code, reqVerify.stderr).toBe(0);
    expect(reqVerify.stdout + reqVerify.stderr).toMatch(/verify OK/i);
    for (const purpose of ["sslserver", "sslclient"]) {
      const verified = await openssl(["verify", "-purpose", purpose, "-CAfile", `${base}-ca.crt`, `${base}-leaf.crt`]);
      expect(verified.stdout.trim(), verified.stderr).toBe(`${base}-leaf.crt: OK`);
    }
    const text = await opensslOk([
      "x509",
      "-noout",
      "-text",
      "-nameopt",
      "utf8,sep_comma_plus_space",
      "-in",
      `${base}-leaf.crt`,
    ]);
    expect(text).toContain("Version: 3 (0x2)");
    expect(text).toContain("Subject: O=ops team + O=system:nodes, CN=system:node:wörker-1");
    expect(text).toContain(
      "DNS:worker-1, DNS:worker-1.example.com, IP Address:192.168.10.21, IP Address:FD00:10:0:0:0:0:0:21, URI:spiffe://cluster.local/node/worker-1",
    );
    expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature/);
    expect(text).toMatch(
      /X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication, TLS Web Client Authentication/,
    );
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
    const caText = await opensslOk(["x509", "-noout", "-text", "-in", `${base}-ca.crt`]);
    expect(caText).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE/);
    expect(caText).toContain("X509v3 Subject Key Identifier");
    const expectedHash =
      algorithm === "ECDSA-P384"
        ? "ecdsa-with-SHA384"
        : algorithm === "ECDSA-P256"
          ? "ecdsa-with-SHA256"
          : algorithm === "Ed25519"
            ? "ED25519"
            : "sha256WithRSAEncryption";
    expect(text).toContain(`Signature Algorithm: ${expectedHash}`);
    // The key file belongs to the certificate (openssl compares the public halves).
    const keyPub = await opensslOk(["pkey", "-in", `${base}-leaf.key`, "-pubout"]);
    const certPub = await opensslOk(["x509", "-in", `${base}-leaf.crt`, "-noout", "-pubkey"]);
    expect(keyPub).toBe(certPub);
    const serial = await opensslOk(["x509", "-noout", "-serial", "-in", `${base}-leaf.crt`]);
    expect(serial.trim().toLowerCase()).toBe(
      `serial=${leaf.serialNumber.padStart(leaf.serialNumber.length + (leaf.serialNumber.length % 2), "0")}`,
    );

    // @peculiar/x509, the independent JavaScript parser.
    const peculiar = new x509.X509Certificate(leaf.pem);
    expect(peculiar.subject).toBe("O=ops team+O=system:nodes, CN=system:node:wörker-1");
    expect(peculiar.issuer).toBe(`CN=ca-${algorithm.toLowerCase()}`);
    expect(peculiar.serialNumber).toBe(
      leaf.serialNumber.padStart(leaf.serialNumber.length + (leaf.serialNumber.length % 2), "0"),
    );
    expect(peculiar.notBefore.getTime()).toBe(leaf.notBefore.getTime());
    expect(peculiar.notAfter.getTime()).toBe(leaf.notAfter.getTime());
    const peculiarSans = peculiar.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON();
    expect(peculiarSans).toEqual([
      { type: "dns", value: "worker-1" },
      { type: "dns", value: "worker-1.example.com" },
      { type: "ip", value: "192.168.10.21" },
      { type: "ip", value: "fd00:10::21" },
      { type: "url", value: "spiffe://cluster.local/node/worker-1" },
    ]);
    expect(peculiar.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(peculiar.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
      x509.ExtendedKeyUsage.serverAuth,
      x509.ExtendedKeyUsage.clientAuth,
    ]);
    expect(await peculiar.verify({ publicKey: new x509.X509Certificate(ca.pem).publicKey, signatureOnly: true })).toBe(
      true,
    );
    expect(new x509.Pkcs10CertificateRequest(csr.pem).subject).toBe(peculiar.subject);
    expect(await new x509.Pkcs10CertificateRequest(csr.pem).verify()).toBe(true);

    // kubepki's own parser reads back exactly what issueCertificate reported.
    const parsed = parseCertificate(leaf.pem);
    const { tbsDer: _t, signatureValue: _s, ...reported } = leaf;
    const { tbsDer: _pt, signatureValue: _ps, ...reparsed } = parsed;
    expect(reparsed).toEqual(reported);
    expect(parseCsr(csr.pem).subjectAltNames).toEqual(leaf.subjectAltNames);
    const chain = await verifyChain(parsed, [], [ca], { usage: "serverAuth", dnsName: "worker-1.example.com" });
    expect(chain.map((c) => c.subjectText)).toEqual([leaf.subjectText, ca.subjectText]);
  });
});
