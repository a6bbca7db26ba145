/** X.509 keyUsage bits by their RFC 5280 names (§4.2.1.3), in bit order. */
export const KEY_USAGES = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
] as const;

/** One keyUsage bit. */
export type KeyUsage = (typeof KEY_USAGES)[number];

/** extendedKeyUsage purposes kubepki knows by name, with their OIDs (RFC 5280 §4.2.1.12). */
export const EXT_KEY_USAGE_OIDS = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  codeSigning: "1.3.6.1.5.5.7.3.3",
  emailProtection: "1.3.6.1.5.5.7.3.4",
  timeStamping: "1.3.6.1.5.5.7.3.8",
  ocspSigning: "1.3.6.1.5.5.7.3.9",
  any: "2.5.29.37.0",
} as const;

/** One extendedKeyUsage purpose. */
export type ExtKeyUsage = keyof typeof EXT_KEY_USAGE_OIDS;
