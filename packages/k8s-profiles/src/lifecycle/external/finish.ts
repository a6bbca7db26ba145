// The second half of the external-CA flow: the certificates the CA returned, checked against the
// plan, folded into a complete tree.
import {
  type Certificate,
  describePrivateKeyPem,
  importPrivateKeyPem,
  isKubepkiError,
  type KeyPair,
  KubepkiError,
  keyMatchesCertificate,
  parseCertificates,
  verifyChain,
} from "@kubepki/core";
import { parseKubeconfig } from "@kubepki/renderers";
import { type KubeadmFile, toKubeadmFiles } from "../../files/kubeadm-files.js";
import { bytesEqual, type ClusterFiles, normalizeFiles } from "../../files/read-files.js";
import { CLUSTER_RECORD_PATH, readClusterRecord } from "../../files/record.js";
import type { ClusterPki, GeneratedCertificate } from "../../generate/generate.js";
import { planCluster } from "../../plan/plan.js";
import type { CertSpec } from "../../roles/profiles.js";
import { csrLocation, SIGNING_LIST_PATH } from "./layout.js";

/**
 * One thing wrong (or, as a warning, unusual) with a returned certificate: the file and why.
 *
 * @example
 * ```ts
 * import type { CsrProblem } from "@kubepki/k8s-profiles";
 *
 * const line = (problem: CsrProblem) => `${problem.file}: ${problem.reason}`;
 * ```
 */
export interface CsrProblem {
  readonly file: string;
  readonly reason: string;
}

/**
 * Options of {@link finishCsrs}.
 *
 * @example
 * ```ts
 * import type { FinishCsrsOptions } from "@kubepki/k8s-profiles";
 *
 * const options: FinishCsrsOptions = { now: new Date("2030-01-01T00:00:00Z") };
 * ```
 */
export interface FinishCsrsOptions {
  /** The time every certificate must be valid at (default: now). */
  readonly now?: Date;
  readonly crypto?: Crypto;
}

/**
 * What {@link finishCsrs} returns: the files of the complete tree, the files to remove, and
 * warnings that did not refuse it.
 *
 * @example
 * ```ts
 * import type { FinishCsrsResult } from "@kubepki/k8s-profiles";
 *
 * const summary = (result: FinishCsrsResult) => `${result.files.length} files, ${result.remove.length} removed`;
 * ```
 */
export interface FinishCsrsResult {
  /** Every file of the complete tree, as `toKubeadmFiles` lays it out (external-CA mode: no CA key). */
  readonly files: KubeadmFile[];
  /** Files of the CSR tree that the complete tree has no use for: the `<kubeconfig>.crt` files now embedded, `csr-signing.json`. */
  readonly remove: string[];
  /** Accepted but worth saying: SANs the plan did not ask for. */
  readonly warnings: CsrProblem[];
}

/** Internal: entries carry no key objects (toKubeadmFiles reads only the PEM texts). */
const NO_KEY_PAIR = undefined as unknown as KeyPair;

/**
 * Finishes the external-CA flow ({@link generateCsrs}, {@link toCsrFiles}): reads the tree back
 * (`files`, path → contents, as the CLI's `readTree` returns it), plans the cluster from its
 * `kubepki.yaml`, and checks, for every planned certificate, the `.crt` the external CA put beside
 * its `.csr`: it parses; its first certificate's public key is the key's; its subject is the role's
 * (CN and the exact set of O); it has every planned SAN (more SANs: a warning); its key usages and
 * extended key usages are the role's; it says CA:FALSE; it chains to the CA that must sign it
 * (core's `verifyChain`; the certificates after the leaf in the file are intermediates, so an
 * intermediate external CA appends its own); it is valid now and does not outlive that CA. A
 * missing `.crt` is a problem too ("not signed yet").
 *
 * Every problem of every file is collected; if there is any, nothing is returned but one
 * `CSR_FINISH_REFUSED` error listing them. Otherwise the result holds the complete tree, rendered by
 * `toKubeadmFiles` in kubeadm's external-CA mode (no CA key; the controller-manager's signing flags
 * empty): each certificate file as returned, leaf and chain byte for byte; each kubeconfig with
 * `client-certificate-data`; kubelet configs, flags files and the record. The `.csr` files stay, as
 * kubeadm leaves them (the audit checks each against its certificate); the `<kubeconfig>.crt`
 * files, now embedded, and `csr-signing.json` are in `remove`.
 *
 * @throws KubepkiError `CSR_FINISH_REFUSED` (`details.problems: { file, reason }[]`); `NOT_A_TREE`
 * when the tree has no `kubepki.yaml`; `INVALID_ARGUMENT` when `files` is not a file map; the
 * record's and {@link planCluster}'s codes.
 *
 * @example
 * ```ts
 * import { finishCsrs } from "@kubepki/k8s-profiles";
 *
 * // files: the tree toCsrFiles wrote, with every .crt the external CA signed put beside its .csr.
 * const finish = (files: Record<string, string>) =>
 *   finishCsrs(files).catch((error) => (error.code === "CSR_FINISH_REFUSED" ? error.details.problems : Promise.reject(error)));
 * ```
 */
export function finishCsrs(files: ClusterFiles, options: FinishCsrsOptions = {}): Promise<FinishCsrsResult> {
  return finish(files, options);
}

async function finish(files: ClusterFiles, options: FinishCsrsOptions): Promise<FinishCsrsResult> {
  const tree = normalizeFiles(files);
  const text = (path: string): string | undefined => {
    const contents = tree.get(path);
    return contents === undefined || typeof contents === "string" ? contents : new TextDecoder().decode(contents);
  };
  const record = readClusterRecord(tree);
  if (record === undefined) {
    throw new KubepkiError(
      "NOT_A_TREE",
      `no ${CLUSTER_RECORD_PATH}: not a tree written by kubepki csr (it records the cluster the requests were made for)`,
    );
  }
  const plan = planCluster(record);
  const now = options.now ?? new Date();
  const crypto = options.crypto ? { crypto: options.crypto } : {};
  const problems: CsrProblem[] = [];
  const warnings: CsrProblem[] = [];
  const entries: GeneratedCertificate[] = [];
  const cas = new Map<string, Certificate>();
  for (const spec of plan.certificates) {
    if (!spec.isCa) {
      const entry = await checkLeaf(spec, { text, cas, now, crypto, problems, warnings });
      if (entry) entries.push(entry);
      continue;
    }
    const pem = text(spec.certPath);
    const [ca] = pem === undefined ? [] : readCertificates(spec.certPath, pem, problems);
    if (pem === undefined) problems.push({ file: spec.certPath, reason: `missing: the ${spec.role} CA's certificate` });
    if (!ca || pem === undefined) continue;
    cas.set(spec.role, ca);
    // chain: [] here and below: the certificate's text is the file as it came back, an appended
    // chain included, so toKubeadmFiles writes it as it is and appends nothing.
    entries.push({
      spec,
      keyPair: NO_KEY_PAIR,
      certificate: withPem(ca, pem),
      privateKeyPem: "",
      source: "existing",
      chain: [],
    });
  }
  const sa = plan.serviceAccountKey;
  const saKey = text(sa.privateKeyPath);
  const saPub = text(sa.publicKeyPath);
  for (const [path, contents] of [
    [sa.privateKeyPath, saKey],
    [sa.publicKeyPath, saPub],
  ] as const) {
    if (contents === undefined) problems.push({ file: path, reason: "missing: the service-account key pair" });
  }
  if (problems.length > 0) {
    throw new KubepkiError(
      "CSR_FINISH_REFUSED",
      `${problems.length} problem${problems.length === 1 ? "" : "s"} with the signed certificates; nothing written:\n${problems.map((problem) => `  ${problem.file}: ${problem.reason}`).join("\n")}`,
      { details: { problems } },
    );
  }
  // Not marked as generateCluster's: toKubeadmFiles checks it is complete before writing a file.
  const pki = {
    plan,
    now,
    certificates: entries,
    serviceAccountKey: { spec: sa, keyPair: NO_KEY_PAIR, privateKeyPem: saKey, publicKeyPem: saPub },
  } as unknown as ClusterPki;
  const written = toKubeadmFiles(pki, { existingCaKeys: "omit" });
  const paths = new Set(written.map((file) => file.path));
  const remove = [
    ...plan.certificates.flatMap((spec) => (spec.kubeconfig === undefined ? [] : [csrLocation(spec).certificate])),
    SIGNING_LIST_PATH,
  ].filter((path) => tree.has(path) && !paths.has(path));
  return { files: written, remove, warnings };
}

interface LeafContext {
  readonly text: (path: string) => string | undefined;
  readonly cas: ReadonlyMap<string, Certificate>;
  readonly now: Date;
  readonly crypto: { crypto?: Crypto };
  readonly problems: CsrProblem[];
  readonly warnings: CsrProblem[];
}

/** Every check of one returned certificate; its entry when it passed them all. */
async function checkLeaf(spec: CertSpec, context: LeafContext): Promise<GeneratedCertificate | undefined> {
  const { text, problems } = context;
  const location = csrLocation(spec);
  const file = location.certificate;
  const { keyPem, embedded } = readKey(location.key, location.inKubeconfig, text, problems);
  // A kubeconfig finished before (its .crt folded in): its own certificate, so finish runs again as a no-op.
  const pem = text(file) ?? embedded;
  if (pem === undefined) {
    problems.push({
      file,
      reason: `not signed yet: sign ${location.csr} with ${spec.signer} and put the certificate here (${SIGNING_LIST_PATH})`,
    });
    return undefined;
  }
  const [leaf, ...chain] = readCertificates(file, pem, problems);
  if (!leaf) return undefined;
  const before = problems.length;
  const problem = (reason: string) => problems.push({ file, reason });
  if (keyPem !== undefined && !(await sameKey(keyPem, leaf, context.crypto))) {
    problem(`its public key is not the key in ${location.key}: signed from another request than ${location.csr}`);
  }
  subjectProblems(spec, leaf, problem);
  const missing = spec.sans.filter((want) => !leaf.subjectAltNames.some((have) => sameSan(have, want)));
  if (missing.length > 0) problem(`missing SAN ${missing.map((san) => `${san.type}:${san.value}`).join(", ")}`);
  const extra = leaf.subjectAltNames.filter((have) => !spec.sans.some((want) => sameSan(have, want)));
  if (extra.length > 0) {
    context.warnings.push({
      file,
      reason: `SANs the plan did not ask for: ${extra.map((san) => `${san.type}:${san.value}`).join(", ")}`,
    });
  }
  usageProblems("key usage", spec.keyUsages, leaf.keyUsages ?? [], problem);
  usageProblems("extended key usage", spec.extKeyUsages, leaf.extKeyUsages ?? [], problem);
  if (leaf.isCa) problem("it is a CA certificate (basicConstraints CA:TRUE); a leaf must say CA:FALSE");
  const ca = context.cas.get(spec.signer);
  if (ca) {
    try {
      await verifyChain(leaf, chain, [ca], { at: context.now, ...context.crypto });
    } catch (error) {
      if (!isKubepkiError(error)) throw error;
      problem(`does not verify against ${spec.signer} (${ca.subjectText}): ${error.message}`);
    }
    if (leaf.notAfter > ca.notAfter) {
      problem(`valid until ${leaf.notAfter.toISOString()}, beyond its CA (${ca.notAfter.toISOString()})`);
    }
  }
  if (problems.length > before || keyPem === undefined) return undefined;
  return {
    spec,
    keyPair: NO_KEY_PAIR,
    certificate: withPem(leaf, pem),
    privateKeyPem: keyPem,
    source: "generated",
    chain: [],
  };
}

/** The key: its file, or the kubeconfig's `client-key-data` (and its certificate, once embedded). */
function readKey(
  path: string,
  inKubeconfig: boolean,
  text: LeafContext["text"],
  problems: CsrProblem[],
): { keyPem?: string; embedded?: string } {
  const contents = text(path);
  if (contents === undefined) {
    problems.push({ file: path, reason: "missing: the key the request was made with (kubepki csr writes it)" });
    return {};
  }
  if (!inKubeconfig) return { keyPem: contents };
  try {
    const { clientKey, clientCertificate } = parseKubeconfig(contents).users[0] ?? {};
    const embedded = clientCertificate && "pem" in clientCertificate ? clientCertificate.pem : undefined;
    if (clientKey && "pem" in clientKey) return { keyPem: clientKey.pem, ...(embedded ? { embedded } : {}) };
    problems.push({ file: path, reason: "no client-key-data: not the kubeconfig kubepki csr wrote" });
  } catch (error) {
    if (!isKubepkiError(error)) throw error;
    problems.push({ file: path, reason: error.message });
  }
  return {};
}

function readCertificates(file: string, pem: string, problems: CsrProblem[]): Certificate[] {
  try {
    return parseCertificates(pem);
  } catch (error) {
    if (!isKubepkiError(error)) throw error;
    problems.push({ file, reason: `not a PEM certificate: ${error.message}` });
    return [];
  }
}

async function sameKey(keyPem: string, leaf: Certificate, crypto: { crypto?: Crypto }): Promise<boolean> {
  const publicKeyInfo = describePrivateKeyPem(keyPem).publicKeyInfo;
  if (publicKeyInfo) return bytesEqual(publicKeyInfo, leaf.publicKeyInfo);
  return keyMatchesCertificate(await importPrivateKeyPem(keyPem, crypto), leaf, crypto);
}

/** CN and the exact set of O, as the role says (other attributes are the CA's business). */
function subjectProblems(spec: CertSpec, leaf: Certificate, problem: (reason: string) => void): void {
  const cn = leaf.subject.commonName;
  if (cn !== spec.subject.commonName)
    problem(`CN is ${JSON.stringify(cn ?? "")}, the role needs ${JSON.stringify(spec.subject.commonName)}`);
  const want = [...(spec.subject.organizations ?? [])].sort();
  const have = [...(leaf.subject.organizations ?? [])].sort();
  if (want.join("\n") !== have.join("\n")) {
    problem(
      `O is ${have.length === 0 ? "absent" : have.join(", ")}, the role needs ${want.length === 0 ? "none" : want.join(", ")}`,
    );
  }
}

function usageProblems(
  what: string,
  want: readonly string[],
  have: readonly string[],
  problem: (reason: string) => void,
): void {
  const missing = want.filter((usage) => !have.includes(usage));
  const extra = have.filter((usage) => !want.includes(usage));
  if (missing.length === 0 && extra.length === 0) return;
  problem(
    `${what} is ${have.length === 0 ? "absent" : have.join(", ")}, the role needs ${want.length === 0 ? "none" : want.join(", ")} (sign with -copy_extensions copyall)`,
  );
}

function sameSan(a: { type: string; value: string }, b: { type: string; value: string }): boolean {
  return a.type === b.type && a.value === b.value;
}

/** The parsed certificate with the file's own text as its PEM: written back byte for byte, chain included. */
function withPem(certificate: Certificate, pem: string): Certificate {
  return Object.create(certificate, { pem: { value: pem, enumerable: true } }) as Certificate;
}
