// ECDSA keys (Deno): P-256 or P-384 everywhere — CAs, leaves, kubeconfig users, sa.key — as kubeadm's
// `encryptionAlgorithm`. Certificates are signed with SHA-384 under a P-384 CA.
// Run with: deno run --allow-read --allow-env recipes/ecdsa.deno.ts
import { type GeneratedCertificate, generateCluster } from "@kubepki/k8s-profiles";

const pki = await generateCluster({
  nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.10"] }],
  keyAlgorithm: "ECDSA-P384",
  keyEncipherment: false, // kubeadm sets keyEncipherment even for ECDSA; RFC 8813 says not to
});

const signatureNames: Record<string, string> = { "1.2.840.10045.4.3.3": "ecdsa-with-SHA384" };
const show = ({ spec, certificate }: GeneratedCertificate) =>
  console.log(
    spec.id.padEnd(15),
    certificate.keyAlgorithm,
    signatureNames[certificate.signatureAlgorithm] ?? certificate.signatureAlgorithm,
    certificate.keyUsages?.join(","),
  );
pki.certificates.filter((c) => ["ca", "apiserver:cp-1", "admin:cp-1"].includes(c.spec.id)).forEach(show);
console.log(pki.serviceAccountKey.privateKeyPem.split("\n")[0]); // sa.key in SEC1, as kubeadm writes it
