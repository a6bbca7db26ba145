// kubeadm's external CA mode (`kubeadm certs generate-csr`), for every node: keys and requests
// made here, certificates signed elsewhere.
import {
  type Certificate,
  type CertificationRequest,
  createCsr,
  exportKeyPair,
  exportPublicKeyPem,
  generateKeyPair,
  isKubepkiError,
  KubepkiError,
  parseCertificates,
} from "@kubepki/core";
import type { ClusterConfig, ResolvedClusterConfig } from "../../config/resolve.js";
import { isValidated } from "../../config/validated.js";
import { createLimiter } from "../../generate/pool.js";
import { type ClusterPlan, planCluster } from "../../plan/plan.js";
import type { CertSpec, ServiceAccountKeySpec, Signer } from "../../roles/profiles.js";
import { CSR_CA_OPTIONS, type CsrLocation, csrLocation } from "./layout.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Keys made at once: generateCluster's defaults (RSA keys are generated on Node's 4-thread pool). */
const CONCURRENCY = { rsa: 8, ecdsa: 32 } as const;

/**
 * The external CAs' certificates, as PEM, by kubeadm's names: `ca` (`pki/ca.crt`), `etcdCa`
 * (`pki/etcd/ca.crt`), `frontProxyCa` (`pki/front-proxy-ca.crt`). A text may hold a chain; its
 * first certificate is the CA (the others are not used: kubeadm refuses several certificates in
 * `ca.crt`, kubernetes/kubeadm#2628).
 *
 * @example
 * ```ts
 * import type { ExternalCas } from "@kubepki/k8s-profiles";
 *
 * const pem = "-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n";
 * const cas: ExternalCas = { ca: pem, etcdCa: pem, frontProxyCa: pem };
 * ```
 */
export interface ExternalCas {
  readonly ca: string;
  readonly etcdCa: string;
  readonly frontProxyCa: string;
}

/**
 * Options of {@link generateCsrs}.
 *
 * @example
 * ```ts
 * import type { GenerateCsrsOptions } from "@kubepki/k8s-profiles";
 *
 * const pem = "-----BEGIN CERTIFICATE-----\n…";
 * let percent = 0;
 * const options: GenerateCsrsOptions = {
 *   cas: { ca: pem, etcdCa: pem, frontProxyCa: pem },
 *   onProgress: ({ done, total }) => (percent = Math.round((100 * done) / total)),
 * };
 * ```
 */
export interface GenerateCsrsOptions {
  /** The external CAs' certificates (PEM), under kubeadm's names. */
  readonly cas: ExternalCas;
  /** A WebCrypto implementation to use instead of `globalThis.crypto`. */
  readonly crypto?: Crypto;
  /** Stops the run: {@link generateCsrs} rejects with `ABORTED`. */
  readonly signal?: AbortSignal;
  /** Called once per finished key and request (`id`: the certificate's id, or `sa`), synchronously. */
  readonly onProgress?: (progress: { readonly done: number; readonly total: number; readonly id: string }) => void;
  /** The time the CAs must be valid at (default: now). */
  readonly now?: Date;
}

/**
 * One external CA as {@link generateCsrs} accepted it.
 *
 * @example
 * ```ts
 * import type { ExternalCa } from "@kubepki/k8s-profiles";
 *
 * const where = (ca: ExternalCa) => `${ca.role}: ${ca.certificate.subjectText} → ${ca.path}`;
 * ```
 */
export interface ExternalCa {
  readonly role: Exclude<Signer, "self">;
  /** Where the tree keeps it (`pki/ca.crt`). */
  readonly path: string;
  /** The CA: the first certificate of the text given. */
  readonly certificate: Certificate;
}

/**
 * One leaf's key and request.
 *
 * @example
 * ```ts
 * import type { CsrRequest } from "@kubepki/k8s-profiles";
 *
 * const line = (request: CsrRequest) => `${request.location.csr} (${request.spec.signer})`;
 * ```
 */
export interface CsrRequest {
  readonly spec: CertSpec;
  readonly location: CsrLocation;
  readonly csr: CertificationRequest;
  readonly privateKeyPem: string;
}

/**
 * What {@link generateCsrs} made: the plan, the CAs, one request per leaf and the
 * service-account pair. Write it with {@link toCsrFiles}.
 *
 * @example
 * ```ts
 * import type { CsrSet } from "@kubepki/k8s-profiles";
 *
 * const count = (set: CsrSet) => set.requests.length;
 * ```
 */
export interface CsrSet {
  readonly plan: ClusterPlan;
  readonly cas: readonly ExternalCa[];
  readonly requests: readonly CsrRequest[];
  readonly serviceAccountKey: {
    readonly spec: ServiceAccountKeySpec;
    readonly privateKeyPem: string;
    readonly publicKeyPem: string;
  };
}

/**
 * kubeadm's external CA mode (`kubeadm certs generate-csr`, reference §8; Kubernetes docs
 * "Certificate Management with kubeadm", External CA mode), for every node of the plan, workers
 * included (kubeadm asks for control-plane nodes only: kubernetes/kubeadm#794, #2413): a key in
 * the plan's key algorithm and a PKCS#10 request for every leaf certificate and kubeconfig
 * identity, and the `sa.key`/`sa.pub` pair. The CAs' keys are never needed.
 *
 * Each request carries the role's subject (CN, O), its SANs, AND its key usages, extended key
 * usages and basicConstraints CA:FALSE as requested extensions. kubeadm's requests carry subject and
 * SANs only, so the CA must add the usages itself; these can be signed as they are with
 * `openssl x509 -req -in X.csr -CA ca.crt -CAkey ca.key -copy_extensions copyall -days 365 -out X.crt`
 * and come out exactly as the role. `finishCsrs` checks what comes back.
 *
 * Only the CAs the plan uses are required (with external etcd, `etcdCa` is not).
 *
 * @throws KubepkiError `INVALID_ARGUMENT` naming a missing CA option (`details.field`, e.g.
 * `cas.etcdCa`), `INVALID_PEM` for a text without a certificate, `NOT_A_CA`, `EXPIRED`,
 * `NOT_YET_VALID`, `VALIDITY_EXCEEDS_ISSUER` (a CA ending before the leaves it must sign), `ABORTED`,
 * and {@link planCluster}'s codes for a bad config.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair } from "@kubepki/core";
 * import { generateCsrs } from "@kubepki/k8s-profiles";
 *
 * // Stand-ins for the organisation's CAs: only their certificates are given.
 * const ca = (cn: string) =>
 *   generateKeyPair("ECDSA-P256").then((keyPair) => createSelfSignedCa({ keyPair, subject: `/CN=${cn}` })).then((made) => made.pem);
 * const requests = Promise.all([ca("kubernetes"), ca("etcd-ca"), ca("front-proxy-ca")])
 *   .then(([ca, etcdCa, frontProxyCa]) => generateCsrs({ keyAlgorithm: "ECDSA-P256" }, { cas: { ca, etcdCa, frontProxyCa } }))
 *   .then((set) => set.requests.map((request) => request.location.csr));
 * // ["pki/apiserver.csr", "pki/apiserver-kubelet-client.csr", …, "admin.conf.csr", …]
 * ```
 */
export function generateCsrs(
  configOrPlan: ClusterConfig | ResolvedClusterConfig | ClusterPlan,
  options: GenerateCsrsOptions,
): Promise<CsrSet> {
  // A plain function returning an async one's promise: bad input rejects, never throws.
  return generate(configOrPlan, options);
}

async function generate(
  configOrPlan: ClusterConfig | ResolvedClusterConfig | ClusterPlan,
  options: GenerateCsrsOptions,
): Promise<CsrSet> {
  if (typeof options !== "object" || options === null) {
    throw new KubepkiError("INVALID_ARGUMENT", "generateCsrs needs { cas: { ca, etcdCa, frontProxyCa } }", {
      details: { field: "cas" },
    });
  }
  const plan = isValidated(configOrPlan, "planCluster")
    ? (configOrPlan as ClusterPlan)
    : planCluster(
        "certificates" in (configOrPlan ?? {}) ? (configOrPlan as ClusterPlan).config : (configOrPlan as ClusterConfig),
      );
  const now = options.now ?? new Date();
  const cas = acceptCas(plan, options.cas, now);
  const leaves = plan.certificates.filter((spec) => !spec.isCa);
  const total = leaves.length + 1;
  let done = 0;
  const report = (id: string) => options.onProgress?.({ done: ++done, total, id });
  const limit = createLimiter(plan.config.keyAlgorithm.startsWith("RSA") ? CONCURRENCY.rsa : CONCURRENCY.ecdsa);
  const throwIfAborted = () => {
    if (options.signal?.aborted) {
      throw new KubepkiError(
        "ABORTED",
        `generateCsrs was aborted after ${done} of ${total} keys; nothing is returned`,
        {
          cause: options.signal.reason,
        },
      );
    }
  };
  throwIfAborted();
  const cryptoOption = options.crypto ? { crypto: options.crypto } : {};
  const requests = leaves.map((spec) =>
    limit(async (): Promise<CsrRequest> => {
      throwIfAborted();
      const keyPair = await generateKeyPair(spec.keyAlgorithm, cryptoOption);
      const { privateKeyPem } = await exportKeyPair(keyPair, cryptoOption);
      const csr = await createCsr({
        keyPair,
        subject: spec.subject,
        sans: spec.sans,
        keyUsages: spec.keyUsages,
        extKeyUsages: spec.extKeyUsages,
        basicConstraints: { isCa: false },
        ...cryptoOption,
      });
      report(spec.id);
      return { spec, location: csrLocation(spec), csr, privateKeyPem };
    }),
  );
  const serviceAccount = limit(async () => {
    throwIfAborted();
    const keyPair = await generateKeyPair(plan.serviceAccountKey.keyAlgorithm, cryptoOption);
    const { privateKeyPem } = await exportKeyPair(keyPair, cryptoOption);
    const publicKeyPem = await exportPublicKeyPem(keyPair, cryptoOption);
    report("sa");
    return { spec: plan.serviceAccountKey, privateKeyPem, publicKeyPem };
  });
  const settled = await Promise.allSettled([...requests, serviceAccount]);
  const failed = settled.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  throwIfAborted();
  return {
    plan,
    cas,
    requests: settled.slice(0, -1).map((result) => (result as PromiseFulfilledResult<CsrRequest>).value),
    serviceAccountKey: (settled.at(-1) as PromiseFulfilledResult<CsrSet["serviceAccountKey"]>).value,
  };
}

/** Each CA the plan uses: given, a CA, valid now and until the last leaf it signs ends. */
function acceptCas(plan: ClusterPlan, given: ExternalCas | undefined, now: Date): ExternalCa[] {
  const out: ExternalCa[] = [];
  for (const [option, role] of Object.entries(CSR_CA_OPTIONS) as [keyof ExternalCas, ExternalCa["role"]][]) {
    const spec = plan.certificates.find((candidate) => candidate.isCa && candidate.role === role);
    if (!spec) continue;
    const field = `cas.${option}`;
    const pem = given?.[option];
    if (typeof pem !== "string" || pem.trim() === "") {
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        `${field}: missing — the certificate of the external ${role} CA (kubeadm's ${spec.certPath}) is required`,
        { details: { field } },
      );
    }
    const certificate = named(field, () => parseCertificates(pem)[0] as Certificate);
    if (!certificate.isCa) {
      throw new KubepkiError(
        "NOT_A_CA",
        `${field}: ${certificate.subjectText} is not a CA (basicConstraints CA:FALSE)`,
        {
          details: { field },
        },
      );
    }
    if (certificate.notBefore > now) {
      throw new KubepkiError(
        "NOT_YET_VALID",
        `${field}: ${certificate.subjectText} is valid from ${certificate.notBefore.toISOString()}`,
        {
          details: { field },
        },
      );
    }
    if (certificate.notAfter < now) {
      throw new KubepkiError(
        "EXPIRED",
        `${field}: ${certificate.subjectText} expired ${certificate.notAfter.toISOString()}`,
        {
          details: { field },
        },
      );
    }
    const days = Math.max(
      0,
      ...plan.certificates.filter((leaf) => leaf.signer === role).map((leaf) => leaf.validityDays),
    );
    if (certificate.notAfter.getTime() < now.getTime() + days * DAY_MS) {
      throw new KubepkiError(
        "VALIDITY_EXCEEDS_ISSUER",
        `${field}: ${certificate.subjectText} ends ${certificate.notAfter.toISOString()}, before the ${days}-day certificates it must sign; use a CA valid longer or shorter leaf validity`,
        { details: { field } },
      );
    }
    out.push({ role, path: spec.certPath, certificate });
  }
  return out;
}

/** A reader's error, with the option it came from in front. */
function named<T>(field: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (isKubepkiError(error)) {
      throw new KubepkiError(error.code, `${field}: ${error.message}`, { cause: error, details: { field } });
    }
    throw error;
  }
}
