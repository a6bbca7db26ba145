import { KubepkiError } from "@kubepki/core/vocabulary";
import { stringify } from "yaml";

/**
 * The `command:` list of a static Pod container, as a YAML fragment: `command:` at column 0
 * followed by the binary and one flag per item — the shape of kubeadm's
 * `/etc/kubernetes/manifests/<component>.yaml`. Indent it to sit under
 * `spec.containers[0]` (or parse it with any YAML reader and merge). A fragment rather than a
 * whole Pod keeps image, probes and volume mounts — which depend on the caller's layout — out of
 * a package that only knows flags. Values are quoted wherever YAML needs it
 * (`--controllers=*,bootstrapsigner,tokencleaner`, empty values, `: ` inside values).
 *
 * @throws {KubepkiError} `INVALID_ARGUMENT` for an empty binary or a flag that is not a
 * `--name[=value]` string.
 * @example
 * ```ts
 * import { renderStaticPodCommand, schedulerFlags } from "@kubepki/renderers";
 *
 * const fragment = renderStaticPodCommand("kube-scheduler", schedulerFlags({ paths: { kubeconfig: "/etc/kubernetes/scheduler.conf" } }));
 * // command:
 * // - kube-scheduler
 * // - --authentication-kubeconfig=/etc/kubernetes/scheduler.conf
 * // ...
 * ```
 */
export function renderStaticPodCommand(binary: string, flags: readonly string[]): string {
  if (typeof binary !== "string" || binary.trim() === "") {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      "renderStaticPodCommand: binary must be the command name, e.g. kube-apiserver",
      {
        details: { field: "binary" },
      },
    );
  }
  for (const flag of flags) {
    if (typeof flag !== "string" || !/^--?[A-Za-z0-9]/.test(flag) || /[\r\n]/.test(flag)) {
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        `renderStaticPodCommand: "${String(flag)}" is not a --name=value flag`,
        {
          details: { field: "flags" },
        },
      );
    }
  }
  return stringify({ command: [binary, ...flags] }, { version: "1.1", lineWidth: 0, indentSeq: false });
}
