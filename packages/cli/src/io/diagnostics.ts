import type { Finding } from "@kubepki/k8s-profiles";
import { CliError } from "./cli-error.js";
import { wrapHanging } from "./wrap.js";

/**
 * Audit findings the way a compiler prints diagnostics (rustc, tsc): grouped by file, one block a
 * finding — `severity[CODE]: problem`, then `fix:` — each line wrapped to `width`. The order is the
 * report's (errors first): a file's block comes where its first finding does.
 */
export function formatFindings(findings: readonly Finding[], width: number): string {
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = byFile.get(finding.file);
    if (group) group.push(finding);
    else byFile.set(finding.file, [finding]);
  }
  const blocks = [...byFile].map(([file, group]) => {
    const roles = [...new Set(group.map((finding) => finding.role).filter((role) => role !== undefined))];
    const title = roles.length === 1 ? `${file} (${roles[0]})` : file;
    return [
      ...wrapHanging("", title, width, 2),
      ...group.flatMap((finding) => [
        ...wrapHanging(`  ${finding.severity}[${finding.code}]: `, finding.message, width, 4),
        ...wrapHanging("    fix: ", finding.fix, width),
      ]),
    ].join("\n");
  });
  return `${blocks.join("\n\n")}\n`;
}

/**
 * audit / check-expiration on a directory without a single certificate (a typo in the path, an
 * empty mount): a failure, not a clean report — "no findings" there would read as a pass.
 */
export function noCertificates(dir: string, filesRead: number): CliError {
  const read =
    filesRead === 0 ? "it is empty" : `${filesRead} file(s) read, none a certificate or a kubeconfig with one`;
  return new CliError("NO_CERTIFICATES", `no certificates found in ${dir} (${read})`);
}
