import {
  AsnArray,
  AsnIntegerArrayBufferConverter,
  AsnProp,
  AsnPropTypes,
  AsnType,
  AsnTypeTypes,
  OctetString,
} from "@peculiar/asn1-schema";

/**
 * The X.509 Certificate structure (RFC 5280 §4.1) as @peculiar/asn1-schema classes, declared
 * here rather than imported from @peculiar/asn1-x509: that package's entry module registers all
 * of its ~100 schema classes at load (decorators are side effects, and it is not marked
 * side-effect free), so importing one class bundled every extension and CRL schema — ~6 KB gz on
 * `parseCertificate` alone. Names and the SubjectPublicKeyInfo are kept as raw DER (`Any`): they
 * are read by kubepki's own strict readers (names/read-name.ts, keys/public-key-info.ts).
 *
 * @internal
 */

@AsnType({ type: AsnTypeTypes.Sequence })
export class AsnAlgorithmIdentifier {
  @AsnProp({ type: AsnPropTypes.ObjectIdentifier })
  algorithm = "";
  @AsnProp({ type: AsnPropTypes.Any, optional: true })
  parameters?: ArrayBuffer | null;
}

@AsnType({ type: AsnTypeTypes.Choice })
export class AsnTime {
  @AsnProp({ type: AsnPropTypes.UTCTime })
  utcTime?: Date;
  @AsnProp({ type: AsnPropTypes.GeneralizedTime })
  generalTime?: Date;
  getTime(): Date {
    const time = this.utcTime ?? this.generalTime;
    if (!time) throw new Error("a Time is neither UTCTime nor GeneralizedTime");
    return time;
  }
}

export class AsnValidity {
  @AsnProp({ type: AsnTime })
  notBefore = new AsnTime();
  @AsnProp({ type: AsnTime })
  notAfter = new AsnTime();
}

export class AsnExtension {
  @AsnProp({ type: AsnPropTypes.ObjectIdentifier })
  extnID = "";
  @AsnProp({ type: AsnPropTypes.Boolean, defaultValue: false })
  critical = false;
  @AsnProp({ type: OctetString })
  extnValue = new OctetString();
}

@AsnType({ type: AsnTypeTypes.Sequence, itemType: AsnExtension })
export class AsnExtensions extends AsnArray<AsnExtension> {
  constructor(items?: AsnExtension[]) {
    super(items);
    Object.setPrototypeOf(this, AsnExtensions.prototype);
  }
}

export class AsnTbsCertificate {
  @AsnProp({ type: AsnPropTypes.Integer, context: 0, defaultValue: 0 })
  version = 0;
  @AsnProp({ type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter })
  serialNumber = new ArrayBuffer(0);
  @AsnProp({ type: AsnAlgorithmIdentifier })
  signature = new AsnAlgorithmIdentifier();
  @AsnProp({ type: AsnPropTypes.Any })
  issuer = new ArrayBuffer(0);
  @AsnProp({ type: AsnValidity })
  validity = new AsnValidity();
  @AsnProp({ type: AsnPropTypes.Any })
  subject = new ArrayBuffer(0);
  @AsnProp({ type: AsnPropTypes.Any })
  subjectPublicKeyInfo = new ArrayBuffer(0);
  @AsnProp({ type: AsnPropTypes.BitString, context: 1, implicit: true, optional: true })
  issuerUniqueID?: ArrayBuffer;
  @AsnProp({ type: AsnPropTypes.BitString, context: 2, implicit: true, optional: true })
  subjectUniqueID?: ArrayBuffer;
  @AsnProp({ type: AsnExtensions, context: 3, optional: true })
  extensions?: AsnExtensions;
}

export class AsnCertificate {
  @AsnProp({ type: AsnTbsCertificate })
  tbsCertificate = new AsnTbsCertificate();
  @AsnProp({ type: AsnAlgorithmIdentifier })
  signatureAlgorithm = new AsnAlgorithmIdentifier();
  @AsnProp({ type: AsnPropTypes.BitString })
  signatureValue = new ArrayBuffer(0);
}
