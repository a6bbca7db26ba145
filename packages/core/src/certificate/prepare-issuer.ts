import { importPublicKeyInfo } from "../keys/public-key-info.js";
import { fromHex } from "../lib/bytes.js";
import { signatureAlgorithmForKey, verifyX509Signature } from "../lib/signature.js";
import { KubepkiError } from "../vocabulary/errors.js";
import type { Certificate } from "./model.js";

/**
 * The certificate and key that sign a new certificate.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair, type Issuer, issueCertificate } from "@kubepki/core";
 *
 * const caKeys = await generateKeyPair("ECDSA-P256");
 * const issuer: Issuer = {
 *   certificate: await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=kubernetes" }),
 *   privateKey: caKeys.privateKey,
 * };
 * const leaf = await issueCertificate({
 *   issuer,
 *   publicKey: (await generateKeyPair("ECDSA-P256")).publicKey,
 *   subject: "/CN=kube-apiserver",
 * });
 * console.log(leaf.issuerText); // "/CN=kubernetes"
 * ```
 */
export interface Issuer {
  /**
   * The issuer's certificate, as `createSelfSignedCa` returned it or `parseCertificate(pem)` read
   * it. Not PEM text: issuing never parses, so the write path carries no ASN.1 parser (bundle
   * size) and nothing is read twice.
   */
  certificate: Certificate;
  /** The issuer's private key. */
  privateKey: CryptoKey;
}

/**
 * An {@link Issuer} checked once and ready to sign many certificates: made by
 * {@link prepareIssuer}. It holds what every certificate it signs shares — the Authority Key
 * Identifier, decoded from the issuer's subjectKeyIdentifier once — and the one check
 * that its private key belongs to its certificate, made on the first signature and shared by every
 * later (and concurrent) one. All of that state is this object's: nothing is kept at module level,
 * so dropping the object forgets it.
 *
 * The certificate is read when the issuer is prepared: prepare again after changing it.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair, issueCertificate, PreparedIssuer, prepareIssuer } from "@kubepki/core";
 *
 * const caKeys = await generateKeyPair("ECDSA-P256");
 * const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=kubernetes" });
 * const issuer = prepareIssuer({ certificate: ca, privateKey: caKeys.privateKey });
 * console.log(issuer instanceof PreparedIssuer, issuer.certificate === ca); // true true
 * ```
 */
export class PreparedIssuer implements Issuer {
  /** The issuer's certificate, as it was when prepared. */
  readonly certificate: Certificate;
  /** The issuer's private key. */
  readonly privateKey: CryptoKey;
  /**
   * The Authority Key Identifier of every certificate this issuer signs: the issuer's
   * subjectKeyIdentifier as bytes (Go writes AKI = the issuer's SKI, x509.go), decoded once; or
   * undefined when the issuer has no SKI and there is nothing to point at. Only read (the DER
   * writer copies it).
   */
  readonly authorityKeyIdentifier: Uint8Array | undefined;
  /** The pending or settled check that `privateKey` belongs to `certificate`; unset until the first signature. */
  #keyCheck: Promise<void> | undefined;

  /**
   * Checks the issuer; use {@link prepareIssuer}.
   *
   * @throws KubepkiError `INVALID_ARGUMENT` (not a Certificate, no key, a SKI that is not hex),
   * `NOT_A_CA`.
   */
  constructor(issuer: Issuer) {
    if (!issuer?.certificate || !issuer.privateKey) {
      throw new KubepkiError("INVALID_ARGUMENT", "issueCertificate needs issuer: { certificate, privateKey }");
    }
    const certificate = issuer.certificate;
    if (typeof certificate !== "object" || !(certificate.subjectDer instanceof Uint8Array)) {
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        "issuer.certificate must be a Certificate: pass parseCertificate(pem) rather than the PEM text",
      );
    }
    if (!certificate.isCa || (certificate.keyUsages && !certificate.keyUsages.includes("keyCertSign"))) {
      throw new KubepkiError(
        "NOT_A_CA",
        `The issuer ${certificate.subjectText} is not a CA (it needs basicConstraints CA:TRUE and keyUsage keyCertSign)`,
      );
    }
    this.certificate = certificate;
    this.privateKey = issuer.privateKey;
    this.authorityKeyIdentifier = keyIdentifierBytes(certificate.subjectKeyIdentifier);
  }

  /**
   * Resolves once `privateKey` is proven to belong to `certificate`, by verifying `made` (a
   * certificate just signed with it) against the certificate's public key. A private key that is
   * not the issuer's would produce certificates nothing verifies — silently wrong. The first call
   * checks; later and concurrent calls share that answer. A failed check is forgotten, so each
   * later call fails too.
   *
   * @throws KubepkiError `KEY_MISMATCH`.
   */
  async confirmKey(crypto: Crypto, made: Certificate): Promise<void> {
    if (this.#keyCheck) return this.#keyCheck;
    const check = this.#checkKey(crypto, made);
    this.#keyCheck = check;
    try {
      await check;
    } catch (error) {
      if (this.#keyCheck === check) this.#keyCheck = undefined;
      throw error;
    }
  }

  async #checkKey(crypto: Crypto, made: Certificate): Promise<void> {
    const signature = signatureAlgorithmForKey(this.privateKey);
    const publicKey = await importPublicKeyInfo(crypto, this.certificate.publicKeyInfo, signature);
    if (!(await verifyX509Signature(crypto, publicKey, signature, made.tbsDer, made.signatureValue))) {
      throw new KubepkiError(
        "KEY_MISMATCH",
        `The issuer private key does not belong to the issuer certificate ${this.certificate.subjectText}: pass the CA's own key`,
      );
    }
  }
}

/** An issuer's SKI (hex in the Certificate model) as bytes. */
function keyIdentifierBytes(hex: string | undefined): Uint8Array | undefined {
  if (!hex) return undefined;
  const bytes = fromHex(hex);
  if (!bytes) throw new KubepkiError("INVALID_ARGUMENT", `The issuer's subjectKeyIdentifier ${hex} is not hex`);
  return bytes;
}

/**
 * Prepares an issuer once for many certificates: checks it is a CA, decodes its key identifier,
 * and carries the one check that its private key is its own (see {@link PreparedIssuer}). Pass the
 * result as `issuer` to {@link issueCertificate} (or core's plan path) as often as needed; a plain
 * `{ certificate, privateKey }` works too, and is prepared — and its key checked — at every call.
 *
 * @throws KubepkiError `INVALID_ARGUMENT`, `NOT_A_CA`.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair, issueCertificate, prepareIssuer } from "@kubepki/core";
 *
 * const caKeys = await generateKeyPair("ECDSA-P256");
 * const ca = await createSelfSignedCa({ keyPair: caKeys, subject: "/CN=kubernetes" });
 * const issuer = prepareIssuer({ certificate: ca, privateKey: caKeys.privateKey });
 * // One prepared issuer for a whole batch: its key is checked once, at the first signature.
 * const leaves = await Promise.all(
 *   ["kube-apiserver", "kube-scheduler"].map(async (commonName) =>
 *     issueCertificate({ issuer, publicKey: (await generateKeyPair("ECDSA-P256")).publicKey, subject: { commonName } }),
 *   ),
 * );
 * console.log(leaves.map((leaf) => leaf.subjectText)); // ["/CN=kube-apiserver", "/CN=kube-scheduler"]
 * ```
 */
export function prepareIssuer(issuer: Issuer): PreparedIssuer {
  return issuer instanceof PreparedIssuer ? issuer : new PreparedIssuer(issuer);
}
