/**
 * @kubepki/k8s-profiles: a Kubernetes cluster's PKI, kubeadm's way. The role table
 * (`ROLE_PROFILES`) holds every certificate's facts; the stages below read it, each a folder:
 *
 * - `config/`: `resolveClusterConfig`, the one place user input is validated;
 * - `roles/`: the role table and the names and constants it is built from;
 * - `plan/`: `planCluster`, every certificate, file and kubeconfig of the cluster, with SANs;
 * - `generate/`: `generateCluster`, keys and certificates for a plan (WebCrypto, asynchronous);
 * - `files/`: the kubeadm file layout, written (`toKubeadmFiles`) and read back;
 * - `audit/`: `auditCluster`, a tree checked against the table and its consumers' trust;
 * - `lifecycle/`: day 2 — `renewCertificates`, `checkExpiration`, `signCsrForRole`, `describeTree`, `diffCluster`, `applyCluster`.
 *
 * The first four are also the lean entry `@kubepki/k8s-profiles/generate`, which loads no
 * certificate parser and no YAML.
 *
 * @packageDocumentation
 */

export * from "./audit/index.js";
export * from "./files/index.js";
// Config, roles, plan and generation: also the entry @kubepki/k8s-profiles/generate.
export * from "./generate-entry.js";
export * from "./lifecycle/index.js";
