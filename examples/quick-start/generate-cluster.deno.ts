// Quick start (Deno): the same call; kubepki uses only WebCrypto, so nothing changes but the runtime.
// Run with: deno run --allow-read --allow-env --allow-write=./pki quick-start/generate-cluster.deno.ts
import { auditCluster, generateCluster, toKubeadmFiles } from "@kubepki/k8s-profiles";

const pki = await generateCluster({
  controlPlaneEndpoint: "k8s-api.example.com:6443",
  nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.10"] }],
  keyAlgorithm: "ECDSA-P256",
});

for (const file of toKubeadmFiles(pki)) {
  const path = `./pki/${file.path}`;
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, file.contents, { mode: file.mode });
}

const apiserver = pki.certificates.find((c) => c.spec.id === "apiserver:cp-1")!;
console.log(apiserver.certificate.subjectText, apiserver.certificate.extKeyUsages);
console.log(apiserver.certificate.subjectAltNames.map((san) => `${san.type}:${san.value}`).join(" "));

const files = new Map(toKubeadmFiles(pki).map((file) => [file.path, file.contents]));
console.log("audit findings:", (await auditCluster(files)).findings.length);
