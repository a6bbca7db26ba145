// The rules for one certificate, run in one loop: first those for any certificate, then, when the
// tree says which role it plays, those that compare it with the role's row of the table.
import { roleProfile } from "../../roles/profiles.js";
import type { Finding } from "../findings.js";
import { checkCaFlag } from "./ca-flag.js";
import { type Add, type CertificateRule, expectedSpec, type RoleRule, type RuleContext } from "./context.js";
import { checkKey } from "./key.js";
import { checkSans } from "./sans.js";
import { checkSubject } from "./subject.js";
import { checkUsages } from "./usages.js";
import { checkValidity } from "./validity.js";

/** Rules for every certificate, in the order their findings are listed. */
const CERTIFICATE_RULES: readonly CertificateRule[] = [checkKey, checkValidity];

/** Rules for a certificate whose role is known, in the order their findings are listed. */
const ROLE_RULES: readonly RoleRule[] = [checkCaFlag, checkSubject, checkSans, checkUsages];

/** Runs every synchronous rule on one certificate. */
export function certificateFindings(ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const { entry, match } = ctx;
  const add: Add = (severity, code, message, fix, reference) =>
    findings.push({
      severity,
      code,
      file: entry.file,
      ...(match ? { role: match.role } : {}),
      ...(match?.node !== undefined ? { node: match.node } : {}),
      message: entry.kubeconfigUser !== undefined ? `user ${entry.kubeconfigUser}: ${message}` : message,
      fix,
      ...(reference ? { reference } : {}),
    });
  for (const rule of CERTIFICATE_RULES) rule(ctx, add);
  if (!match) return findings;
  const roleCtx = { ...ctx, role: match.role, profile: roleProfile(match.role), spec: expectedSpec(ctx.config, match) };
  for (const rule of ROLE_RULES) rule(roleCtx, add);
  return findings;
}
