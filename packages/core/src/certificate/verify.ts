import type { CryptoOptions } from "../lib/crypto.js";
import type { Certificate } from "./model.js";
import type { ExtKeyUsage } from "./usages.js";

/** Options for {@link verifyCertificate}. */
export interface VerifyCertificateOptions extends CryptoOptions {
  /** The time to check validity at (default: now). */
  at?: Date;
}

/**
 * OWNER: parse/verify helper (stub). Checks that `issuer` signed `certificate`, that the issuer is
 * a CA allowed to sign certificates, and that `certificate` is valid at `at`. Throws a
 * KubepkiError (SIGNATURE_INVALID, NOT_A_CA, EXPIRED, NOT_YET_VALID) otherwise.
 */
export async function verifyCertificate(
  certificate: Certificate,
  issuer: Certificate,
  options: VerifyCertificateOptions = {},
): Promise<void> {
  void certificate;
  void issuer;
  void options;
  throw new Error("not implemented: verifyCertificate");
}

/** Options for {@link verifyChain}. */
export interface VerifyChainOptions extends CryptoOptions {
  at?: Date;
  /** Required extended key usage of the leaf (Go: KeyUsages; default any). */
  usage?: ExtKeyUsage;
  /** A DNS name the leaf must be valid for (no CN fallback, as Go ≥ 1.15). */
  dnsName?: string;
  /** An IP address the leaf must be valid for. */
  ipAddress?: string;
}

/**
 * OWNER: parse/verify helper (stub). Builds and checks a chain from `leaf` through
 * `intermediates` to one of `roots`, as Go's `x509.Certificate.Verify`. Returns the chain, leaf first.
 */
export async function verifyChain(
  leaf: Certificate,
  intermediates: readonly Certificate[],
  roots: readonly Certificate[],
  options: VerifyChainOptions = {},
): Promise<Certificate[]> {
  void leaf;
  void intermediates;
  void roots;
  void options;
  throw new Error("not implemented: verifyChain");
}
