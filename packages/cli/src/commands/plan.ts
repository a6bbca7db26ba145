import { formatName } from "@kubepki/core/names";
import { certificateName } from "@kubepki/k8s-profiles/plan";
import type { ParsedArgs } from "../args.js";
import { planFromArgs } from "../cluster-config.js";
import { ExitCode } from "../io/cli-error.js";
import { formatSans, formatTable } from "../io/table.js";
import type { Terminal } from "../io/terminal.js";
import { fitLines, wrapHanging } from "../io/wrap.js";

/**
 * `kubepki plan`: the plan as data (no keys, no crypto), as a table or JSON, or its trust graph
 * (`--graph`). With `--against DIR`, the difference with that tree instead (loaded only then: it
 * parses certificates).
 */
export async function run(args: ParsedArgs, terminal: Terminal): Promise<number> {
  if (typeof args.flags.against === "string") return (await import("./plan-against.js")).run(args, terminal);
  const plan = await planFromArgs(args);
  if (typeof args.flags.graph === "string") {
    await (await import("../io/graph-output.js")).printPlanGraph(plan, args, terminal);
    return ExitCode.ok;
  }
  if (terminal.json) {
    // `name` is the one every command prints and renew takes; `id` stays the plan's key.
    const certificates = plan.certificates.map((spec) => ({
      name: certificateName(spec.role, spec.kubeconfig ?? spec.certPath),
      ...spec,
    }));
    const layout = args.flags.layout === "per-node" ? { layout: "per-node" } : {};
    terminal.out(`${JSON.stringify({ ...plan, certificates, ...layout }, null, 2)}\n`);
    return ExitCode.ok;
  }
  const { config } = plan;
  const width = terminal.width;
  terminal.out(
    `${fitLines(`Cluster "${config.clusterName}": ${config.nodes.length} node(s), ${config.keyAlgorithm}, services ${config.serviceSubnets.join(",")}, domain ${config.dnsDomain}`, width)}\n\n`,
  );
  terminal.out(
    formatTable(
      ["CERTIFICATE", "SUBJECT", "SIGNER", "USAGES", { header: "SANS", under: true }, { header: "FILE", under: true }],
      plan.certificates.map((spec) => [
        certificateName(spec.role, spec.kubeconfig ?? spec.certPath),
        formatName(spec.subject),
        spec.signer,
        spec.isCa ? "CA" : spec.extKeyUsages.join(","),
        formatSans(spec.sans),
        spec.certPath,
      ]),
      width,
    ),
  );
  terminal.out(
    `\n${wrapHanging("Kubeconfigs: ", plan.kubeconfigs.map((kubeconfig) => kubeconfig.path).join(", "), width).join("\n")}\n`,
  );
  if (args.flags.layout === "per-node") {
    const folders = config.nodes.map((node) => `${node.name}/`).join(", ");
    terminal.out(
      `${wrapHanging("Layout: ", `per-node — ${folders}, admin/: each node's folder holds its files at their absolute paths (FILE above is the default layout's path: pki/apiserver.crt is <node>/etc/kubernetes/pki/apiserver.crt), control-plane nodes with etc/kubernetes/manifests/ and flags/`, width).join("\n")}\n`,
    );
  }
  for (const warning of plan.warnings) terminal.err(`${fitLines(`warning: ${warning.message}`, width)}\n`);
  return ExitCode.ok;
}
