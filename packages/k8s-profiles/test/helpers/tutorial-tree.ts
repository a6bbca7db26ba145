// Builds the directory a reader of the openssl tutorial ends up with, by running the tutorial's
// steps (test/fixtures/openssl-tutorial/tutorial.sh: its openssl commands, openssl.cnf and
// kubeconfigs, its mistakes kept) with bash and openssl in a fresh temporary directory. What the
// script keeps and the two things it fixes so the commands run at all are listed in its header;
// the mistakes themselves are section 7 of docs/reference/kubeadm-pki.md.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The tutorial's steps as a shell script, inside the repository. */
export const TUTORIAL_SCRIPT = fileURLToPath(new URL("../fixtures/openssl-tutorial/tutorial.sh", import.meta.url));

/**
 * Runs the tutorial in a fresh temporary directory and returns every file it leaves (keys, CSRs,
 * certificates, openssl.cnf, the kubeconfigs) as a path → text map.
 */
export async function buildTutorialTree(): Promise<{ files: Map<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), "kubepki-tutorial-"));
  try {
    // Twenty RSA keys: well under a minute even on a busy machine; the bound only stops a hang.
    await run("bash", [TUTORIAL_SCRIPT], { cwd: dir, timeout: 120_000 });
    const files = new Map<string, string>();
    for (const name of (await readdir(dir)).sort()) files.set(name, await readFile(join(dir, name), "utf8"));
    return { files };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
