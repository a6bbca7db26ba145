// Child script of object-shapes.test.ts, run with --allow-natives-syntax: does V8 keep the
// objects kubepki makes by the thousand in fast mode? Prints one JSON line.
import {
  createSelfSignedCa,
  generateKeyPair,
  issueCertificate,
  parseCertificate,
} from "../../packages/core/dist/node/index.js";
import { generateCluster } from "../../packages/k8s-profiles/dist/node/index.js";

// V8 intrinsics, compiled at run time (they are not JavaScript syntax without the flag).
const fast = new Function("value", "return %HasFastProperties(value)");
const sameMap = new Function("a", "b", "return %HaveSameMap(a, b)");
const keys = await generateKeyPair("ECDSA-P256");
const ca = await createSelfSignedCa({ keyPair: keys, subject: { commonName: "shapes-ca" } });
const leafKeys = await generateKeyPair("ECDSA-P256");
const leaf = await issueCertificate({
  issuer: { certificate: ca, privateKey: keys.privateKey },
  publicKey: leafKeys.publicKey,
  subject: { commonName: "leaf" },
});
const parsed = parseCertificate(leaf.pem);
const pki = await generateCluster({
  keyAlgorithm: "ECDSA-P256",
  nodes: [{ name: "cp-1", role: "control-plane", addresses: ["10.0.0.10"] }],
});
// Reading the lazy fields must not change the shape either.
void parsed.fingerprintSha256;
void parsed.pem;
void leaf.fingerprintSha256;
process.stdout.write(
  `${JSON.stringify({
    created: fast(ca) && fast(leaf),
    parsed: fast(parsed) && fast(parseCertificate(ca.der)),
    generated: pki.certificates.every((entry) => fast(entry.certificate)),
    sameShape: sameMap(ca, leaf) && sameMap(pki.certificates[0].certificate, pki.certificates[5].certificate),
  })}\n`,
);
