import { toHex } from "../lib/bytes.js";
import { sha256 } from "../lib/sha256.js";
import { encodePem } from "../pem/pem.js";
import type { Certificate } from "./model.js";

/** A certificate's fields except those computed on first read. */
export type CertificateData = Omit<Certificate, "fingerprintSha256" | "pem"> & { readonly pem?: string };

// Values computed on first read, by certificate object.
const fingerprints = /* @__PURE__ */ new WeakMap<object, string>();
const pems = /* @__PURE__ */ new WeakMap<object, string>();

/**
 * The getters, shared by every certificate: V8 keeps accessors in an object's hidden class, so
 * a getter function per object would give every certificate its own class, and V8 gives up and
 * makes each one a dictionary-mode object (slower to read, several times larger). The same
 * getter objects give all certificates one class.
 */
const LAZY_FINGERPRINT: PropertyDescriptorMap = {
  fingerprintSha256: {
    get(this: CertificateData): string {
      let value = fingerprints.get(this);
      if (value === undefined) {
        value = toHex(sha256(this.der));
        fingerprints.set(this, value);
      }
      return value;
    },
    enumerable: true,
    configurable: true,
  },
};
const LAZY_FINGERPRINT_AND_PEM: PropertyDescriptorMap = {
  ...LAZY_FINGERPRINT,
  pem: {
    get(this: CertificateData): string {
      let value = pems.get(this);
      if (value === undefined) {
        value = encodePem("CERTIFICATE", this.der);
        pems.set(this, value);
      }
      return value;
    },
    enumerable: true,
    configurable: true,
  },
};

/**
 * Finishes a certificate with the fields kubepki computes only when someone reads them: the
 * SHA-256 fingerprint, and the PEM when it is not given (a parsed certificate; an audit of
 * thousands never asks for either). They are own, enumerable getters that keep their value, so
 * JSON, spreads and structuredClone see them like any field.
 *
 * They are added to the finished object rather than written as getters in its literal: V8 makes
 * an object literal with an accessor a dictionary-mode object, and every certificate of a
 * cluster or an audit is one of these (benchmarks/startup/object-shapes.test.ts checks it).
 */
export function withLazyFields(data: CertificateData): Certificate {
  return Object.defineProperties(
    data,
    data.pem === undefined ? LAZY_FINGERPRINT_AND_PEM : LAZY_FINGERPRINT,
  ) as Certificate;
}
