// Bring your own CA: kubepki signs every leaf with a CA you already have and, by default, does not
// write its key (kubeadm's external-CA mode): the key stays with its owner.
import { createSelfSignedCa, exportPrivateKeyPem, generateKeyPair, verifyChain } from "@kubepki/core";
import { generateCluster, toKubeadmFiles } from "@kubepki/k8s-profiles";

// Stand-in for your organisation's CA: any PEM certificate with CA:TRUE and its unencrypted key.
const caKeys = await generateKeyPair("ECDSA-P256");
const corporateCa = await createSelfSignedCa({ keyPair: caKeys, subject: "/O=Example Corp/CN=Example Kubernetes CA" });
const existingCa = { ca: { certificatePem: corporateCa.pem, privateKeyPem: await exportPrivateKeyPem(caKeys) } };

const pki = await generateCluster(
  { nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.10"] }], keyAlgorithm: "ECDSA-P256" },
  { existingCa }, // etcdCa and frontProxyCa are not given, so kubepki makes those two
);

for (const { spec, source, certificate } of pki.certificates.filter((c) => c.spec.isCa)) {
  console.log(spec.id.padEnd(15), source.padEnd(10), certificate.subjectText);
}

const apiserver = pki.certificates.find((c) => c.spec.role === "apiserver").certificate;
const chain = await verifyChain(apiserver, [], [corporateCa], {
  usage: "serverAuth",
  dnsName: "kubernetes.default.svc",
});
console.log("apiserver chain:", chain.map((certificate) => certificate.subjectText).join(" <- "));

const files = new Map(toKubeadmFiles(pki).map((file) => [file.path, file.contents]));
console.log("pki/ca.crt written:", files.has("pki/ca.crt"), "| pki/ca.key written:", files.has("pki/ca.key"));
console.log(
  files
    .get("flags/kube-controller-manager.txt")
    ?.split("\n")
    .filter((flag) => flag.startsWith("--cluster-signing")),
);
