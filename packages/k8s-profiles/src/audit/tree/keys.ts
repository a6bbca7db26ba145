// Private keys: each certificate's key is its own (public key bytes, or a WebCrypto sign/verify pair check), and key file formats.
import {
  type Certificate,
  describePrivateKeyPem,
  importPrivateKeyPem,
  isKubepkiError,
  keyMatchesCertificate,
} from "@kubepki/core";
import {
  bytesEqual,
  errorMessage,
  isCaRole,
  privateKeyLabel,
  type RoleMatch,
  type Tree,
  type TreeCertificate,
} from "../../files/read-files.js";
import type { Finding } from "../findings.js";
import type { AuditScope } from "../scope.js";
import type { TreeRule } from "./context.js";
import { hasEncryptedKey } from "./encrypted-keys.js";

type LoadedKeyPair = Awaited<ReturnType<typeof importPrivateKeyPem>>;

/** A key file that could be read, or why not (the same errors whichever check reads it). */
type ReadKey = { readonly error?: undefined } | { readonly error: unknown };

/**
 * Private keys read once per PEM text, and each (key, certificate) pairing checked once: a tree
 * keeps the same key in several places (users/kubelet.key and the kubeconfig's client-key-data).
 */
interface KeyChecks {
  read(pem: string): Promise<ReadKey>;
  matches(pem: string, certificate: Certificate): Promise<boolean>;
  /** Whether some entry of the tree with this fingerprint has its key (a CA copy's key is elsewhere). */
  keyedElsewhere(certificate: Certificate): boolean;
}

export function createKeyChecks(
  tree: Tree,
  crypto: Crypto | undefined,
  keyCheck: "public-key" | "pairwise",
): KeyChecks {
  const options = crypto ? { crypto } : {};
  let keyed: Set<Certificate> | undefined;
  let keyedFingerprints: Set<string> | undefined;
  const described = new Map<string, ReturnType<typeof describePrivateKeyPem> | { error: unknown }>();
  const imported = new Map<string, Promise<{ keyPair: LoadedKeyPair } | { error: unknown }>>();
  const paired = new Map<string, Promise<boolean>>();
  const describe = (pem: string) => {
    let description = described.get(pem);
    if (description === undefined) {
      try {
        description = describePrivateKeyPem(pem);
      } catch (error) {
        description = { error };
      }
      described.set(pem, description);
    }
    return description;
  };
  const importOnce = (pem: string) => {
    let pending = imported.get(pem);
    if (pending === undefined) {
      pending = importPrivateKeyPem(pem, options).then(
        (keyPair) => ({ keyPair }),
        (error: unknown) => ({ error }),
      );
      imported.set(pem, pending);
    }
    return pending;
  };
  return {
    async read(pem) {
      // The pairwise check imports every key (the import reads the file with the same readers,
      // so its errors are the same, plus whatever WebCrypto refuses): no separate read first.
      if (keyCheck === "pairwise") return importOnce(pem);
      const description = describe(pem);
      return "error" in description ? { error: description.error } : {};
    },
    matches(pem, certificate) {
      if (keyCheck === "public-key") {
        const description = describe(pem);
        const own = "error" in description ? undefined : description.publicKeyInfo;
        if (own && bytesEqual(own, certificate.publicKeyInfo)) return Promise.resolve(true);
      }
      const id = `${certificate.fingerprintSha256}\n${pem}`;
      let pending = paired.get(id);
      if (pending === undefined) {
        pending = importOnce(pem).then((loaded) =>
          "error" in loaded ? false : keyMatchesCertificate(loaded.keyPair, certificate, options).catch(() => false),
        );
        paired.set(id, pending);
      }
      return pending;
    },
    keyedElsewhere(certificate) {
      // Copies of one PEM text share their Certificate object; other encodings of the same
      // certificate (DER, other line breaks) are found by fingerprint, hashed only then.
      keyed ??= new Set(tree.certificates.filter((other) => other.key).map((other) => other.certificate));
      if (keyed.has(certificate)) return true;
      keyedFingerprints ??= new Set([...keyed].map((other) => other.fingerprintSha256));
      return keyedFingerprints.has(certificate.fingerprintSha256);
    },
  };
}

export async function keyFindings(
  entry: TreeCertificate,
  match: RoleMatch | undefined,
  keyChecks: KeyChecks,
  scope: AuditScope,
): Promise<Finding[]> {
  const base = {
    file: entry.file,
    ...(match ? { role: match.role } : {}),
    ...(match?.node ? { node: match.node } : {}),
  };
  const ca = match ? isCaRole(match.role) : entry.certificate.isCa;
  if (!entry.key) {
    // A copy of a certificate whose key sits elsewhere in the tree (kubepki's nodes/<name>/pki/ca.crt,
    // users/admin.crt beside admin.conf's client-key-data).
    if (keyChecks.keyedElsewhere(entry.certificate)) return [];
    // A node keeps the CA certificate to verify others, never its key.
    if (ca && scope === "node") return [];
    if (ca) {
      return [
        {
          ...base,
          severity: "info",
          code: "EXTERNAL_CA",
          message: `no private key next to the CA (looked for ${entry.keyPath}): kubeadm treats it as an external CA — renewal skips its certificates and the controller-manager cannot sign CSRs`,
          fix: `put the CA key at ${entry.keyPath} if the cluster should sign itself`,
          reference: "§8.3",
        },
      ];
    }
    return [
      {
        ...base,
        severity: "error",
        code: "MISSING_KEY",
        message:
          entry.source === "kubeconfig"
            ? `user ${entry.kubeconfigUser}: a client certificate without client-key(-data): the client cannot authenticate`
            : `no private key (looked for ${entry.keyPath}): the component that presents this certificate cannot start or authenticate without it (Go's tls.LoadX509KeyPair: "open ${entry.keyPath}: no such file or directory")`,
        fix: entry.source === "kubeconfig" ? "embed the key as client-key-data" : `keep the key at ${entry.keyPath}`,
      },
    ];
  }
  // An encrypted key cannot be paired without its passphrase: ENCRYPTED_KEY says so (encrypted-keys.ts).
  if (hasEncryptedKey(entry)) return [];
  const read = await keyChecks.read(entry.key.pem);
  if (read.error !== undefined) {
    const error = read.error;
    if (isKubepkiError(error, "WEAK_KEY")) return [];
    return [
      {
        ...base,
        file: entry.key.file,
        severity: "error",
        code: "UNREADABLE",
        message: `the private key ${entry.key.embedded ? `of user ${entry.kubeconfigUser}` : ""} does not load: ${errorMessage(error)}`,
        fix: "replace it with an unencrypted PEM key (PKCS#1, SEC1 or PKCS#8)",
      },
    ];
  }
  if (await keyChecks.matches(entry.key.pem, entry.certificate)) return [];
  // A CA bundle in the wrong order (a rotation's new CA first while the key is still the old):
  // Go's LoadX509KeyPair pairs the key with the first certificate only.
  let position = -1;
  if (ca) {
    for (const [index, other] of entry.chain.entries()) {
      if (await keyChecks.matches(entry.key.pem, other)) {
        position = index + 2;
        break;
      }
    }
  }
  return [
    {
      ...base,
      severity: "error",
      code: "KEY_MISMATCH",
      message:
        position > 0
          ? `${entry.key.file} is the key of certificate ${position} of this bundle, not of the first: the first certificate of a CA file must be the one whose key it is (the old CA first until a rotation's reissue, the new one after)`
          : `${entry.key.embedded ? `user ${entry.kubeconfigUser}: client-key-data` : entry.key.file} does not belong to the certificate: TLS fails with "private key does not match public key"`,
      fix: "pair the certificate with the key it was issued for, or re-issue it for this key",
    },
  ];
}

/** Key files in PKCS#8 form (OpenSSL 3's default): accepted, but not kubeadm's format. */
export const keyFileFindings: TreeRule = ({ tree }) => {
  const findings: Finding[] = [];
  for (const [file, pem] of tree.keys) {
    if (privateKeyLabel(pem) !== "PRIVATE KEY") continue;
    findings.push({
      severity: "info",
      code: "PKCS8_KEY",
      file,
      message: "PKCS#8 `PRIVATE KEY` (what OpenSSL 3 genrsa writes); kubeadm writes PKCS#1/SEC1 — both are accepted",
      fix: "nothing required; openssl genrsa -traditional (or openssl pkey -traditional) gives kubeadm's format",
      reference: "§1.2, §7 item 39",
    });
  }
  return findings;
};
