// The role table, the one spec function and the whole-cluster plan: everything a caller needs to
// know what to generate, without generating anything.
export { certSpec, planCluster, ROLE_PROFILES } from "@kubepki/k8s-profiles";
