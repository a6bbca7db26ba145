/**
 * Bounded concurrency for WebCrypto work. Node runs `subtle.generateKey` on the libuv thread pool
 * (4 threads by default), so starting hundreds of RSA key generations at once only queues them
 * there while holding their promises and buffers in memory; a small window keeps every thread busy
 * without that. Browsers, Deno and Bun behave alike for our purposes.
 *
 * @internal Not re-exported from the index.
 */

/**
 * Runs a task once fewer than `limit` tasks started through it are still running; tasks start in
 * the order they were submitted (FIFO), which `generateCluster` relies on so that CA keys, first
 * in the plan, are made first.
 *
 * @internal
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Makes a {@link Limiter} allowing `limit` tasks in flight. `limit` must be a positive integer
 * (checked by the caller, which names the option in its error).
 *
 * @internal
 */
export function createLimiter(limit: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) {
      active++;
      next();
    }
  };
  return <T>(task: () => Promise<T>): Promise<T> => {
    const start = (): Promise<T> => {
      let running: Promise<T>;
      try {
        running = task();
      } catch (error) {
        running = Promise.reject(error);
      }
      return running.finally(release);
    };
    if (active < limit) {
      active++;
      return start();
    }
    // The slot is handed over by `release` (active is incremented there), so a task queued here
    // cannot be overtaken by one submitted later.
    return new Promise<void>((resolve) => waiting.push(resolve)).then(start);
  };
}
