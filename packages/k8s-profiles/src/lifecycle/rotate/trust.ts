// Every place that trusts a CA gets the phase's bundle: the CA file, its copies in each node's
// directory, and (cluster CA) every kubeconfig's certificate-authority-data.
import { parseCertificates } from "@kubepki/core";
import { parseKubeconfig, renderKubeconfig } from "@kubepki/renderers";
import { splitNodePath } from "../../files/read-files.js";
import { replaceData } from "../renew.js";
import { type CaLayout, ETC_KUBERNETES, SIGNING_CERT, SIGNING_FLAG } from "./layout.js";
import type { Work } from "./work.js";

/** C and each node's copy of it (`nodes/<n>/pki/ca.crt` for `pki/ca.crt`) := `bundle`. */
export function setTrust(work: Work, layout: CaLayout, bundle: string, fingerprints: readonly string[]): void {
  for (const path of [...work.texts.keys()]) {
    if (path === layout.cert || (path.startsWith("nodes/") && splitNodePath(path).rest === layout.cert)) {
      work.set(path, bundle);
    }
  }
  if (layout.target === "ca") setKubeconfigTrust(work, bundle, fingerprints);
}

/** Every kubeconfig whose certificate-authority-data holds one of `fingerprints` (old or new CA) := `bundle`. */
function setKubeconfigTrust(work: Work, bundle: string, fingerprints: readonly string[]): void {
  const ours = (pem: string) => {
    try {
      return parseCertificates(pem).some((cert) => fingerprints.includes(cert.fingerprintSha256));
    } catch {
      return false;
    }
  };
  for (const [path, text] of [...work.texts]) {
    if (!/\.(conf|kubeconfig)$/.test(path) || !text.includes("certificate-authority-data")) continue;
    let updated = replaceData(text, "certificate-authority-data", ours, bundle);
    if (updated === undefined) {
      // Several clusters or folded base64: parse and render, changing only the CA data that is ours.
      const config = parseKubeconfig(text, { strict: false });
      updated = renderKubeconfig({
        ...config,
        clusters: config.clusters.map((cluster) => {
          const ca = cluster.certificateAuthority;
          return ca && "pem" in ca && ca.pem !== undefined && ours(ca.pem)
            ? { ...cluster, certificateAuthority: { pem: bundle } }
            : cluster;
        }),
      });
    }
    if (updated !== text) work.set(path, updated);
  }
}

/**
 * Points the controller-manager's `--cluster-signing-cert-file` at `pki/ca-signing.crt` (`to:
 * "signing"`) or back at `pki/ca.crt`: textually, every other byte of the flags file kept.
 */
export function pointSigningFlag(work: Work, caCert: string, to: "signing" | "ca"): void {
  const [from, target] = to === "signing" ? [caCert, SIGNING_CERT] : [SIGNING_CERT, caCert];
  const line = (path: string) => `${SIGNING_FLAG}${ETC_KUBERNETES}${path}`;
  for (const [path, text] of [...work.texts]) {
    if (!path.endsWith("kube-controller-manager.txt")) continue;
    const updated = text
      .split("\n")
      .map((row) => (row.trim() === line(from) ? row.replace(line(from), line(target)) : row))
      .join("\n");
    if (updated !== text) work.set(path, updated);
  }
}
