// What a running server presents, compared with the tree on disk: the certificate a component
// serves is read once at its start, so a renewed file is not served until the component restarts
// (kubeadm's `certs renew` says the same: "You must restart the kube-apiserver, kube-controller-manager,
// kube-scheduler and etcd, so that they can use the new certificates").
import { type Certificate, isKubepkiError, parseCertificates, verifyChain } from "@kubepki/core";
import {
  bytesEqual,
  type ClusterFiles,
  errorMessage,
  readTree,
  roleByPath,
  type TreeCertificate,
} from "../files/read-files.js";
import { roleProfile } from "../roles/profiles.js";
import type { Finding } from "./findings.js";
import { hostCovered, urlHost } from "./hosts.js";

/**
 * What one endpoint served: the chain it presented (PEM, leaf first, as the TLS handshake
 * ordered it), or why it could not be fetched (the CLI's error message).
 *
 * @example
 * ```ts
 * import type { ServedChain } from "@kubepki/k8s-profiles";
 *
 * const served: ServedChain[] = [
 *   { endpoint: "https://10.0.0.11:6443", chainPem: "-----BEGIN CERTIFICATE-----\n…" },
 *   { endpoint: "https://10.0.0.11:2379", error: "Connection refused by 10.0.0.11:2379" },
 * ];
 * ```
 */
export type ServedChain =
  | { readonly endpoint: string; readonly chainPem: string }
  | { readonly endpoint: string; readonly error: string };

/**
 * Options of {@link compareServedCertificates}.
 *
 * @example
 * ```ts
 * import type { CompareServedOptions } from "@kubepki/k8s-profiles";
 *
 * const options: CompareServedOptions = { now: new Date("2026-01-01T00:00:00Z") };
 * ```
 */
export interface CompareServedOptions {
  /** The clock (default `new Date()`). */
  readonly now?: Date;
  /** The WebCrypto used to verify signatures (default `globalThis.crypto`). */
  readonly crypto?: Crypto;
}

/** Serving certificate files of the tree (not kubeconfigs, not CAs): what a server could present. */
function servingFiles(certificates: readonly TreeCertificate[]): TreeCertificate[] {
  return certificates.filter(
    (entry) =>
      entry.source === "file" &&
      !entry.certificate.isCa &&
      (entry.certificate.extKeyUsages === undefined || entry.certificate.extKeyUsages.includes("serverAuth")),
  );
}

/**
 * The tree file a served leaf stands for: the file holding that very certificate; else the files
 * with its subject, else those of the role kubeadm serves on that port (the table's `servesOn`);
 * among them, the role served on that port first (etcd's server and peer certificates share a
 * subject), then those whose SANs name the host, then the tree's root before `nodes/` copies.
 */
function diskCounterpart(
  leaf: Certificate,
  host: string,
  port: string,
  serving: readonly TreeCertificate[],
): { entry: TreeCertificate; same: boolean } | undefined {
  const same = serving.find((entry) => bytesEqual(entry.certificate.der, leaf.der));
  if (same) return { entry: same, same: true };
  const onPort = (entry: TreeCertificate) => {
    const role = roleByPath(entry.file)?.role;
    return role !== undefined && String(roleProfile(role).servesOn) === port;
  };
  const rank = (entry: TreeCertificate) =>
    Number(!onPort(entry)) * 4 +
    Number(!hostCovered(host, [entry.certificate])) * 2 +
    Number(entry.file.startsWith("nodes/"));
  const byRank = (entries: TreeCertificate[]) => entries.sort((a, b) => rank(a) - rank(b))[0];
  const entry =
    byRank(serving.filter((candidate) => bytesEqual(candidate.certificate.subjectDer, leaf.subjectDer))) ??
    byRank(serving.filter(onPort));
  return entry ? { entry, same: false } : undefined;
}

function describeLeaf(leaf: Certificate): string {
  return `${leaf.subjectText} (serial ${leaf.serialNumber}, expires ${leaf.notAfter.toISOString()})`;
}

/**
 * Compares what servers present with the tree on disk, and returns findings (never throws for a
 * bad chain: a chain that does not parse is a finding too):
 *
 * - `SERVED_CERT_STALE` (error): the server presents another certificate than the tree's file for
 *   it (matched by the exact certificate, else by subject, else by kubeadm's port: 6443 apiserver,
 *   2379/2380 etcd, 10250 kubelet — the role table's `servesOn`). After a renew, the
 *   component still serves the old one until it restarts; the message names the file and the
 *   component to restart;
 * - `SERVED_CERT_UNTRUSTED` (error): the served chain does not verify up to a CA of the tree
 *   (another cluster's certificate, a self-signed one), so clients trusting the tree's CA refuse it;
 * - `SERVED_CERT_EXPIRED` (error): the served leaf is expired or not yet valid;
 * - `SERVED_CERT_UNMATCHED` (info): no serving file of the tree stands for it;
 * - `SERVED_CERT_UNAVAILABLE` (error): the endpoint could not be fetched (its `error`).
 *
 * Findings name the tree file when one matched (so they group with that file's own findings),
 * else the endpoint.
 *
 * @example
 * ```ts
 * import { compareServedCertificates, generateCluster, toKubeadmFiles } from "@kubepki/k8s-profiles";
 *
 * const config = {
 *   keyAlgorithm: "ECDSA-P256",
 *   nodes: [{ name: "cp-1", role: "control-plane", addresses: ["10.0.0.11"] }],
 * } as const;
 * const tree = () =>
 *   generateCluster(config).then((pki) => Object.fromEntries(toKubeadmFiles(pki).map((file) => [file.path, file.contents])));
 * Promise.all([tree(), tree()]).then(async ([files, other]) => {
 *   const endpoint = "https://10.0.0.11:6443";
 *   // The apiserver presents the file on disk: no finding.
 *   await compareServedCertificates(files, [{ endpoint, chainPem: files["pki/apiserver.crt"] as string }]); // []
 *   // Another tree's apiserver certificate: not the file (stale), and not signed by this tree's CA.
 *   const findings = await compareServedCertificates(files, [{ endpoint, chainPem: other["pki/apiserver.crt"] as string }]);
 *   return findings.map((finding) => finding.code); // ["SERVED_CERT_STALE", "SERVED_CERT_UNTRUSTED"]
 * });
 * ```
 */
export function compareServedCertificates(
  files: ClusterFiles,
  served: readonly ServedChain[],
  options: CompareServedOptions = {},
): Promise<Finding[]> {
  return servedFindings(files, served, options);
}

/** What every endpoint is compared with: the tree's serving files and its CAs, at one instant. */
interface ServedContext {
  readonly now: Date;
  readonly serving: ReturnType<typeof servingFiles>;
  readonly roots: readonly Certificate[];
  readonly crypto?: Crypto;
}

async function servedFindings(
  files: ClusterFiles,
  served: readonly ServedChain[],
  options: CompareServedOptions,
): Promise<Finding[]> {
  const tree = readTree(files);
  const context: ServedContext = {
    now: options.now ?? new Date(),
    serving: servingFiles(tree.certificates),
    roots: tree.certificates
      .filter((entry) => entry.source === "file" && entry.certificate.isCa)
      .map((entry) => entry.certificate),
    ...(options.crypto ? { crypto: options.crypto } : {}),
  };
  const findings: Finding[] = [];
  for (const item of served) findings.push(...(await endpointFindings(item, context)));
  return findings;
}

/** The served chain, parsed; a fetch error or a chain that does not parse is the finding instead. */
function servedChain(item: ServedChain): Certificate[] | Finding {
  const unavailable = (message: string, fix: string): Finding => ({
    severity: "error",
    code: "SERVED_CERT_UNAVAILABLE",
    file: item.endpoint,
    message,
    fix,
  });
  if ("error" in item) {
    return unavailable(
      `${item.endpoint}: ${item.error}`,
      "Check that the component runs and listens there (the address, the port, a firewall)",
    );
  }
  try {
    return parseCertificates(item.chainPem);
  } catch (error) {
    return unavailable(
      `${item.endpoint} presented a chain that does not parse: ${errorMessage(error)}`,
      "Check what listens on that port",
    );
  }
}

/** One endpoint's findings: unmatched or stale, expired, untrusted. */
async function endpointFindings(item: ServedChain, context: ServedContext): Promise<Finding[]> {
  const chain = servedChain(item);
  if (!Array.isArray(chain)) return [chain];
  const leaf = chain[0];
  if (leaf === undefined) return [];
  const { host, port } = urlHost(item.endpoint) ?? { host: item.endpoint, port: "" };
  const counterpart = diskCounterpart(leaf, host, port, context.serving);
  const file = counterpart?.entry.file ?? item.endpoint;
  const role = counterpart ? roleByPath(counterpart.entry.file)?.role : undefined;
  const about = { file, ...(role ? { role } : {}) };
  const findings: Finding[] = [];
  if (counterpart === undefined) {
    findings.push({
      ...about,
      severity: "info",
      code: "SERVED_CERT_UNMATCHED",
      message: `${item.endpoint} presents ${describeLeaf(leaf)}, which no serving certificate file of the tree stands for`,
      fix: "Nothing to do when the component is not part of this tree; else audit the tree it comes from",
    });
  } else if (!counterpart.same) {
    const disk = counterpart.entry.certificate;
    const components = role ? roleProfile(role).restarts : [];
    const restart = `restart ${components.length > 0 ? components.join(", ") : "the component that serves it"}`;
    findings.push({
      ...about,
      severity: "error",
      code: "SERVED_CERT_STALE",
      message: `${item.endpoint} presents ${describeLeaf(leaf)}, not ${file} (serial ${disk.serialNumber}, expires ${disk.notAfter.toISOString()}): the server still uses another certificate than the file`,
      fix: `${restart[0]?.toUpperCase()}${restart.slice(1)} so that it loads ${file}`,
    });
  }
  const notYet = leaf.notBefore.getTime() > context.now.getTime();
  const expired = leaf.notAfter.getTime() < context.now.getTime();
  if (notYet || expired) {
    findings.push({
      ...about,
      severity: "error",
      code: "SERVED_CERT_EXPIRED",
      message: notYet
        ? `${item.endpoint} presents ${leaf.subjectText}, not valid before ${leaf.notBefore.toISOString()}`
        : `${item.endpoint} presents ${leaf.subjectText}, expired ${leaf.notAfter.toISOString()}`,
      fix: `Renew ${counterpart ? file : "the certificate"} (kubepki renew) and restart the component`,
    });
  }
  // Trust is judged within the leaf's validity: an expired leaf is reported above, not as untrusted.
  const at = notYet ? leaf.notBefore : expired ? leaf.notAfter : context.now;
  const untrusted = await trustProblem(leaf, chain.slice(1), at, context);
  if (untrusted !== undefined) {
    findings.push({
      ...about,
      severity: "error",
      code: "SERVED_CERT_UNTRUSTED",
      message: `${item.endpoint} presents ${leaf.subjectText} issued by ${leaf.issuerText}, which does not verify against the tree's CAs: ${untrusted}`,
      fix: "Clients that trust the tree's CA refuse this server: install the tree's certificate for it and restart the component",
    });
  }
  return findings;
}

/** Why the served chain does not verify up to a CA of the tree as a server's, or undefined when it does. */
async function trustProblem(
  leaf: Certificate,
  intermediates: readonly Certificate[],
  at: Date,
  context: ServedContext,
): Promise<string | undefined> {
  try {
    await verifyChain(leaf, intermediates, context.roots, {
      at,
      usage: "serverAuth",
      ...(context.crypto ? { crypto: context.crypto } : {}),
    });
    return undefined;
  } catch (error) {
    if (!isKubepkiError(error)) throw error;
    return error.message;
  }
}
