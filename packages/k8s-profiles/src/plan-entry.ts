/**
 * `@kubepki/k8s-profiles/plan`: the cluster config, the role table, the SAN rules, the plan and the
 * certificates' names — everything of `@kubepki/k8s-profiles` that is plain data, with no key or
 * certificate code behind it.
 *
 * Why a third entry: `@kubepki/k8s-profiles/generate` loads `@kubepki/core/issue` (keys,
 * certificate writing) for `generateCluster`. A program that only plans (the CLI's `plan`, a
 * config check) imports this entry: it loads `@kubepki/core/names` and nothing that does
 * cryptography. Values are the same objects as the other entries'.
 *
 * @packageDocumentation
 */

// The CIDR vocabulary is core's (one reading of a CIDR for every package), re-exported as before.
export { type Cidr, cidrAddress, cidrSize, lastUsableIndex, parseCidr } from "@kubepki/core/names";
export * from "./config/index.js";
export * from "./plan/index.js";
export * from "./roles/index.js";
