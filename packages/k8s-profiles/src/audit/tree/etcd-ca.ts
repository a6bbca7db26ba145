// One CA for the cluster and etcd: every client certificate of the cluster could then talk to etcd (reference §1.1, §7 items 20, 38).
import { bytesEqual } from "../../files/read-files.js";
import { type Role, roleProfile } from "../../roles/profiles.js";
import type { TreeRule } from "./context.js";

/** etcd leaves signed by the cluster CA, or an etcd CA that is the cluster CA's key: etcd then trusts every cluster certificate. */
export const sharedEtcdCa: TreeRule = ({ tree, matches, issuers }) => {
  const byClusterCa = tree.certificates.filter((entry) => {
    const role = matches.get(entry)?.role;
    const issuer = issuers.get(entry)?.issuer;
    // The etcd leaves: what kubeadm signs with the etcd CA.
    return role !== undefined && roleProfile(role).signer === "etcd-ca" && issuer && matches.get(issuer)?.role === "ca";
  });
  const cas = tree.certificates.filter((entry) => matches.get(entry)?.role === "ca");
  const sameKey = tree.certificates.filter(
    (entry) =>
      matches.get(entry)?.role === "etcd-ca" &&
      cas.some((ca) => bytesEqual(ca.certificate.publicKeyInfo, entry.certificate.publicKeyInfo)),
  );
  const first = byClusterCa[0] ?? sameKey[0];
  if (!first) return [];
  const what =
    byClusterCa.length > 0
      ? `etcd certificates are signed by the cluster CA (${byClusterCa.map((entry) => entry.file).join(", ")})`
      : `the etcd CA ${sameKey.map((entry) => entry.file).join(", ")} is the cluster CA's key`;
  return [
    {
      severity: "error",
      code: "SHARED_ETCD_CA",
      file: first.file,
      role: matches.get(first)?.role as Role,
      message: `${what}: etcd trusts that CA for clients (--trusted-ca-file, --client-cert-auth), so every certificate the cluster CA ever issued — every kubelet, every admin — gets full raw access to etcd`,
      fix: "create a separate etcd CA (pki/etcd/ca.crt, CN etcd-ca), re-issue etcd/server, etcd/peer, etcd/healthcheck-client and apiserver-etcd-client from it, and point --trusted-ca-file, --peer-trusted-ca-file and --etcd-cafile at it",
      reference: "§1.1, §6, §7 item 26",
    },
  ];
};
