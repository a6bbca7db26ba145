import { formatName } from "@kubepki/core";
import { certificateName, planCluster } from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { clusterConfigFromArgs } from "../cluster-config.js";
import { ExitCode } from "../io/cli-error.js";
import { formatSans, formatTable } from "../io/table.js";
import type { Terminal } from "../io/terminal.js";

/** `kubepki plan`: the plan as data (no keys, no crypto), as a table or JSON. */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const plan = planCluster(await clusterConfigFromArgs(args));
  if (terminal.json) {
    // `name` is the one every command prints and renew takes; `id` stays the plan's key.
    const certificates = plan.certificates.map((spec) => ({
      name: certificateName(spec.role, spec.kubeconfig ?? spec.certPath),
      ...spec,
    }));
    terminal.out(`${JSON.stringify({ ...plan, certificates }, null, 2)}\n`);
    return ExitCode.ok;
  }
  const { config } = plan;
  terminal.out(
    `Cluster "${config.clusterName}": ${config.nodes.length} node(s), ${config.keyAlgorithm}, services ${config.serviceSubnets.join(",")}, domain ${config.dnsDomain}\n\n`,
  );
  terminal.out(
    formatTable(
      ["CERTIFICATE", "SUBJECT", "SIGNER", "USAGES", "SANS", "FILE"],
      plan.certificates.map((spec) => [
        certificateName(spec.role, spec.kubeconfig ?? spec.certPath),
        formatName(spec.subject),
        spec.signer,
        spec.isCa ? "CA" : spec.extKeyUsages.join(","),
        formatSans(spec.sans),
        spec.certPath,
      ]),
    ),
  );
  terminal.out(`\nKubeconfigs: ${plan.kubeconfigs.map((kubeconfig) => kubeconfig.path).join(", ")}\n`);
  for (const warning of plan.warnings) terminal.err(`warning: ${warning.message}\n`);
  return ExitCode.ok;
}
