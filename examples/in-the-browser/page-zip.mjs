// What the web app's Generate button does (packages/web/src/generate.ts), in any runtime with
// WebCrypto: the plan, every key and certificate with progress, kubeadm's files, one zip in memory.
import { generateCluster, planCluster, toKubeadmFiles } from "@kubepki/k8s-profiles";
import { archiveFiles } from "@kubepki/k8s-profiles/archive";

const plan = planCluster({
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["10.0.0.11"] },
    { name: "w-1", role: "worker", addresses: ["10.0.0.21"] },
    { name: "w-2", role: "worker", addresses: ["10.0.0.22"] },
  ],
  keyAlgorithm: "ECDSA-P256",
});

let last;
const pki = await generateCluster(plan, { onProgress: (progress) => (last = progress) }); // drives <progress>
console.log(`generated ${last.done}/${last.total}`);

const files = toKubeadmFiles(pki);
const zip = archiveFiles(files, "zip"); // Uint8Array; the page hands it to a Blob and a download link
console.log(`zip of ${files.length} files, starts with ${String.fromCharCode(zip[0], zip[1])}`);
console.log(`private keys (0600): ${files.filter((file) => file.mode === 0o600).length}`);
