import { formatName } from "@kubepki/core/names";
import { type ClusterPlan, certificateName } from "@kubepki/k8s-profiles";

/** One row of the plan table: the facts `kubepki plan` prints for a certificate. */
export interface PlanRow {
  readonly name: string;
  readonly subject: string;
  readonly signer: string;
  readonly usages: string;
  readonly sans: string;
  readonly files: string;
}

/** The plan's certificates as the CLI's plan table shows them (same names, same SAN spelling). */
export function planRows(plan: ClusterPlan): PlanRow[] {
  return plan.certificates.map((spec) => ({
    name: certificateName(spec.role, spec.kubeconfig ?? spec.certPath),
    subject: formatName(spec.subject),
    signer: spec.signer,
    usages: spec.isCa ? "CA" : spec.extKeyUsages.join(","),
    sans: spec.sans.map((san) => `${san.type === "ip" ? "IP" : san.type.toUpperCase()}:${san.value}`).join(", "),
    files: spec.kubeconfig ?? `${spec.certPath}, ${spec.keyPath}`,
  }));
}
