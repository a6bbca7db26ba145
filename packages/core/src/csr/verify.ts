import type { CertificationRequest } from "../certificate/model.js";
import { type CryptoOptions, resolveCrypto } from "../lib/crypto.js";
import { parseCsr } from "./parse.js";
import { checkCsrSignature } from "./signature.js";

/**
 * Checks a certification request's self-signature (RFC 2986 §3: proof that the requester holds
 * the private key of the public key it asks to certify) and returns the parsed request. A
 * request may be given parsed, as PEM or as DER. Throws `SIGNATURE_INVALID` when the signature does
 * not verify, `UNSUPPORTED_ALGORITHM` for a signature algorithm kubepki does not verify (RSA-PSS,
 * P-521…), `INVALID_PEM`/`INVALID_DER` for unreadable input.
 *
 * @example
 * ```ts
 * import { createCsr, generateKeyPair, verifyCsr } from "@kubepki/core";
 *
 * const keyPair = await generateKeyPair("ECDSA-P256");
 * const { pem } = await createCsr({ keyPair, subject: "/O=system:nodes/CN=system:node:w1" });
 * const csr = await verifyCsr(pem); // throws SIGNATURE_INVALID unless signed by the key it asks to certify
 * console.log(csr.subject.commonName); // "system:node:w1"
 * ```
 */
export async function verifyCsr(
  csr: CertificationRequest | string | Uint8Array,
  options: CryptoOptions = {},
): Promise<CertificationRequest> {
  const request = typeof csr === "string" || csr instanceof Uint8Array ? parseCsr(csr) : csr;
  await checkCsrSignature(resolveCrypto(options.crypto), request);
  return request;
}
