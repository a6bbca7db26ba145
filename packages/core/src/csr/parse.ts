import { AsnExtensions } from "../certificate/certificate-schema.js";
import { decodeExtensions } from "../certificate/decode-extensions.js";
import type { CertificationRequest } from "../certificate/model.js";
import { asInvalidDer, inputToDer } from "../certificate/parse.js";
import { describePublicKeyInfo } from "../keys/public-key-info.js";
import { parseStrictDer } from "../lib/asn1-parse.js";
import { childrenOf } from "../lib/der-guard.js";
import { OID } from "../lib/oids.js";
import { decodeNameAttributes, formatNameAttributes } from "../names/decode-name.js";
import { readNameAttributes } from "../names/read-name.js";
import { encodePem } from "../pem/pem.js";
import { KubepkiError } from "../vocabulary/errors.js";
import { AsnCertificationRequest } from "./csr-schema.js";

/** openssl and Go write `CERTIFICATE REQUEST`; some older tools (Netscape, certreq) the `NEW` form. */
const CSR_LABELS = ["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"] as const;

function csrFromDer(der: Uint8Array): CertificationRequest {
  const what = "certificate request";
  const asn = parseStrictDer(der, AsnCertificationRequest, what);
  try {
    const info = asn.certificationRequestInfo;
    const [infoPart] = childrenOf(der, what);
    if (!infoPart) throw new KubepkiError("INVALID_DER", "Cannot read certificate request: it is empty");
    const infoDer = der.slice(infoPart.start, infoPart.end);
    // CertificationRequestInfo ::= SEQUENCE { version, subject, subjectPKInfo, [0] attributes }
    const infoParts = childrenOf(infoDer, "CertificationRequestInfo");
    const subjectPart = infoParts[1];
    const spkiPart = infoParts[2];
    if (!subjectPart) throw new KubepkiError("INVALID_DER", "Cannot read certificate request: no subject");
    const subjectName = readNameAttributes(
      infoDer.slice(subjectPart.start, subjectPart.end),
      "certificate request subject",
    );
    if (!spkiPart) throw new KubepkiError("INVALID_DER", "Cannot read certificate request: no public key");
    const publicKeyInfo = infoDer.slice(spkiPart.start, spkiPart.end);
    const key = describePublicKeyInfo(publicKeyInfo);
    // Requested extensions travel in the PKCS#9 extensionRequest attribute (RFC 2986 §4.1,
    // RFC 2985 §5.4.2): one value, an Extensions SEQUENCE. Go reads only this attribute too.
    const requests = (info.attributes ?? []).filter((attribute) => attribute.type === OID.extensionRequest);
    if (requests.length > 1 || (requests[0] && requests[0].values.length !== 1)) {
      throw new KubepkiError("INVALID_DER", "Cannot read certificate request: more than one extensionRequest");
    }
    const requested = requests[0]?.values[0];
    const extensions = decodeExtensions(
      requested ? parseStrictDer(new Uint8Array(requested), AsnExtensions, "CSR extensionRequest") : undefined,
      what,
    );
    return {
      subject: decodeNameAttributes(subjectName),
      subjectText: formatNameAttributes(subjectName),
      subjectAltNames: extensions.subjectAltNames,
      keyUsages: extensions.keyUsages,
      extKeyUsages: extensions.extKeyUsages,
      keyAlgorithm: key.algorithm,
      keyBits: key.bits,
      publicKeyInfo,
      signatureAlgorithm: asn.signatureAlgorithm.algorithm,
      der,
      pem: encodePem("CERTIFICATE REQUEST", der),
      infoDer,
      signatureValue: new Uint8Array(asn.signature).slice(),
    };
  } catch (cause) {
    throw asInvalidDer(cause, what);
  }
}

/**
 * Parses a PKCS#10 certification request (RFC 2986) from PEM (`CERTIFICATE REQUEST`, also
 * `NEW CERTIFICATE REQUEST`) or DER. SANs, keyUsage and extendedKeyUsage come from the
 * extensionRequest attribute. The signature is not checked here: use {@link verifyCsr}.
 * Throws `INVALID_PEM` or `INVALID_DER`.
 *
 * @example
 * ```ts
 * import { createCsr, generateKeyPair, parseCsr } from "@kubepki/core";
 *
 * const keyPair = await generateKeyPair("ECDSA-P256");
 * // PEM text or DER, e.g. what `openssl req -new -subj "/O=system:nodes/CN=system:node:w1"` wrote.
 * const { pem } = await createCsr({ keyPair, subject: "/O=system:nodes/CN=system:node:w1" });
 * const csr = parseCsr(pem);
 * console.log(csr.subject.commonName, csr.subject.organizations); // "system:node:w1" ["system:nodes"]
 * ```
 */
export function parseCsr(input: string | Uint8Array): CertificationRequest {
  return csrFromDer(inputToDer(input, CSR_LABELS, "a certificate request"));
}
