// Certificate signing requests found in the tree.
import { bytesEqual, stripExtension } from "../../files/read-files.js";
import type { Finding } from "../findings.js";
import { sanTexts } from "../hints.js";
import type { TreeRule } from "./context.js";

/** CSRs left in the tree, checked against the certificate issued from them. */
export const csrFindings: TreeRule = ({ tree, matches }) => {
  const findings: Finding[] = [];
  for (const { file, csr } of tree.csrs) {
    const stem = stripExtension(file);
    const entry = tree.certificates.find(
      (candidate) =>
        candidate.source === "file" &&
        stripExtension(candidate.file) === stem &&
        bytesEqual(candidate.certificate.publicKeyInfo, csr.publicKeyInfo),
    );
    if (csr.keyUsages !== undefined && !csr.keyUsages.includes("digitalSignature")) {
      findings.push({
        severity: "warning",
        code: "WRONG_KEY_USAGE",
        file,
        message: `the request asks for keyUsage ${csr.keyUsages.join(", ")} without digitalSignature: a TLS certificate with it is refused by OpenSSL clients (openssl verify -purpose sslserver)`,
        fix: "request keyUsage = critical, digitalSignature, keyEncipherment (and extendedKeyUsage serverAuth for servers)",
        reference: "§1.2, §7 item 13",
      });
    }
    if (!entry) continue;
    const role = matches.get(entry)?.role;
    const dropped = csr.subjectAltNames.filter(
      (want) => !entry.certificate.subjectAltNames.some((have) => have.type === want.type && have.value === want.value),
    );
    if (dropped.length > 0) {
      findings.push({
        severity: "error",
        code: "EXTENSIONS_DROPPED",
        file: entry.file,
        ...(role ? { role } : {}),
        message: `${file} asks for ${sanTexts(dropped).join(", ")} but ${entry.file} does not carry them: openssl x509 -req copies no extensions from the request by default (-copy_extensions none)`,
        fix: `sign again with -copy_extensions copyall (OpenSSL ≥ 3.0) or -extfile <file> -extensions <section>: openssl x509 -req -in ${file} -CA ca.crt -CAkey ca.key -copy_extensions copyall -days 365 -out ${entry.file}`,
        reference: "§7 item 14",
      });
    }
    if (csr.subjectText !== entry.certificate.subjectText) {
      findings.push({
        severity: "warning",
        code: "CSR_MISMATCH",
        file,
        ...(role ? { role } : {}),
        message: `the request asks for ${csr.subjectText} but ${entry.file} says ${entry.certificate.subjectText}: the certificate was not signed again after the request changed`,
        fix: `sign the request again: openssl x509 -req -in ${file} -CA ca.crt -CAkey ca.key -days 365 -extfile <file> -out ${entry.file}`,
        reference: "§7 items 4, 7",
      });
    }
  }
  return findings;
};
