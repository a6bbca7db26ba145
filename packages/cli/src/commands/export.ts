import { resolve } from "node:path";
import { ROLE_PROFILES } from "@kubepki/k8s-profiles/plan";
import { type CaSecretInput, renderCaSecrets } from "@kubepki/renderers";
import type { ParsedArgs } from "../args.js";
import { CliError, ExitCode, UsageError } from "../io/cli-error.js";
import { readTree } from "../io/read-tree.js";
import type { Terminal } from "../io/terminal.js";
import { existingPaths, refuseOverwrite, writePrivateFile } from "../io/write-private-file.js";

/** Where a per-node tree keeps a node's /etc/kubernetes. */
const NODE_ROOT = "etc/kubernetes/";

/** The CAs, from the role table: `ca`, `etcd-ca`, `front-proxy-ca` with their files. */
const CAS = ROLE_PROFILES.filter((profile) => profile.isCa).map((profile) => ({
  name: profile.name,
  certificate: `${profile.file.dir}/${profile.file.base}.crt`,
  key: `${profile.file.dir}/${profile.file.base}.key`,
}));

/**
 * `kubepki export DIR --secrets`: the CAs as Kubernetes objects (see renderCaSecrets), on stdout or
 * into `--out` (0600). A per-node tree's CAs are read from its first control-plane folder (in name
 * order, one holding `pki/ca.key`; every control-plane node holds the same shared CAs, as
 * `kubeadm join --control-plane` copies them), else from the first folder with `pki/ca.crt`
 * (an external CA): `admin/` holds kubeconfigs only.
 */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  if (args.flags.secrets !== true) {
    throw new UsageError("export needs --secrets (the one kind of export so far: the CAs as Secrets and ConfigMaps)");
  }
  const given = args.positionals[0] as string;
  const files = await readTree(resolve(given));
  const root = caRoot(given, files);
  const cas: CaSecretInput[] = [];
  for (const ca of CAS) {
    const certificate = files.get(root + ca.certificate);
    if (certificate === undefined) {
      terminal.err(`note: no ${root}${ca.certificate} in ${given}: nothing exported for ${ca.name}\n`);
      continue;
    }
    const key = files.get(root + ca.key);
    if (key === undefined) {
      terminal.err(`note: ${ca.name} has no key in ${given} (an external CA): a ConfigMap only, no Secret\n`);
      cas.push({ name: ca.name, certificate });
    } else if (key.includes("ENCRYPTED PRIVATE KEY")) {
      terminal.err(
        `note: ${root}${ca.key} is encrypted: a ConfigMap only, no Secret (cert-manager cannot use an encrypted key)\n`,
      );
      cas.push({ name: ca.name, certificate });
    } else {
      cas.push({ name: ca.name, certificate, key });
    }
  }
  const namespace = typeof args.flags.namespace === "string" ? args.flags.namespace : undefined;
  const yaml = renderCaSecrets({ cas, ...(namespace === undefined ? {} : { namespace }) });
  if (typeof args.flags.out !== "string") {
    terminal.out(yaml);
    return ExitCode.ok;
  }
  const out = resolve(args.flags.out);
  const force = args.flags.force === true;
  const present = force ? [] : await existingPaths([out]);
  if (present.length > 0) throw refuseOverwrite(present);
  await writePrivateFile(out, new TextEncoder().encode(yaml), force);
  terminal.err(`wrote ${out} (mode 0600: it holds CA keys)\n`);
  return ExitCode.ok;
}

/** "" for today's layout (DIR is /etc/kubernetes), `<node>/etc/kubernetes/` for a per-node tree. */
function caRoot(given: string, files: ReadonlyMap<string, string>): string {
  const [cluster] = CAS;
  if (cluster === undefined || files.has(cluster.certificate)) return "";
  const nodes = new Set<string>();
  for (const path of files.keys()) {
    const slash = path.indexOf("/");
    if (slash > 0 && path.startsWith(NODE_ROOT, slash + 1)) nodes.add(path.slice(0, slash));
  }
  const roots = [...nodes].sort().map((node) => `${node}/${NODE_ROOT}`);
  const root =
    roots.find((candidate) => files.has(candidate + cluster.key)) ??
    roots.find((candidate) => files.has(candidate + cluster.certificate));
  if (root === undefined) {
    throw new CliError(
      "NOT_A_TREE",
      `${given} holds no ${cluster.certificate}, at its top or in a node folder (<node>/${NODE_ROOT}${cluster.certificate}): nothing to export`,
    );
  }
  return root;
}
