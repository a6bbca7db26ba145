// A caller's CA chain (an existing CA's further certificates, or the offline root's), checked link
// by link before any key is made, and what a server sends above a CA (RFC 8446 §4.4.2: the chain
// without the self-signed root, which the peer must already have).
import { type Certificate, KubepkiError, verifyCertificateSignature } from "@kubepki/core/issue";

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Self-issued: its issuer name is its subject (a root; kubepki does not count such links for pathLen either). */
export function isSelfIssued(certificate: Certificate): boolean {
  return sameBytes(certificate.subjectDer, certificate.issuerDer);
}

/**
 * What is sent after a certificate signed by `ca` (whose own issuers are `caChain`): the CA and
 * its issuers, without a self-signed root; nothing when `ca` is itself the self-signed root, so a
 * tree of self-signed CAs stays byte for byte what it was.
 */
export function sentAbove(ca: Certificate, caChain: readonly Certificate[]): readonly Certificate[] {
  if (isSelfIssued(ca)) return [];
  return [ca, ...caChain.filter((certificate) => !isSelfIssued(certificate))];
}

function describe(certificate: Certificate, index: number): string {
  return `certificate ${index + 1} (${certificate.subjectText || `serial ${certificate.serialNumber}`})`;
}

/**
 * Checks `certificates` as a chain, each signed by the next: issuer name = next subject, every
 * further certificate a v3 CA with keyCertSign, its signature, and every CA's pathLen with
 * `belowFirst` CAs below the first (0 for a CA that signs leaves, 1 for a root that signs the
 * cluster's CAs). Throws `INVALID_CHAIN` or `PATH_LENGTH_EXCEEDED`, naming `field` and the link.
 */
export async function checkChainLinks(
  field: string,
  certificates: readonly Certificate[],
  belowFirst: number,
  crypto: Crypto | undefined,
): Promise<void> {
  const fail = (code: "INVALID_CHAIN" | "PATH_LENGTH_EXCEEDED", index: number, message: string): never => {
    throw new KubepkiError(code, `${field}: ${message}`, { details: { field, link: index + 1 } });
  };
  for (const [index, certificate] of certificates.entries()) {
    const below = belowFirst + index;
    if (certificate.pathLength !== undefined && below > certificate.pathLength) {
      fail(
        "PATH_LENGTH_EXCEEDED",
        index,
        `${describe(certificate, index)} has pathlen:${certificate.pathLength} but ${below} CA(s) would sit below it: Go and openssl refuse the chain; re-create it with a larger pathlen (basicConstraints=critical,CA:TRUE,pathlen:${below})`,
      );
    }
    const child = certificates[index - 1];
    if (!child) continue;
    const link = `${describe(child, index - 1)} → ${describe(certificate, index)}`;
    if (!sameBytes(child.issuerDer, certificate.subjectDer)) {
      fail(
        "INVALID_CHAIN",
        index,
        `${link}: ${child.issuerText} issued certificate ${index}, not ${certificate.subjectText}; each certificate must be followed by its issuer, in order towards the root`,
      );
    }
    if (
      certificate.version < 3 ||
      !certificate.isCa ||
      (certificate.keyUsages !== undefined &&
        certificate.keyUsages.length > 0 &&
        !certificate.keyUsages.includes("keyCertSign"))
    ) {
      fail("INVALID_CHAIN", index, `${link}: the issuer is not a CA (basicConstraints CA:TRUE and keyCertSign)`);
    }
    const signed = await verifyCertificateSignature(child, certificate, crypto ? { crypto } : {}).catch(() => false);
    if (!signed) fail("INVALID_CHAIN", index, `${link}: the signature does not verify with the issuer's key`);
  }
}
