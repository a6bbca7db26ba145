import {
  type Certificate,
  type CertificationRequest,
  type Issuer,
  issueCertificate,
  type KeyUsage,
  KubepkiError,
  normalizeSubjectAltNames,
  parseCsr,
  type SubjectAltName,
  verifyCsr,
} from "@kubepki/core";
import { type ClusterConfig, type ResolvedClusterConfig, resolveClusterConfig } from "../config/resolve.js";
import { type ClusterFiles, identifyRole, readTree, splitNodePath } from "../files/read-files.js";
import { apiserverSans, classifySans, kubeletServingSans, normalizeSans } from "../plan/sans.js";
import { rootNodeName } from "../roles/cert-names.js";
import { DEFAULT_NODE, GROUPS } from "../roles/constants.js";
import { type CertSpec, certSpec, type Role, roleProfile } from "../roles/profiles.js";

/**
 * Options of {@link checkCsrAgainstRole}.
 *
 * @example
 * ```ts
 * import type { CsrPolicyOptions } from "@kubepki/k8s-profiles";
 *
 * const options: CsrPolicyOptions = { node: "worker-1" };
 * ```
 */
export interface CsrPolicyOptions {
  /** The node the request must be for (per-node roles: kubelet client/serving, apiserver, etcd…). */
  node?: string;
  /**
   * The cluster. Required for roles whose SANs it decides (apiserver, etcd server/peer); for
   * `kubelet-serving` it limits the SANs to the node's own name and addresses.
   */
  config?: ClusterConfig | ResolvedClusterConfig;
  /**
   * The cluster's tree (path → contents, as `auditCluster` takes it): for `kubelet-serving`, its
   * certificates and kubeconfigs tell the nodes and their names and addresses, the API server's
   * names and addresses and the control-plane endpoint, and the request may have only the node's
   * own names and addresses.
   */
  files?: ClusterFiles;
  /**
   * For `kubelet-serving`: more names and addresses the node owns (`DNS:name`, `IP:addr`, or a
   * bare name or address). Given (even empty), the request may have only the node's own names
   * and addresses. Never allows a Service name, an API server address or another node's name.
   */
  allowSans?: readonly string[];
  /** A WebCrypto implementation instead of `globalThis.crypto` (for the signature check). */
  crypto?: Crypto;
}

/**
 * The verdict of {@link checkCsrAgainstRole}: the {@link CertSpec} to issue, or every reason
 * the request is refused.
 *
 * @example
 * ```ts
 * import type { CsrCheckResult } from "@kubepki/k8s-profiles";
 *
 * const explain = (result: CsrCheckResult) => (result.ok ? result.spec.id : result.reasons.join("; "));
 * ```
 */
export type CsrCheckResult =
  | { readonly ok: true; readonly spec: CertSpec; readonly csr: CertificationRequest }
  | { readonly ok: false; readonly reasons: readonly string[] };

/**
 * Options of {@link signCsrForRole}: the policy options plus the CA that signs.
 *
 * @example
 * ```ts
 * import type { SignCsrOptions } from "@kubepki/k8s-profiles";
 *
 * const withCa = (issuer: SignCsrOptions["issuer"]): SignCsrOptions => ({ node: "worker-1", issuer, validityDays: 365 });
 * ```
 */
export interface SignCsrOptions extends CsrPolicyOptions {
  /** The signing CA (for kubelet roles and the control-plane clients: `pki/ca.crt` + key). */
  issuer: Issuer;
  /** Default: the role's validity from the config (365 days); never beyond the CA. */
  validityDays?: number;
  /** The clock (default `new Date()`). */
  now?: Date;
}

/**
 * The result of {@link signCsrForRole}: the certificate, or the reasons nothing was issued.
 *
 * @example
 * ```ts
 * import type { SignCsrResult } from "@kubepki/k8s-profiles";
 *
 * const pemOf = (result: SignCsrResult) => (result.ok ? result.certificate.pem : undefined);
 * ```
 */
export type SignCsrResult =
  | { readonly ok: true; readonly spec: CertSpec; readonly certificate: Certificate }
  | { readonly ok: false; readonly reasons: readonly string[] };

/** Whether the table's SAN rule of a role computes its SANs from the cluster config (reference §2), not from the request. */
function sansFromConfig(role: Role): boolean {
  const { sans } = roleProfile(role);
  return sans === "apiserver" || sans === "etcd-server" || sans === "etcd-peer";
}

function sanText(san: SubjectAltName): string {
  return `${san.type.toUpperCase()}:${san.value}`;
}

function sameSan(a: SubjectAltName, b: SubjectAltName): boolean {
  return a.type === b.type && a.value.toLowerCase() === b.value.toLowerCase();
}

/**
 * What the cluster says about names: each node's own names and addresses, and the API server's
 * (its Service names and IPs, the control-plane endpoint, its nodes' addresses).
 */
interface ClusterNames {
  readonly nodes: Map<string, SubjectAltName[]>;
  readonly apiserver: SubjectAltName[];
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1"]);

function addSans(into: SubjectAltName[], sans: readonly SubjectAltName[]): void {
  for (const san of sans) {
    if ((san.type === "dns" || san.type === "ip") && !into.some((known) => sameSan(known, san))) into.push(san);
  }
}

function nodeSans(names: ClusterNames, node: string): SubjectAltName[] {
  const list = names.nodes.get(node) ?? [];
  names.nodes.set(node, list);
  return list;
}

/** Names from a config: kubeletServingSans per node, apiserverSans per control-plane node. */
function namesFromConfig(names: ClusterNames, config: ResolvedClusterConfig): void {
  for (const member of config.nodes) {
    addSans(nodeSans(names, member.name), kubeletServingSans(config, member.name).sans);
    if (member.role === "control-plane") addSans(names.apiserver, apiserverSans(config, member.name).sans);
  }
}

/**
 * Names from a tree: kubelet serving certificates and etcd server/peer certificates give their
 * node's names and addresses (loopbacks aside), `nodes/<name>/` and `system:node:` users name
 * nodes, apiserver certificates and kubeconfig `server:` URLs give the API server's names.
 */
function namesFromTree(names: ClusterNames, files: ClusterFiles): void {
  const tree = readTree(files);
  const rootNode = rootNodeName(tree.certificates);
  for (const path of tree.texts.keys()) {
    const { node } = splitNodePath(path);
    if (node !== undefined) nodeSans(names, node);
  }
  for (const entry of tree.certificates) {
    const match = identifyRole(entry, rootNode);
    if (!match) continue;
    const own = entry.certificate.subjectAltNames.filter((san) => !LOOPBACK.has(san.value));
    if (match.role === "apiserver") addSans(names.apiserver, own);
    else if (match.node !== undefined && ["kubelet-serving", "etcd-server", "etcd-peer"].includes(match.role)) {
      addSans(nodeSans(names, match.node), own);
    } else if (match.node !== undefined && match.role === "kubelet-client") nodeSans(names, match.node);
  }
  for (const { config } of tree.kubeconfigs) {
    for (const cluster of config.clusters) {
      const host = /^https?:\/\/(\[[^\]]+\]|[^/:]+)/i.exec(cluster.server ?? "")?.[1]?.replace(/^\[|\]$/g, "");
      if (host === undefined || LOOPBACK.has(host)) continue;
      const { dns, ips } = classifySans([host], "server");
      addSans(names.apiserver, normalizeSans(dns, ips));
    }
  }
}

/** `DNS:name` / `IP:addr` / bare, as `--allow-san` takes them, to bare values. */
function allowSanValues(values: readonly string[]): string[] {
  if (!Array.isArray(values) || values.some((value) => typeof value !== "string")) {
    throw new KubepkiError("INVALID_ARGUMENT", "allowSans: expected a list of strings", {
      details: { field: "allowSans" },
    });
  }
  return values.map((value) => value.replace(/^(dns|ip):/i, ""));
}

/** A Service's DNS name: `kubernetes`, `kubernetes.default…`, or any name with a `svc` label. */
function isServiceName(san: SubjectAltName): boolean {
  if (san.type !== "dns") return false;
  const value = san.value.toLowerCase();
  return value === "kubernetes" || value.startsWith("kubernetes.") || value.split(".").includes("svc");
}

/**
 * The approver's check of a kubelet serving request's SANs. The `kubernetes.io/kubelet-serving`
 * signer checks only their form (DNS/IP only, at least one: `ValidateKubeletServingCSR` in
 * kubernetes pkg/apis/certificates/helpers.go), and kube-controller-manager's approver never
 * approves serving requests (pkg/controller/certificates/approver/sarapprove.go recognises only
 * kubelet client requests): whoever approves must check that the names are the node's own,
 * which the kubelet takes from its Node's `status.addresses` (pkg/kubelet/certificate/kubelet.go),
 * as the Kubernetes docs ask of serving-certificate approvers ("Kubelet serving certificates",
 * kubeadm-certs). A node that gets `kubernetes.default.svc`, the Service IP, the control-plane
 * endpoint or another node's name can impersonate the API server or that node to every client
 * that trusts the cluster CA. So: never those; and with a config, a tree or `allowSans`, only
 * the node's own names and addresses.
 */
function servingSanReasons(
  requested: readonly SubjectAltName[],
  node: string | undefined,
  config: ResolvedClusterConfig | undefined,
  options: CsrPolicyOptions,
): string[] {
  const names: ClusterNames = { nodes: new Map(), apiserver: [] };
  if (config) namesFromConfig(names, config);
  if (options.files !== undefined) namesFromTree(names, options.files);
  const allowed: SubjectAltName[] = [];
  const reasons: string[] = [];
  if (options.allowSans !== undefined) {
    const { dns, ips, warnings } = classifySans(allowSanValues(options.allowSans), "allowSans");
    reasons.push(...warnings.map((warning) => warning.message));
    addSans(allowed, normalizeSans(dns, ips));
  }
  const strict =
    options.allowSans !== undefined ||
    options.files !== undefined ||
    (config !== undefined && node !== undefined && config.nodes.some((member) => member.name === node));
  const own = [...(node === undefined ? [] : (names.nodes.get(node) ?? [])), ...allowed];
  if (node !== undefined) addSans(own, [{ type: "dns", value: node }]);
  const isOwn = (san: SubjectAltName) => own.some((mine) => sameSan(mine, san));

  const notOwn: SubjectAltName[] = [];
  for (const san of requested) {
    if (isServiceName(san)) {
      reasons.push(`refuses ${sanText(san)}: a Service name, which only the API server may serve`);
      continue;
    }
    const otherNode = [...names.nodes].find(
      ([other, sans]) =>
        other !== node &&
        (sans.some((theirs) => sameSan(theirs, san)) ||
          (san.type === "dns" && san.value.toLowerCase() === other.toLowerCase())),
    )?.[0];
    if (otherNode !== undefined && !isOwn(san)) {
      reasons.push(`refuses ${sanText(san)}: node ${otherNode}'s ${san.type === "ip" ? "address" : "name"}`);
      continue;
    }
    if (names.apiserver.some((api) => sameSan(api, san)) && !isOwn(san)) {
      reasons.push(
        `refuses ${sanText(san)}: ${san.type === "ip" ? "an API server address (its Service IP or the control-plane endpoint)" : "an API server name (the control-plane endpoint)"}`,
      );
      continue;
    }
    if (strict && !isOwn(san)) notOwn.push(san);
  }
  if (notOwn.length > 0) {
    reasons.push(
      `asks for ${notOwn.map(sanText).join(", ")}, which are not ${node ?? "the node"}'s name or addresses (${own.map(sanText).join(", ") || "none known"}; name more with allowSans / --allow-san)`,
    );
  }
  return reasons;
}

/** The preset spec of the role for the node, from the config or a one-node stand-in. */
function presetSpec(
  role: Role,
  node: string | undefined,
  config: ResolvedClusterConfig | undefined,
  reasons: string[],
): CertSpec | undefined {
  const profile = roleProfile(role);
  if (profile.scope !== "cluster" && node === undefined) {
    reasons.push(`${role} certificates are per node: pass the node the request must be for`);
    return undefined;
  }
  if (!config && sansFromConfig(role)) {
    reasons.push(`${role} SANs come from the cluster config (reference §2): pass config`);
    return undefined;
  }
  try {
    const resolved =
      config ??
      resolveClusterConfig({
        nodes: [{ name: node ?? DEFAULT_NODE.name, role: "control-plane", addresses: [...DEFAULT_NODE.addresses] }],
        ...(role === "kube-proxy" ? { kubeProxy: "certificate" } : {}),
      });
    return certSpec(resolved, role, profile.scope === "cluster" ? undefined : node);
  } catch (error) {
    reasons.push(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/**
 * Decides whether a CSR may be signed for a role, as the controller-manager's signers do
 * (reference §4.1, §4.2) and with kubeadm's subjects for the other roles (§1.1, §3):
 *
 * - the CSR's own signature must verify (proof of possession);
 * - `kubelet-client` (`kubernetes.io/kube-apiserver-client-kubelet`): CN exactly
 *   `system:node:<node>`, O exactly `["system:nodes"]`, no SANs;
 * - `kubelet-serving` (`kubernetes.io/kubelet-serving`): CN `system:node:<node>`, O exactly
 *   `["system:nodes"]`, only DNS/IP SANs and at least one; never a Service name
 *   (`kubernetes`, `kubernetes.default…`, `*.svc…`), an API server address or name, or another
 *   node's; with a config, a tree (`files`) or `allowSans`, only the node's own names and
 *   addresses (the approver's job: the signer checks only the form);
 * - client roles (`admin`, `super-admin`, `controller-manager`, `scheduler`, `kube-proxy`,
 *   `apiserver-kubelet-client`, etcd clients, `front-proxy-client`): exactly the preset CN and O
 *   (`system:masters` only for `super-admin`), no SANs;
 * - `apiserver`, `etcd-server`, `etcd-peer`: preset subject, SANs within the config's (§2);
 * - requested usages must fit the role (no CA usages, no serverAuth on a client); RSA keys
 *   ≥ 2048 bits, RSA or ECDSA only; CAs are never issued from a CSR.
 *
 * Returns every reason at once and never throws for a bad request: an unreadable one is a
 * reason too.
 *
 * @example
 * ```ts
 * import { checkCsrAgainstRole } from "@kubepki/k8s-profiles";
 *
 * // A kubelet's request: openssl req -new -newkey ec … -subj "/CN=system:node:worker-1/O=system:nodes"
 * const csrPem = "-----BEGIN CERTIFICATE REQUEST-----\n…";
 * checkCsrAgainstRole(csrPem, "kubelet-client", { node: "worker-1" }).then((result) => {
 *   if (!result.ok) result.reasons; // here: ["not a readable certificate request: …"]
 * });
 * ```
 */
export function checkCsrAgainstRole(
  csr: string | Uint8Array | CertificationRequest,
  role: Role,
  options: CsrPolicyOptions = {},
): Promise<CsrCheckResult> {
  return check(csr, role, options);
}

async function check(
  input: string | Uint8Array | CertificationRequest,
  role: Role,
  options: CsrPolicyOptions,
): Promise<CsrCheckResult> {
  const reasons: string[] = [];
  let profile: ReturnType<typeof roleProfile>;
  try {
    profile = roleProfile(role);
  } catch (error) {
    return { ok: false, reasons: [error instanceof Error ? error.message : String(error)] };
  }
  if (profile.isCa) {
    return {
      ok: false,
      reasons: [`${role} is a CA: CAs are never issued from a CSR (kubeadm never does, reference §8.3)`],
    };
  }
  let csr: CertificationRequest;
  try {
    csr = typeof input === "string" || input instanceof Uint8Array ? parseCsr(input) : input;
  } catch (error) {
    return {
      ok: false,
      reasons: [`not a readable certificate request: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
  try {
    await verifyCsr(csr, options.crypto ? { crypto: options.crypto } : {});
  } catch (error) {
    reasons.push(
      `the request's signature does not verify (no proof it holds the key): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let config: ResolvedClusterConfig | undefined;
  try {
    config = options.config === undefined ? undefined : resolveClusterConfig(options.config);
  } catch (error) {
    return { ok: false, reasons: [...reasons, error instanceof Error ? error.message : String(error)] };
  }
  const node = options.node;
  const spec = presetSpec(role, node, config, reasons);

  // Keys (reference §1.3).
  if (csr.keyAlgorithm === undefined || csr.keyAlgorithm === "Ed25519") {
    reasons.push(
      `the key is ${csr.keyAlgorithm ?? "of an unsupported type"}: Kubernetes loads RSA (≥ 2048) and ECDSA P-256/P-384 keys`,
    );
  } else if (csr.keyAlgorithm.startsWith("RSA") && csr.keyBits < 2048) {
    reasons.push(`the RSA key has ${csr.keyBits} bits: at least 2048 are required`);
  }

  // Subject: user = CN, groups = every O (reference §6).
  const commonName = csr.subject.commonName;
  const groups = csr.subject.organizations ?? [];
  const nodeRole = roleProfile(role).scope === "node";
  if (spec && commonName !== spec.subject.commonName) {
    reasons.push(
      `CN is ${JSON.stringify(commonName ?? "")}, expected ${JSON.stringify(spec.subject.commonName)}${nodeRole ? " (a node may only ask for its own identity, system:node:<node>)" : ""}`,
    );
  }
  const expectedGroups = spec?.subject.organizations ?? profile.organizations ?? [];
  for (const group of groups) {
    if (expectedGroups.includes(group)) continue;
    reasons.push(
      group === GROUPS.masters
        ? `asks for group system:masters, the unrevocable superuser group: ${role} never gets it${nodeRole ? " (a node's O is exactly system:nodes)" : ""}`
        : `asks for group ${group}, which ${role} does not get (expected O ${expectedGroups.length ? `exactly ${JSON.stringify(expectedGroups)}` : "absent"})`,
    );
  }
  for (const group of expectedGroups) {
    if (!groups.includes(group))
      reasons.push(`lacks O=${group} (${role} needs O exactly ${JSON.stringify(expectedGroups)})`);
  }
  if (groups.length !== new Set(groups).size) reasons.push("repeats an O value");

  // SANs.
  const requested = csr.subjectAltNames;
  let sans: readonly SubjectAltName[] = spec?.sans ?? [];
  if (role === "kubelet-serving") {
    const other = requested.filter((san) => san.type !== "dns" && san.type !== "ip");
    if (other.length > 0) {
      reasons.push(`asks for ${other.map(sanText).join(", ")}: the kubelet-serving signer allows only DNS and IP SANs`);
    }
    const names = requested.filter((san) => san.type === "dns" || san.type === "ip");
    if (names.length === 0) reasons.push("has no DNS or IP SAN: the kubelet-serving signer requires at least one");
    try {
      reasons.push(...servingSanReasons(names, node, config, options));
    } catch (error) {
      reasons.push(error instanceof Error ? error.message : String(error));
    }
    sans = normalizeSubjectAltNames(names);
  } else if (sansFromConfig(role)) {
    const foreign = requested.filter((san) => !sans.some((allowed) => sameSan(allowed, san)));
    if (foreign.length > 0) {
      reasons.push(
        `asks for ${foreign.map(sanText).join(", ")}, which the cluster config does not give ${role} (reference §2)`,
      );
    }
  } else if (requested.length > 0) {
    reasons.push(
      `asks for SANs ${requested.map(sanText).join(", ")}: ${role === "kubelet-client" ? "the kube-apiserver-client-kubelet signer allows none" : `a ${role} client certificate has none`}`,
    );
  }

  // Requested usages must fit the role (the signer sets its own; asking for more is suspicious).
  const caUsages = (csr.keyUsages ?? []).filter((usage) => usage === "keyCertSign" || usage === "cRLSign");
  if (caUsages.length > 0) reasons.push(`asks for CA key usages ${caUsages.join(", ")}`);
  const extraEku = (csr.extKeyUsages ?? []).filter((usage) => !profile.extKeyUsages.includes(usage as never));
  if (extraEku.length > 0) {
    reasons.push(
      `asks for extended key usages ${extraEku.join(", ")}; ${role} gets ${profile.extKeyUsages.join(", ")}`,
    );
  }

  if (reasons.length > 0 || !spec) return { ok: false, reasons };
  return { ok: true, spec: { ...spec, sans }, csr };
}

/**
 * Signs a CSR for a role only when {@link checkCsrAgainstRole} accepts it, like the
 * controller-manager's `csrsigning` controller: subject, SANs and usages come from the role's
 * preset (the request's SANs for `kubelet-serving`), not from whatever else the request asks
 * for; keyEncipherment is left out for non-RSA keys as the kubelet's certificate manager does
 * (kubernetes#111660); the validity never outlives the CA.
 *
 * @throws KubepkiError from `issueCertificate` when the issuer cannot sign (`NOT_A_CA`,
 * `KEY_MISMATCH`…); a refused request is `{ ok: false, reasons }`, not an exception.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, generateKeyPair } from "@kubepki/core";
 * import { signCsrForRole } from "@kubepki/k8s-profiles";
 *
 * const csrPem = "-----BEGIN CERTIFICATE REQUEST-----\n…"; // the kubelet's request
 * generateKeyPair("ECDSA-P256").then(async (caKeys) => {
 *   const ca = await createSelfSignedCa({ keyPair: caKeys, subject: { commonName: "kubernetes" } });
 *   const issuer = { certificate: ca, privateKey: caKeys.privateKey };
 *   const result = await signCsrForRole(csrPem, "kubelet-client", { node: "worker-1", issuer });
 *   return result.ok ? result.certificate.pem : result.reasons;
 * });
 * ```
 */
export function signCsrForRole(
  csr: string | Uint8Array | CertificationRequest,
  role: Role,
  options: SignCsrOptions,
): Promise<SignCsrResult> {
  return sign(csr, role, options);
}

async function sign(
  input: string | Uint8Array | CertificationRequest,
  role: Role,
  options: SignCsrOptions,
): Promise<SignCsrResult> {
  const verdict = await check(input, role, options);
  if (!verdict.ok) return verdict;
  const { spec, csr } = verdict;
  const rsa = csr.keyAlgorithm?.startsWith("RSA") ?? false;
  const keyUsages: KeyUsage[] = spec.keyUsages.filter((usage) => rsa || usage !== "keyEncipherment");
  const certificate = await issueCertificate({
    issuer: options.issuer,
    csr,
    subject: spec.subject,
    sans: spec.sans,
    keyUsages,
    extKeyUsages: spec.extKeyUsages,
    validity: { days: options.validityDays ?? spec.validityDays },
    clampToIssuer: true,
    ...(options.now ? { now: options.now } : {}),
    ...(options.crypto ? { crypto: options.crypto } : {}),
  });
  return { ok: true, spec, certificate };
}
