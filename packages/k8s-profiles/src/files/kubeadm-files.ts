import { isKubepkiError, KubepkiError } from "@kubepki/core/names";
import { renderClusterRecord, renderKubeletConfig, renderSimpleKubeconfig } from "@kubepki/renderers";
import { initNode } from "../config/resolve.js";
import { isValidated } from "../config/validated.js";
import type { ClusterPki, GeneratedCertificate } from "../generate/generate.js";
import { NODE_DIRS } from "../roles/constants.js";
import { componentFlags } from "./component-flags.js";
import { CLUSTER_RECORD_PATH, clusterRecord } from "./record.js";

/**
 * One file of a cluster's tree: an output-relative path (the plan's layout, see `planCluster`),
 * its text, and its Unix mode. What the CLI writes, and what a browser could zip.
 *
 * @example
 * ```ts
 * import type { KubeadmFile } from "@kubepki/k8s-profiles";
 *
 * const file: KubeadmFile = { path: "pki/ca.crt", contents: "-----BEGIN CERTIFICATE-----\n…", mode: 0o644 };
 * ```
 */
export interface KubeadmFile {
  readonly path: string;
  readonly contents: string;
  readonly mode: number;
}

/**
 * Options of {@link toKubeadmFiles}.
 *
 * @example
 * ```ts
 * import type { KubeadmFilesOptions } from "@kubepki/k8s-profiles";
 *
 * // The CA key stays where it is; the controller-manager gets kubeadm's external-CA flags.
 * const options: KubeadmFilesOptions = { existingCaKeys: "omit" };
 * ```
 */
export interface KubeadmFilesOptions {
  /**
   * What to do with the private keys of CAs passed to `generateCluster` as `existingCa`.
   *
   * `"omit"` (default): write their `.crt` only. That is kubeadm's external-CA mode (reference
   * §8.3): the key stays with its owner, which is the point of bringing a CA; the
   * controller-manager flags get empty `--cluster-signing-cert-file=`/`--cluster-signing-key-file=`,
   * so the cluster signs no CSRs itself (kubelet client rotation then needs a signer elsewhere).
   *
   * `"write"`: write the key next to the certificate (PKCS#1/SEC1), kubeadm's "CA files placed in
   * `/etc/kubernetes/pki` before `init`" mode: the controller-manager signs CSRs with it.
   */
  readonly existingCaKeys?: "omit" | "write";
}

/** Modes kubeadm uses: keys `keyutil.WriteKey` 0600, certs `certutil.WriteCert` 0644, kubeconfigs 0600. */
export const MODE = { public: 0o644, secret: 0o600 } as const;
/** Where kubeadm's static Pods live (reference §4.3 `staticPodPath`); also set on workers, as kubeadm does. */
export const STATIC_POD_PATH = `${NODE_DIRS.kubernetes}/manifests`;
/** Output directory of the first control-plane node's component flags, one `--flag=value` per line. */
export const FLAGS_DIR = "flags";

/**
 * Lays out a generated cluster as files, in the plan's layout (see `planCluster`) — pure, no file
 * system:
 *
 * - every certificate `.crt` (0644) and key `.key` (0600, PKCS#1/SEC1 as kubeadm writes), in plan
 *   order, including the `users/` copies of kubeconfig identities; `pki/sa.key` (0600) and
 *   `pki/sa.pub` (SPKI, 0644);
 * - every kubeconfig of the plan (0600), everything embedded in `*-data` fields as kubeadm does;
 * - every node's `kubelet-config.yaml` (0644, CA-signed serving pair, `staticPodPath`) and the
 *   per-node copies of `plan.paths.copies` (`nodes/<name>/pki/ca.crt`);
 * - `kubepki.yaml` (0644): the cluster record (`clusterRecord` of the plan's config), which the
 *   day-2 commands read, as kubeadm reads its `kubeadm-config` ConfigMap;
 * - `flags/{kube-apiserver,etcd,kube-controller-manager,kube-scheduler}.txt` (0644) for the first
 *   control-plane node, with the paths of `plan.paths.onNode`, one `--flag=value` per line.
 *   `--kubelet-certificate-authority` is set: kubepki's kubelet serving certificates are signed
 *   by `ca`, so, unlike kubeadm's self-signed ones, the API server can verify them (reference §4.2).
 *   No etcd flags with external etcd; the API server then expects the external etcd's CA and
 *   client pair at kubeadm's paths (`pki/etcd/ca.crt`, `pki/apiserver-etcd-client.*`).
 *
 * Existing CAs keep their certificate byte for byte; their keys follow
 * {@link KubeadmFilesOptions.existingCaKeys}. The order is deterministic and paths are unique.
 *
 * Intermediate CAs (an offline root's, or an existing CA with its chain): every CA file, node
 * copy and `certificate-authority-data` is the CA alone; every leaf `.crt` and
 * `client-certificate-data` is the leaf followed by its `chain` (the CA and the CA's issuers,
 * without the self-signed root), kubeadm's documented intermediate-CA layout
 * (kubernetes/kubernetes PR #97266, kubernetes/kubeadm#2360).
 *
 * @throws KubepkiError `INVALID_ARGUMENT` when `pki` is not a complete {@link ClusterPki}, or a
 * renderer refuses a value (its code kept where kubepki has it).
 *
 * @example
 * ```ts
 * import { generateCluster, toKubeadmFiles } from "@kubepki/k8s-profiles";
 *
 * // In the CLI: for (const file of files) writeFile(join(dir, file.path), file.contents, { mode: file.mode })
 * const files = generateCluster({ keyAlgorithm: "ECDSA-P256" }).then((pki) => toKubeadmFiles(pki));
 * files.then((list) => list.filter((file) => file.mode === 0o600).map((file) => file.path));
 * // ["pki/ca.key", "pki/etcd/ca.key", …, "admin.conf", "super-admin.conf", …]
 * ```
 */
export function toKubeadmFiles(pki: ClusterPki, options: KubeadmFilesOptions = {}): KubeadmFile[] {
  const entries = checkPki(pki);
  const existingCaKeys = options?.existingCaKeys ?? "omit";
  if (existingCaKeys !== "omit" && existingCaKeys !== "write") {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `existingCaKeys: expected "omit" or "write", got ${JSON.stringify(existingCaKeys)}`,
      { details: { field: "existingCaKeys" } },
    );
  }
  const list = fileList();
  const caKeyWritten = pkiFiles(pki, existingCaKeys, list);
  kubeconfigFiles(pki, entries, list);
  kubeletConfigFiles(pki.plan, list);
  copiedFiles(pki.plan, list);
  flagFiles(pki.plan, caKeyWritten, list);
  clusterRecordFile(pki.plan, list);
  return list.files;
}

/**
 * The files of a plan that hold no key or certificate, rendered from the plan alone, in
 * {@link toKubeadmFiles}' order: every node's `kubelet-config.yaml`, the `flags/*.txt` of the first
 * control-plane node and `kubepki.yaml`. `caKeyWritten` says whether the cluster CA's key is in the
 * tree (the controller-manager's signing flags depend on it). Byte for byte what toKubeadmFiles
 * writes for them, so that the day-2 diff compares them without any key.
 *
 * @internal
 */
export function planOnlyFiles(plan: ClusterPki["plan"], caKeyWritten: boolean): KubeadmFile[] {
  const list = fileList();
  kubeletConfigFiles(plan, list);
  flagFiles(plan, caKeyWritten, list);
  clusterRecordFile(plan, list);
  return list.files;
}

/** `kubepki.yaml`: the cluster record the day-2 commands read. */
function clusterRecordFile(plan: ClusterPki["plan"], { add }: FileList): void {
  add(CLUSTER_RECORD_PATH, renderClusterRecord({ ...clusterRecord(plan.config) }), MODE.public);
}

/** The files of one call, in order; a path written twice is a broken plan. */
function fileList() {
  const files: KubeadmFile[] = [];
  const byPath = new Map<string, KubeadmFile>();
  const add = (path: string, contents: string, mode: number) => {
    if (byPath.has(path)) {
      throw new KubepkiError("INVALID_ARGUMENT", `plan: two files would be written to ${path}`, {
        details: { field: "plan", path },
      });
    }
    const file = { path, contents, mode };
    byPath.set(path, file);
    files.push(file);
  };
  return { files, byPath, add };
}

type FileList = ReturnType<typeof fileList>;

/** Every certificate and key (a caller's CA key only when asked), and the service-account pair. Returns whether the cluster CA's key is written. */
function pkiFiles(pki: ClusterPki, existingCaKeys: "omit" | "write", { add }: FileList): boolean {
  let caKeyWritten = true;
  for (const entry of pki.certificates) {
    add(entry.spec.certPath, certificateFile(entry), MODE.public);
    if (entry.source === "existing" && existingCaKeys === "omit") {
      if (entry.spec.role === "ca") caKeyWritten = false;
      continue;
    }
    add(entry.spec.keyPath, entry.privateKeyPem, MODE.secret);
  }
  const sa = pki.serviceAccountKey;
  add(sa.spec.privateKeyPath, sa.privateKeyPem, MODE.secret);
  add(sa.spec.publicKeyPath, sa.publicKeyPem, MODE.public);
  return caKeyWritten;
}

/**
 * A certificate's file: a CA alone (the trust anchor its consumers are given: kubeadm refuses
 * several certificates in ca.crt, kubernetes/kubeadm#2628), a leaf followed by its chain when its
 * CA is an intermediate ("the intermediate CA certificate must be appended to each signed
 * certificate", kubernetes/kubernetes PR #97266), so that a client trusting only the root
 * verifies it. A leaf of a self-signed CA has an empty chain: its file is what it always was.
 */
function certificateFile(entry: GeneratedCertificate): string {
  const chain = entry.spec.isCa ? [] : (entry.chain ?? []);
  let text = entry.certificate.pem;
  for (const certificate of chain) text += certificate.pem;
  return text;
}

/** Each kubeconfig, with its client certificate, key and CA embedded, as kubeadm writes them. */
function kubeconfigFiles(pki: ClusterPki, entries: ReturnType<typeof checkPki>, { add }: FileList): void {
  const { plan } = pki;
  const caOf = (entry: GeneratedCertificate) => entries.cas.get(entry.spec.signer) as GeneratedCertificate;
  for (const kubeconfig of plan.kubeconfigs) {
    const entry = entries.byId.get(kubeconfig.certificateId);
    if (!entry) throw incomplete(`no certificate ${kubeconfig.certificateId} for ${kubeconfig.path}`);
    const contents = rendered(kubeconfig.path, () =>
      renderSimpleKubeconfig({
        clusterName: kubeconfig.clusterName,
        server: kubeconfig.server,
        caCertificate: { pem: caOf(entry).certificate.pem },
        user: {
          name: kubeconfig.userName,
          clientCertificate: { pem: certificateFile(entry) },
          clientKey: { pem: entry.privateKeyPem },
        },
      }),
    );
    add(kubeconfig.path, contents, MODE.secret);
  }
}

/** Each node's KubeletConfiguration. */
function kubeletConfigFiles(plan: ClusterPki["plan"], { add }: FileList): void {
  for (const kubelet of plan.kubeletConfigs) {
    const contents = rendered(kubelet.path, () =>
      renderKubeletConfig({
        clientCAFile: kubelet.clientCAFile,
        clusterDomain: kubelet.clusterDomain,
        clusterDNS: kubelet.clusterDNS,
        tls: { certFile: kubelet.tlsCertFile, keyFile: kubelet.tlsPrivateKeyFile },
        rotateCertificates: kubelet.rotateCertificates,
        staticPodPath: STATIC_POD_PATH,
      }),
    );
    add(kubelet.path, contents, MODE.public);
  }
}

/** The files the plan puts twice (a node's copy of the cluster CA, the first node's kubelet.conf). */
function copiedFiles(plan: ClusterPki["plan"], { add, byPath }: FileList): void {
  for (const copy of plan.paths.copies) {
    const source = byPath.get(copy.from);
    if (!source) throw incomplete(`${copy.to} copies ${copy.from}, which is not written`);
    add(copy.to, source.contents, source.mode);
  }
}

/** The flags of the first control-plane node's components, with paths as they are on that node. */
function flagFiles(plan: ClusterPki["plan"], caKeyWritten: boolean, { add }: FileList): void {
  for (const [component, render] of componentFlags(plan, caKeyWritten, initNode(plan.config))) {
    const path = `${FLAGS_DIR}/${component}.txt`;
    add(path, `${rendered(path, render).join("\n")}\n`, MODE.public);
  }
}

function incomplete(message: string): KubepkiError {
  return new KubepkiError("INVALID_ARGUMENT", `pki: ${message}; pass the result of generateCluster`, {
    details: { field: "pki" },
  });
}

/**
 * Indexes `pki`'s certificates; unless generateCluster made it (and marked it so), first checks
 * that it holds one entry per certificate of its plan.
 */
function checkPki(pki: ClusterPki): {
  byId: ReadonlyMap<string, GeneratedCertificate>;
  cas: ReadonlyMap<string, GeneratedCertificate>;
} {
  const trusted = isValidated(pki, "generateCluster");
  if (!trusted && (typeof pki !== "object" || pki === null || !Array.isArray(pki.certificates) || !pki.plan)) {
    throw incomplete("expected { plan, certificates, serviceAccountKey }");
  }
  const byId = new Map<string, GeneratedCertificate>();
  const cas = new Map<string, GeneratedCertificate>();
  for (const entry of pki.certificates) {
    if (!trusted && (typeof entry?.privateKeyPem !== "string" || typeof entry.certificate?.pem !== "string")) {
      throw incomplete(`certificate ${String(entry?.spec?.id)} lacks its PEM`);
    }
    byId.set(entry.spec.id, entry);
    if (entry.spec.isCa) cas.set(entry.spec.role, entry);
  }
  if (trusted) return { byId, cas };
  for (const spec of pki.plan.certificates) {
    const entry = byId.get(spec.id);
    if (!entry) throw incomplete(`no certificate for ${spec.id}`);
    if (!spec.isCa && !cas.has(spec.signer)) throw incomplete(`no ${spec.signer} for ${spec.id}`);
  }
  if (pki.certificates.length !== pki.plan.certificates.length) {
    throw incomplete("certificates and plan.certificates differ");
  }
  const sa = pki.serviceAccountKey;
  if (typeof sa?.privateKeyPem !== "string" || typeof sa.publicKeyPem !== "string") {
    throw incomplete("no service-account key");
  }
  return { byId, cas };
}

/** A renderer's error names the file it was rendering (same code and details, plus `path`). */
export function rendered<T>(path: string, render: () => T): T {
  try {
    return render();
  } catch (error) {
    if (!isKubepkiError(error)) throw error;
    throw new KubepkiError(error.code, `${path}: ${error.message}`, {
      cause: error,
      details: { ...error.details, path },
    });
  }
}
