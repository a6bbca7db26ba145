// The WebCrypto floor: only crypto.subtle.generateKey once per key and sign once per
// certificate, over a certificate-sized buffer, with kubepki's concurrency. No encoding, no
// export, no files: nothing made with WebCrypto can be faster than this.
// With --export jwk, also one exportKey("jwk") per private key: the least a program does that writes
// its key files (kubepki's one export per key), so the distance between the two floors is what
// writing keys costs before any encoding.
// Usage: node floor.mjs --workload FILE.json [--concurrency C] [--export jwk]
import { childArgs, createLimiter, loadWorkload, report } from "../lib/child.mjs";

const args = childArgs();
const exportKeys = args.export === "jwk";
const { workload, rsa, keyParams, signParams, concurrency } = loadWorkload(args);
// A TBSCertificate of this workload is ~500-900 bytes (RSA keys are bigger).
const tbs = crypto.getRandomValues(new Uint8Array(rsa ? 900 : 550));

await report(async () => {
  const limit = createLimiter(concurrency);
  const newKey = () =>
    limit(async () => {
      const keys = await crypto.subtle.generateKey(keyParams, true, ["sign", "verify"]);
      if (exportKeys) await crypto.subtle.exportKey("jwk", keys.privateKey);
      return keys;
    });
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
