import { parseArgs } from "node:util";
import { UsageError } from "./io/cli-error.js";
import { invocation } from "./io/invocation.js";

/** One flag of a command. */
export interface FlagSpec {
  readonly type: "string" | "boolean";
  /** A one-letter alias (`o` for `-o`). */
  readonly short?: string;
  readonly multiple?: boolean;
  readonly valueName?: string;
  readonly description: string;
  readonly choices?: readonly string[];
}

/** What a command accepts and how `--help` describes it. Plain data: loading it loads nothing else. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly positionals: readonly { readonly name: string; readonly required: boolean; readonly description: string }[];
  readonly examples: readonly string[];
  /** The command's own exit-code line in `--help`, when it differs from the common one. */
  readonly exitCodes?: string;
}

/** Parsed command line: flag values by name, and the positionals. */
export interface ParsedArgs {
  readonly flags: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Strict parsing (node:util parseArgs): unknown flags, missing values and extra positionals are
 * usage errors (exit 2) that name the flag and point at `--help`.
 */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {
    help: { type: "boolean" },
  };
  for (const [name, flag] of Object.entries(spec.flags)) {
    options[name] = {
      type: flag.type,
      ...(flag.short ? { short: flag.short } : {}),
      ...(flag.multiple ? { multiple: true } : {}),
    };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    const message =
      error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, "") : String(error);
    throw new UsageError(
      `${message}\nRun "${invocation(process.env).command} ${spec.name} --help" for the accepted flags.`,
    );
  }
  for (const [name, flag] of Object.entries(spec.flags)) {
    const value = parsed.values[name];
    if (flag.choices && value !== undefined) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (!flag.choices.includes(String(item))) {
          throw new UsageError(`--${name} must be one of ${flag.choices.join(", ")}; got ${JSON.stringify(item)}`);
        }
      }
    }
    if (flag.type === "string" && typeof value === "string" && value === "") {
      throw new UsageError(`--${name} needs a value`);
    }
  }
  const maxPositionals = spec.positionals.length;
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(
      `Unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}\nRun "${invocation(process.env).command} ${spec.name} --help" for usage.`,
    );
  }
  spec.positionals.forEach((positional, i) => {
    if (positional.required && parsed.positionals[i] === undefined && !parsed.values.help) {
      throw new UsageError(`Missing ${positional.name}: ${spec.usage}`);
    }
  });
  return { flags: parsed.values as ParsedArgs["flags"], positionals: parsed.positionals };
}

/** The `--help` text of a command. */
export function commandHelp(spec: CommandSpec): string {
  const width =
    Math.max(
      ...Object.entries(spec.flags).map(
        ([n, f]) => n.length + (f.valueName ? f.valueName.length + 1 : 0) + (f.short ? 4 : 0),
      ),
      4,
    ) + 4;
  const lines = [`kubepki ${spec.name} — ${spec.summary}`, "", `Usage: ${spec.usage}`];
  if (spec.positionals.length > 0) {
    lines.push("", "Arguments:");
    for (const p of spec.positionals) lines.push(`  ${p.name.padEnd(width)}${p.description}`);
  }
  lines.push("", "Flags:");
  for (const [name, flag] of Object.entries(spec.flags)) {
    const left = `${flag.short ? `-${flag.short}, ` : ""}--${name}${flag.valueName ? ` ${flag.valueName}` : ""}`;
    const repeat = flag.multiple ? " (repeatable)" : "";
    lines.push(`  ${left.padEnd(width + 2)}${flag.description}${repeat}`);
  }
  lines.push(`  ${"--help".padEnd(width + 2)}Show this help`);
  if (spec.examples.length > 0) {
    lines.push("", "Examples:");
    for (const example of spec.examples) lines.push(`  ${example}`);
  }
  lines.push("", spec.exitCodes ?? "Exit codes: 0 ok, 1 findings or failure, 2 usage error.");
  return `${lines.join("\n")}\n`;
}
