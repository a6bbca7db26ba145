import { formatName } from "@kubepki/core";
import { planCluster } from "@kubepki/k8s-profiles";
import type { ParsedArgs } from "../args.js";
import { clusterConfigFromArgs } from "../cluster-config.js";
import { ExitCode } from "../io/cli-error.js";
import { formatSans, formatTable } from "../io/table.js";
import type { Terminal } from "../io/terminal.js";

/** `kubepki plan`: the plan as data (no keys, no crypto), as a table or JSON. */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  const plan = planCluster(await clusterConfigFromArgs(args));
  if (terminal.json) {
    terminal.out(`${JSON.stringify(plan, null, 2)}\n`);
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
        spec.id,
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
