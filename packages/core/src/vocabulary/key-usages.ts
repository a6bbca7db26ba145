/**
 * X.509 keyUsage bits by their RFC 5280 names (§4.2.1.3), in bit order.
 *
 * @example
 * ```ts
 * import { KEY_USAGES } from "@kubepki/core";
 *
 * console.log(KEY_USAGES.indexOf("keyCertSign")); // 5
 * ```
 */
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

/**
 * One keyUsage bit.
 *
 * @example
 * ```ts
 * import { createCsr, generateKeyPair, type KeyUsage } from "@kubepki/core";
 *
 * // What kubeadm puts on every leaf (reference §1.2).
 * const leafUsages: KeyUsage[] = ["digitalSignature", "keyEncipherment"];
 * const csr = await createCsr({
 *   keyPair: await generateKeyPair("ECDSA-P256"),
 *   subject: "/CN=kube-apiserver",
 *   keyUsages: leafUsages,
 * });
 * console.log(csr.keyUsages); // ["digitalSignature", "keyEncipherment"]
 * ```
 */
export type KeyUsage = (typeof KEY_USAGES)[number];

/**
 * extendedKeyUsage purposes kubepki knows by name, with their OIDs (RFC 5280 §4.2.1.12).
 *
 * @example
 * ```ts
 * import { EXT_KEY_USAGE_OIDS } from "@kubepki/core";
 *
 * console.log(EXT_KEY_USAGE_OIDS.clientAuth); // "1.3.6.1.5.5.7.3.2"
 * ```
 */
export const EXT_KEY_USAGE_OIDS = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  codeSigning: "1.3.6.1.5.5.7.3.3",
  emailProtection: "1.3.6.1.5.5.7.3.4",
  timeStamping: "1.3.6.1.5.5.7.3.8",
  ocspSigning: "1.3.6.1.5.5.7.3.9",
  any: "2.5.29.37.0",
} as const;

/**
 * One extendedKeyUsage purpose.
 *
 * @example
 * ```ts
 * import { createCsr, type ExtKeyUsage, generateKeyPair } from "@kubepki/core";
 *
 * // etcd server and peer certificates need both (reference §1.1).
 * const etcdPeerUsages: ExtKeyUsage[] = ["serverAuth", "clientAuth"];
 * const csr = await createCsr({
 *   keyPair: await generateKeyPair("ECDSA-P256"),
 *   subject: "/CN=cp-1",
 *   extKeyUsages: etcdPeerUsages,
 * });
 * console.log(csr.extKeyUsages); // ["serverAuth", "clientAuth"]
 * ```
 */
export type ExtKeyUsage = keyof typeof EXT_KEY_USAGE_OIDS;
