/**
 * One subjectAltName entry. IP values are text (IPv4 or IPv6) and are stored canonically;
 * DNS names may be wildcards (`*.example.com`) where the caller allows it.
 *
 * @example
 * ```ts
 * import { createCsr, generateKeyPair, type SubjectAltName } from "@kubepki/core";
 *
 * const sans: SubjectAltName[] = [
 *   { type: "dns", value: "kubernetes.default.svc" },
 *   { type: "ip", value: "10.96.0.1" },
 * ];
 * const csr = await createCsr({ keyPair: await generateKeyPair("ECDSA-P256"), subject: "/CN=kube-apiserver", sans });
 * console.log(csr.subjectAltNames.map((san) => `${san.type}:${san.value}`)); // ["dns:kubernetes.default.svc", "ip:10.96.0.1"]
 * ```
 */
export type SubjectAltName =
  | { readonly type: "dns"; readonly value: string }
  | { readonly type: "ip"; readonly value: string }
  | { readonly type: "uri"; readonly value: string }
  | { readonly type: "email"; readonly value: string };

/**
 * The kinds of SAN kubepki writes and reads.
 *
 * @example
 * ```ts
 * import { normalizeSubjectAltNames, type SubjectAltNameType } from "@kubepki/core";
 *
 * // The SAN types a kubelet serving certificate may carry.
 * const kubeletServingSanTypes: SubjectAltNameType[] = ["dns", "ip"];
 * const requested = normalizeSubjectAltNames(["worker-1", "192.168.10.21", { type: "email", value: "ops@example.com" }]);
 * console.log(requested.filter((san) => !kubeletServingSanTypes.includes(san.type))); // [{ type: "email", value: "ops@example.com" }]
 * ```
 */
export type SubjectAltNameType = SubjectAltName["type"];

/**
 * SANs as input: entries, or plain strings that are classified (an IP address becomes an IP SAN,
 * anything with `://` a URI, anything with `@` an e-mail, the rest a DNS name).
 *
 * @example
 * ```ts
 * import { normalizeSubjectAltNames, type SubjectAltNameInput } from "@kubepki/core";
 *
 * const sans: SubjectAltNameInput[] = ["kubernetes", "10.96.0.1", { type: "dns", value: "cp-1" }];
 * console.log(normalizeSubjectAltNames(sans).map((san) => san.type)); // ["dns", "dns", "ip"]
 * ```
 */
export type SubjectAltNameInput = SubjectAltName | string;
