import type { Certificate } from "./model.js";

/** OWNER: parse/verify helper (stub). Parses one certificate from PEM text or DER bytes. */
export function parseCertificate(input: string | Uint8Array): Certificate {
  void input;
  throw new Error("not implemented: parseCertificate");
}

/** OWNER: parse/verify helper (stub). Every CERTIFICATE block of a PEM bundle, in order. */
export function parseCertificates(pem: string): Certificate[] {
  void pem;
  throw new Error("not implemented: parseCertificates");
}
