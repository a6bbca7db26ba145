// The WebCrypto floor: only crypto.subtle.generateKey once per key and sign once per
// certificate, over a certificate-sized buffer, with kubepki's concurrency. No encoding, no
// export, no files: nothing made with WebCrypto can be faster than this.
// Usage: node floor.mjs --workload FILE.json [--concurrency C]
import { readFileSync } from "node:fs";
import { childArgs, createLimiter, report } from "../lib/child.mjs";

const args = childArgs();
const workload = JSON.parse(readFileSync(args.workload, "utf8"));
const rsa = workload.keyAlgorithm.startsWith("RSA");
const keyParams = rsa
  ? {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: Number(workload.keyAlgorithm.slice(4)),
      publicExponent: Uint8Array.of(1, 0, 1),
      hash: "SHA-256",
    }
  : { name: "ECDSA", namedCurve: `P-${workload.keyAlgorithm.slice(7)}` };
const signParams = rsa
  ? { name: "RSASSA-PKCS1-v1_5" }
  : { name: "ECDSA", hash: workload.keyAlgorithm === "ECDSA-P384" ? "SHA-384" : "SHA-256" };
// A TBSCertificate of this workload is ~500-900 bytes (RSA keys are bigger).
const tbs = crypto.getRandomValues(new Uint8Array(rsa ? 900 : 550));
const concurrency = Number(args.concurrency ?? (rsa ? 8 : 32));

await report(async () => {
  const limit = createLimiter(concurrency);
  const newKey = () => limit(() => crypto.subtle.generateKey(keyParams, true, ["sign", "verify"]));
  // Each CA's key pair, for its leaves; CAs come first in the plan, so a leaf always finds its CA.
  const caKeys = new Map();
  const made = workload.certificates.map(async (spec) => {
    const keys = newKey();
    if (spec.isCa) caKeys.set(spec.id, keys);
    const signer = spec.signer === "self" ? await keys : await caKeys.get(spec.signer);
    await keys;
    return crypto.subtle.sign(signParams, signer.privateKey, tbs);
  });
  await Promise.all([...made, newKey()]);
  return { certificates: made.length, keys: made.length + 1, concurrency };
});
