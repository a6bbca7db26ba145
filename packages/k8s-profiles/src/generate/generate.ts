import {
  type Certificate,
  type DistinguishedName,
  EXT_KEY_USAGE_OIDS,
  encodePem,
  exportKeyPair,
  exportPrivateKeyPem,
  generateKeyPair,
  importPrivateKeyPem,
  issuePlannedCertificate,
  KEY_USAGES,
  type KeyPair,
  KUBEADM_KEY_ALGORITHMS,
  KubepkiError,
  normalizeName,
  normalizeSubjectAltNames,
  type PreparedIssuer,
  prepareIssuer,
  resolveValidity,
  type ValidityWindow,
} from "@kubepki/core/issue";
import type { ClusterConfig, ResolvedClusterConfig } from "../config/resolve.js";
import { isValidated, markValidated, type validatedBy } from "../config/validated.js";
import { type ClusterPlan, planCluster } from "../plan/plan.js";
import type { CertSpec, ServiceAccountKeySpec, Signer } from "../roles/profiles.js";
import { checkChainLinks, isSelfIssued, sentAbove } from "./chain.js";
import { createLimiter, type Limiter } from "./pool.js";
import { pooledRandom } from "./random-pool.js";

/**
 * A CA the caller already has, as PEM: its certificate and its private key (PKCS#1, SEC1 or
 * PKCS#8, unencrypted). kubepki signs the cluster's leaves with it instead of making that CA.
 *
 * `certificatePem` may hold the CA followed by its chain towards a root (an intermediate CA):
 * the first certificate is the CA (its key is `privateKeyPem`), each further one the issuer of
 * the one before. The chain is checked link by link (`INVALID_CHAIN`, `PATH_LENGTH_EXCEEDED`) and
 * kept: every leaf file is written as leaf + CA + chain without the self-signed root
 * (kubernetes/kubernetes PR #97266: "the intermediate CA certificate must be appended to each
 * signed certificate"), the CA file as the CA alone.
 *
 * @example
 * ```ts
 * import type { ExistingCaPem } from "@kubepki/k8s-profiles";
 *
 * const ca: ExistingCaPem = {
 *   certificatePem: "-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n",
 *   privateKeyPem: "-----BEGIN RSA PRIVATE KEY-----\n…\n-----END RSA PRIVATE KEY-----\n",
 * };
 * ```
 */
export interface ExistingCaPem {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/**
 * The CAs a caller brings, by the plan's three CA roles: `ca` (`pki/ca.crt`), `etcdCa`
 * (`pki/etcd/ca.crt`), `frontProxyCa` (`pki/front-proxy-ca.crt`). Each one given replaces the CA
 * kubepki would make; the others are made as usual (kubeadm does the same per CA, reference §8.3).
 *
 * @example
 * ```ts
 * import type { ExistingCas } from "@kubepki/k8s-profiles";
 *
 * const corporateCa = { certificatePem: "-----BEGIN CERTIFICATE-----\n…", privateKeyPem: "-----BEGIN RSA PRIVATE KEY-----\n…" };
 * const existingCa: ExistingCas = { ca: corporateCa }; // etcdCa and frontProxyCa are made as usual
 * ```
 */
export interface ExistingCas {
  readonly ca?: ExistingCaPem;
  readonly etcdCa?: ExistingCaPem;
  readonly frontProxyCa?: ExistingCaPem;
}

/**
 * What finished for a {@link GenerateProgress} event: a CA made (`ca`), a caller's CA checked and
 * taken over (`existing-ca`), a leaf certificate issued (`certificate`), or the service-account key
 * pair made (`service-account-key`).
 *
 * @example
 * ```ts
 * import type { GenerateProgressPhase } from "@kubepki/k8s-profiles";
 *
 * const phase: GenerateProgressPhase = "certificate";
 * ```
 */
export type GenerateProgressPhase = "ca" | "existing-ca" | "certificate" | "service-account-key";

/**
 * One progress event of {@link generateCluster}: sent once per finished item (each certificate of
 * the plan, then or meanwhile the service-account key), `done` counting 1, 2, … `total`. `id` is the
 * certificate's {@link CertSpec} id, or `sa`.
 *
 * @example
 * ```ts
 * import type { GenerateProgress } from "@kubepki/k8s-profiles";
 *
 * const event: GenerateProgress = { done: 1, total: 20, id: "ca", phase: "ca" };
 * console.log(`${event.done}/${event.total} ${event.id}`); // "1/20 ca"
 * ```
 */
export interface GenerateProgress {
  readonly done: number;
  readonly total: number;
  readonly id: string;
  readonly phase: GenerateProgressPhase;
}

/**
 * Options of {@link generateCluster}.
 *
 * @example
 * ```ts
 * import type { GenerateClusterOptions } from "@kubepki/k8s-profiles";
 *
 * const seen: string[] = [];
 * const options: GenerateClusterOptions = {
 *   concurrency: 4,
 *   signal: new AbortController().signal,
 *   onProgress: ({ done, total, id }) => seen.push(`${done}/${total} ${id}`),
 * };
 * ```
 */
export interface GenerateClusterOptions {
  /**
   * Called once per finished item, synchronously. If it throws, generation stops and
   * {@link generateCluster} rejects with that error.
   */
  readonly onProgress?: (progress: GenerateProgress) => void;
  /** Stops generation: {@link generateCluster} rejects with `ABORTED` as soon as it fires. */
  readonly signal?: AbortSignal;
  /** CAs to sign with instead of making them (see {@link ExistingCas}). */
  readonly existingCa?: ExistingCas;
  /**
   * An offline root (its certificate, optionally followed by its own chain, and its plain PEM key):
   * the CAs kubepki makes (`ca`, `etcd-ca`, `front-proxy-ca`) are issued by it, as intermediates
   * (CA:TRUE, pathlen:0, keyCertSign, the plan's subjects, `caDays`), instead of self-signed.
   * Checked like an existing CA (a CA, valid now, its key) and its pathLen must allow one CA below
   * it (`PATH_LENGTH_EXCEEDED`); the CAs must end before it (`VALIDITY_EXCEEDS_ISSUER`, field
   * `rootCa`). Its key is never part of the result. Not together with `existingCa`.
   */
  readonly rootCa?: ExistingCaPem;
  /**
   * How many key generations may be in flight at once. Default 8 for RSA (Node generates keys on
   * its 4-thread libuv pool; more in flight only queues there) and 32 for ECDSA (each takes well
   * under a millisecond, so the window mostly hides scheduling latency).
   */
  readonly concurrency?: number;
  /** A WebCrypto implementation to use instead of `globalThis.crypto`, for every key and signature. */
  readonly crypto?: Crypto;
  /**
   * The one clock reading of the run (kubeadm's `StartTimeUTC`): every certificate's NotBefore is
   * `now − 5 min` and NotAfter `now + days`. Default `new Date()`, read once.
   */
  readonly now?: Date;
}

/**
 * One certificate of a generated cluster: the plan's spec, its key pair, the certificate, and the
 * private key as kubeadm writes it (PKCS#1 `RSA PRIVATE KEY` / SEC1 `EC PRIVATE KEY`).
 *
 * `source` is `existing` for a CA the caller passed in {@link GenerateClusterOptions.existingCa}:
 * then `certificate` is the caller's own (its subject need not be the spec's) and `keyPair` the
 * caller's key.
 *
 * `chain` is what a peer sends after `certificate`: its issuers in order, without a self-signed
 * root (RFC 8446 §4.4.2). Empty for a self-signed CA and for a leaf of one; for a leaf of an
 * intermediate CA, that CA and the CA's own chain; for an intermediate CA, its issuers. A leaf of
 * an existing CA given as one certificate has none either: its files stay as they always were.
 *
 * @example
 * ```ts
 * import type { GeneratedCertificate } from "@kubepki/k8s-profiles";
 *
 * const describe = (entry: GeneratedCertificate) => `${entry.spec.id}: ${entry.certificate.subjectText}`;
 * ```
 */
export interface GeneratedCertificate {
  readonly spec: CertSpec;
  readonly keyPair: KeyPair;
  readonly certificate: Certificate;
  readonly privateKeyPem: string;
  readonly source: "generated" | "existing";
  readonly chain: readonly Certificate[];
}

/**
 * The generated service-account key pair: `sa.key` (PKCS#1/SEC1) and `sa.pub` (SPKI `PUBLIC KEY`,
 * which every Kubernetes key loader reads: reference §1.2).
 *
 * @example
 * ```ts
 * import type { GeneratedServiceAccountKey } from "@kubepki/k8s-profiles";
 *
 * const isSpki = (sa: GeneratedServiceAccountKey) => sa.publicKeyPem.startsWith("-----BEGIN PUBLIC KEY-----");
 * ```
 */
export interface GeneratedServiceAccountKey {
  readonly spec: ServiceAccountKeySpec;
  readonly keyPair: KeyPair;
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

/**
 * A whole cluster's PKI in memory, as {@link generateCluster} makes it: one entry per certificate of
 * the plan, in plan order (CAs first), the service-account key pair, the plan itself and the one
 * `now` every validity was computed from. Write it out with {@link toKubeadmFiles}.
 *
 * @example
 * ```ts
 * import type { ClusterPki } from "@kubepki/k8s-profiles";
 *
 * const certificateOf = (pki: ClusterPki, id: string) =>
 *   pki.certificates.find((entry) => entry.spec.id === id)?.certificate;
 * ```
 */
export interface ClusterPki {
  /**
   * The mark `generateCluster` sets (not enumerable): `toKubeadmFiles` takes a result that
   * carries it as it is. A copy (`{ ...pki }`) loses it and is checked again.
   */
  readonly [validatedBy]: "generateCluster";
  readonly plan: ClusterPlan;
  readonly now: Date;
  readonly certificates: readonly GeneratedCertificate[];
  readonly serviceAccountKey: GeneratedServiceAccountKey;
}

/** Which option names which CA role. */
const EXISTING_CA_ROLES = { ca: "ca", etcdCa: "etcd-ca", frontProxyCa: "front-proxy-ca" } as const satisfies Record<
  keyof ExistingCas,
  CaRole
>;
type ExistingCaName = keyof typeof EXISTING_CA_ROLES;
/** The role of a CA: what a leaf names as its signer. */
type CaRole = Exclude<Signer, "self">;

const MAX_CONCURRENCY = 1024;
const DEFAULT_CONCURRENCY = { rsa: 8, ecdsa: 32 } as const;

/**
 * Generates a whole cluster's PKI in memory: every key pair with WebCrypto, every certificate
 * exactly as its {@link CertSpec} says (subject, SANs, key usages, extended key usages, CA flag,
 * validity days, signed by its CA), and the service-account key pair.
 *
 * - **Concurrent, bounded**: keys are generated in parallel, at most `concurrency` at a time, in
 *   plan order; each certificate is signed as soon as its key and its CA exist.
 * - **One clock**: `now` is read once, so every certificate shares NotBefore (kubeadm `StartTimeUTC`).
 * - **All or nothing**: options, the plan and existing CAs are checked before any key is made;
 *   any later failure rejects the whole call, and no partial result is returned.
 * - **Existing CAs** ({@link ExistingCas}, kubeadm's "bring your own CA"): the certificate must be a
 *   CA (`NOT_A_CA`), valid now (`EXPIRED`, `NOT_YET_VALID`), its key must be its own
 *   (`KEY_MISMATCH`), and it must outlive every leaf it will sign (`VALIDITY_EXCEEDS_ISSUER`);
 *   errors name the option (`existingCa.ca: …`, `details.field`). A certificate file of several
 *   certificates is the CA and its chain towards a root, checked link by link (`INVALID_CHAIN`,
 *   `PATH_LENGTH_EXCEEDED`) and kept (see {@link GeneratedCertificate.chain}).
 * - **Offline root** (`rootCa`): the three CAs are issued by it as intermediates (pathlen 0);
 *   checked as an existing CA, its pathLen must allow one CA below it (`PATH_LENGTH_EXCEEDED`),
 *   and the CAs must end before it (`VALIDITY_EXCEEDS_ISSUER`, field `rootCa`). Its key is never
 *   in the result. With `existingCa`: `INVALID_ARGUMENT`.
 * - **Abortable**: `signal` rejects the call with `ABORTED` as soon as it fires; work already
 *   handed to WebCrypto finishes in the background and is discarded.
 *
 * Item failures carry the certificate id in the message and `details.certificate`.
 *
 * @throws KubepkiError `INVALID_ARGUMENT` (options, plan), any code of {@link planCluster} for a
 * config, the codes above for existing CAs, `ABORTED`, `CRYPTO_ERROR`.
 *
 * @example
 * ```ts
 * import { generateCluster } from "@kubepki/k8s-profiles";
 *
 * const controller = new AbortController(); // controller.abort() rejects `pending` with ABORTED
 * let percent = 0;
 * const pending = generateCluster(
 *   { keyAlgorithm: "ECDSA-P256", nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] }] },
 *   { signal: controller.signal, onProgress: ({ done, total }) => (percent = Math.round((100 * done) / total)) },
 * );
 * // `await pending` gives a ClusterPki: 18 certificates (the 3 CAs first) and the sa key pair.
 * pending.then((pki) => pki.certificates.map((entry) => entry.certificate.subjectText));
 * ```
 */
export function generateCluster(
  configOrPlan: ClusterConfig | ResolvedClusterConfig | ClusterPlan = {},
  options: GenerateClusterOptions = {},
): Promise<ClusterPki> {
  // A plain function returning the promise of an async one: bad input rejects, never throws.
  return generate(configOrPlan, options);
}

async function generate(
  configOrPlan: ClusterConfig | ResolvedClusterConfig | ClusterPlan,
  options: GenerateClusterOptions,
): Promise<ClusterPki> {
  const checked = checkOptions(options);
  const { plan, issuable } = acceptPlan(configOrPlan);
  const existing = checkExistingOption(checked.existingCa, plan);
  const rootCa = checkRootOption(checked.rootCa, existing);
  const run = startRun(plan, checked);
  try {
    return await run.until(makePki(run, issuable, existing, rootCa));
  } finally {
    run.finish();
  }
}

// ---------------------------------------------------------------------------------------------
// One run: its clock, randomness, limiter and stop signal, explicit and per call
// ---------------------------------------------------------------------------------------------

/** What a spec puts into its certificate: the spec itself, or (a plan from elsewhere) its normalised copy. */
type Issuable = Pick<CertSpec, "sans" | "keyUsages" | "extKeyUsages" | "pathLength"> & {
  readonly subject: DistinguishedName;
};

/** The state of one {@link generateCluster} call, shared by its items. */
interface Run {
  readonly plan: ClusterPlan;
  readonly now: Date;
  readonly crypto: Crypto | undefined;
  /** Serial-number bytes from a pool (random-pool.ts). */
  readonly random: (length: number) => Uint8Array;
  /** At most `concurrency` key generations in flight, first come first served (pool.ts). */
  readonly limit: Limiter;
  /** The validity window of `days`, computed by core from the run's one clock. */
  window(days: number): ValidityWindow;
  /** Throws `ABORTED` once the caller aborted or another item failed: nothing new starts. */
  throwIfStopped(): void;
  /** Counts a finished item and tells the caller. */
  report(id: string, phase: GenerateProgressPhase): void;
  /** Names an item's failure, stops the run with it (the first one wins) and returns it. */
  fail(error: unknown, id: string): unknown;
  /** Settles as `work` does, or rejects as soon as the caller aborts; a failed run rejects with its first failure. */
  until<T>(work: Promise<T>): Promise<T>;
  /** Stops whatever is still running and forgets the caller's signal. */
  finish(): void;
}

/**
 * `AbortSignal.any` where the runtime has it (Node ≥ 20.3, browsers since 2023, Deno, Bun); the same
 * by hand on an older Node 20, whose `engines` range the packages accept.
 */
export function anySignal(signals: readonly AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === "function") return AbortSignal.any(signals as AbortSignal[]);
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}

function startRun(plan: ClusterPlan, options: GenerateClusterOptions): Run {
  const caller = options.signal;
  // Aborted with the first item failure (its reason is that failure), or when the run ends.
  const stop = new AbortController();
  const stopped = caller ? anySignal([caller, stop.signal]) : stop.signal;
  const now = options.now ?? new Date();
  const total = plan.certificates.length + 1;
  let done = 0;
  const aborted = () =>
    new KubepkiError("ABORTED", `generateCluster was aborted after ${done} of ${total} items; nothing is returned`, {
      cause: caller?.reason,
    });
  const throwIfStopped = () => {
    if (!stopped.aborted) return;
    if (caller?.aborted) throw aborted();
    throw new KubepkiError("ABORTED", "generateCluster stopped after another item failed");
  };
  const windows = new Map<number, ValidityWindow>();
  let forgetCaller = () => {};
  return {
    plan,
    now,
    crypto: options.crypto,
    random: pooledRandom(options.crypto ?? globalThis.crypto),
    limit: createLimiter(
      options.concurrency ??
        (plan.config.keyAlgorithm.startsWith("RSA") ? DEFAULT_CONCURRENCY.rsa : DEFAULT_CONCURRENCY.ecdsa),
    ),
    window(days) {
      let window = windows.get(days);
      if (!window) {
        window = resolveValidity({ days }, now);
        windows.set(days, window);
      }
      return window;
    },
    throwIfStopped,
    report(id, phase) {
      throwIfStopped();
      done++;
      options.onProgress?.({ done, total, id, phase });
    },
    fail(error, id) {
      if (error === stop.signal.reason) return error;
      const named = namedError(error, id);
      if (!stopped.aborted) stop.abort(named);
      return named;
    },
    until(work) {
      const callerAborted = new Promise<never>((_resolve, reject) => {
        if (!caller) return;
        if (caller.aborted) return reject(aborted());
        const onAbort = () => reject(aborted());
        caller.addEventListener("abort", onAbort, { once: true });
        forgetCaller = () => caller.removeEventListener("abort", onAbort);
      });
      // Both are observed through the race; neither may become an unhandled rejection.
      callerAborted.catch(() => {});
      work.catch(() => {});
      return Promise.race([work, callerAborted]).catch((error: unknown) => {
        // Items the first failure stopped may settle before it does: the run's reason is that failure.
        throw stop.signal.aborted && !caller?.aborted ? stop.signal.reason : error;
      });
    },
    finish() {
      forgetCaller();
      if (!stop.signal.aborted) stop.abort(new KubepkiError("ABORTED", "generateCluster has returned"));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The work: existing CAs, then every key and certificate (each leaf once its CA exists), and sa
// ---------------------------------------------------------------------------------------------

async function makePki(
  run: Run,
  issuable: readonly Issuable[],
  existing: readonly [ExistingCaName, ExistingCaPem][],
  rootCa: ExistingCaPem | undefined,
): Promise<ClusterPki> {
  run.throwIfStopped();
  const { imported, bare } = await importExistingCas(run, existing);
  const root = rootCa ? await importRootCa(run, rootCa) : undefined;
  checkLeafLifetimes(run, imported);
  if (root) checkCaLifetimes(run, root);

  const issuers = new Map<CaRole, Promise<Signing>>();
  const certificates = run.plan.certificates.map((spec, index) => {
    const made = makeCertificate(run, spec, issuable[index] as Issuable, imported, issuers, root);
    if (spec.isCa) issuers.set(spec.role, issuerOf(made, bare.has(spec.role)));
    return made;
  });
  const serviceAccountKey = makeServiceAccountKey(run);
  const [made, sa] = await Promise.all([Promise.all(certificates), serviceAccountKey]);
  run.throwIfStopped();
  return markValidated<ClusterPki>(
    { plan: run.plan, now: run.now, certificates: made, serviceAccountKey: sa },
    "generateCluster",
  );
}

/** Existing CAs are checked before any key is generated: a wrong CA must cost nothing. */
async function importExistingCas(
  run: Run,
  existing: readonly [ExistingCaName, ExistingCaPem][],
): Promise<{ imported: ReadonlyMap<CaRole, GeneratedCertificate>; bare: ReadonlySet<CaRole> }> {
  const imported = new Map<CaRole, GeneratedCertificate>();
  const bare = new Set<CaRole>();
  for (const [name, pem] of existing) {
    const role = EXISTING_CA_ROLES[name];
    const spec = run.plan.certificates.find((candidate) => candidate.role === role) as CertSpec;
    const { entry, single } = await importExistingCa(name, spec, pem, run.now, run.crypto);
    imported.set(role, entry);
    if (single) bare.add(role);
    run.throwIfStopped();
  }
  return { imported, bare };
}

/** A CA as its leaves need it: the prepared issuer, and what is sent after each leaf. */
interface Signing {
  readonly issuer: PreparedIssuer;
  readonly above: readonly Certificate[];
}

/** The offline root that issues the cluster's CAs, prepared once, with what is sent above them. */
interface Root extends Signing {
  readonly certificate: Certificate;
}

/**
 * A CA's entry as the issuer of its leaves, prepared once for all of them. `bare`: a caller's CA
 * given as one certificate, whose leaves are written alone, as before chains were kept.
 */
function issuerOf(made: Promise<GeneratedCertificate>, bare: boolean): Promise<Signing> {
  const issuer = made.then((entry) => ({
    issuer: prepareIssuer({ certificate: entry.certificate, privateKey: entry.keyPair.privateKey }),
    above: bare ? [] : sentAbove(entry.certificate, entry.chain),
  }));
  issuer.catch(() => {}); // a CA without leaves still must not leave an unhandled rejection
  return issuer;
}

/** A key pair, through the run's limiter; a failure stops the run before the slot is handed on. */
function newKeyPair(run: Run, id: string, algorithm: CertSpec["keyAlgorithm"]): Promise<KeyPair> {
  return run.limit(async () => {
    run.throwIfStopped();
    try {
      return await generateKeyPair(algorithm, { crypto: run.crypto });
    } catch (error) {
      throw run.fail(error, id);
    }
  });
}

async function makeCertificate(
  run: Run,
  spec: CertSpec,
  fields: Issuable,
  imported: ReadonlyMap<CaRole, GeneratedCertificate>,
  issuers: ReadonlyMap<CaRole, Promise<Signing>>,
  root: Root | undefined,
): Promise<GeneratedCertificate> {
  try {
    const existingEntry = spec.isCa ? imported.get(spec.role) : undefined;
    if (existingEntry) {
      run.report(spec.id, "existing-ca");
      return existingEntry;
    }
    const keyPair = await newKeyPair(run, spec.id, spec.keyAlgorithm);
    // One export gives the private key file and the public key the certificate embeds.
    const { privateKeyPem, publicKeyInfo } = await exportKeyPair(keyPair, { crypto: run.crypto });
    // Every signer is a CA listed before its leaves (planCluster, or acceptPlan for other plans);
    // a CA is self-signed, or with an offline root an intermediate of it (pathlen:0: it signs leaves only).
    const signing = spec.isCa ? root : await (issuers.get(spec.signer) as Promise<Signing>);
    const issuer = signing?.issuer ?? "self";
    run.throwIfStopped();
    // Named fields, not a spread of the spec: a copy of every spec field per certificate was a
    // measurable share of a large cluster's JavaScript.
    const certificate = await issuePlannedCertificate({
      subject: fields.subject,
      sans: fields.sans,
      keyUsages: fields.keyUsages,
      extKeyUsages: fields.extKeyUsages,
      pathLength: spec.isCa && root ? 0 : fields.pathLength,
      issuer,
      keyPair,
      publicKeyInfo,
      isCa: spec.isCa,
      validity: run.window(spec.validityDays),
      crypto: run.crypto,
      random: run.random,
    });
    run.report(spec.id, spec.isCa ? "ca" : "certificate");
    return { spec, keyPair, certificate, privateKeyPem, source: "generated", chain: signing?.above ?? [] };
  } catch (error) {
    throw run.fail(error, spec.id);
  }
}

async function makeServiceAccountKey(run: Run): Promise<GeneratedServiceAccountKey> {
  const spec = run.plan.serviceAccountKey;
  try {
    const keyPair = await newKeyPair(run, spec.id, spec.keyAlgorithm);
    const { privateKeyPem, publicKeyInfo } = await exportKeyPair(keyPair, { crypto: run.crypto });
    const publicKeyPem = encodePem("PUBLIC KEY", publicKeyInfo);
    run.report(spec.id, "service-account-key");
    return { spec, keyPair, privateKeyPem, publicKeyPem };
  } catch (error) {
    throw run.fail(error, spec.id);
  }
}

// ---------------------------------------------------------------------------------------------
// Validation (all of it before the first key)
// ---------------------------------------------------------------------------------------------

function invalid(field: string, message: string): KubepkiError {
  return new KubepkiError("INVALID_ARGUMENT", `${field}: ${message}`, { details: { field } });
}

function checkOptions(options: GenerateClusterOptions): GenerateClusterOptions {
  if (typeof options !== "object" || options === null) throw invalid("options", "expected an object");
  const { onProgress, signal, concurrency, now, existingCa, crypto } = options;
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw invalid("onProgress", "expected a function");
  }
  if (
    signal !== undefined &&
    (typeof signal !== "object" || signal === null || typeof signal.addEventListener !== "function")
  ) {
    throw invalid("signal", "expected an AbortSignal");
  }
  if (
    concurrency !== undefined &&
    (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
  ) {
    throw invalid("concurrency", `expected an integer from 1 to ${MAX_CONCURRENCY}, got ${String(concurrency)}`);
  }
  if (now !== undefined && (!(now instanceof Date) || Number.isNaN(now.getTime()))) {
    throw invalid("now", "expected a valid Date");
  }
  if (existingCa !== undefined && (typeof existingCa !== "object" || existingCa === null)) {
    throw invalid("existingCa", "expected an object like { ca: { certificatePem, privateKeyPem } }");
  }
  if (options.rootCa !== undefined && (typeof options.rootCa !== "object" || options.rootCa === null)) {
    throw invalid("rootCa", "expected { certificatePem, privateKeyPem }");
  }
  if (crypto !== undefined && (typeof crypto !== "object" || crypto === null || typeof crypto.subtle !== "object")) {
    throw invalid("crypto", "expected a WebCrypto Crypto object (with subtle and getRandomValues)");
  }
  return options;
}

/**
 * The plan to generate, and what each of its specs puts into its certificate. A plan from
 * planCluster is taken as it is: it was validated when it was made (and is marked so). Any other
 * plan — assembled or edited by the caller, or a copy — is checked here, once, before any key:
 * unique ids, every signer a CA listed before its leaves, a key algorithm kubeadm accepts, and the
 * fields core will write without checking again (subject, SANs, usages, pathLength), normalised.
 */
function acceptPlan(configOrPlan: ClusterConfig | ResolvedClusterConfig | ClusterPlan): {
  plan: ClusterPlan;
  issuable: readonly Issuable[];
} {
  if (!isPlan(configOrPlan)) {
    const plan = planCluster(configOrPlan);
    return { plan, issuable: plan.certificates };
  }
  if (isValidated(configOrPlan, "planCluster")) return { plan: configOrPlan, issuable: configOrPlan.certificates };
  return { plan: configOrPlan, issuable: checkPlan(configOrPlan) };
}

function isPlan(value: unknown): value is ClusterPlan {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as Partial<ClusterPlan>).certificates) &&
    "serviceAccountKey" in value &&
    "config" in value
  );
}

/** The checks of {@link acceptPlan} for a plan planCluster did not make; returns the normalised fields. */
function checkPlan(plan: ClusterPlan): Issuable[] {
  const ids = new Set<string>();
  const cas = new Set<string>();
  const algorithms = KUBEADM_KEY_ALGORITHMS as readonly string[];
  const issuable = plan.certificates.map((spec, index) => {
    const field = `plan.certificates[${index}]`;
    if (typeof spec?.id !== "string" || ids.has(spec.id)) {
      throw invalid(field, `id ${JSON.stringify(spec?.id)} is missing or not unique`);
    }
    ids.add(spec.id);
    if (!algorithms.includes(spec.keyAlgorithm)) {
      throw invalid(
        `${field}.keyAlgorithm`,
        `${JSON.stringify(spec.keyAlgorithm)} is not one of ${algorithms.join(", ")}`,
      );
    }
    if (typeof spec.validityDays !== "number" || !(spec.validityDays > 0)) {
      throw invalid(`${field}.validityDays`, `expected a positive number, got ${String(spec.validityDays)}`);
    }
    // A CertSpec is a union, but a plan from elsewhere may not be one.
    const { isCa, signer, role } = spec as { isCa: unknown; signer: unknown; role: string };
    if (isCa === true && signer === "self") {
      if (cas.has(role)) throw invalid(field, `a second ${role}`);
      cas.add(role);
    } else if (isCa !== false || signer === "self") {
      throw invalid(field, "only self-signed root CAs are supported (isCa and signer: self go together)");
    } else if (!cas.has(String(signer))) {
      throw invalid(`${field}.signer`, `${String(signer)} is not a CA listed before ${spec.id}`);
    }
    try {
      return issuableFields(spec);
    } catch (error) {
      throw namedError(error, spec.id);
    }
  });
  const sa = plan.serviceAccountKey;
  if (sa?.id !== "sa" || !algorithms.includes(sa.keyAlgorithm)) {
    throw invalid("plan.serviceAccountKey", "expected the service-account key spec of planCluster");
  }
  return issuable;
}

/** What core's createSelfSignedCa/issueCertificate check of a spec's own fields, done once. */
function issuableFields(spec: CertSpec): Issuable {
  const subject = normalizeName(spec.subject);
  const sans = normalizeSubjectAltNames(spec.sans);
  if (Object.keys(subject).length === 0 && (spec.isCa || sans.length === 0)) {
    throw new KubepkiError("INVALID_SUBJECT", "A certificate needs a subject or at least one SAN");
  }
  for (const usage of spec.keyUsages) {
    if (!(KEY_USAGES as readonly string[]).includes(usage)) {
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        `Unknown key usage ${JSON.stringify(usage)}: use one of ${KEY_USAGES.join(", ")}`,
      );
    }
  }
  for (const usage of spec.extKeyUsages) {
    if (!Object.hasOwn(EXT_KEY_USAGE_OIDS, usage)) {
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        `Unknown extended key usage ${JSON.stringify(usage)}: use one of ${Object.keys(EXT_KEY_USAGE_OIDS).join(", ")}`,
      );
    }
  }
  if (spec.isCa && !spec.keyUsages.includes("keyCertSign")) {
    throw new KubepkiError("INVALID_ARGUMENT", "A CA's keyUsages must include keyCertSign, or nothing can chain to it");
  }
  const { pathLength } = spec;
  // core's messages for the same mistakes (createSelfSignedCa / issueCertificate).
  if (pathLength !== undefined && !spec.isCa) {
    throw new KubepkiError("INVALID_ARGUMENT", "pathLength is only allowed on CA certificates (isCa: true)");
  }
  if (pathLength !== undefined && (!Number.isInteger(pathLength) || pathLength < 0 || pathLength > 255)) {
    throw new KubepkiError("INVALID_ARGUMENT", `pathLength must be an integer from 0 to 255, got ${pathLength}`);
  }
  return { subject, sans, keyUsages: spec.keyUsages, extKeyUsages: spec.extKeyUsages, pathLength };
}

function checkExistingOption(
  existingCa: ExistingCas | undefined,
  plan: ClusterPlan,
): [ExistingCaName, ExistingCaPem][] {
  if (existingCa === undefined) return [];
  const entries: [ExistingCaName, ExistingCaPem][] = [];
  for (const [name, pem] of Object.entries(existingCa)) {
    const field = `existingCa.${name}`;
    if (pem === undefined) continue;
    if (!Object.hasOwn(EXISTING_CA_ROLES, name)) {
      throw invalid(field, `unknown CA; use ${Object.keys(EXISTING_CA_ROLES).join(", ")}`);
    }
    const role = EXISTING_CA_ROLES[name as ExistingCaName];
    if (!plan.certificates.some((spec) => spec.role === role)) {
      // With external etcd there is no etcd CA to replace: silently ignoring it would hide a mistake.
      throw invalid(field, `the plan has no ${role} (external etcd?), so there is nothing to sign with it`);
    }
    if (typeof pem !== "object" || pem === null) throw invalid(field, "expected { certificatePem, privateKeyPem }");
    if (typeof pem.certificatePem !== "string") throw invalid(`${field}.certificatePem`, "expected PEM text");
    if (typeof pem.privateKeyPem !== "string") {
      // kubeadm's external-CA mode (certificate without key) needs every leaf to exist already;
      // generating a cluster needs the key.
      throw invalid(`${field}.privateKeyPem`, "expected PEM text: generating leaves needs the CA's private key");
    }
    entries.push([name as ExistingCaName, pem]);
  }
  return entries;
}

/**
 * The offline root option: PEM text for both (the CLI decrypts an encrypted key before), and not
 * with `existingCa`: the root issues every CA kubepki makes, so a CA brought as well would be
 * the same CA twice.
 */
function checkRootOption(
  rootCa: ExistingCaPem | undefined,
  existing: readonly [ExistingCaName, ExistingCaPem][],
): ExistingCaPem | undefined {
  if (rootCa === undefined) return undefined;
  const [clash] = existing;
  if (clash) {
    throw invalid(
      `existingCa.${clash[0]}`,
      "not together with rootCa: the root issues the cluster's CAs, so bring either the root or the CA",
    );
  }
  if (typeof rootCa.certificatePem !== "string") throw invalid("rootCa.certificatePem", "expected PEM text");
  if (typeof rootCa.privateKeyPem !== "string") {
    throw invalid("rootCa.privateKeyPem", "expected PEM text: issuing the cluster's CAs needs the root's private key");
  }
  return rootCa;
}

/** Re-labels a core error with the field it came from, keeping its code. */
function withField(error: unknown, field: string): unknown {
  if (!(error instanceof KubepkiError)) return error;
  return new KubepkiError(error.code, `${field}: ${error.message}`, {
    cause: error,
    details: { ...error.details, field },
  });
}

function namedError(error: unknown, id: string): unknown {
  if (!(error instanceof KubepkiError) || error.code === "ABORTED") return error;
  return new KubepkiError(error.code, `${id}: ${error.message}`, {
    cause: error,
    details: { ...error.details, certificate: id },
  });
}

/** A caller's CA read and checked: the certificate, its chain (kept), its key pair and key file. */
interface CheckedCa {
  readonly certificate: Certificate;
  readonly chain: readonly Certificate[];
  readonly keyPair: KeyPair;
  readonly privateKeyPem: string;
  /** Given as one certificate: read as before chains were kept. */
  readonly single: boolean;
}

/**
 * The checks kubeadm makes on a CA it is given (`certs.go` `validateCACert`/`UsingExternalCA`:
 * a CA, currently valid, with its key), plus the key check of core's `keyMatchesCertificate`.
 * Further certificates of `certificatePem` are its chain towards a root, checked link by link
 * with `belowFirst` CAs below the first; one certificate is read as before, byte for byte.
 */
async function checkCallerCa(
  field: string,
  pem: ExistingCaPem,
  belowFirst: number,
  now: Date,
  crypto: Crypto | undefined,
): Promise<CheckedCa> {
  // The certificate reader is loaded only here, for a caller's CA: generating everything needs
  // no parser, and the @kubepki/k8s-profiles/generate entry must not load it at import.
  const { keyMatchesCertificate, parseCertificate, parseCertificates } = await import("@kubepki/core");
  let certificate: Certificate;
  let chain: Certificate[] = [];
  try {
    const all = parseCertificates(pem.certificatePem);
    if (all.length > 1) [certificate, ...chain] = all as [Certificate, ...Certificate[]];
    else certificate = parseCertificate(pem.certificatePem);
  } catch (error) {
    throw withField(error, `${field}.certificatePem`);
  }
  const subject = certificate.subjectText || `serial ${certificate.serialNumber}`;
  if (
    certificate.version < 3 ||
    !certificate.isCa ||
    (certificate.keyUsages !== undefined && !certificate.keyUsages.includes("keyCertSign"))
  ) {
    throw new KubepkiError(
      "NOT_A_CA",
      `${field}: ${subject} is not a CA (it needs X.509 v3 basicConstraints CA:TRUE and, with a keyUsage, keyCertSign): pass the CA certificate, not a leaf`,
      { details: { field } },
    );
  }
  if (now.getTime() < certificate.notBefore.getTime()) {
    throw new KubepkiError(
      "NOT_YET_VALID",
      `${field}: ${subject} is not valid before ${certificate.notBefore.toISOString()}`,
      { details: { field } },
    );
  }
  if (now.getTime() > certificate.notAfter.getTime()) {
    throw new KubepkiError("EXPIRED", `${field}: ${subject} expired at ${certificate.notAfter.toISOString()}`, {
      details: { field },
    });
  }
  if (chain.length > 0 || belowFirst > 0) {
    await checkChainLinks(`${field}.certificatePem`, [certificate, ...chain], belowFirst, crypto);
  }
  let keyPair: KeyPair;
  try {
    keyPair = await importPrivateKeyPem(pem.privateKeyPem, { crypto });
  } catch (error) {
    throw withField(error, `${field}.privateKeyPem`);
  }
  if (!(await keyMatchesCertificate(keyPair, certificate, { crypto }))) {
    throw new KubepkiError("KEY_MISMATCH", `${field}: the private key does not belong to ${subject}`, {
      details: { field },
    });
  }
  const privateKeyPem = await exportPrivateKeyPem(keyPair, { crypto });
  // Kept without a self-signed root: that is the trust anchor, never sent (RFC 8446 §4.4.2).
  const kept = chain.filter((link) => !isSelfIssued(link));
  return { certificate, chain: kept, keyPair, privateKeyPem, single: chain.length === 0 };
}

async function importExistingCa(
  name: ExistingCaName,
  spec: CertSpec,
  pem: ExistingCaPem,
  now: Date,
  crypto: Crypto | undefined,
): Promise<{ entry: GeneratedCertificate; single: boolean }> {
  const checked = await checkCallerCa(`existingCa.${name}`, pem, 0, now, crypto);
  const { certificate, chain, keyPair, privateKeyPem, single } = checked;
  return { entry: { spec, keyPair, certificate, privateKeyPem, source: "existing", chain }, single };
}

/**
 * The offline root, checked like an existing CA with one CA below it (the cluster's CAs it
 * issues), prepared once. Its key stays in this object: no entry of the result holds it.
 */
async function importRootCa(run: Run, pem: ExistingCaPem): Promise<Root> {
  const { certificate, chain, keyPair } = await checkCallerCa("rootCa", pem, 1, run.now, run.crypto);
  run.throwIfStopped();
  return {
    certificate,
    issuer: prepareIssuer({ certificate, privateKey: keyPair.privateKey }),
    above: sentAbove(certificate, chain),
  };
}

/** Each CA the root issues must end before the root does: checked before any key, naming `rootCa`. */
function checkCaLifetimes(run: Run, root: Root): void {
  for (const spec of run.plan.certificates) {
    if (!spec.isCa) continue;
    const ends = run.window(spec.validityDays).notAfter;
    if (ends.getTime() > root.certificate.notAfter.getTime()) {
      throw new KubepkiError(
        "VALIDITY_EXCEEDS_ISSUER",
        `rootCa: ${spec.id} would be valid for ${spec.validityDays} days, until ${ends.toISOString()}, after the root ${root.certificate.subjectText} expires (${root.certificate.notAfter.toISOString()}): shorten validity.caDays or renew the root`,
        { details: { field: "rootCa", certificate: spec.id } },
      );
    }
  }
}

/**
 * Core refuses a leaf that would outlive its CA; checking all of them first means a short-lived
 * existing CA fails the call before any key is generated, and names the CA. The windows are the
 * ones the certificates will get (core's resolveValidity, from the run's clock).
 */
function checkLeafLifetimes(run: Run, imported: ReadonlyMap<CaRole, GeneratedCertificate>): void {
  const caEnd = new Map<string, { ends: number; name: string }>();
  for (const spec of run.plan.certificates) {
    if (!spec.isCa) continue;
    const existing = imported.get(spec.role);
    caEnd.set(
      spec.role,
      existing
        ? {
            ends: existing.certificate.notAfter.getTime(),
            name: `existing ${spec.role} ${existing.certificate.subjectText}`,
          }
        : { ends: run.window(spec.validityDays).notAfter.getTime(), name: `the ${spec.validityDays}-day ${spec.role}` },
    );
  }
  for (const spec of run.plan.certificates) {
    if (spec.isCa) continue;
    const ca = caEnd.get(spec.signer) as { ends: number; name: string };
    const ends = run.window(spec.validityDays).notAfter;
    if (ends.getTime() > ca.ends) {
      const field = imported.has(spec.signer)
        ? `existingCa.${(Object.keys(EXISTING_CA_ROLES) as ExistingCaName[]).find((key) => EXISTING_CA_ROLES[key] === spec.signer)}`
        : "validity";
      throw new KubepkiError(
        "VALIDITY_EXCEEDS_ISSUER",
        `${field}: ${spec.id} would be valid for ${spec.validityDays} days, until ${ends.toISOString()}, after ${ca.name} expires (${new Date(ca.ends).toISOString()}): renew the CA or shorten validity.leafDays`,
        { details: { field, certificate: spec.id } },
      );
    }
  }
}
