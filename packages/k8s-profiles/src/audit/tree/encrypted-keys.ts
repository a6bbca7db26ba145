// Private keys a component must load that are passphrase-encrypted (PKCS#8 `ENCRYPTED PRIVATE KEY`,
// issue 20): none of kubeadm, the API server, etcd, the kubelet or client-go reads one.
import { isCaRole, privateKeyLabel, type TreeCertificate } from "../../files/read-files.js";
import type { Finding } from "../findings.js";
import type { TreeRule } from "./context.js";

const ENCRYPTED = "ENCRYPTED PRIVATE KEY";

/** Whether a key PEM (a `.key` file, a kubeconfig's client-key-data) is passphrase-encrypted. */
export function isEncryptedKey(pem: string): boolean {
  return privateKeyLabel(pem) === ENCRYPTED;
}

/** The openssl command that writes a key unencrypted (it asks for the passphrase), never in place. */
const decryptCommand = (file: string) => `openssl pkey -in ${file} -out ${file}.plain && mv ${file}.plain ${file}`;

/**
 * One finding per encrypted key. A CA key is a warning: in a cluster only the controller-manager
 * reads `ca.key` (`--cluster-signing-key-file`, to sign CSRs) and kubeadm to issue certificates,
 * so an encrypted CA key kept for offline signing is a choice (`kubepki init --encrypt-ca-keys`)
 * whose cost is that signing. Every other key is an error: the component that presents the
 * certificate, or the API server for `sa.key`, cannot start with it. The audit never asks for
 * the passphrase, so the pairing of an encrypted key with its certificate is not checked.
 */
export const encryptedKeyFindings: TreeRule = ({ tree, matches }) => {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const report = (id: string, finding: Finding) => {
    if (seen.has(id)) return;
    seen.add(id);
    findings.push(finding);
  };
  for (const entry of tree.certificates) {
    if (!entry.key || !isEncryptedKey(entry.key.pem)) continue;
    const match = matches.get(entry);
    const ca = match ? isCaRole(match.role) : entry.certificate.isCa;
    const where = entry.key.embedded ? `user ${entry.kubeconfigUser}: client-key-data` : entry.key.file;
    report(`${entry.key.file}\n${entry.kubeconfigUser ?? ""}`, {
      severity: ca ? "warning" : "error",
      code: "ENCRYPTED_KEY",
      file: entry.key.file,
      ...(match ? { role: match.role } : {}),
      ...(match?.node ? { node: match.node } : {}),
      message: ca
        ? `${where} is encrypted (ENCRYPTED PRIVATE KEY): fine for storage or offline signing, but kubeadm and the controller-manager (--cluster-signing-key-file) cannot read it, so the cluster cannot sign CSRs or renew with it`
        : `${where} is encrypted (ENCRYPTED PRIVATE KEY): ${entry.key.embedded ? "client-go" : "the component that presents this certificate"} cannot load it (Go's tls.LoadX509KeyPair reads only unencrypted keys)`,
      fix: ca
        ? `decrypt it where the cluster must sign: ${decryptCommand(entry.key.file)}`
        : `write it unencrypted: ${decryptCommand(entry.key.file)}`,
    });
  }
  // Keys no certificate pairs with: sa.key (the API server and controller-manager read it) and strays.
  for (const [file, pem] of tree.keys) {
    if (!isEncryptedKey(pem)) continue;
    report(`${file}\n`, {
      severity: "error",
      code: "ENCRYPTED_KEY",
      file,
      message: `${file} is encrypted (ENCRYPTED PRIVATE KEY): the API server and controller-manager (--service-account-*-key-file) and every component read only unencrypted keys`,
      fix: `write it unencrypted: ${decryptCommand(file)}`,
    });
  }
  return findings;
};

/** Whether the key of `entry` is encrypted: its own checks are then skipped ({@link encryptedKeyFindings} reports it). */
export function hasEncryptedKey(entry: TreeCertificate): boolean {
  return entry.key !== undefined && isEncryptedKey(entry.key.pem);
}
