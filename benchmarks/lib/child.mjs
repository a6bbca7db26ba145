/**
 * What every Node contender shares: its arguments and the one JSON line it prints last, which the
 * harness reads (in-process time from after the imports to the end of the work, and the peak RSS
 * the process saw, for machines without GNU time).
 */
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
