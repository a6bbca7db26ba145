import {
  type Certificate,
  createSelfSignedCa,
  describePrivateKeyPem,
  encodePem,
  exportKeyPair,
  generateKeyPair,
  importPrivateKeyPem,
  issueCertificate,
  type KeyPair,
  KubepkiError,
  type PreparedIssuer,
  prepareIssuer,
} from "@kubepki/core";
import type { ClusterConfig, ResolvedClusterConfig } from "../../config/resolve.js";
import { type KubeadmFile, toKubeadmFiles } from "../../files/kubeadm-files.js";
import type { ClusterFiles } from "../../files/read-files.js";
import { sentAbove } from "../../generate/chain.js";
import type { ClusterPki, GeneratedCertificate, GeneratedServiceAccountKey } from "../../generate/generate.js";
import { createLimiter } from "../../generate/pool.js";
import { certificateName } from "../../roles/cert-names.js";
import type { CertSpec, Signer } from "../../roles/profiles.js";
import { chainTail } from "../chain-tail.js";
import { type Reconciliation, reconcile } from "./diff.js";
import { type ApplyRun, applyRun } from "./options.js";
import type { ApplyOptions, ApplyResult } from "./types.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Leaves made at once: as generateCluster's RSA default (Node generates keys on its 4-thread pool). */
const LEAF_CONCURRENCY = 8;

/**
 * Carries out {@link diffCluster}: the same difference, then only what it says. Each certificate
 * to add or reissue is issued from the tree's CA (prepared once per CA; a CA the diff adds is made
 * first), with a new key in the wanted key algorithm (`reuseKey`: the existing key, when there is
 * one) and `validityDays ?? config.validity.leafDays` days, ending with its CA at the latest (a
 * note says so). The files come out exactly as `toKubeadmFiles` renders them, and only the diff's
 * `add` and `change` files; kept files are not returned (they stay byte for byte as they are).
 * Removed files are returned in `remove` with `prune`, else reported in `kept`.
 *
 * Nothing is generated before every check has passed: a refused tree costs no key.
 *
 * @throws KubepkiError as {@link diffCluster}; `CA_KEY_MISSING` when a certificate must be issued
 * by a CA whose key is not in the tree (each named, with the key file); `INVALID_ARGUMENT` for bad
 * options (`details.field`); `ABORTED` when `signal` fires (checked before each key);
 * `KEY_MISMATCH` and the key readers' codes when a CA key of the tree is not its certificate's.
 *
 * @example
 * ```ts
 * import { applyCluster, generateCluster, toKubeadmFiles } from "@kubepki/k8s-profiles";
 *
 * const config = { keyAlgorithm: "ECDSA-P256" } as const;
 * generateCluster(config)
 *   .then((pki) => Object.fromEntries(toKubeadmFiles(pki).map((file) => [file.path, file.contents])))
 *   .then((tree) => applyCluster({ ...config, certSANs: ["api.example.com"] }, tree))
 *   .then((result) => result.files.map((file) => file.path)); // ["pki/apiserver.crt", "pki/apiserver.key", "kubepki.yaml"]
 * ```
 */
export function applyCluster(
  config: ClusterConfig | ResolvedClusterConfig,
  files: ClusterFiles,
  options?: ApplyOptions,
): Promise<ApplyResult> {
  return apply(config, files, options);
}

async function apply(
  config: ClusterConfig | ResolvedClusterConfig,
  files: ClusterFiles,
  options: ApplyOptions | undefined,
): Promise<ApplyResult> {
  const run = applyRun(options);
  const state = reconcile(config, files, run);
  refuseMissingCaKeys(state);
  const { diff } = state;
  const notes = [...diff.notes];
  const pki = await clusterPki(state, run, notes);
  const wanted = new Map(
    diff.files.filter((file) => file.change === "add" || file.change === "change").map((file) => [file.path, file]),
  );
  const written = toKubeadmFiles(pki, { existingCaKeys: "omit" });
  const caCopies = caCopyContents(state);
  const out: KubeadmFile[] = [];
  for (const file of written) {
    if (!wanted.has(file.path)) continue;
    const contents = caCopies.get(file.path) ?? file.contents;
    out.push({ path: file.path, contents, mode: file.mode });
  }
  if (out.length !== wanted.size) {
    const missing = [...wanted.keys()].filter((path) => !out.some((file) => file.path === path));
    throw new KubepkiError("INVALID_ARGUMENT", `apply: no contents for ${missing.join(", ")}`, {
      details: { field: "files", paths: missing },
    });
  }
  const removed = diff.files.filter((file) => file.change === "remove").map((file) => file.path);
  return {
    diff,
    files: out,
    remove: run.prune ? removed : [],
    kept: run.prune ? [] : removed,
    notes,
  };
}

/** @throws KubepkiError `CA_KEY_MISSING` naming each certificate and its CA's key file. */
function refuseMissingCaKeys({ caKeyMissing }: Reconciliation): void {
  if (caKeyMissing.length === 0) return;
  const keyFiles = [...new Set(caKeyMissing.map((item) => item.keyFile))];
  throw new KubepkiError(
    "CA_KEY_MISSING",
    `cannot issue ${caKeyMissing.map((item) => `${item.name} (needs ${item.keyFile})`).join(", ")}: the CA key is not in the tree (kubeadm's external CA mode); put ${keyFiles.join(", ")} in the tree, or sign them where the CA key is`,
    { details: { certificates: caKeyMissing.map((item) => item.name), keyFiles } },
  );
}

/** The nodes' copies of the cluster CA hold the tree's own `ca.crt` bytes when it is kept. */
function caCopyContents({ plan, tree, cas }: Reconciliation): Map<string, string> {
  const copies = new Map<string, string>();
  const ca = cas.get("ca");
  const text = ca?.change === "keep" ? tree.texts.get(ca.spec.certPath) : undefined;
  if (text === undefined) return copies;
  for (const copy of plan.paths.copies) copies.set(copy.to, text);
  return copies;
}

/** Internal: kept entries carry no key objects (toKubeadmFiles reads only the PEM texts). */
const NO_KEY_PAIR = undefined as unknown as KeyPair;

/** The wanted cluster's PKI: the tree's kept entries and the ones made now, in plan order. */
async function clusterPki(state: Reconciliation, run: ApplyRun, notes: string[]): Promise<ClusterPki> {
  const { plan, cas, leaves } = state;
  const toMake = plan.certificates.filter((spec) =>
    spec.isCa ? cas.get(spec.role)?.change === "add" : leaves.get(spec.id)?.change !== "keep",
  );
  const sa = keptServiceAccount(state);
  const total = toMake.length + (sa ? 0 : 1);
  let done = 0;
  const progress = (name: string) => run.onProgress?.({ done: ++done, total, name });
  // Each CA's issuer is prepared on first use, once for all it signs in this call.
  const caEntries = new Map<Exclude<Signer, "self">, GeneratedCertificate>();
  const issuers = new Map<Exclude<Signer, "self">, Promise<PreparedIssuer>>();
  const issuerOf = (role: Exclude<Signer, "self">): Promise<PreparedIssuer> => {
    let issuer = issuers.get(role);
    if (!issuer) {
      issuer = issuerFor(caEntries.get(role) as GeneratedCertificate, run);
      issuers.set(role, issuer);
    }
    return issuer;
  };
  // Leaves are made LEAF_CONCURRENCY at a time (key generation dominates); their notes are
  // gathered per certificate and kept in plan order, so the result does not depend on timing.
  const limit = createLimiter(LEAF_CONCURRENCY);
  const made: Promise<{ entry: GeneratedCertificate; note?: string }>[] = [];
  for (const spec of plan.certificates) {
    const name = certificateName(spec.role, spec.kubeconfig ?? spec.certPath);
    if (spec.isCa) {
      const ca = cas.get(spec.role);
      // CAs first and one at a time: their leaves wait for them.
      // A kept CA's issuers (an intermediate's) are what the tree's leaves of it carry after it.
      const entry = ca?.located
        ? keptEntry(
            spec,
            ca.located.entry.certificate,
            ca.located.keyPem,
            chainTail(state.tree, ca.located.entry.certificate).slice(1),
          )
        : await makeCa(spec, run, progress, name);
      made.push(Promise.resolve({ entry }));
      caEntries.set(spec.role, entry);
      continue;
    }
    const leaf = leaves.get(spec.id);
    if (leaf?.change === "keep" && leaf.located) {
      const { entry, keyPem } = leaf.located;
      made.push(Promise.resolve({ entry: keptEntry(spec, entry.certificate, keyPem, entry.chain) }));
      continue;
    }
    const existingKey = leaf?.located?.keyPem;
    made.push(
      limit(async () => {
        const ca = caEntries.get(spec.signer) as GeneratedCertificate;
        const above = sentAbove(ca.certificate, ca.chain);
        const fresh = await makeLeaf(spec, existingKey, await issuerOf(spec.signer), above, run, name);
        progress(name);
        return fresh;
      }),
    );
  }
  const serviceAccount = sa
    ? Promise.resolve(sa)
    : limit(async () => {
        const pair = await makeServiceAccountKey(plan.serviceAccountKey, run);
        progress("sa");
        return pair;
      });
  const [results, serviceAccountKey] = await Promise.all([Promise.all(made), serviceAccount]);
  const entries = results.map((result) => result.entry);
  for (const result of results) if (result.note) notes.push(result.note);
  // Not marked as generateCluster's: toKubeadmFiles checks it is complete before writing a file.
  return { plan, now: run.now, certificates: entries, serviceAccountKey } as unknown as ClusterPki;
}

function keptEntry(
  spec: CertSpec,
  certificate: Certificate,
  keyPem: string | undefined,
  chain: readonly Certificate[],
): GeneratedCertificate {
  // No key in the tree: kubeadm's external CA, written as toKubeadmFiles writes a caller's CA ("omit").
  return {
    spec,
    keyPair: NO_KEY_PAIR,
    certificate,
    privateKeyPem: keyPem ?? "",
    source: keyPem === undefined ? "existing" : "generated",
    chain,
  };
}

/** A CA's issuer: the key made now, or the tree's key file (checked against its certificate once). */
async function issuerFor(entry: GeneratedCertificate, run: ApplyRun): Promise<PreparedIssuer> {
  const keyPair = entry.keyPair ?? (await importPrivateKeyPem(entry.privateKeyPem, run.crypto));
  return prepareIssuer({ certificate: entry.certificate, privateKey: keyPair.privateKey });
}

function throwIfAborted(run: ApplyRun): void {
  if (run.signal?.aborted) {
    throw new KubepkiError("ABORTED", "apply aborted: nothing returned", { cause: run.signal.reason });
  }
}

async function newKey(spec: CertSpec, run: ApplyRun): Promise<{ keyPair: KeyPair; privateKeyPem: string }> {
  throwIfAborted(run);
  const keyPair = await generateKeyPair(spec.keyAlgorithm, run.crypto);
  const { privateKeyPem } = await exportKeyPair(keyPair, run.crypto);
  return { keyPair, privateKeyPem };
}

async function makeCa(
  spec: CertSpec,
  run: ApplyRun,
  progress: (name: string) => void,
  name: string,
): Promise<GeneratedCertificate> {
  const { keyPair, privateKeyPem } = await newKey(spec, run);
  const certificate = await createSelfSignedCa({
    keyPair,
    subject: spec.subject,
    sans: spec.sans,
    keyUsages: spec.keyUsages,
    ...(spec.pathLength === undefined ? {} : { pathLength: spec.pathLength }),
    validity: { days: spec.validityDays },
    now: run.now,
    ...run.crypto,
  });
  progress(name);
  return { spec, keyPair, certificate, privateKeyPem, source: "generated", chain: [] };
}

async function makeLeaf(
  spec: CertSpec,
  existingKeyPem: string | undefined,
  issuer: PreparedIssuer,
  above: readonly Certificate[],
  run: ApplyRun,
  name: string,
): Promise<{ entry: GeneratedCertificate; note?: string }> {
  let key: { keyPair: KeyPair; privateKeyPem: string };
  if (run.reuseKey && existingKeyPem !== undefined) {
    throwIfAborted(run);
    key = { keyPair: await importPrivateKeyPem(existingKeyPem, run.crypto), privateKeyPem: existingKeyPem };
  } else {
    key = await newKey(spec, run);
  }
  const days = run.validityDays ?? spec.validityDays;
  const certificate = await issueCertificate({
    issuer,
    publicKey: key.keyPair.publicKey,
    subject: spec.subject,
    sans: spec.sans,
    keyUsages: spec.keyUsages,
    extKeyUsages: spec.extKeyUsages,
    validity: { days },
    now: run.now,
    clampToIssuer: true,
    ...run.crypto,
  });
  const entry: GeneratedCertificate = {
    spec,
    keyPair: key.keyPair,
    certificate,
    privateKeyPem: key.privateKeyPem,
    source: "generated",
    chain: above,
  };
  if (certificate.notAfter.getTime() >= run.now.getTime() + days * DAY_MS - 10 * 60 * 1000) return { entry };
  const note = `${name}: validity ends with its CA on ${certificate.notAfter.toISOString()} (asked for ${days} days); rotate the CA`;
  return { entry, note };
}

/** The tree's service-account pair (`sa.pub` derived from `sa.key` when only it is there), or undefined. */
function keptServiceAccount({ plan, tree }: Reconciliation): GeneratedServiceAccountKey | undefined {
  const spec = plan.serviceAccountKey;
  const privateKeyPem = tree.texts.get(spec.privateKeyPath);
  if (privateKeyPem === undefined) return undefined;
  let publicKeyPem = tree.texts.get(spec.publicKeyPath);
  if (publicKeyPem === undefined) {
    const { publicKeyInfo } = describePrivateKeyPem(privateKeyPem);
    if (!publicKeyInfo) {
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        `${spec.privateKeyPath}: its public key cannot be read back for ${spec.publicKeyPath}`,
        {
          details: { field: "files", path: spec.privateKeyPath },
        },
      );
    }
    publicKeyPem = encodePem("PUBLIC KEY", publicKeyInfo);
  }
  return { spec, keyPair: NO_KEY_PAIR, privateKeyPem, publicKeyPem };
}

async function makeServiceAccountKey(
  spec: ClusterPki["plan"]["serviceAccountKey"],
  run: ApplyRun,
): Promise<GeneratedServiceAccountKey> {
  throwIfAborted(run);
  const keyPair = await generateKeyPair(spec.keyAlgorithm, run.crypto);
  const { privateKeyPem, publicKeyInfo } = await exportKeyPair(keyPair, run.crypto);
  return { spec, keyPair, privateKeyPem, publicKeyPem: encodePem("PUBLIC KEY", publicKeyInfo) };
}
