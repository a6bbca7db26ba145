import { KubepkiError } from "@kubepki/core/vocabulary";

/**
 * One extra command-line argument, kubeadm v1beta4 style (`extraArgs: [{name, value}]`): `name`
 * without the leading dashes. An extra argument replaces every default of the same name;
 * repeating a name in `extraArgs` repeats the flag.
 *
 * @example
 * ```ts
 * import type { FlagArg } from "@kubepki/renderers";
 *
 * const extraArgs: FlagArg[] = [{ name: "audit-log-path", value: "/var/log/kubernetes/audit.log" }];
 * ```
 */
export interface FlagArg {
  readonly name: string;
  readonly value: string;
}

/**
 * kubeadm `ArgumentsToCommand` (cmd/kubeadm/app/util/arguments.go): overrides replace defaults of
 * the same name, the result is sorted by flag name (stable for repeated names) and written as
 * `--name=value` — which is why kubeadm's static Pod manifests list flags alphabetically.
 */
export function argumentsToCommand(defaults: readonly FlagArg[], overrides: readonly FlagArg[] = []): string[] {
  for (const arg of overrides) {
    if (typeof arg?.name !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(arg.name)) {
      throw new KubepkiError(
        "INVALID_ARGUMENT",
        `extra argument name "${String(arg?.name)}" is not a flag name: give it without leading dashes, e.g. { name: "v", value: "2" }`,
        { details: { field: "extraArgs" } },
      );
    }
    if (typeof arg.value !== "string") {
      throw new KubepkiError("INVALID_ARGUMENT", `extra argument "${arg.name}" needs a string value`, {
        details: { field: "extraArgs" },
      });
    }
  }
  const overridden = new Set(overrides.map((a) => a.name));
  const args = [...overrides, ...defaults.filter((a) => !overridden.has(a.name))];
  const indexed = args.map((arg, index) => ({ arg, index }));
  indexed.sort((a, b) => (a.arg.name === b.arg.name ? a.index - b.index : a.arg.name < b.arg.name ? -1 : 1));
  return indexed.map(({ arg }) => `--${arg.name}=${arg.value}`);
}

/** Throws `INVALID_ARGUMENT` unless every listed path is a non-empty string. */
export function requirePaths<T extends object>(
  paths: T | undefined,
  keys: readonly (keyof T & string)[],
  component: string,
): T {
  if (paths === undefined || paths === null || typeof paths !== "object") {
    throw new KubepkiError(
      "INVALID_ARGUMENT",
      `${component}: paths is required (an object with ${keys.join(", ")}); renderers has no default file layout`,
      { details: { field: "paths" } },
    );
  }
  for (const key of keys) {
    const value = paths[key];
    if (typeof value !== "string" || value === "") {
      throw new KubepkiError("INVALID_ARGUMENT", `${component}: paths.${key} must be a non-empty file path`, {
        details: { field: `paths.${key}` },
      });
    }
  }
  return paths;
}

/** Normalises service CIDRs given as "a,b" or ["a", "b"]. */
export function subnetList(value: string | readonly string[] | undefined, field: string, component: string): string[] {
  const list = (typeof value === "string" ? value.split(",") : [...(value ?? [])]).map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) {
    throw new KubepkiError("INVALID_ARGUMENT", `${component}: ${field} is required, e.g. "10.96.0.0/12"`, {
      details: { field },
    });
  }
  return list;
}
