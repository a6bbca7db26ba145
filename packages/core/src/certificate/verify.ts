import { importPublicKeyInfo } from "../keys/public-key-info.js";
import { bytesEqual } from "../lib/bytes.js";
import { type CryptoOptions, resolveCrypto } from "../lib/crypto.js";
import { type SignatureAlgorithm, signatureAlgorithmByOid, verifyX509Signature } from "../lib/signature.js";
import { matchesDnsName, matchesIpAddress } from "../names/match-hostname.js";
import { KubepkiError } from "../vocabulary/errors.js";
import { ipToBytes, parseIp } from "../vocabulary/ip.js";
import { EXT_KEY_USAGE_OIDS, type ExtKeyUsage } from "../vocabulary/key-usages.js";
import type { Certificate } from "./model.js";

/**
 * Options for {@link verifyCertificate}.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair, verifyCertificate, type VerifyCertificateOptions } from "@kubepki/core";
 *
 * const ca = await createSelfSignedCa({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=kubernetes" });
 * // Will the CA still be valid in five years? In eleven? (A self-signed CA checks against itself.)
 * const inFiveYears: VerifyCertificateOptions = { at: new Date(Date.now() + 5 * 365 * 86_400_000) };
 * await verifyCertificate(ca, ca, inFiveYears); // resolves: valid for 10 years
 * const inElevenYears: VerifyCertificateOptions = { at: new Date(Date.now() + 11 * 365 * 86_400_000) };
 * console.log(await verifyCertificate(ca, ca, inElevenYears).catch((error) => error.code)); // "EXPIRED"
 * ```
 */
export interface VerifyCertificateOptions extends CryptoOptions {
  /** The time to check validity at (default: now). */
  at?: Date;
}

/**
 * Options for {@link verifyChain}.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair, issueCertificate, verifyChain, type VerifyChainOptions } from "@kubepki/core";
 *
 * const caKeys = await generateKeyPair("ECDSA-P256");
 * const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=kubernetes" });
 * const apiserver = await issueCertificate({
 *   issuer: { certificate: ca, privateKey: caKeys.privateKey },
 *   publicKey: (await generateKeyPair("ECDSA-P256")).publicKey,
 *   subject: "/CN=kube-apiserver",
 *   sans: ["kubernetes.default.svc", "10.96.0.1"],
 *   extKeyUsages: ["serverAuth"],
 * });
 * // What a client dialling https://10.96.0.1 checks (reference §2.1).
 * const asAClient: VerifyChainOptions = { usage: "serverAuth", ipAddress: "10.96.0.1" };
 * const chain = await verifyChain(apiserver, [], [ca], asAClient);
 * console.log(chain.length); // 2
 * ```
 */
export interface VerifyChainOptions extends CryptoOptions {
  /** The time every certificate of the chain must be valid at (default: now). */
  at?: Date;
  /**
   * Required extended key usage of the leaf, enforced down the chain as Go does (default: any).
   * Note Go's own default is serverAuth; kubeadm passes `ExtKeyUsageAny` when it checks its files.
   */
  usage?: ExtKeyUsage;
  /** A DNS name the leaf must be valid for (no CN fallback, as Go ≥ 1.15). An IP text is matched as an IP. */
  dnsName?: string;
  /** An IP address the leaf must be valid for. */
  ipAddress?: string;
}

/** How a certificate is named in messages. */
function describe(certificate: Certificate): string {
  return certificate.subjectText ? `"${certificate.subjectText}"` : `with serial ${certificate.serialNumber}`;
}

function resolveTime(at: Date | undefined): Date {
  if (at === undefined) return new Date();
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new KubepkiError("INVALID_ARGUMENT", "The `at` option must be a valid Date");
  }
  return at;
}

/** RFC 5280 §4.1.2.5: valid from notBefore to notAfter, both inclusive (Go: Before / After). */
function validityProblem(certificate: Certificate, at: Date): KubepkiError | undefined {
  if (at.getTime() < certificate.notBefore.getTime()) {
    return new KubepkiError(
      "NOT_YET_VALID",
      `Certificate ${describe(certificate)} is not valid before ${certificate.notBefore.toISOString()} (checked at ${at.toISOString()}): check the clocks, or wait`,
      { details: { notBefore: certificate.notBefore, at } },
    );
  }
  if (at.getTime() > certificate.notAfter.getTime()) {
    return new KubepkiError(
      "EXPIRED",
      `Certificate ${describe(certificate)} expired at ${certificate.notAfter.toISOString()} (checked at ${at.toISOString()}): renew it`,
      { details: { notAfter: certificate.notAfter, at } },
    );
  }
  return undefined;
}

/**
 * Whether `issuer` may sign certificates: basicConstraints CA:TRUE (RFC 5280 §4.2.1.9) and, when a
 * keyUsage is present, keyCertSign (§4.2.1.3; Go's `CheckSignatureFrom` checks the same). A v1
 * certificate has no extensions at all: Go would accept it as a root, but kubeadm refuses it as a
 * CA ("is not a CA"), so kubepki refuses it everywhere.
 */
function caProblem(issuer: Certificate): KubepkiError | undefined {
  if (issuer.version < 3) {
    return new KubepkiError(
      "NOT_A_CA",
      `Certificate ${describe(issuer)} is an X.509 v${issuer.version} certificate without basicConstraints, so it cannot be a CA: kubeadm refuses such a CA. Recreate it as v3 with "basicConstraints=critical,CA:TRUE" and keyCertSign (openssl: -addext, or kubepki createSelfSignedCa)`,
    );
  }
  if (!issuer.isCa) {
    return new KubepkiError(
      "NOT_A_CA",
      `Certificate ${describe(issuer)} is not a CA (no basicConstraints CA:TRUE), so it cannot sign certificates: sign with the CA certificate instead`,
    );
  }
  // An empty keyUsage counts as absent, as Go's `KeyUsage != 0` test does.
  if (issuer.keyUsages !== undefined && issuer.keyUsages.length > 0 && !issuer.keyUsages.includes("keyCertSign")) {
    return new KubepkiError(
      "NOT_A_CA",
      `CA certificate ${describe(issuer)} has a keyUsage without keyCertSign, so it may not sign certificates: recreate it with keyCertSign`,
    );
  }
  return undefined;
}

/** Checks that `issuer`'s key made `certificate`'s signature. Errors are returned, not thrown. */
/**
 * Issuer public keys already imported, per crypto implementation, issuer certificate and hash: a
 * CA verifies every certificate it signed (thousands in a cluster audit) with one imported key.
 * A failed import is not kept, so it fails the same way each time.
 */
const issuerKeys = /* @__PURE__ */ new WeakMap<Crypto, WeakMap<Certificate, Map<string, Promise<CryptoKey>>>>();

function issuerPublicKey(crypto: Crypto, issuer: Certificate, algorithm: SignatureAlgorithm): Promise<CryptoKey> {
  let byCertificate = issuerKeys.get(crypto);
  if (!byCertificate) {
    byCertificate = new WeakMap();
    issuerKeys.set(crypto, byCertificate);
  }
  let byHash = byCertificate.get(issuer);
  if (!byHash) {
    byHash = new Map();
    byCertificate.set(issuer, byHash);
  }
  const hash = algorithm.hash ?? "";
  let pending = byHash.get(hash);
  if (!pending) {
    const cache = byHash;
    pending = importPublicKeyInfo(crypto, issuer.publicKeyInfo, algorithm);
    cache.set(hash, pending);
    pending.catch(() => cache.delete(hash));
  }
  return pending;
}

async function signatureProblem(
  crypto: Crypto,
  certificate: Certificate,
  issuer: Certificate,
): Promise<KubepkiError | undefined> {
  const algorithm = signatureAlgorithmByOid(certificate.signatureAlgorithm);
  // Go (1.24, every supported Kubernetes build's successor) refuses SHA-1 signatures on
  // certificates outright (InsecureAlgorithmError); kubeadm never makes them.
  if (!algorithm || algorithm.hash === "SHA-1") {
    return new KubepkiError(
      "UNSUPPORTED_ALGORITHM",
      `Certificate ${describe(certificate)} is signed with ${certificate.signatureAlgorithm}, which kubepki does not verify: reissue it with SHA-256 (RSA or ECDSA) or Ed25519`,
    );
  }
  let publicKey: CryptoKey;
  try {
    publicKey = await issuerPublicKey(crypto, issuer, algorithm);
  } catch (cause) {
    if (cause instanceof KubepkiError) return cause;
    throw cause;
  }
  const valid = await verifyX509Signature(crypto, publicKey, algorithm, certificate.tbsDer, certificate.signatureValue);
  return valid
    ? undefined
    : new KubepkiError(
        "SIGNATURE_INVALID",
        `Certificate ${describe(certificate)} was not signed by the key of ${describe(issuer)}: it comes from another CA with the same name, or was altered`,
      );
}

/**
 * Checks one link: that `issuer` is a CA allowed to sign (`NOT_A_CA`; a v1 root without extensions
 * is refused, as kubeadm refuses it), that `certificate` names `issuer` as its issuer (exact DER
 * bytes, as Go compares them: `UNKNOWN_ISSUER`), that `issuer`'s key signed it
 * (`SIGNATURE_INVALID`), and that `certificate` is valid at `at` (`EXPIRED` / `NOT_YET_VALID`).
 * The issuer's own validity is not checked here; {@link verifyChain} checks every certificate.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair, issueCertificate, verifyCertificate } from "@kubepki/core";
 *
 * const caKeys = await generateKeyPair("ECDSA-P256");
 * const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=kubernetes" });
 * const apiserver = await issueCertificate({
 *   issuer: { certificate: ca, privateKey: caKeys.privateKey },
 *   publicKey: (await generateKeyPair("ECDSA-P256")).publicKey,
 *   subject: "/CN=kube-apiserver",
 * });
 * await verifyCertificate(apiserver, ca, { at: new Date() }); // resolves: ca signed it, and it is valid now
 * // Another CA with the same name did not sign it.
 * const otherCa = await createSelfSignedCa({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=kubernetes" });
 * console.log(await verifyCertificate(apiserver, otherCa).catch((error) => error.code)); // "SIGNATURE_INVALID"
 * ```
 */
export async function verifyCertificate(
  certificate: Certificate,
  issuer: Certificate,
  options: VerifyCertificateOptions = {},
): Promise<void> {
  const at = resolveTime(options.at);
  const crypto = resolveCrypto(options.crypto);
  const notCa = caProblem(issuer);
  if (notCa) throw notCa;
  if (!bytesEqual(certificate.issuerDer, issuer.subjectDer)) {
    throw new KubepkiError(
      "UNKNOWN_ISSUER",
      `Certificate ${describe(certificate)} was issued by "${certificate.issuerText}", not by ${describe(issuer)}: check it against the CA that issued it`,
    );
  }
  const badSignature = await signatureProblem(crypto, certificate, issuer);
  if (badSignature) throw badSignature;
  const invalid = validityProblem(certificate, at);
  if (invalid) throw invalid;
}

/**
 * Only the signature: whether `issuer`'s key made `certificate`'s signature, whatever the issuer
 * is (a v1 root, a leaf, an expired CA). Audits use it to tell who signed what before judging
 * the signer; use {@link verifyCertificate} or {@link verifyChain} to decide whether to trust.
 * Throws `UNSUPPORTED_ALGORITHM` for signatures kubepki does not verify (SHA-1, RSA-PSS…).
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair, issueCertificate, verifyCertificateSignature } from "@kubepki/core";
 *
 * const caKeys = await generateKeyPair("ECDSA-P256");
 * const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=kubernetes" });
 * const leaf = await issueCertificate({
 *   issuer: { certificate: ca, privateKey: caKeys.privateKey },
 *   publicKey: (await generateKeyPair("ECDSA-P256")).publicKey,
 *   subject: "/CN=kube-apiserver",
 * });
 * const otherCa = await createSelfSignedCa({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=kubernetes" });
 * console.log(await verifyCertificateSignature(leaf, ca), await verifyCertificateSignature(leaf, otherCa)); // true false
 * ```
 */
export async function verifyCertificateSignature(
  certificate: Certificate,
  issuer: Certificate,
  options: CryptoOptions = {},
): Promise<boolean> {
  const problem = await signatureProblem(resolveCrypto(options.crypto), certificate, issuer);
  if (problem && problem.code !== "SIGNATURE_INVALID") throw problem;
  return problem === undefined;
}

/** Go's `maxChainSignatureChecks`: bounds the work a pool full of look-alike CAs can cause. */
const MAX_SIGNATURE_CHECKS = 100;

interface SearchState {
  readonly crypto: Crypto;
  readonly at: Date;
  readonly intermediates: readonly Certificate[];
  readonly roots: readonly Certificate[];
  signatureChecks: number;
}

/**
 * Go's `CertPool.findPotentialParents`: certificates whose subject is `certificate`'s issuer (same
 * DER bytes), those whose SKI equals its AKI first, then those where only one side has a key
 * identifier, then mismatches.
 */
function potentialParents(certificate: Certificate, pool: readonly Certificate[]): Certificate[] {
  const matching: Certificate[] = [];
  const oneMissing: Certificate[] = [];
  const mismatching: Certificate[] = [];
  for (const candidate of pool) {
    if (!bytesEqual(candidate.subjectDer, certificate.issuerDer)) continue;
    const ski = candidate.subjectKeyIdentifier ?? "";
    const aki = certificate.authorityKeyIdentifier ?? "";
    if (ski === aki) matching.push(candidate);
    else if (ski === "" || aki === "") oneMissing.push(candidate);
    else mismatching.push(candidate);
  }
  return [...matching, ...oneMissing, ...mismatching];
}

/**
 * Go's `alreadyInChain`: same subject, same public key and same SANs means "the same CA" (this
 * also stops loops through mutual cross-signatures).
 */
function alreadyInChain(candidate: Certificate, chain: readonly Certificate[]): boolean {
  const sans = JSON.stringify(candidate.subjectAltNames);
  return chain.some(
    (member) =>
      bytesEqual(member.subjectDer, candidate.subjectDer) &&
      bytesEqual(member.publicKeyInfo, candidate.publicKeyInfo) &&
      JSON.stringify(member.subjectAltNames) === sans,
  );
}

interface SearchResult {
  chains: Certificate[][];
  /** Why no chain was found, when none was. */
  error?: KubepkiError;
}

/**
 * Go's `buildChains`: depth-first from the last certificate of `current`, roots before
 * intermediates. A failed signature or CA check is only a hint (another candidate may still
 * work); a candidate that verifies but is expired or over its pathLen sets the error, as in Go.
 */
async function buildChains(current: readonly Certificate[], state: SearchState): Promise<SearchResult> {
  const certificate = current[current.length - 1] as Certificate;
  const chains: Certificate[][] = [];
  let hint: KubepkiError | undefined;
  let error: KubepkiError | undefined;
  const passes: [boolean, readonly Certificate[]][] = [
    [true, state.roots],
    [false, state.intermediates],
  ];
  for (const [isRoot, pool] of passes) {
    for (const candidate of potentialParents(certificate, pool)) {
      if (alreadyInChain(candidate, current)) continue;
      if (++state.signatureChecks > MAX_SIGNATURE_CHECKS) {
        return {
          chains,
          error: new KubepkiError(
            "UNKNOWN_ISSUER",
            `Gave up after ${MAX_SIGNATURE_CHECKS} signature checks while building a chain for ${describe(current[0] as Certificate)}: the pools hold too many certificates with the same name`,
          ),
        };
      }
      const refused = caProblem(candidate) ?? (await signatureProblem(state.crypto, certificate, candidate));
      if (refused) {
        hint ??= refused;
        continue;
      }
      const invalid = validityProblem(candidate, state.at) ?? pathLengthProblem(candidate, current);
      if (invalid) {
        error = invalid;
        continue;
      }
      const chain = [...current, candidate];
      if (isRoot) {
        chains.push(chain);
      } else {
        const deeper = await buildChains(chain, state);
        chains.push(...deeper.chains);
        if (deeper.error) error = deeper.error;
      }
    }
  }
  if (chains.length > 0) return { chains };
  return {
    chains,
    error:
      error ??
      hint ??
      new KubepkiError(
        "UNKNOWN_ISSUER",
        `No trusted CA named "${certificate.issuerText}" issued ${describe(certificate)}: add the issuing CA to the roots (and any intermediate CA to the intermediates)`,
      ),
  };
}

/**
 * RFC 5280 §4.2.1.9 pathLenConstraint as Go applies it: the number of intermediates below the
 * candidate (not counting the leaf) may not exceed its pathLen.
 */
function pathLengthProblem(candidate: Certificate, current: readonly Certificate[]): KubepkiError | undefined {
  const below = current.length - 1;
  if (candidate.pathLength === undefined || below <= candidate.pathLength) return undefined;
  return new KubepkiError(
    "NOT_A_CA",
    `CA ${describe(candidate)} has pathLen ${candidate.pathLength} but ${below} intermediate CA(s) sit below it: shorten the chain or reissue the CA with a larger pathLen`,
  );
}

/**
 * Go's `checkChainForKeyUsage`: walking from the root down, every certificate that lists EKUs
 * (and not anyExtendedKeyUsage) must list the requested one, so a CA restricted to clientAuth
 * cannot vouch for a serving certificate. A certificate without the extension allows everything.
 */
function chainAllowsUsage(chain: readonly Certificate[], usage: ExtKeyUsage): boolean {
  return chain.every(
    (certificate) =>
      certificate.extKeyUsages === undefined ||
      certificate.extKeyUsages.length === 0 ||
      certificate.extKeyUsages.includes("any") ||
      certificate.extKeyUsages.includes(usage),
  );
}

function formatSans(certificate: Certificate): string {
  const sans = certificate.subjectAltNames.filter((san) => san.type === "dns" || san.type === "ip");
  return sans.length === 0
    ? "no DNS or IP subjectAltNames"
    : sans.map((san) => `${san.type === "dns" ? "DNS" : "IP"}:${san.value}`).join(", ");
}

function checkNames(leaf: Certificate, options: VerifyChainOptions): void {
  const fail = (name: string): never => {
    throw new KubepkiError(
      "NAME_MISMATCH",
      `Certificate ${describe(leaf)} is not valid for ${name}: it has ${formatSans(leaf)} (the subject CN is not used). Reissue it with ${name} in its subjectAltNames`,
      { details: { name } },
    );
  };
  // Go: `if len(opts.DNSName) > 0`: an empty name means "no name to check".
  if (options.dnsName !== undefined && options.dnsName !== "") {
    // Go's VerifyHostname: an IP address (optionally in brackets) is only matched against IP SANs.
    const ip = parseIp(options.dnsName);
    if (ip ? !matchesIpAddress(leaf.subjectAltNames, ip) : !matchesDnsName(leaf.subjectAltNames, options.dnsName)) {
      fail(options.dnsName);
    }
  }
  if (options.ipAddress !== undefined && !matchesIpAddress(leaf.subjectAltNames, ipToBytes(options.ipAddress))) {
    fail(options.ipAddress);
  }
}

/**
 * Verifies `leaf` the way Go's `x509.Certificate.Verify` does (and so the apiserver, kubelet,
 * etcd and kubectl): the leaf must be valid at `at` and match `dnsName` / `ipAddress` (SANs only,
 * wildcards as one whole leftmost label); then chains are built from the leaf through
 * `intermediates` to one of `roots`, by issuer name and key identifiers, checking every signature,
 * that every issuer is a CA (with keyCertSign when it has a keyUsage), pathLen, and the validity
 * of every certificate; finally `usage` must be allowed by the leaf and every CA above it.
 * Returns the first chain found, leaf first, root last.
 *
 * Throws `EXPIRED`, `NOT_YET_VALID`, `NAME_MISMATCH`, `USAGE_NOT_ALLOWED`, `UNKNOWN_ISSUER`
 * (no CA with the leaf's issuer name), `SIGNATURE_INVALID` (a CA with that name whose key did not
 * sign), `NOT_A_CA`. Differences from Go, on purpose: the default `usage` is any (Go defaults to
 * serverAuth), v1 roots are refused (kubeadm refuses them), keyCertSign is required when a CA
 * has a keyUsage, and an IPv4 address does not match its IPv4-mapped IPv6 form.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair, issueCertificate, parseCertificate, verifyChain } from "@kubepki/core";
 *
 * const caKeys = await generateKeyPair("ECDSA-P256");
 * const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=kubernetes" });
 * const apiserver = await issueCertificate({
 *   issuer: { certificate: ca, privateKey: caKeys.privateKey },
 *   publicKey: (await generateKeyPair("ECDSA-P256")).publicKey,
 *   subject: "/CN=kube-apiserver",
 *   sans: ["kubernetes.default.svc"],
 *   extKeyUsages: ["serverAuth"],
 * });
 * // Certificates read from files work the same: parseCertificate(apiserverPem), parseCertificate(caPem).
 * const chain = await verifyChain(parseCertificate(apiserver.pem), [], [ca], {
 *   usage: "serverAuth",
 *   dnsName: "kubernetes.default.svc",
 * });
 * console.log(chain.map((certificate) => certificate.subjectText)); // ["/CN=kube-apiserver", "/CN=kubernetes"]
 * ```
 */
export async function verifyChain(
  leaf: Certificate,
  intermediates: readonly Certificate[],
  roots: readonly Certificate[],
  options: VerifyChainOptions = {},
): Promise<Certificate[]> {
  const at = resolveTime(options.at);
  const usage = options.usage;
  if (usage !== undefined && !Object.hasOwn(EXT_KEY_USAGE_OIDS, usage)) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `Unknown usage ${JSON.stringify(usage)}: use one of ${Object.keys(EXT_KEY_USAGE_OIDS).join(", ")}`,
    );
  }
  const crypto = resolveCrypto(options.crypto);
  const invalid = validityProblem(leaf, at);
  if (invalid) throw invalid;
  checkNames(leaf, options);

  let chains: Certificate[][];
  if (roots.some((root) => bytesEqual(root.der, leaf.der))) {
    // Go: a leaf that is itself a trusted root verifies as a chain of one.
    chains = [[leaf]];
  } else {
    const result = await buildChains([leaf], { crypto, at, intermediates, roots, signatureChecks: 0 });
    if (result.error) throw result.error;
    chains = result.chains;
  }
  if (usage !== undefined && usage !== "any") {
    chains = chains.filter((chain) => chainAllowsUsage(chain, usage));
    if (chains.length === 0) {
      throw new KubepkiError(
        "USAGE_NOT_ALLOWED",
        `Certificate ${describe(leaf)} (or a CA above it) does not allow ${usage}: its extendedKeyUsage is ${leaf.extKeyUsages?.join(", ") ?? "absent"}. Reissue it with ${usage}`,
        { details: { usage } },
      );
    }
  }
  return chains[0] as Certificate[];
}
