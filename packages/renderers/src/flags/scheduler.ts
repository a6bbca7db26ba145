import { argumentsToCommand, type FlagArg, requirePaths } from "./args.js";

/**
 * Input of {@link schedulerFlags}.
 *
 * @example
 * ```ts
 * import type { SchedulerFlagsOptions } from "@kubepki/renderers";
 *
 * const options: SchedulerFlagsOptions = { paths: { kubeconfig: "/etc/kubernetes/scheduler.conf" } };
 * ```
 */
export interface SchedulerFlagsOptions {
  /** `kubeconfig`: `--kubeconfig`, `--authentication-kubeconfig`, `--authorization-kubeconfig` (scheduler.conf). */
  readonly paths: { readonly kubeconfig: string };
  readonly extraArgs?: readonly FlagArg[];
}

/**
 * kube-scheduler flags as kubeadm's `getSchedulerCommand` writes them (reference §5.3). There are
 * no certificate flags: the scheduler self-signs its serving cert (port 10259) and authenticates to
 * the apiserver with the client certificate inside `scheduler.conf`.
 *
 * @throws {KubepkiError} `INVALID_ARGUMENT` when `paths.kubeconfig` is missing.
 * @example
 * ```ts
 * import { schedulerFlags } from "@kubepki/renderers";
 *
 * schedulerFlags({ paths: { kubeconfig: "/etc/kubernetes/scheduler.conf" } });
 * // ["--authentication-kubeconfig=/etc/kubernetes/scheduler.conf", "--authorization-kubeconfig=…",
 * //  "--bind-address=127.0.0.1", "--kubeconfig=…", "--leader-elect=true"]
 * ```
 */
export function schedulerFlags(options: SchedulerFlagsOptions): string[] {
  const paths = requirePaths(options?.paths, ["kubeconfig"], "schedulerFlags");
  const args: FlagArg[] = [
    { name: "authentication-kubeconfig", value: paths.kubeconfig },
    { name: "authorization-kubeconfig", value: paths.kubeconfig },
    { name: "bind-address", value: "127.0.0.1" },
    { name: "kubeconfig", value: paths.kubeconfig },
    { name: "leader-elect", value: "true" },
  ];
  return argumentsToCommand(args, options.extraArgs);
}
