// @peculiar/x509 making the same tree (the JavaScript anchor): WebCrypto keys with kubepki's
// concurrency, X509CertificateGenerator with the same extensions, certificates and private keys
// as PEM, in memory.
// Usage: node peculiar.mjs --workload FILE.json [--concurrency C]
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { childArgs, createLimiter, loadWorkload, report } from "../lib/child.mjs";

const args = childArgs();
const { workload, keyParams, signParams: signingAlgorithm, concurrency } = loadWorkload(args);
x509.cryptoProvider.set(crypto);

const FLAGS = x509.KeyUsageFlags;
const EKU = { serverAuth: x509.ExtendedKeyUsage.serverAuth, clientAuth: x509.ExtendedKeyUsage.clientAuth };
const DAY = 24 * 60 * 60 * 1000;
const now = Date.now();
const pem = (label, der) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END ${label}-----\n`;

await report(async () => {
  const limit = createLimiter(concurrency);
  const newKeys = () => limit(() => crypto.subtle.generateKey(keyParams, true, ["sign", "verify"]));
  const cas = new Map();
  const made = workload.certificates.map(async (spec) => {
    const keysPromise = newKeys();
    const extensions = [
      new x509.BasicConstraintsExtension(spec.isCa, undefined, true),
      new x509.KeyUsagesExtension(
        spec.keyUsages.reduce((flags, usage) => flags | FLAGS[usage], 0),
        true,
      ),
    ];
    if (spec.extKeyUsages.length > 0) {
      extensions.push(new x509.ExtendedKeyUsageExtension(spec.extKeyUsages.map((usage) => EKU[usage])));
    }
    const names = [
      ...spec.dns.map((value) => ({ type: "dns", value })),
      ...spec.ip.map((value) => ({ type: "ip", value })),
    ];
    if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
    const subject = spec.subject.map(([type, value]) => ({ [type]: [value] }));
    const validity = { notBefore: new Date(now - 5 * 60 * 1000), notAfter: new Date(now + spec.validityDays * DAY) };
    let certificate;
    if (spec.isCa) {
      const entry = (async () => {
        const keys = await keysPromise;
        extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
        const cert = await x509.X509CertificateGenerator.createSelfSigned({
          name: subject,
          keys,
          ...validity,
          extensions,
          signingAlgorithm,
        });
        return { keys, cert };
      })();
      cas.set(spec.id, entry);
      const { keys, cert } = await entry;
      certificate = cert;
      return { certificate: certificate.toString("pem"), key: pem("PRIVATE KEY", await exportPkcs8(keys)) };
    }
    const keys = await keysPromise;
    const ca = await cas.get(spec.signer);
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(ca.cert));
    certificate = await x509.X509CertificateGenerator.create({
      subject,
      issuer: ca.cert.subjectName,
      publicKey: keys.publicKey,
      signingKey: ca.keys.privateKey,
      ...validity,
      extensions,
      signingAlgorithm,
    });
    return { certificate: certificate.toString("pem"), key: pem("PRIVATE KEY", await exportPkcs8(keys)) };
  });
  const sa = newKeys().then(async (keys) => pem("PRIVATE KEY", await exportPkcs8(keys)));
  const results = await Promise.all([...made, sa]);
  return { certificates: results.length - 1, keys: results.length, concurrency };
});

function exportPkcs8(keys) {
  return crypto.subtle.exportKey("pkcs8", keys.privateKey);
}
