/**
 * @kubepki/renderers — Kubernetes PKI as text: kubeconfigs, KubeletConfiguration, control-plane
 * flags, static Pod commands and openssl configs/commands. Plain data in, text out: no crypto, no
 * Node built-ins. Of `@kubepki/core` only its dependency-free vocabulary (`@kubepki/core/vocabulary`:
 * the one error class, IP/CIDR, DNS names, key usages, base64), whose functions are re-exported here.
 *
 * @packageDocumentation
 */

export {
  type Cidr,
  canonicalIp,
  cidrAddress,
  cidrSize,
  ipFamily,
  isIp,
  isKubepkiError,
  KubepkiError,
  type KubepkiErrorCode,
  type KubepkiErrorDetails,
  parseCidr,
} from "@kubepki/core/vocabulary";
export { isRendererError, RendererError, type RendererErrorCode, type RendererErrorDetails } from "./error-codes.js";
export { type ApiserverFlagsOptions, type ApiserverPaths, apiserverFlags } from "./flags/apiserver.js";
export type { FlagArg } from "./flags/args.js";
export {
  type ControllerManagerFlagsOptions,
  type ControllerManagerPaths,
  controllerManagerFlags,
} from "./flags/controller-manager.js";
export { type EtcdFlagsOptions, type EtcdMember, type EtcdPaths, etcdFlags } from "./flags/etcd.js";
export { type SchedulerFlagsOptions, schedulerFlags } from "./flags/scheduler.js";
export { renderStaticPodCommand } from "./flags/static-pod.js";
export { graphToDot } from "./graph/dot.js";
export { markFindings } from "./graph/findings.js";
export { graphToMermaid } from "./graph/mermaid.js";
export { foldWorkers, planGraph } from "./graph/plan-graph.js";
export type {
  GraphComponentFlags,
  GraphEdge,
  GraphEdgeKind,
  GraphFinding,
  GraphNode,
  GraphNodeKind,
  GraphPlan,
  GraphSeverity,
  TrustGraph,
} from "./graph/types.js";
export { KNOWN_FLAGS } from "./known-flags.js";
export { type ParseKubeconfigOptions, parseKubeconfig } from "./kubeconfig/parse.js";
export { renderKubeconfig } from "./kubeconfig/render.js";
export {
  renderSimpleKubeconfig,
  type SimpleKubeconfigOptions,
  type SimpleKubeconfigUser,
  simpleKubeconfig,
} from "./kubeconfig/simple.js";
export type {
  Kubeconfig,
  KubeconfigCluster,
  KubeconfigContext,
  KubeconfigExtension,
  KubeconfigUser,
  PemOrPath,
} from "./kubeconfig/types.js";
export { type KubeletConfigOptions, renderKubeletConfig } from "./kubelet/config.js";
export { redactSecrets } from "./lib/redact.js";
export {
  type OpensslCommandOptions,
  type OpensslIssuer,
  type OpensslPlan,
  renderOpensslCommands,
} from "./openssl/commands.js";
export { renderOpensslConfig } from "./openssl/config.js";
export { parseClusterRecord, renderClusterRecord } from "./record/cluster-record.js";
export { type CaSecretInput, type CaSecretsOptions, renderCaSecrets } from "./secrets/ca-secrets.js";
export {
  type ControlPlaneComponent,
  ETCD_IMAGE_TAGS,
  kubernetesRelease,
  renderStaticPodManifest,
  type StaticPodManifestOptions,
} from "./static-pods/manifest.js";
export type { ExtKeyUsage, KeyAlgorithm, KeyUsage, OpensslCertSpec, SubjectAltName } from "./types.js";
