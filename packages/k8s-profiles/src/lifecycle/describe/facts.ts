/**
 * Cluster-wide facts a tree's certificates tell: the service CIDRs from the API server's service
 * IPs, the validity periods from certificate lifetimes, the key algorithm from the leaves' keys.
 * Each returns its value and, when it had to assume something, a note that says what.
 *
 * @internal
 */

import {
  type Certificate,
  cidrAddress,
  DEFAULT_BACKDATE_MS,
  formatIp,
  KUBEADM_KEY_ALGORITHMS,
  parseCidr,
  parseIp,
} from "@kubepki/core";
import type { ClusterKeyAlgorithm } from "../../config/resolve.js";
import { APISERVER_SERVICE_IP_INDEX, KUBEADM_DEFAULTS, MAX_SERVICE_SUBNET_HOST_BITS } from "../../roles/constants.js";

/** A value with what had to be assumed to get it. */
export interface Inferred<T> {
  readonly value: T;
  readonly notes: readonly string[];
}

// resolveClusterConfig needs index 10 (cluster DNS) inside the block: at least 4 host bits.
const MIN_SERVICE_HOST_BITS = 4;
const DAY_MS = 86_400_000;
// Certificate times have whole seconds; a lifetime within this of whole days is taken as exact.
const TOLERANCE_MS = 2_000;

/**
 * The service CIDR whose index 1 is `serviceIp` (the address the API server certificate carries):
 * kubeadm's default `10.96.0.0/12` for `10.96.0.1`, else the largest block (at most 20 host bits,
 * kubeadm's limit) whose network address is `serviceIp - 1`. Only index 1 and index 10 (cluster
 * DNS) reach the PKI and the kubelet config, and every such block has the same two.
 */
export function serviceCidrFor(serviceIp: string): string | undefined {
  const bytes = parseIp(serviceIp);
  if (!bytes) return undefined;
  const bits = bytes.length * 8;
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  const network = value - BigInt(APISERVER_SERVICE_IP_INDEX);
  if (network < 0n) return undefined;
  let hostBits = 0;
  while (hostBits < MAX_SERVICE_SUBNET_HOST_BITS && ((network >> BigInt(hostBits)) & 1n) === 0n) hostBits++;
  if (hostBits < MIN_SERVICE_HOST_BITS) return undefined;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = Number((network >> BigInt((bytes.length - 1 - i) * 8)) & 0xffn);
  const text = `${formatIp(out)}/${bits - hostBits}`;
  try {
    return cidrAddress(parseCidr(text), APISERVER_SERVICE_IP_INDEX) === formatIp(bytes) ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whole days of a certificate's lifetime: kubepki's (NotBefore backdated 5 minutes) and openssl's
 * `-days` (no backdate) are exact; anything else is rounded, with a note.
 */
function lifetimeDays(certificate: Certificate): { days: number; exact: boolean } {
  const lifetime = certificate.notAfter.getTime() - certificate.notBefore.getTime();
  for (const backdate of [DEFAULT_BACKDATE_MS, 0]) {
    const days = Math.round((lifetime - backdate) / DAY_MS);
    if (days >= 1 && Math.abs(lifetime - backdate - days * DAY_MS) <= TOLERANCE_MS) return { days, exact: true };
  }
  return { days: Math.max(1, Math.round(lifetime / DAY_MS)), exact: false };
}

/**
 * `validity` from the CA's and the API server's lifetimes. kubeadm gives a leaf its CA's NotBefore
 * (so its lifetime says nothing of the period): then 365, kubeadm's default, with a note.
 */
export function validityFrom(
  ca: Certificate | undefined,
  leaf: Certificate | undefined,
): Inferred<{ caDays: number; leafDays: number }> {
  const notes: string[] = [];
  let caDays: number = KUBEADM_DEFAULTS.caDays;
  if (ca) {
    const life = lifetimeDays(ca);
    caDays = life.days;
    if (!life.exact) notes.push(`validity.caDays: ca.crt lives ${life.days} days, rounded`);
  } else notes.push(`validity.caDays: no cluster CA certificate; assumed ${caDays}`);
  let leafDays: number = KUBEADM_DEFAULTS.leafDays;
  const life = leaf && lifetimeDays(leaf);
  if (!leaf || !life) notes.push(`validity.leafDays: no API server certificate; assumed ${leafDays}`);
  else if (life.exact) leafDays = life.days;
  else if (ca && Math.abs(leaf.notBefore.getTime() - ca.notBefore.getTime()) <= TOLERANCE_MS) {
    notes.push(
      `validity.leafDays: the API server certificate starts when its CA does (kubeadm's way), so its lifetime does not tell the period; assumed kubeadm's ${leafDays}`,
    );
  } else {
    leafDays = life.days;
    notes.push(`validity.leafDays: the API server certificate lives ${life.days} days, rounded`);
  }
  if (leafDays > caDays) {
    notes.push(`validity.leafDays: ${leafDays} exceeds the CA's ${caDays} days; set to ${caDays}`);
    leafDays = caDays;
  }
  return { value: { caDays, leafDays }, notes };
}

/** The key algorithm most leaves use; a mix, or none kubeadm accepts, is noted. */
export function keyAlgorithmFrom(leaves: readonly Certificate[]): Inferred<ClusterKeyAlgorithm> {
  const counts = new Map<ClusterKeyAlgorithm, number>();
  const others = new Set<string>();
  for (const leaf of leaves) {
    const algorithm = leaf.keyAlgorithm;
    if (algorithm !== undefined && (KUBEADM_KEY_ALGORITHMS as readonly string[]).includes(algorithm)) {
      const key = algorithm as ClusterKeyAlgorithm;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } else others.add(algorithm ?? "unknown");
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const notes: string[] = [];
  const top = ranked[0];
  if (!top) {
    const fallback = KUBEADM_DEFAULTS.keyAlgorithm as ClusterKeyAlgorithm;
    notes.push(`keyAlgorithm: no leaf key kubeadm accepts; assumed ${fallback}`);
    return { value: fallback, notes };
  }
  if (ranked.length > 1 || others.size > 0) {
    const mix = [...ranked.map(([name, count]) => `${name} ×${count}`), ...others].join(", ");
    notes.push(`keyAlgorithm: the leaves mix key algorithms (${mix}); took the most common, ${top[0]}`);
  }
  return { value: top[0], notes };
}
