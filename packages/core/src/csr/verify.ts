import type { CertificationRequest } from "../certificate/model.js";
import type { CryptoOptions } from "../lib/crypto.js";

/** OWNER: parse/verify helper (stub). Checks the request's self-signature; throws SIGNATURE_INVALID. Returns the parsed request. */
export async function verifyCsr(
  csr: CertificationRequest | string | Uint8Array,
  options: CryptoOptions = {},
): Promise<CertificationRequest> {
  void csr;
  void options;
  throw new Error("not implemented: verifyCsr");
}
