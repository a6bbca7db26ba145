// check-expiration: kubeadm's two tables for a tree, read at any clock. Here: 300 days after init.
import { checkExpiration, formatExpirationTable, generateCluster, toKubeadmFiles } from "@kubepki/k8s-profiles";

const now = new Date("2025-06-01T12:00:00Z");
const pki = await generateCluster(
  { nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.10"] }], keyAlgorithm: "ECDSA-P256" },
  { now },
);
const files = new Map(toKubeadmFiles(pki).map((file) => [file.path, file.contents]));

const later = new Date(now.getTime() + 300 * 24 * 60 * 60 * 1000);
const rows = checkExpiration(files, { now: later });
console.log(formatExpirationTable(rows));

const soon = rows.filter((row) => row.kind !== "ca" && row.expires.getTime() - later.getTime() < 90 * 86_400_000);
console.log(`${soon.length} certificates expire within 90 days: renew them`);
