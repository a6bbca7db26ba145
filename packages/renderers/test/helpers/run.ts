// External programs for the renderers' tests: kubectl and openssl check what the renderers write.
// The runner is shared by every package's tests (core's test helpers).
import { tempDir as sharedTempDir } from "../../../core/test/helpers/run-command.js";

export { type RunResult, run, runOk } from "../../../core/test/helpers/run-command.js";

/** Real kubectl 1.33 that never dials the server (the plain `kubectl` on PATH would). */
export const KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33";

/** A fresh temporary directory and a function that removes it. */
export function tempDir(prefix = "kubepki-renderers-"): Promise<{ path: string; cleanup: () => Promise<void> }> {
  return sharedTempDir(prefix);
}
