import { CliError } from "./cli-error.js";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** What a write in progress does on Ctrl-C / SIGTERM / SIGHUP, and whether that happened. */
export interface InterruptGuard {
  /** True once a signal arrived and `undo` ran. */
  readonly interrupted: boolean;
  /** Throws the typed "interrupted" error when a signal arrived: call after each await. */
  throwIfInterrupted(): void;
  /** Removes the handlers (idempotent). Nothing of this guard stays installed in the process. */
  dispose(): void;
}

/**
 * Installs handlers for SIGINT, SIGTERM and SIGHUP for the duration of one write. On a signal,
 * `undo` runs synchronously (it must use sync fs calls: the process may exit right after), the
 * handlers are removed, and the process exits with 130 unless someone else also listens to that
 * signal (an application embedding the library then decides; the pending write fails with
 * `INTERRUPTED`). Handlers are per call, never left installed: a library must not change how the
 * host process reacts to signals once it returns.
 */
export function guardInterrupts(undo: () => void): InterruptGuard {
  let interrupted = false;
  let installed = true;
  const dispose = () => {
    if (!installed) return;
    installed = false;
    for (const signal of SIGNALS) process.off(signal, handler);
  };
  function handler(signal: NodeJS.Signals) {
    if (interrupted) return;
    interrupted = true;
    try {
      undo();
    } finally {
      dispose();
      // Each concurrent write has its own handler: the last one to run exits, after all undid.
      if (process.listenerCount(signal) === 0) process.exit(130);
    }
  }
  for (const signal of SIGNALS) process.on(signal, handler);
  return {
    get interrupted() {
      return interrupted;
    },
    throwIfInterrupted() {
      if (interrupted) throw new CliError("INTERRUPTED", "interrupted; the tree was rolled back to what it was", 130);
    },
    dispose,
  };
}

/**
 * Ctrl-C / SIGTERM while keys are being generated (init, apply): aborts `controller`, so the run
 * stops cleanly before anything is written. Returns the function that removes the handlers.
 */
export function abortOnSignals(controller: AbortController): () => void {
  const handler = () => controller.abort();
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}
