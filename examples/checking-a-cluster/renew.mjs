// Renewing: like `kubeadm certs renew`, the existing certificate is the authority — same subject,
// SANs and usages, same CA, new key and serial, new validity. Kubeconfigs are rewritten in place.
import { parseCertificate } from "@kubepki/core";
import { auditCluster, generateCluster, renewCertificates, toKubeadmFiles } from "@kubepki/k8s-profiles";

const now = new Date("2025-06-01T12:00:00Z");
const pki = await generateCluster(
  { nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.10"] }], keyAlgorithm: "ECDSA-P256" },
  { now },
);
const files = new Map(toKubeadmFiles(pki).map((file) => [file.path, file.contents]));

const later = new Date("2026-05-01T12:00:00Z");
const result = await renewCertificates(files, { names: ["apiserver", "admin.conf"], now: later });
console.log("renewed:", result.renewed);
console.log(
  "files rewritten:",
  result.files.map((file) => `${file.path} (${file.mode.toString(8)})`),
);
console.log("notes:", result.notes);

const before = parseCertificate(files.get("pki/apiserver.crt"));
for (const file of result.files) files.set(file.path, file.contents);
const after = parseCertificate(files.get("pki/apiserver.crt"));
console.log(
  "same subject and SANs:",
  before.subjectText === after.subjectText && before.subjectAltNames.length === after.subjectAltNames.length,
);
console.log(
  "new serial:",
  before.serialNumber !== after.serialNumber,
  "| new key:",
  before.fingerprintSha256 !== after.fingerprintSha256,
);
console.log("valid until:", after.notAfter.toISOString());
console.log("audit after renewal:", (await auditCluster(files, { now: later })).findings.length, "findings");
