import { KubepkiError } from "@kubepki/core/vocabulary";
import type { KeyAlgorithm, OpensslCertSpec } from "../types.js";
import { renderOpensslConfig, SIGN_SECTION } from "./config.js";

/**
 * The CA that signs a non-self-signed spec. A CA's own `CertSpec` fits (it has `certPath`,
 * `keyPath` and `keyAlgorithm`).
 *
 * @example
 * ```ts
 * import type { OpensslIssuer } from "@kubepki/renderers";
 *
 * const issuer: OpensslIssuer = { certPath: "pki/ca.crt", keyPath: "pki/ca.key", keyAlgorithm: "RSA-2048" };
 * ```
 */
export interface OpensslIssuer {
  readonly certPath: string;
  readonly keyPath: string;
  /**
   * The CA key's algorithm: picks the signature digest like Go does (reference §1.2: RSA and P-256
   * → SHA-256, P-384 → SHA-384). Unknown: openssl's default (SHA-256).
   */
  readonly keyAlgorithm?: KeyAlgorithm;
}

/**
 * Options of {@link renderOpensslCommands}.
 *
 * @example
 * ```ts
 * import type { OpensslCommandOptions } from "@kubepki/renderers";
 *
 * const options: OpensslCommandOptions = { issuer: { certPath: "pki/ca.crt", keyPath: "pki/ca.key" }, workDir: "work" };
 * ```
 */
export interface OpensslCommandOptions {
  /** Required unless `spec.signer === "self"`. */
  readonly issuer?: OpensslIssuer;
  /** Directory for the generated `<id>.cnf` and `<id>.csr` (default: the current directory). */
  readonly workDir?: string;
}

/**
 * What {@link renderOpensslCommands} returns: files to write, then argv lists to run in order.
 *
 * @example
 * ```ts
 * import type { OpensslPlan } from "@kubepki/renderers";
 *
 * function describe(plan: OpensslPlan): string {
 *   return plan.commands.map((argv) => argv.join(" ")).join("\n");
 * }
 * ```
 */
export interface OpensslPlan {
  /** Path of the openssl config the commands read (inside `workDir`). */
  readonly configPath: string;
  /** Files to write before running `commands`: the config. */
  readonly files: readonly { readonly path: string; readonly content: string }[];
  /** argv lists (`argv[0] === "openssl"`), to run without a shell, in order. Output directories must exist. */
  readonly commands: readonly (readonly string[])[];
  /** A POSIX sh script doing the same: `mkdir -p` of the directories, the config as a quoted heredoc, the commands. */
  toShell(): string;
}

/**
 * Key generation in the formats kubeadm writes (reference §1.2): PKCS#1 `RSA PRIVATE KEY` from
 * `genrsa -traditional` (OpenSSL 3's plain `genrsa` writes PKCS#8, §7 item 39) and SEC1
 * `EC PRIVATE KEY` from `ecparam -genkey -noout` with the named curve (explicit curve parameters
 * are rejected by Go and most TLS stacks). Ed25519 only exists as PKCS#8.
 */
function keyGenArgs(algorithm: KeyAlgorithm, keyPath: string): string[] {
  switch (algorithm) {
    case "RSA-2048":
    case "RSA-3072":
    case "RSA-4096":
      return ["openssl", "genrsa", "-traditional", "-out", keyPath, algorithm.slice(4)];
    case "ECDSA-P256":
    case "ECDSA-P384":
      return [
        "openssl",
        "ecparam",
        "-name",
        algorithm === "ECDSA-P256" ? "prime256v1" : "secp384r1",
        "-genkey",
        "-noout",
        "-out",
        keyPath,
      ];
    case "Ed25519":
      return ["openssl", "genpkey", "-algorithm", "ED25519", "-out", keyPath];
    default:
      throw new KubepkiError("INVALID_ARGUMENT", `unknown keyAlgorithm "${String(algorithm)}"`, {
        details: { field: "keyAlgorithm" },
      });
  }
}

// Go picks the hash from the signer's key (reference §1.2); Ed25519 signs without a separate digest.
function digestArgs(signer: KeyAlgorithm | undefined): string[] {
  if (signer === undefined || signer === "Ed25519") return [];
  return signer === "ECDSA-P384" ? ["-sha384"] : ["-sha256"];
}

function join(dir: string | undefined, file: string): string {
  if (dir === undefined || dir === "" || dir === ".") return file;
  return dir.endsWith("/") ? `${dir}${file}` : `${dir}/${file}`;
}

function dirname(path: string): string | undefined {
  const slash = path.lastIndexOf("/");
  if (slash < 0) return undefined;
  return slash === 0 ? "/" : path.slice(0, slash);
}

/**
 * Quotes one argument for POSIX sh: left bare when it only has safe characters, otherwise in
 * single quotes with embedded `'` written as `'\''`.
 */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

function requirePath(value: unknown, what: string): string {
  if (typeof value !== "string" || value === "" || /\p{Cc}/u.test(value)) {
    throw new KubepkiError("INVALID_ARGUMENT", `${what} must be a non-empty file path`, { details: { field: what } });
  }
  return value;
}

/**
 * The openssl commands that produce the key and certificate a {@link OpensslCertSpec} describes,
 * with the config from {@link renderOpensslConfig} — the tutorial's three steps done right
 * (reference §7 items 1, 2, 12–14):
 *
 * - key: `openssl genrsa -traditional` / `ecparam -genkey -noout` (kubeadm's PKCS#1 / SEC1;
 *   `genpkey` for Ed25519);
 * - self-signed CA (`signer: "self"`): `openssl req -x509 -new -key … -config … -extensions ext
 *   -days N` — a v3 certificate with CA:TRUE and keyCertSign, unlike the tutorial's
 *   `x509 -req -signkey`, which makes a v1 certificate with no extensions;
 * - anything else: `openssl req -new` for the CSR, then `openssl x509 -req -CA … -CAkey …
 *   -extfile <cnf> -extensions ext -days N`, because `x509 -req` does not copy CSR extensions
 *   (OpenSSL 3 `-copy_extensions none`) and the tutorial's certificates lose their SANs.
 *
 * Serial numbers are random (OpenSSL 3 default when no `-CAserial` is given). Needs OpenSSL ≥ 3.0.
 *
 * @throws {KubepkiError} `INVALID_ARGUMENT` when a CA-signed spec has no issuer (or a
 * self-signed one has one), for empty paths, and for what {@link renderOpensslConfig} rejects.
 * @example
 * ```ts
 * import { renderOpensslCommands } from "@kubepki/renderers";
 *
 * const plan = renderOpensslCommands(
 *   {
 *     id: "front-proxy-client",
 *     subject: { commonName: "front-proxy-client" },
 *     sans: [],
 *     keyUsages: ["digitalSignature", "keyEncipherment"],
 *     extKeyUsages: ["clientAuth"],
 *     isCa: false,
 *     validityDays: 365,
 *     keyAlgorithm: "ECDSA-P256",
 *     certPath: "pki/front-proxy-client.crt",
 *     keyPath: "pki/front-proxy-client.key",
 *     signer: "front-proxy-ca",
 *   },
 *   { issuer: { certPath: "pki/front-proxy-ca.crt", keyPath: "pki/front-proxy-ca.key", keyAlgorithm: "ECDSA-P256" }, workDir: "work" },
 * );
 * console.log(plan.toShell());
 * ```
 */
export function renderOpensslCommands(spec: OpensslCertSpec, options: OpensslCommandOptions = {}): OpensslPlan {
  const config = renderOpensslConfig(spec);
  const keyPath = requirePath(spec.keyPath, `spec "${spec.id}" keyPath`);
  const certPath = requirePath(spec.certPath, `spec "${spec.id}" certPath`);
  const selfSigned = spec.signer === "self";
  const { issuer } = options;
  if (selfSigned && issuer !== undefined) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `spec "${spec.id}" is self-signed (signer: "self"); do not pass an issuer`,
      {
        details: { id: spec.id },
      },
    );
  }
  if (!selfSigned && issuer === undefined) {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `spec "${spec.id}" is signed by "${spec.signer}": pass options.issuer = { certPath, keyPath } of that CA`,
      { details: { id: spec.id, signer: spec.signer } },
    );
  }
  const safeId = spec.id.replace(/[^A-Za-z0-9._-]/g, "-");
  const configPath = join(options.workDir, `${safeId}.cnf`);
  const days = String(spec.validityDays);
  const commands: string[][] = [keyGenArgs(spec.keyAlgorithm, keyPath)];
  if (selfSigned) {
    commands.push([
      "openssl",
      "req",
      "-x509",
      "-new",
      "-key",
      keyPath,
      "-config",
      configPath,
      "-extensions",
      SIGN_SECTION,
      "-days",
      days,
      ...digestArgs(spec.keyAlgorithm),
      "-out",
      certPath,
    ]);
  } else {
    const issuerCert = requirePath(issuer!.certPath, "issuer.certPath");
    const issuerKey = requirePath(issuer!.keyPath, "issuer.keyPath");
    const csrPath = join(options.workDir, `${safeId}.csr`);
    commands.push(["openssl", "req", "-new", "-key", keyPath, "-config", configPath, "-out", csrPath]);
    commands.push([
      "openssl",
      "x509",
      "-req",
      "-in",
      csrPath,
      "-CA",
      issuerCert,
      "-CAkey",
      issuerKey,
      "-extfile",
      configPath,
      "-extensions",
      SIGN_SECTION,
      "-days",
      days,
      ...digestArgs(issuer!.keyAlgorithm),
      "-out",
      certPath,
    ]);
  }
  const files = [{ path: configPath, content: config }];
  return {
    configPath,
    files,
    commands,
    toShell(): string {
      const dirs = [
        ...new Set([configPath, keyPath, certPath].map(dirname).filter((d): d is string => d !== undefined)),
      ];
      const lines = ["set -eu"];
      if (dirs.length > 0) lines.push(`mkdir -p ${dirs.map(shellQuote).join(" ")}`);
      for (const file of files) {
        lines.push(`cat > ${shellQuote(file.path)} <<'KUBEPKI_EOF'`, file.content.replace(/\n$/, ""), "KUBEPKI_EOF");
      }
      // genpkey creates private keys with mode 0600 (OpenSSL 3 opens them owner-only).
      for (const argv of commands) lines.push(argv.map(shellQuote).join(" "));
      return `${lines.join("\n")}\n`;
    },
  };
}
