/**
 * `@kubepki/k8s-profiles/generate`: the cluster config, the role table, the plan and
 * `generateCluster` — everything of `@kubepki/k8s-profiles` that makes a cluster's PKI — without
 * the audit, renewal, CSR policy and file layout, which read certificates and kubeconfigs.
 *
 * Why a second entry: those read with `@peculiar/asn1-schema` and `yaml`, and Node loads every
 * module an entry imports, used or not (~0.17 s of start-up on a small machine, before the first
 * key). A program that only generates imports this entry; it loads `@kubepki/core/issue`, never
 * the parser or yaml. Bundlers drop unused modules anyway (`"sideEffects": false`), so for a
 * bundle both entries cost the same. Values are the same objects as the main entry's.
 *
 * @packageDocumentation
 */

export * from "./generate/index.js";
// Config, roles, plan and names: also the entry @kubepki/k8s-profiles/plan, which has no key code.
export * from "./plan-entry.js";
