/**
 * What every Node contender shares: its arguments and the one JSON line it prints last, which the
 * harness reads (in-process time from after the imports to the end of the work, and the peak RSS
 * the process saw, for machines without GNU time).
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

/** `--name value` pairs of the child's argv. */
export function childArgs(argv = process.argv.slice(2)) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, "")] = argv[i + 1];
  return args;
}

/** Runs `work` and prints `{ inProcessMs, maxRssKb, ...extra }` as the last line of stdout. */
export async function report(work) {
  const start = performance.now();
  const extra = (await work()) ?? {};
  const inProcessMs = performance.now() - start;
  process.stdout.write(`${JSON.stringify({ inProcessMs, maxRssKb: process.resourceUsage().maxRSS, ...extra })}\n`);
}

/** At most `limit` tasks in flight, started in submission order (as kubepki's own pool). */
export function createLimiter(limit) {
  let active = 0;
  const waiting = [];
  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) {
      active++;
      next();
    }
  };
  return (task) => {
    const start = () => task().finally(release);
    if (active < limit) {
      active++;
      return start();
    }
    return new Promise((resolve) => waiting.push(resolve)).then(start);
  };
}

/**
 * The workload a WebCrypto contender runs, read once: the JSON from `--workload`, and the
 * WebCrypto parameters and default concurrency every such contender uses (kubepki's: 8 RSA keys
 * in flight, 32 ECDSA), so the floor and the @peculiar/x509 anchor cannot drift apart.
 */
export function loadWorkload(args) {
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
  // The signer's key picks the hash, as Go (and kubepki) do: SHA-256 for RSA and P-256, SHA-384 for P-384.
  const signParams = rsa
    ? { name: "RSASSA-PKCS1-v1_5" }
    : { name: "ECDSA", hash: workload.keyAlgorithm === "ECDSA-P384" ? "SHA-384" : "SHA-256" };
  const concurrency = Number(args.concurrency ?? (rsa ? 8 : 32));
  return { workload, rsa, keyParams, signParams, concurrency };
}
