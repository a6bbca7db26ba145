import { AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from "@peculiar/asn1-schema";
import { AsnAlgorithmIdentifier } from "../certificate/certificate-schema.js";

/**
 * The PKCS#10 CertificationRequest structure (RFC 2986 §4) as @peculiar/asn1-schema classes,
 * declared here rather than imported from @peculiar/asn1-csr, whose entry loads (and registers)
 * the whole @peculiar/asn1-x509 schema set: parsing a CSR needs three SEQUENCEs. The subject and
 * the public key are kept as raw DER for kubepki's strict readers, as in certificate-schema.ts.
 *
 * @internal
 */

/** Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF ANY } (RFC 2986 §4.1). */
export class AsnAttribute {
  @AsnProp({ type: AsnPropTypes.ObjectIdentifier })
  type = "";
  @AsnProp({ type: AsnPropTypes.Any, repeated: "set" })
  values: ArrayBuffer[] = [];
}

/** CertificationRequestInfo ::= SEQUENCE { version, subject, subjectPKInfo, [0] IMPLICIT attributes }. */
export class AsnCertificationRequestInfo {
  @AsnProp({ type: AsnPropTypes.Integer })
  version = 0;
  @AsnProp({ type: AsnPropTypes.Any })
  subject = new ArrayBuffer(0);
  @AsnProp({ type: AsnPropTypes.Any })
  subjectPKInfo = new ArrayBuffer(0);
  @AsnProp({ type: AsnAttribute, repeated: "set", context: 0, implicit: true, optional: true })
  attributes?: AsnAttribute[];
}

/** CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING }. */
@AsnType({ type: AsnTypeTypes.Sequence })
export class AsnCertificationRequest {
  @AsnProp({ type: AsnCertificationRequestInfo })
  certificationRequestInfo = new AsnCertificationRequestInfo();
  @AsnProp({ type: AsnAlgorithmIdentifier })
  signatureAlgorithm = new AsnAlgorithmIdentifier();
  @AsnProp({ type: AsnPropTypes.BitString })
  signature = new ArrayBuffer(0);
}
