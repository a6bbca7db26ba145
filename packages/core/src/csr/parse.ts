import type { CertificationRequest } from "../certificate/model.js";

/** OWNER: parse/verify helper (stub). Parses a PKCS#10 request (`CERTIFICATE REQUEST`, also `NEW CERTIFICATE REQUEST`). */
export function parseCsr(input: string | Uint8Array): CertificationRequest {
  void input;
  throw new Error("not implemented: parseCsr");
}
