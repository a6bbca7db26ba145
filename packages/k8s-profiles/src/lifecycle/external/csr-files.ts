// The CSR tree: what `kubeadm certs generate-csr` writes, plus the cluster record and the signing list.
import { isKubepkiError, KubepkiError } from "@kubepki/core/names";
import { renderSimpleKubeconfig } from "@kubepki/renderers";
import { type KubeadmFile, planOnlyFiles } from "../../files/kubeadm-files.js";
import { CLUSTER_RECORD_PATH } from "../../files/record.js";
import { certificateName } from "../../roles/cert-names.js";
import type { CsrRequest, CsrSet } from "./generate-csrs.js";
import { SIGNING_LIST_PATH } from "./layout.js";

const MODE = { public: 0o644, secret: 0o600 } as const;

/**
 * One line of the signing list (`csr-signing.json`): which CA signs a request, for how long, and
 * where the certificate goes.
 *
 * @example
 * ```ts
 * import type { SigningEntry } from "@kubepki/k8s-profiles";
 *
 * const entry: SigningEntry = {
 *   name: "apiserver", csr: "pki/apiserver.csr", certificate: "pki/apiserver.crt", ca: "ca", caCertificate: "pki/ca.crt", days: 365,
 * };
 * ```
 */
export interface SigningEntry {
  /** kubepki's name of the certificate (`apiserver`, `admin.conf`, `kubelet-serving:worker-1`). */
  readonly name: string;
  readonly csr: string;
  /** Where the signed certificate must be put (beside the request), as PEM: leaf first, then any intermediates. */
  readonly certificate: string;
  /** The CA that must sign it, by kubeadm's name: `ca`, `etcd-ca` or `front-proxy-ca`. */
  readonly ca: string;
  readonly caCertificate: string;
  /** The validity the plan asks for. */
  readonly days: number;
  /**
   * The key usages and extended key usages the certificate must have, as the request also asks:
   * for a CA that takes usages from a profile rather than from the request (cfssl's `usages`),
   * pick the profile by these.
   */
  readonly keyUsages: readonly string[];
  readonly extKeyUsages: readonly string[];
}

/**
 * The signing list of a {@link CsrSet}: one {@link SigningEntry} per request, in plan order.
 *
 * @example
 * ```ts
 * import { type CsrSet, signingList } from "@kubepki/k8s-profiles";
 *
 * const forEtcdCa = (set: CsrSet) => signingList(set).filter((entry) => entry.ca === "etcd-ca");
 * ```
 */
export function signingList(set: CsrSet): SigningEntry[] {
  checkSet(set);
  const caPath = new Map<string, string>(set.cas.map((ca) => [ca.role, ca.path]));
  return set.requests.map(({ spec, location }) => ({
    name: certificateName(spec.role, spec.kubeconfig ?? spec.certPath),
    csr: location.csr,
    certificate: location.certificate,
    ca: spec.signer,
    caCertificate: caPath.get(spec.signer) as string,
    days: spec.validityDays,
    keyUsages: spec.keyUsages,
    extKeyUsages: spec.extKeyUsages,
  }));
}

/**
 * Lays out a {@link CsrSet} as files (pure), in kubeadm's `certs generate-csr` layout:
 *
 * - every leaf key at the plan's `.key` path (0600) and its request beside it as `.csr` (0644);
 * - every kubeconfig identity as kubeadm: the partial kubeconfig at the plan's path (0600) holding
 *   the key as `client-key-data`, and `<kubeconfig>.csr`. Unlike kubeadm's, the partial kubeconfig
 *   also names `client-certificate: <kubeconfig>.crt` (relative, so beside it): kubectl and
 *   kubepki's reader refuse a client key without a certificate, and with it the file works as soon
 *   as the certificate is there. `finishCsrs` replaces it with the complete kubeconfig;
 * - the CAs' certificates (never a key) at `pki/ca.crt`, `pki/front-proxy-ca.crt`, `pki/etcd/ca.crt`;
 * - `pki/sa.key` (0600) and `pki/sa.pub`;
 * - `kubepki.yaml`, the cluster record `finishCsrs` plans the cluster from;
 * - `csr-signing.json`: `{ "requests": SigningEntry[] }`, which CA signs each request and for how
 *   many days ({@link signingList}).
 *
 * @throws KubepkiError `INVALID_ARGUMENT` when `set` is not a result of `generateCsrs`.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair } from "@kubepki/core";
 * import { generateCsrs, toCsrFiles } from "@kubepki/k8s-profiles";
 *
 * const ca = (cn: string) =>
 *   generateKeyPair("ECDSA-P256").then((keyPair) => createSelfSignedCa({ keyPair, subject: `/CN=${cn}` })).then((made) => made.pem);
 * const files = Promise.all([ca("kubernetes"), ca("etcd-ca"), ca("front-proxy-ca")])
 *   .then(([ca, etcdCa, frontProxyCa]) => generateCsrs({ keyAlgorithm: "ECDSA-P256" }, { cas: { ca, etcdCa, frontProxyCa } }))
 *   .then((set) => toCsrFiles(set).map((file) => file.path));
 * // ["pki/ca.crt", …, "admin.conf", "admin.conf.csr", …, "kubepki.yaml", "csr-signing.json"]
 * ```
 */
export function toCsrFiles(set: CsrSet): KubeadmFile[] {
  if (typeof set !== "object" || set === null || !Array.isArray(set.requests) || !set.plan || !set.serviceAccountKey) {
    throw new KubepkiError("INVALID_ARGUMENT", "set: expected the result of generateCsrs", {
      details: { field: "set" },
    });
  }
  const files: KubeadmFile[] = [];
  const add = (path: string, contents: string, mode: number) => files.push({ path, contents, mode });
  for (const ca of set.cas) add(ca.path, ca.certificate.pem, MODE.public);
  for (const request of set.requests) {
    const { location } = request;
    add(
      location.key,
      request.location.inKubeconfig ? partialKubeconfig(set, request) : request.privateKeyPem,
      MODE.secret,
    );
    add(location.csr, request.csr.pem, MODE.public);
  }
  const sa = set.serviceAccountKey;
  add(sa.spec.privateKeyPath, sa.privateKeyPem, MODE.secret);
  add(sa.spec.publicKeyPath, sa.publicKeyPem, MODE.public);
  // The record rendered as toKubeadmFiles renders it, so that finish writes it back unchanged.
  const record = planOnlyFiles(set.plan, false).find((file) => file.path === CLUSTER_RECORD_PATH) as KubeadmFile;
  files.push(record);
  add(SIGNING_LIST_PATH, `${JSON.stringify({ requests: signingList(set) }, null, 2)}\n`, MODE.public);
  return files;
}

function checkSet(set: CsrSet): void {
  if (
    typeof set !== "object" ||
    set === null ||
    !Array.isArray(set.requests) ||
    !Array.isArray(set.cas) ||
    !set.plan ||
    !set.serviceAccountKey
  ) {
    throw new KubepkiError("INVALID_ARGUMENT", "set: expected the result of generateCsrs", {
      details: { field: "set" },
    });
  }
}

/** The kubeconfig with the key and a reference to the certificate to come. */
function partialKubeconfig(set: CsrSet, { spec, location, privateKeyPem }: CsrRequest): string {
  const kubeconfig = set.plan.kubeconfigs.find((candidate) => candidate.path === spec.kubeconfig);
  const ca = set.cas.find((candidate) => candidate.role === spec.signer);
  if (!kubeconfig || !ca) {
    throw new KubepkiError("INVALID_ARGUMENT", `set: no kubeconfig or CA for ${spec.id}`, {
      details: { field: "set" },
    });
  }
  try {
    return renderSimpleKubeconfig({
      clusterName: kubeconfig.clusterName,
      server: kubeconfig.server,
      caCertificate: { pem: ca.certificate.pem },
      user: {
        name: kubeconfig.userName,
        clientCertificate: { path: location.certificate.slice(location.certificate.lastIndexOf("/") + 1) },
        clientKey: { pem: privateKeyPem },
      },
    });
  } catch (error) {
    if (!isKubepkiError(error)) throw error;
    throw new KubepkiError(error.code, `${kubeconfig.path}: ${error.message}`, {
      cause: error,
      details: { path: kubeconfig.path },
    });
  }
}
