// Generation: keys and certificates for a plan, with WebCrypto.
export {
  type ClusterPki,
  type ExistingCaPem,
  type ExistingCas,
  type GenerateClusterOptions,
  type GeneratedCertificate,
  type GeneratedServiceAccountKey,
  type GenerateProgress,
  type GenerateProgressPhase,
  generateCluster,
} from "./generate.js";
