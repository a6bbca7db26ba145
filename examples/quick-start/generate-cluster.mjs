// Quick start (Node): a two-node cluster's whole PKI in one call, written in kubeadm's layout, then audited.
import { writeTree } from "@kubepki/cli";
import { auditCluster, generateCluster, toKubeadmFiles } from "@kubepki/k8s-profiles";

const pki = await generateCluster({
  controlPlaneEndpoint: "k8s-api.example.com:6443",
  nodes: [
    { name: "cp-1", role: "control-plane", addresses: ["192.168.10.10"] },
    { name: "worker-1", role: "worker", addresses: ["192.168.10.21"] },
  ],
  keyAlgorithm: "ECDSA-P256",
});

const files = toKubeadmFiles(pki); // [{ path, contents, mode }]: pki/*, *.conf, nodes/<name>/*, flags/*
const { written } = await writeTree("./pki", files); // all or nothing, keys 0600, never overwrites
console.log(`wrote ${written.length} files to ./pki`);

for (const { spec, certificate } of pki.certificates.filter((c) => c.spec.node !== "worker-1")) {
  console.log(spec.id.padEnd(30), certificate.subjectText);
}

const report = await auditCluster(new Map(files.map((file) => [file.path, file.contents])));
console.log("audit findings:", report.findings.length);
