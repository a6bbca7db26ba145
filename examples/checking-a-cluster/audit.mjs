// Audit: a correct tree has no findings; two certificates made the tutorial's way are caught, each
// finding with what breaks, how to fix it, and where the rule comes from.
import { issueCertificate } from "@kubepki/core";
import { auditCluster, generateCluster, toKubeadmFiles } from "@kubepki/k8s-profiles";

const config = {
  nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.10"] }],
  keyAlgorithm: "ECDSA-P256",
};
const pki = await generateCluster(config);
const files = new Map(toKubeadmFiles(pki).map((file) => [file.path, file.contents]));
console.log("kubepki's own tree:", (await auditCluster(files, { config })).findings.length, "findings");

// What the tutorial's `openssl x509 -req` gives: no SANs, no serverAuth, keyUsage nonRepudiation;
// and etcd's server certificate signed by the cluster CA with its invented subject.
const byId = (id) => pki.certificates.find((c) => c.spec.id === id);
const ca = { certificate: byId("ca").certificate, privateKey: byId("ca").keyPair.privateKey };
const tutorialCert = (id, subject, keyUsages) =>
  issueCertificate({ issuer: ca, publicKey: byId(id).keyPair.publicKey, subject, keyUsages });
files.set("pki/apiserver.crt", (await tutorialCert("apiserver:cp-1", "/CN=kube-apiserver", ["nonRepudiation"])).pem);
files.set("pki/etcd/server.crt", (await tutorialCert("etcd-server:cp-1", "/CN=etcdserver/O=system:etcdserver")).pem);

const { findings } = await auditCluster(files, { config });
for (const finding of findings) {
  // Each finding also has `fix`: the openssl (or kubepki) command that repairs it.
  console.log(`${finding.severity} ${finding.code} ${finding.file} (${finding.reference ?? "-"})`);
  console.log(`  ${finding.message}`);
}
