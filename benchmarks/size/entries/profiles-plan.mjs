// The presets table, the one generic spec function, the per-role helpers and the whole-cluster plan:
// everything a caller needs to know what to generate, without generating anything.
export {
  adminSpec,
  apiserverSpec,
  caSpec,
  certSpec,
  planCluster,
  ROLE_PROFILES,
} from "@kubepki/k8s-profiles";
