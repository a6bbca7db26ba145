import type { CertificationRequest } from "../certificate/model.js";
import { importPublicKeyInfo } from "../keys/public-key-info.js";
import { signatureAlgorithmByOid, verifyX509Signature } from "../lib/signature.js";
import { KubepkiError } from "../vocabulary/errors.js";

/**
 * The self-signature check of an already parsed request, on its own so that issuing from a CSR
 * does not pull the CSR parser (and an ASN.1 library) into the write path.
 */
export async function checkCsrSignature(crypto: Crypto, request: CertificationRequest): Promise<void> {
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
}
