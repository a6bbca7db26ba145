import { KubepkiError } from "@kubepki/core/names";
import {
  auditCluster,
  type Finding,
  type ResolvedClusterConfig,
  readClusterRecord,
  resolveClusterConfig,
} from "@kubepki/k8s-profiles";
import type { TreeFiles } from "./audit-input.js";

/** One file's findings, errors first. */
export interface FileFindings {
  readonly file: string;
  readonly findings: readonly Finding[];
}

/** What the audit view shows. */
export interface AuditResult {
  readonly certificates: number;
  readonly findings: readonly Finding[];
  readonly byFile: readonly FileFindings[];
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;

/**
 * Audits a tree as `kubepki audit DIR` does: against the tree's own record (`kubepki.yaml`) when it
 * has one, else without a config. A tree with no certificate is `NO_CERTIFICATES`, not a pass.
 */
export async function auditTree(files: TreeFiles): Promise<AuditResult> {
  const record = readClusterRecord(files);
  let config: ResolvedClusterConfig | undefined;
  if (record !== undefined) {
    try {
      config = resolveClusterConfig(record);
    } catch (error) {
      throw new KubepkiError(
        "INVALID_CONFIG",
        `kubepki.yaml in the tree does not validate: ${(error as Error).message}`,
      );
    }
  }
  const { findings, certificates } = await auditCluster(files, config ? { config } : {});
  if (certificates.length === 0) {
    throw new KubepkiError(
      "NO_CERTIFICATES",
      `no certificate among the ${files.size} file(s): pick a cluster's /etc/kubernetes folder (or a zip of it)`,
    );
  }
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) groups.set(finding.file, [...(groups.get(finding.file) ?? []), finding]);
  const byFile = [...groups]
    .map(([file, list]) => ({
      file,
      findings: list.sort((a, b) => (ORDER[a.severity] ?? 3) - (ORDER[b.severity] ?? 3)),
    }))
    .sort((a, b) => a.file.localeCompare(b.file));
  return { certificates: certificates.length, findings, byFile };
}
