import { existsSync } from "node:fs";
import { CliError } from "./cli-error.js";
import { errnoError } from "./fs-error.js";
import type { FsOperation, WriteHooks } from "./write-tree.js";

/**
 * The write path's test hooks, from the environment (read by the CLI's commands only, never by
 * the library): deterministic points at which tests interrupt or fail a write.
 * - `KUBEPKI_TEST_PAUSE_AFTER_RENAME=k`: after the k-th rename of the commit, print
 *   `kubepki: paused after rename k` on stderr and wait (the test then sends a signal), until
 *   the file named by `KUBEPKI_TEST_RESUME_FILE` exists, if set.
 * - `KUBEPKI_TEST_FAULT=operation:n:CODE` (`rename:3:EIO`, `write:1:ENOSPC`, `mkdir:*:EACCES`):
 *   the n-th (or every) `operation` fails with that error code, as node:fs would.
 */
export function testHooksFromEnv(env: NodeJS.ProcessEnv = process.env): WriteHooks {
  const hooks: { -readonly [K in keyof WriteHooks]: WriteHooks[K] } = {};
  const pauseAt = env.KUBEPKI_TEST_PAUSE_AFTER_RENAME;
  if (pauseAt !== undefined) {
    const k = Number(pauseAt);
    hooks.afterRename = (count) => {
      if (count !== k) return undefined;
      process.stderr.write(`kubepki: paused after rename ${k}\n`);
      const resumeFile = env.KUBEPKI_TEST_RESUME_FILE;
      return new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (resumeFile !== undefined && existsSync(resumeFile)) {
            clearInterval(timer);
            resolve();
          }
        }, 10);
      });
    };
  }
  const fault = env.KUBEPKI_TEST_FAULT;
  if (fault !== undefined) {
    const [operation, nth, code] = fault.split(":");
    if (!operation || !nth || !code)
      throw new CliError("USAGE", `KUBEPKI_TEST_FAULT: expected operation:n:CODE, got ${fault}`, 2);
    let seen = 0;
    hooks.fault = (op: FsOperation, path: string) => {
      if (op !== operation) return;
      seen++;
      if (nth === "*" || Number(nth) === seen) throw errnoError(code, op, path);
    };
  }
  return hooks;
}
