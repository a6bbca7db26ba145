// Kubeconfigs: the CA they embed, the server they dial, the files they reference (reference §3, §7 item 24).
import { type Certificate, isDnsName, parseIp } from "@kubepki/core";
import { errorMessage, type Tree, type TreeCertificate } from "../../files/read-files.js";
import { roleProfile } from "../../roles/profiles.js";
import type { Finding } from "../findings.js";
import { hostCovered, urlHost } from "../hosts.js";
import { anchorFile } from "../trust.js";
import type { TreeRule } from "./context.js";

// The CA every kubeconfig must embed: the apiserver's, verified by its clients.
const CLUSTER_CA_FILE = roleProfile("apiserver").verifiedBy?.caFile as string;

/** Each kubeconfig: every file it references is in the tree, and each cluster's CA and server are right. */
export const kubeconfigFindings: TreeRule = (ctx) => {
  const { tree, matches } = ctx;
  const findings: Finding[] = [];
  for (const reference of tree.references) {
    if (reference.resolved !== undefined) continue;
    findings.push({
      severity: "warning",
      code: "UNRESOLVED_REFERENCE",
      file: reference.kubeconfig,
      message: `${reference.field}: ${reference.path} is not in the tree`,
      fix: `embed it as ${reference.field}-data (kubeadm always embeds), or fix the path${reference.path.endsWith(".pem") ? " (the tutorial generates ca.crt, not ca.pem)" : ""}`,
      reference: "§3, §7 item 19",
    });
  }
  const clusterCas = tree.certificates.filter((entry) => entry.source === "file" && matches.get(entry)?.role === "ca");
  const apiservers = tree.certificates
    .filter((entry) => matches.get(entry)?.role === "apiserver")
    .map((entry) => entry.certificate);
  for (const { file, config } of tree.kubeconfigs) {
    for (const cluster of config.clusters) {
      findings.push(...caFindings(tree, file, cluster, clusterCas), ...serverFindings(file, cluster, apiservers));
    }
  }
  return findings;
};

type KubeconfigCluster = Tree["kubeconfigs"][number]["config"]["clusters"][number];

/** The cluster's certificate-authority must be the CA that signs the API server's certificate. */
function caFindings(
  tree: Tree,
  file: string,
  cluster: KubeconfigCluster,
  clusterCas: readonly TreeCertificate[],
): Finding[] {
  const findings: Finding[] = [];
  const ca = cluster.certificateAuthority;
  let pem: string | undefined;
  if (ca && "pem" in ca) pem = ca.pem;
  else if (ca && "path" in ca) {
    const resolved = tree.references.find((ref) => ref.kubeconfig === file && ref.path === ca.path)?.resolved;
    pem = resolved === undefined ? undefined : tree.texts.get(resolved);
  }
  // The CA the kubeconfig must carry: pki/ca.crt of its own /etc/kubernetes (kubeadm embeds it
  // in every kubeconfig, kubeconfig/kubeconfig.go); only without one, any cluster CA of the tree.
  const anchor = anchorFile(file, CLUSTER_CA_FILE, tree);
  const expected = anchor ? [anchor] : clusterCas;
  if (pem !== undefined && expected.length > 0) {
    let trusted: Certificate[] = [];
    try {
      trusted = tree.parseCertificates(pem);
    } catch (error) {
      findings.push({
        severity: "error",
        code: "UNREADABLE",
        file,
        message: `cluster ${cluster.name}: certificate-authority is not a readable certificate: ${errorMessage(error)}`,
        fix: `embed ${expected[0]?.file} as certificate-authority-data`,
      });
    }
    if (
      trusted.length > 0 &&
      !trusted.some((cert) => expected.some((entry) => entry.certificate.fingerprintSha256 === cert.fingerprintSha256))
    ) {
      findings.push({
        severity: "error",
        code: "KUBECONFIG_CA_MISMATCH",
        file,
        message: `cluster ${cluster.name}: the certificate-authority is not ${anchor ? `${anchor.file}, the CA that signs the API server's certificate` : `the tree's cluster CA (${expected[0]?.file})`}: the client refuses the API server with "x509: certificate signed by unknown authority"`,
        fix: `embed ${expected[0]?.file} as certificate-authority-data`,
        reference: "§3",
      });
    } else if (trusted.length > 0 && anchor && anchor.chain.length > 0) {
      // During a rotation pki/ca.crt is the old and the new CA: a kubeconfig needs both, or it
      // refuses the API server once its certificate is reissued (or before, with the new CA alone).
      const missing = [anchor.certificate, ...anchor.chain].filter(
        (cert) => !trusted.some((held) => held.fingerprintSha256 === cert.fingerprintSha256),
      );
      if (missing.length > 0) {
        findings.push({
          severity: "error",
          code: "KUBECONFIG_CA_MISMATCH",
          file,
          message: `cluster ${cluster.name}: the certificate-authority lacks ${missing.length} of the ${anchor.chain.length + 1} certificates of ${anchor.file} (a CA rotation's bundle): the client refuses the API server once it is signed by the missing one`,
          fix: `embed ${anchor.file} whole as certificate-authority-data`,
          reference: "§3",
        });
      }
    }
  }
  return findings;
}

/** The cluster's server must be an https URL whose host the API server certificate carries. */
function serverFindings(file: string, cluster: KubeconfigCluster, apiservers: readonly Certificate[]): Finding[] {
  const findings: Finding[] = [];
  if (cluster.server === undefined) return findings;
  const url = urlHost(cluster.server);
  const host = url?.protocol === "https:" ? url.host : undefined;
  if (host === undefined || (!parseIp(host) && !isDnsName(host))) {
    findings.push({
      severity: "error",
      code: "INVALID_SERVER",
      file,
      message: `cluster ${cluster.name}: server ${cluster.server} is not an https URL with a DNS name or IP${cluster.server.includes("$") ? " (an unexpanded shell variable)" : ""}`,
      fix: "set server: https://<controlPlaneEndpoint or API server address>:6443",
      reference: "§3, §7 item 36",
    });
    return findings;
  }
  if (apiservers.length > 0 && !hostCovered(host, apiservers)) {
    findings.push({
      severity: "error",
      code: "SERVER_NAME_MISMATCH",
      file,
      message: `cluster ${cluster.name}: server ${cluster.server} — ${host} is not a SAN of any API server certificate in the tree, so TLS verification fails ("x509: certificate is valid for …, not ${host}")`,
      fix: `add ${host} to the API server certificate (certSANs / controlPlaneEndpoint) or point server: at a name it carries`,
      reference: "§2.1, §7 item 24",
    });
  }
  return findings;
}
