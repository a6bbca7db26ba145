// Builds the seed tutorial's certificate directory by running the tutorial's own openssl commands
// (shared/seed/openssl-k8s-certificates-tutorial.txt) in a temporary directory, exactly as a
// reader would. Only two things are fixed, both needed for the commands to run at all:
// - the copy/paste artefacts `$ $ openssl` and `\$ openssl` (reference §7 item 30);
// - the printed openssl.cnf lacks the `[req_distinguished_name]` section its `[req]` names, which
//   OpenSSL 3 refuses (§7 item 12): the empty section is appended, nothing else.
// Everything else — `openssl x509 -req -CA …` that drops the SANs, no `-days`, the v1 CA, the
// subjects — is kept as printed. The two kubeconfigs are the tutorial's, re-indented (the seed text
// lost its indentation).
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

export const SEED_PATH = fileURLToPath(
  new URL("../../../../../shared/seed/openssl-k8s-certificates-tutorial.txt", import.meta.url),
);

/** Splits a command line the way a POSIX shell would for these commands (double quotes only). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|(\S+)/g)) words.push(match[1] ?? match[2] ?? "");
  return words;
}

/** The openssl command lines of the seed, in order, with the `$ $` / `\$` artefacts removed. */
export function tutorialOpensslCommands(seed: string): string[][] {
  const commands: string[][] = [];
  for (const line of seed.split("\n")) {
    // "…system.$ openssl genrsa …", "$ $ openssl req …", "\$ openssl x509 …"
    const match = /(?:\\?\$\s+)+openssl\s+(.*)$/.exec(line);
    if (match?.[1]) commands.push(shellWords(match[1]));
  }
  return commands;
}

/** The tutorial's openssl.cnf, as printed, plus the section OpenSSL 3 needs (§7 item 12). */
export function tutorialOpensslCnf(seed: string): string {
  const start = seed.indexOf("[req]\n");
  const end = seed.indexOf("IP.2 = 172.17.0.87");
  if (start < 0 || end < 0) throw new Error("openssl.cnf not found in the seed");
  const printed = seed.slice(start, end + "IP.2 = 172.17.0.87".length);
  return `${printed}\n\n[req_distinguished_name]\n`;
}

// The tutorial's kubeconfigs ("kube-config.yaml", "kubelet-client-config.yaml"), indentation restored.
export const TUTORIAL_KUBECONFIGS: Record<string, string> = {
  "kube-config.yaml": `apiVersion: v1
clusters:
- cluster:
    certificate-authority: ca.crt
    server: https://kube-apiserver:6443
  name: kubernetes
kind: Config
users:
- name: kubernetes-admin
  user:
    client-certificate: admin.crt
    client-key: admin.key
`,
  "kubelet-client-config.yaml": `apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    certificate-authority: "/var/lib/kubernetes/ca.pem"
    server: https://\${KUBELET_HOSTNAME}:6443
contexts:
- context:
    cluster: local
    user: kubelet-node01
  name: kubelet-node01-context
current-context: kubelet-node01-context
users:
- name: kubelet-node01
  user:
    client-certificate: /var/lib/kubelet/kubelet-client-node01.crt
    client-key: /var/lib/kubelet/kubelet-client-node01.key
`,
};

/**
 * Runs the tutorial in a fresh temporary directory and returns every file it leaves (keys, CSRs,
 * certificates, openssl.cnf, the kubeconfigs) as a path → text map, plus the commands that ran.
 */
export async function buildTutorialTree(): Promise<{ files: Map<string, string>; commands: string[][] }> {
  const seed = await readFile(SEED_PATH, "utf8");
  const dir = await mkdtemp(join(tmpdir(), "kubepki-tutorial-"));
  try {
    await writeFile(join(dir, "openssl.cnf"), tutorialOpensslCnf(seed));
    const commands = tutorialOpensslCommands(seed);
    for (const args of commands) {
      await run("openssl", args, { cwd: dir, timeout: 60_000 });
    }
    for (const [name, text] of Object.entries(TUTORIAL_KUBECONFIGS)) await writeFile(join(dir, name), text);
    const files = new Map<string, string>();
    for (const name of (await readdir(dir)).sort()) files.set(name, await readFile(join(dir, name), "utf8"));
    return { files, commands };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
