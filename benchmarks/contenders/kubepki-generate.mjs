// kubepki generateCluster, in memory: every key, certificate and PEM of the cluster. Imported
// the way Node resolves `import { generateCluster } from "@kubepki/k8s-profiles/generate"` (the
// "node" export condition: dist/node/), as a program that only generates does; the main entry
// would also load the audit's certificate parser and yaml (startup/entries.test.ts).
// Usage: node kubepki-generate.mjs --workers N --alg ECDSA-P256 [--concurrency C]
import { generateCluster } from "../../packages/k8s-profiles/dist/node/generate-entry.js";
import { childArgs, report } from "../lib/child.mjs";
import { clusterConfig } from "../lib/workload.mjs";

const args = childArgs();
await report(async () => {
  const options = args.concurrency ? { concurrency: Number(args.concurrency) } : {};
  const pki = await generateCluster(clusterConfig(Number(args.workers), args.alg), options);
  return { certificates: pki.certificates.length, keys: pki.certificates.length + 1 };
});
