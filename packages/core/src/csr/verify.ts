import type { CertificationRequest } from "../certificate/model.js";
import { KubepkiError } from "../errors.js";
import { importPublicKeyInfo } from "../keys/public-key-info.js";
import { type CryptoOptions, resolveCrypto } from "../lib/crypto.js";
import { signatureAlgorithmByOid, verifyX509Signature } from "../lib/signature.js";
import { parseCsr } from "./parse.js";

/**
 * Checks a certification request's self-signature (RFC 2986 §3: proof that the requester holds
 * the private key of the public key it asks to certify) and returns the parsed request. A
 * request may be given parsed, as PEM or as DER. Throws `SIGNATURE_INVALID` when the signature does
 * not verify, `UNSUPPORTED_ALGORITHM` for a signature algorithm kubepki does not verify (RSA-PSS,
 * P-521…), `INVALID_PEM`/`INVALID_DER` for unreadable input.
 *
 * @example
 * ```ts
 * import { verifyCsr } from "@kubepki/core";
 *
 * const csr = await verifyCsr(csrPem);
 * console.log(`request from ${csr.subject.commonName} is signed by its own key`);
 * ```
 */
export async function verifyCsr(
  csr: CertificationRequest | string | Uint8Array,
  options: CryptoOptions = {},
): Promise<CertificationRequest> {
  const request = typeof csr === "string" || csr instanceof Uint8Array ? parseCsr(csr) : csr;
  const crypto = resolveCrypto(options.crypto);
  const algorithm = signatureAlgorithmByOid(request.signatureAlgorithm);
  if (!algorithm) {
    throw new KubepkiError(
      "UNSUPPORTED_ALGORITHM",
      `The certificate request is signed with ${request.signatureAlgorithm}, which kubepki does not verify: use RSA PKCS#1 v1.5, ECDSA P-256/P-384 or Ed25519`,
    );
  }
  const publicKey = await importPublicKeyInfo(crypto, request.publicKeyInfo, algorithm);
  if (!(await verifyX509Signature(crypto, publicKey, algorithm, request.infoDer, request.signatureValue))) {
    throw new KubepkiError(
      "SIGNATURE_INVALID",
      `The certificate request for ${request.subjectText || "an empty subject"} is not signed by its own key: it was altered or built wrongly; create it again`,
    );
  }
  return request;
}
