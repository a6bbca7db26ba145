/**
 * Items handled per turn of the event loop by {@link eachInBatches}: a few milliseconds of
 * synchronous file-system calls, so a Ctrl-C waits no longer than that to be handled.
 */
const BATCH = 128;

/**
 * Runs the synchronous `task` for every item, `BATCH` at a time, letting the event loop run
 * between two batches (signal handlers, the interrupt guard). A throw stops at once: no item after
 * it is started.
 *
 * Why synchronous calls on the main thread: a write of one small file with `fs/promises` is four
 * round trips to the thread pool (open, write, chmod, close), each with its promise and `FileHandle`
 * bookkeeping on the main thread. For the ~7000 files and ~3000 directories of a 1000-node tree that
 * bookkeeping was most of `init` (ext4, 2 cores: 0.8-2.0 s with 16 in flight, 0.2-0.9 s with the same
 * calls made synchronously, benchmarks/README.md); the kernel does the same work either way.
 */
export async function eachInBatches<T>(items: readonly T[], task: (item: T) => void): Promise<void> {
  for (let start = 0; start < items.length; start += BATCH) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const end = Math.min(start + BATCH, items.length);
    for (let i = start; i < end; i++) task(items[i] as T);
  }
}
