import { isKubepkiError } from "@kubepki/core/vocabulary";
import { commandHelp, type ParsedArgs, parseCommandArgs } from "./args.js";
import { COMMAND_SPECS } from "./commands/specs.js";
import { CliError, ExitCode } from "./io/cli-error.js";
import { describeErrnoError, isErrnoError } from "./io/fs-error.js";
import { invocation } from "./io/invocation.js";
import { processTerminal, type Terminal } from "./io/terminal.js";

/** A command's code: loaded on demand, so `kubepki --help` loads no crypto. */
interface CommandModule {
  run(args: ParsedArgs, terminal: Terminal): Promise<number>;
}

const LOADERS: Record<string, () => Promise<CommandModule>> = {
  init: () => import("./commands/init.js"),
  plan: () => import("./commands/plan.js"),
  audit: () => import("./commands/audit.js"),
  "check-expiration": () => import("./commands/check-expiration.js"),
  apply: () => import("./commands/apply.js"),
  rotate: () => import("./commands/rotate.js"),
  renew: () => import("./commands/renew.js"),
  "sign-csr": () => import("./commands/sign-csr.js"),
  csr: () => import("./commands/csr.js"),
  ca: () => import("./commands/ca.js"),
  bundle: () => import("./commands/bundle.js"),
  export: () => import("./commands/export.js"),
};

function generalHelp(): string {
  const width = Math.max(...COMMAND_SPECS.map((spec) => spec.name.length)) + 2;
  return [
    "kubepki — a Kubernetes cluster's certificates, right by construction",
    "",
    "Usage: kubepki <command> [flags]",
    "",
    "Commands:",
    ...COMMAND_SPECS.map((spec) => `  ${spec.name.padEnd(width)}${spec.summary}`),
    "",
    `Run "${invocation(process.env).command} <command> --help" for a command's flags and examples.`,
    "Exit codes: 0 ok, 1 findings or failure, 2 usage error.",
    "check-expiration and audit: 3 a certificate expired or not yet valid, 1 one expiring within the window given.",
    "",
  ].join("\n");
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. Errors become one
 * clear line on stderr (and a JSON object on stdout with --json), never a stack trace, except
 * for bugs.
 *
 * @example
 * ```ts
 * import { mkdtemp } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { main } from "@kubepki/cli";
 *
 * const out = join(await mkdtemp(join(tmpdir(), "kubepki-")), "pki");
 * // The same as `kubepki init --out <out> --key-algorithm ECDSA-P256`, in-process: prints, returns the exit code.
 * console.log(await main(["init", "--out", out, "--key-algorithm", "ECDSA-P256"])); // 0
 * console.log(await main(["check-expiration", out])); // 0
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(generalHelp());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === "--version" || name === "-v") {
    const { createRequire } = await import("node:module");
    process.stdout.write(`${(createRequire(import.meta.url)("../package.json") as { version: string }).version}\n`);
    return ExitCode.ok;
  }
  const spec = COMMAND_SPECS.find((candidate) => candidate.name === name);
  const load = LOADERS[name];
  if (!spec || !load) {
    process.stderr.write(`kubepki: unknown command ${JSON.stringify(name)}\n\n${generalHelp()}`);
    return ExitCode.usage;
  }
  const wantsJson = rest.includes("--json");
  try {
    const args = parseCommandArgs(spec, rest);
    if (args.flags.help) {
      process.stdout.write(commandHelp(spec));
      return ExitCode.ok;
    }
    const command = await load();
    return await command.run(args, processTerminal({ json: args.flags.json === true }));
  } catch (error) {
    let code = "INTERNAL";
    let message = error instanceof Error ? error.message : String(error);
    let exitCode: number = ExitCode.failure;
    if (error instanceof CliError) {
      code = error.code;
      exitCode = error.exitCode;
    } else if (isKubepkiError(error)) {
      code = error.code;
      const field = error.details?.field;
      if (typeof field === "string" && field !== "" && !message.includes(field)) message += ` (field ${field})`;
    } else if (isErrnoError(error)) {
      // A file error no command mapped itself: still one line with the path and the cause, no stack.
      ({ code, message } = describeErrnoError(error));
    } else {
      message = `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    }
    // Errors quote what they could not read: never key material (issue 15 point 4). Loaded on
    // this path only, so a successful start does not pay for the renderers.
    message = (await import("@kubepki/renderers")).redactSecrets(message);
    if (wantsJson) process.stdout.write(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`);
    process.stderr.write(`kubepki ${name}: ${message}\n`);
    return exitCode;
  }
}
