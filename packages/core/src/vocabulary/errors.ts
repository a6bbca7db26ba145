/**
 * Every error kubepki throws on purpose is a {@link KubepkiError}, whichever package threw it, and
 * its `code` is one of these. The code is part of the public API: branch on it, not on the message
 * (the message is for people and may be improved).
 *
 * @example
 * ```ts
 * import { KubepkiError, type KubepkiErrorCode, parseCertificate } from "@kubepki/core";
 *
 * let code: KubepkiErrorCode | undefined;
 * try {
 *   parseCertificate("not a certificate");
 * } catch (error) {
 *   if (error instanceof KubepkiError) code = error.code;
 * }
 * console.log(code); // "INVALID_PEM"
 * ```
 */
export type KubepkiErrorCode =
  /** PEM text is missing, has the wrong label, or its base64 body is broken. */
  | "INVALID_PEM"
  /** DER bytes do not decode as the expected ASN.1 structure. */
  | "INVALID_DER"
  /** A key, signature or curve kubepki does not handle. */
  | "UNSUPPORTED_ALGORITHM"
  /** An RSA key below 2048 bits. */
  | "WEAK_KEY"
  /** A DNS name that is not a valid RFC 1123 name (or wildcard where one is allowed). */
  | "INVALID_DNS_NAME"
  /** A string that should be an IPv4/IPv6 address (or CIDR) and is not. */
  | "INVALID_IP"
  /** A URI or e-mail SAN that does not parse. */
  | "INVALID_SAN"
  /** A distinguished name that cannot be encoded (empty, unknown attribute, bad `-subj` text). */
  | "INVALID_SUBJECT"
  /** NotBefore/NotAfter make no sense (end before start, non-finite dates, zero days). */
  | "INVALID_VALIDITY"
  /** A leaf would be valid after its issuer expires (or before it starts). */
  | "VALIDITY_EXCEEDS_ISSUER"
  /** The issuer certificate is not a CA (no basicConstraints CA:TRUE or no keyCertSign). */
  | "NOT_A_CA"
  /** A signature does not verify. */
  | "SIGNATURE_INVALID"
  /** A file of several certificates that is not a chain: a certificate not followed by its issuer, an issuer that is not a CA, a signature that does not verify (`details.link` names the link). */
  | "INVALID_CHAIN"
  /** A CA's pathLen constraint does not allow the CAs that would sit below it (RFC 5280 §4.2.1.9). */
  | "PATH_LENGTH_EXCEEDED"
  /** A private key does not belong to the certificate / public key it was paired with. */
  | "KEY_MISMATCH"
  /** A certificate is not valid at the time asked about. */
  | "EXPIRED"
  /** A certificate's validity has not started at the time asked about. */
  | "NOT_YET_VALID"
  /** The certificate does not allow the requested usage (EKU / key usage). */
  | "USAGE_NOT_ALLOWED"
  /** The certificate is not valid for the requested DNS name or IP address. */
  | "NAME_MISMATCH"
  /** No chain leads from the certificate to a trusted root. */
  | "UNKNOWN_ISSUER"
  /** A caller-supplied option is out of range or of the wrong type. */
  | "INVALID_ARGUMENT"
  /** A private key is encrypted (`ENCRYPTED PRIVATE KEY`) and no passphrase was given; the CLI names its three ways to give one (exit code 2). */
  | "PASSPHRASE_REQUIRED"
  /** The passphrase does not decrypt the encrypted private key (bad padding, or what it decrypts to is not a key). */
  | "WRONG_PASSPHRASE"
  /** An encrypted private key in a scheme kubepki does not read (PBES1, PKCS#12 PBE, scrypt, DES, too many iterations); `details.scheme` names it. */
  | "UNSUPPORTED_KEY_ENCRYPTION"
  /** The WebCrypto implementation refused an operation. */
  | "CRYPTO_ERROR"
  /** An operation was cancelled through an AbortSignal. */
  | "ABORTED"
  /** A renewal could not renew every certificate asked for, so it renewed none (`details.failures` names each). */
  | "RENEW_INCOMPLETE"
  /** A day-2 change would need another CA than the tree's (CA file not a CA, expired, or not the leaves' issuer): CA rotation's job, refused. */
  | "CA_REPLACEMENT_REFUSED"
  /** A certificate must be issued by a CA of the tree whose private key is not in the tree (kubeadm's external CA mode). */
  | "CA_KEY_MISSING"
  /** A directory that holds no cluster PKI kubepki can read (no CA, no apiserver certificate): day-2 commands need one; make one with init. */
  | "NOT_A_TREE"
  /** A CA rotation phase asked for where the tree does not stand (begin twice, reissue before begin, finish before reissue): the message says where it stands and the next phase. */
  | "ROTATION_OUT_OF_ORDER"
  /** A rotation refused because the tree is broken (`auditCluster` finds errors): fix the tree first. */
  | "ROTATION_REFUSED"
  /** A day-2 change (plan against, apply) asked for while a CA rotation is in progress: finish the rotation first. */
  | "ROTATION_IN_PROGRESS"
  /** `finishCsrs` refused the certificates an external CA returned (missing, wrong subject, SANs, usages, key, CA or validity): `details.problems` lists every `{ file, reason }`; nothing written. */
  | "CSR_FINISH_REFUSED"
  /** `archiveFiles` was given a path it cannot archive safely (absolute, `..`, empty, listed twice, over tar's 100 bytes) or an unknown format. */
  | "INVALID_ARCHIVE_ENTRY"
  // @kubepki/renderers (its `RendererErrorCode` is the subset it throws).
  /** Text that kubectl would refuse to load as a kubeconfig (syntax, not a mapping, kind, references, base64…). */
  | "INVALID_KUBECONFIG"
  // @kubepki/cli (`CliError`, thrown by its library entry `writeTree`/`readTree`/`lockTree` and the commands).
  /** A command-line mistake: unknown flag, missing value (exit code 2). */
  | "USAGE"
  /** A cluster config file that does not validate (wrong shape, unknown field). */
  | "INVALID_CONFIG"
  /** A cluster config file that cannot be read or parsed as YAML/JSON. */
  | "CONFIG_UNREADABLE"
  /** A file given on the command line (CSR, CA…) that cannot be read. */
  | "FILE_UNREADABLE"
  /** A write would replace files that already exist and overwriting was not asked for. */
  | "FILES_EXIST"
  /** A file in the tree is larger than kubepki reads (no certificate, key or kubeconfig is that big). */
  | "FILE_TOO_LARGE"
  /** A path that is absolute, climbs out of the tree, or names the same file twice. */
  | "INVALID_PATH"
  /** A path that should be a directory is something else. */
  | "NOT_A_DIRECTORY"
  /** A symbolic link in the tree leads outside it. */
  | "SYMLINK_ESCAPE"
  /** Another process (or call) holds the tree's lock file. */
  | "TREE_LOCKED"
  /** A write journal left by an earlier run cannot be read. */
  | "TXN_CORRUPT"
  /** An interrupted write could not be rolled back or forward. */
  | "TXN_RECOVERY_FAILED"
  /** A write stopped by a signal (rolled back). */
  | "INTERRUPTED"
  /** A file-system error, reported in one line with its path. */
  | "IO_ERROR"
  /** A tree in which no certificate was found. */
  | "NO_CERTIFICATES"
  /** `bundle` was given a directory that is not a per-node layout (no top-level folder holding `etc/kubernetes/`). */
  | "NOT_PER_NODE_LAYOUT"
  /** A `--node` that is not one of the tree's node folders (the message names those found). */
  | "UNKNOWN_NODE"
  /** An `--endpoint` nobody answers at: connection refused or reset, host name not resolved, network unreachable (the message names host:port). */
  | "ENDPOINT_UNREACHABLE"
  /** An `--endpoint` that answers but not with TLS (a plain-HTTP port, another protocol). */
  | "ENDPOINT_NOT_TLS"
  /** An `--endpoint` whose TLS handshake failed (an alert from the server: a client certificate required or refused, no common cipher or version). */
  | "ENDPOINT_TLS_FAILED"
  /** An `--endpoint` that did not complete a TLS handshake within `--endpoint-timeout` (default 10 s). */
  | "ENDPOINT_TIMEOUT";

/**
 * Optional structured context attached to an error (file, field, role…).
 *
 * @example
 * ```ts
 * import { KubepkiError } from "@kubepki/core";
 *
 * const error = new KubepkiError("INVALID_IP", "\"10.0.0.300\" is not a valid IPv4 or IPv6 address", {
 *   details: { field: "nodes[0].addresses[0]" },
 * });
 * console.log(error.details?.field); // "nodes[0].addresses[0]"
 * ```
 */
export interface KubepkiErrorDetails {
  readonly [key: string]: unknown;
}

/**
 * The brand every kubepki error carries. `instanceof` alone compares one class object, and a
 * program can hold two copies of this module: ESM and CJS builds side by side (a CJS dependency
 * `require`s core while the program imports it), or two versions in one `node_modules`. A
 * registered symbol (`Symbol.for`) is the same in every copy, so an error from either is
 * recognised; a look-alike with only `name` and `code` is not.
 */
const KUBEPKI_ERROR_BRAND: unique symbol = /* @__PURE__ */ Symbol.for("kubepki.error");

/** True when `value` carries kubepki's error brand and a string code. */
function hasKubepkiBrand(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { [KUBEPKI_ERROR_BRAND]?: unknown })[KUBEPKI_ERROR_BRAND] === true &&
    typeof (value as { code?: unknown }).code === "string"
  );
}

/**
 * The one error class of kubepki. `code` is stable; `details` carries machine-readable context
 * (for instance the offending `field` of a cluster config); `cause` keeps the underlying error.
 * It is the error of every package: `@kubepki/renderers` throws it (from
 * `@kubepki/core/vocabulary`, which imports no crypto or ASN.1), and the CLI's `CliError` is a
 * subclass that adds an exit code. `instanceof KubepkiError` (like {@link isKubepkiError}) tests
 * kubepki's brand, so it also holds for an error thrown by another copy of core.
 *
 * @example
 * ```ts
 * import { KubepkiError } from "@kubepki/core";
 *
 * const error = new KubepkiError("WEAK_KEY", "RSA keys must be at least 2048 bits");
 * console.log(error.code); // "WEAK_KEY"
 * ```
 */
export class KubepkiError extends Error {
  /** Stable machine-readable code. */
  readonly code: KubepkiErrorCode;
  /** Structured context, when there is any. */
  readonly details: KubepkiErrorDetails | undefined;

  constructor(
    code: KubepkiErrorCode,
    message: string,
    options: { cause?: unknown; details?: KubepkiErrorDetails } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KubepkiError";
    this.code = code;
    this.details = options.details;
  }

  /** The brand (a prototype getter, so it is not an own, printed property of each error). */
  get [KUBEPKI_ERROR_BRAND](): true {
    return true;
  }

  /**
   * `error instanceof KubepkiError` tests the brand, so that it holds for an error of another
   * copy of core too. A subclass keeps the ordinary prototype test (`instanceof Sub` means that class).
   */
  // The `this` parameter keeps TypeScript's narrowing: `error instanceof Sub` narrows to `Sub`.
  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` was asked about, maybe a subclass.
    return Object.is(this, KubepkiError) ? hasKubepkiBrand(value) : super[Symbol.hasInstance](value);
  }
}

/**
 * True when `value` is an error thrown by any kubepki package (a {@link KubepkiError}, the CLI's
 * `CliError` included, also one from another copy of core), optionally with the given code.
 *
 * @example
 * ```ts
 * import { canonicalIp, isKubepkiError } from "@kubepki/core";
 *
 * try {
 *   canonicalIp("10.96.0.300");
 * } catch (error) {
 *   console.log(isKubepkiError(error, "INVALID_IP")); // true
 * }
 * ```
 */
export function isKubepkiError(value: unknown, code?: KubepkiErrorCode): value is KubepkiError {
  return hasKubepkiBrand(value) && (code === undefined || (value as KubepkiError).code === code);
}
