// What a rule of one certificate is given, and how it reports.
import type { ResolvedClusterConfig } from "../../config/resolve.js";
import type { RoleMatch, TreeCertificate } from "../../files/read-files.js";
import { type CertSpec, certSpec, type Role, type RoleProfile } from "../../roles/profiles.js";
import type { FindingCode, FindingSeverity } from "../findings.js";

/** Everything a rule needs about one certificate. */
export interface RuleContext {
  readonly entry: TreeCertificate;
  readonly match: RoleMatch | undefined;
  readonly config: ResolvedClusterConfig | undefined;
  readonly now: Date;
  readonly expiringWithinDays: number;
  /** The certificate's issuer in the tree, once the audit has found it. */
  readonly issuer: TreeCertificate | undefined;
}

export type Add = (
  severity: FindingSeverity,
  code: FindingCode,
  message: string,
  fix: string,
  reference: string | undefined,
) => void;

/** The spec kubeadm/kubepki would issue for this role and node, when a config says enough. */
export function expectedSpec(config: ResolvedClusterConfig | undefined, match: RoleMatch): CertSpec | undefined {
  if (!config) return undefined;
  try {
    return certSpec(config, match.role, match.node);
  } catch {
    return undefined;
  }
}

/** A certificate whose role is known: its row of the table, and the exact spec when a config says enough. */
export interface RoleRuleContext extends RuleContext {
  readonly role: Role;
  readonly profile: RoleProfile;
  readonly spec: CertSpec | undefined;
}

/** A rule for any certificate of the tree: reports through `add`, in the order it checks. */
export type CertificateRule = (ctx: RuleContext, add: Add) => void;

/** A rule for a certificate that plays a role of the table. */
export type RoleRule = (ctx: RoleRuleContext, add: Add) => void;
