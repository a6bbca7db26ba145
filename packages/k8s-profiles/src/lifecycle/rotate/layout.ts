// The file layout of a rotation in progress (issue 19), the one contract shared with the CLI and
// the audit: which files hold each target's trust, its signing pair and the new pair beside it.
import { decodePemBlocks, describePrivateKeyPem } from "@kubepki/core";
import { bytesEqual } from "../../files/read-files.js";
import type { RotationTarget } from "./types.js";

/** The four targets, in the order `"all"` and {@link rotationStatus} use. */
export const ROTATION_TARGETS: readonly RotationTarget[] = ["ca", "etcd-ca", "front-proxy-ca", "sa"];

/** A CA target's files: C (trust, first certificate = the signing one), K, and the new pair during begin. */
export interface CaLayout {
  readonly target: Exclude<RotationTarget, "sa">;
  readonly cert: string;
  readonly key: string;
  readonly newCert: string;
  readonly newKey: string;
}

/** Where `rotate begin` keeps the incoming CA beside a CA file (`pki/ca.crt` → `pki/ca-new.crt`); audit reads it too. */
export function incomingCaFile(caFile: string): string {
  return caFile.replace(/\.crt$/, "-new.crt");
}

/** A CA target's files, from its CA file's stem (`pki/etcd/ca` → `pki/etcd/ca.crt`, `ca.key`, `ca-new.*`). */
const caLayout = (target: Exclude<RotationTarget, "sa">, stem: string): CaLayout => ({
  target,
  cert: `${stem}.crt`,
  key: `${stem}.key`,
  newCert: incomingCaFile(`${stem}.crt`),
  newKey: `${stem}-new.key`,
});

export const CA_LAYOUTS: Readonly<Record<Exclude<RotationTarget, "sa">, CaLayout>> = {
  ca: caLayout("ca", "pki/ca"),
  "etcd-ca": caLayout("etcd-ca", "pki/etcd/ca"),
  "front-proxy-ca": caLayout("front-proxy-ca", "pki/front-proxy-ca"),
};

/** The service-account pair: the public keys the apiserver verifies with, the signing key, the new key during begin. */
export const SA_LAYOUT = { pub: "pki/sa.pub", key: "pki/sa.key", newKey: "pki/sa-new.key" } as const;

/**
 * The controller-manager signs with ONE certificate and its key (`--cluster-signing-cert-file`
 * reads the first certificate of the file, and a bundle there is a trap), so while the cluster CA
 * file is a bundle it signs from this file, which holds the signing certificate alone.
 */
export const SIGNING_CERT = "pki/ca-signing.crt";
export const SIGNING_FLAG = "--cluster-signing-cert-file=";
export const ETC_KUBERNETES = "/etc/kubernetes/";

/** The PEM text of each block of `label` in `text`, in file order (an unreadable text has none). */
export function pemBlocks(text: string | undefined, label: string): string[] {
  if (text === undefined) return [];
  const pattern = new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----\\n?`, "g");
  return (text.match(pattern) ?? []).map((block) => (block.endsWith("\n") ? block : `${block}\n`));
}

/** Whether the private key PEM `keyPem` carries the public key `publicKeyInfo` (SPKI DER); false when unreadable. */
export function keyMatches(keyPem: string | undefined, publicKeyInfo: Uint8Array | undefined): boolean {
  if (keyPem === undefined || publicKeyInfo === undefined) return false;
  try {
    const own = describePrivateKeyPem(keyPem).publicKeyInfo;
    return own !== undefined && bytesEqual(own, publicKeyInfo);
  } catch {
    return false;
  }
}

/** The SPKI DER of a `PUBLIC KEY` PEM block, undefined when it does not decode. */
export function publicKeyDer(block: string): Uint8Array | undefined {
  try {
    return decodePemBlocks(block).find((item) => item.label === "PUBLIC KEY")?.der;
  } catch {
    return undefined;
  }
}
