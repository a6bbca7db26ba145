// A correct cluster tree made with nothing but openssl commands, the way a careful reader would
// fix the tutorial: kubeadm's subjects and SANs (taken from planCluster), usages and SANs given
// to `openssl x509 -req` with -extfile (so nothing is dropped), separate etcd and front-proxy CAs,
// -days on everything, EC P-256 keys. Kubeconfigs embed their client pairs as kubeadm does.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { renderKubeconfig } from "@kubepki/renderers";
import { signCsrArgs } from "../../../core/test/helpers/openssl-args.js";
import { type CertSpec, type ClusterConfig, planCluster } from "../../src/index.js";

const run = promisify(execFile);

const CA_FILES: Record<string, string> = {
  ca: "pki/ca",
  "etcd-ca": "pki/etcd/ca",
  "front-proxy-ca": "pki/front-proxy-ca",
};

function extensions(spec: CertSpec): string {
  const lines = spec.isCa
    ? ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign"]
    : [
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature,keyEncipherment",
        `extendedKeyUsage=${spec.extKeyUsages.join(",")}`,
      ];
  if (spec.sans.length > 0) {
    lines.push(
      `subjectAltName=${spec.sans.map((san) => `${san.type === "ip" ? "IP" : "DNS"}:${san.value}`).join(",")}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function subj(spec: CertSpec): string {
  return `/CN=${spec.subject.commonName}${(spec.subject.organizations ?? []).map((group) => `/O=${group}`).join("")}`;
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(root, path)));
    else out.push(relative(root, path));
  }
  return out;
}

/** Builds the tree with openssl and returns it as path → text (CSRs, ext files and serial files left out). */
export async function buildOpensslTree(config: ClusterConfig): Promise<Map<string, string>> {
  const plan = planCluster(config);
  const dir = await mkdtemp(join(tmpdir(), "kubepki-openssl-tree-"));
  const openssl = (...args: string[]) => run("openssl", args, { cwd: dir, timeout: 30_000 });
  try {
    for (const spec of plan.certificates) {
      await mkdir(join(dir, dirname(spec.certPath)), { recursive: true });
      await openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", spec.keyPath);
      if (spec.isCa) {
        await openssl(
          "req",
          "-x509",
          "-new",
          "-key",
          spec.keyPath,
          "-subj",
          subj(spec),
          "-days",
          String(spec.validityDays),
          "-addext",
          "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
          "-addext",
          `subjectAltName=DNS:${spec.subject.commonName}`,
          "-out",
          spec.certPath,
        );
        continue;
      }
      const stem = spec.certPath.replace(/\.crt$/, "");
      await writeFile(join(dir, `${stem}.ext`), extensions(spec));
      await openssl("req", "-new", "-key", spec.keyPath, "-subj", subj(spec), "-out", `${stem}.csr`);
      const ca = CA_FILES[spec.signer] as string;
      await openssl(
        ...signCsrArgs({
          csr: `${stem}.csr`,
          ca,
          out: spec.certPath,
          days: spec.validityDays,
          extfile: `${stem}.ext`,
          extra: ["-CAcreateserial", "-sha256"],
        }),
      );
    }
    const text = (path: string) => readFile(join(dir, path), "utf8");
    for (const kubeconfig of plan.kubeconfigs) {
      const spec = plan.certificates.find((candidate) => candidate.id === kubeconfig.certificateId) as CertSpec;
      const yaml = renderKubeconfig({
        clusters: [
          {
            name: kubeconfig.clusterName,
            server: kubeconfig.server,
            certificateAuthority: { pem: await text("pki/ca.crt") },
          },
        ],
        users: [
          {
            name: kubeconfig.userName,
            clientCertificate: { pem: await text(spec.certPath) },
            clientKey: { pem: await text(spec.keyPath) },
          },
        ],
        contexts: [{ name: kubeconfig.contextName, cluster: kubeconfig.clusterName, user: kubeconfig.userName }],
        currentContext: kubeconfig.contextName,
      });
      await mkdir(join(dir, dirname(kubeconfig.path)), { recursive: true });
      await writeFile(join(dir, kubeconfig.path), yaml, { mode: 0o600 });
    }
    await openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", plan.serviceAccountKey.privateKeyPath);
    await openssl(
      "ec",
      "-in",
      plan.serviceAccountKey.privateKeyPath,
      "-pubout",
      "-out",
      plan.serviceAccountKey.publicKeyPath,
    );
    const files = new Map<string, string>();
    for (const path of (await listFiles(dir)).sort()) {
      if (/\.(csr|ext|srl)$/.test(path)) continue;
      files.set(path.split("\\").join("/"), await text(path));
    }
    return files;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
