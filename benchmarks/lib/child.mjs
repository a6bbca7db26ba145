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

/**
 * CPU time the calling (main) thread has used, in ms, from Linux's /proc (10 ms ticks: USER_HZ is
 * 100 for every Linux userspace); undefined elsewhere. Node 20 has no per-thread CPU clock
 * (`process.threadCpuUsage` came in Node 23.9).
 */
function mainThreadCpuMs() {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime (fields 14 and 15)
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` and prints `{ inProcessMs, maxRssKb, eventLoopBusy, cpuMs, mainThreadCpuMs, ...extra }`
 * as the last line of stdout. The last three say where in-process time goes: `eventLoopBusy` is
 * the share of the window the event loop was running JavaScript rather than waiting (near 1: the
 * main thread, not WebCrypto's thread pool, sets the pace), `cpuMs` the CPU time of all the
 * process's threads, `mainThreadCpuMs` that of the main thread alone (Linux).
 */
export async function report(work) {
  const loop = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpuMs();
  const start = performance.now();
  const extra = (await work()) ?? {};
  const inProcessMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const mainCpuEnd = mainThreadCpuMs();
  const measured = {
    inProcessMs,
    maxRssKb: process.resourceUsage().maxRSS,
    eventLoopBusy: performance.eventLoopUtilization(loop).utilization,
    cpuMs: (used.user + used.system) / 1000,
    mainThreadCpuMs: mainCpu === undefined || mainCpuEnd === undefined ? undefined : mainCpuEnd - mainCpu,
  };
  process.stdout.write(`${JSON.stringify({ ...measured, ...extra })}\n`);
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
