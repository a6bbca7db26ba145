// A kubepki-generated tree as the audit/expiration/renewal functions take it: generateCluster +
// toKubeadmFiles (written by the generate.ts work), as a path → text map.
import { type ClusterConfig, generateCluster, toKubeadmFiles } from "../../src/index.js";

export const KUBEPKI_CONFIG = {
  keyAlgorithm: "ECDSA-P256",
  controlPlaneEndpoint: "k8s-api.example.com:6443",
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["192.168.10.11"] },
    { name: "cp-2", role: "control-plane", addresses: ["192.168.10.12"] },
    { name: "worker-1", role: "worker", addresses: ["192.168.10.21"] },
  ],
} as const satisfies ClusterConfig;

export async function buildKubepkiTree(
  config: ClusterConfig = KUBEPKI_CONFIG,
  now: Date = new Date(),
): Promise<Map<string, string>> {
  const files = toKubeadmFiles(await generateCluster(config, { now }));
  return new Map(files.map((file) => [file.path, file.contents]));
}
