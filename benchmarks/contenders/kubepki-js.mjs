// kubepki's own JavaScript: generateCluster with a WebCrypto stand-in whose calls cost (almost)
// nothing — keys handed out from a few made beforehand, their JWKs exported beforehand, a fixed
// signature. What is left of the in-process time is what kubepki itself does per certificate
// (planning, encoding, PEM, bookkeeping, garbage collection): the part of generateCluster's
// time that is not WebCrypto's. The certificates it makes are not valid (one signature for all).
// With --warm-up R, generateCluster first runs R times untimed in the same process, so the timed
// run measures kubepki's JavaScript once V8 has optimised it: what no tiering or compilation costs.
// Usage: node kubepki-js.mjs --workers N --alg ECDSA-P256 [--warm-up R]
import { generateCluster } from "../../packages/k8s-profiles/dist/node/generate-entry.js";
import { childArgs, report } from "../lib/child.mjs";
import { clusterConfig } from "../lib/workload.mjs";

const args = childArgs();
const real = globalThis.crypto.subtle;
const curve = `P-${args.alg.slice(7)}`;
const params = { name: "ECDSA", namedCurve: curve };
const size = curve === "P-384" ? 48 : 32;

// Made before the clock starts: 16 key pairs and their private JWKs.
const pool = [];
for (let i = 0; i < 16; i++) {
  const pair = await real.generateKey(params, true, ["sign", "verify"]);
  pool.push({ pair, jwk: await real.exportKey("jwk", pair.privateKey) });
}
const jwkOf = new Map(pool.map(({ pair, jwk }) => [pair.privateKey, jwk]));
const signature = new Uint8Array(2 * size).fill(0x5a);
let next = 0;
const standIn = {
  getRandomValues: (array) => globalThis.crypto.getRandomValues(array),
  subtle: {
    generateKey: async () => pool[next++ % pool.length].pair,
    exportKey: async (format, key) => {
      const jwk = format === "jwk" ? jwkOf.get(key) : undefined;
      return jwk ? { ...jwk } : real.exportKey(format, key);
    },
    sign: async () => signature.slice().buffer,
    // generateCluster proves each CA key against its certificate once.
    verify: async () => true,
    importKey: (...rest) => real.importKey(...rest),
    digest: (...rest) => real.digest(...rest),
  },
};

const config = () => clusterConfig(Number(args.workers), args.alg);
const warmUp = Number(args["warm-up"] ?? 0);
for (let round = 0; round < warmUp; round++) await generateCluster(config(), { crypto: standIn });
// The warm-up rounds' results are garbage now: collected here (run.mjs passes --expose-gc), not
// by a major GC in the middle of the timed run.
if (warmUp > 0) globalThis.gc?.();

await report(async () => {
  const pki = await generateCluster(config(), { crypto: standIn });
  return { certificates: pki.certificates.length, keys: pki.certificates.length + 1 };
});
