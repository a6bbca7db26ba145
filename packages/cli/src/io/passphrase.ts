import { openSync, writeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { ReadStream } from "node:tty";
import type { ParsedArgs } from "../args.js";
import { CliError, ExitCode, UsageError } from "./cli-error.js";

/**
 * Where a passphrase comes from, in order: a file named by a flag, an environment variable, a
 * prompt on the terminal with echo off. Never a flag's value: command lines are visible to every
 * user of the machine (`ps`, /proc/PID/cmdline) and kept in shell history.
 */
export interface PassphraseSource {
  /** The file given with the flag (`args.flags[flag]`), if any. */
  readonly file?: string | undefined;
  /** The flag that names the file, for messages: `passphrase-file`, `root-passphrase-file`. */
  readonly flag?: string;
  /** The environment variable read when there is no file: `KUBEPKI_PASSPHRASE`, `KUBEPKI_ROOT_PASSPHRASE`. */
  readonly envName: string;
  /** What the passphrase is for, in the prompt and the errors: "the root CA key (ROOT/ca.key)". */
  readonly purpose: string;
  /** A new passphrase: the prompt asks twice and the two must match. */
  readonly confirm: boolean;
}

/** The passphrase a file holds: its first line without the line break (as `openssl -passin file:`). */
async function fromFile(file: string, flag: string): Promise<string> {
  const text = await readFile(file, "utf8").catch((error: Error) => {
    throw new CliError("FILE_UNREADABLE", `Cannot read --${flag} ${file}: ${error.message}`);
  });
  const newline = text.indexOf("\n");
  const line = (newline < 0 ? text : text.slice(0, newline)).replace(/\r$/, "");
  if (line === "") throw new UsageError(`--${flag} ${file} is empty: its first line is the passphrase`);
  return line;
}

/** The terminal to prompt on: /dev/tty (stdin may be a pipe), else stdin when it is a terminal. */
function openTerminal(): { input: ReadStream; prompt: (text: string) => void; close: () => void } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync("/dev/tty", "r+");
  } catch {
    // No controlling terminal (a CI job, a daemon): fall back to stdin when that is a terminal.
  }
  if (fd !== undefined) {
    const ttyFd = fd;
    const input = new ReadStream(ttyFd);
    return {
      input,
      prompt: (text) => writeSync(ttyFd, text),
      // Destroying the stream closes its descriptor.
      close: () => input.destroy(),
    };
  }
  if (process.stdin.isTTY !== true) return undefined;
  return {
    input: process.stdin as ReadStream,
    prompt: (text) => process.stderr.write(text),
    close: () => process.stdin.pause(),
  };
}

/**
 * Reads lines typed on `input` in raw mode (no echo), one per question. Characters that arrive
 * together (a paste, or script(1) feeding both answers at once) are kept for the next question.
 */
function readHiddenLines(
  terminal: NonNullable<ReturnType<typeof openTerminal>>,
  questions: readonly string[],
): Promise<string[]> {
  const { input, prompt } = terminal;
  return new Promise((resolve, reject) => {
    const answers: string[] = [];
    let current = "";
    const finish = (error?: Error) => {
      input.off("data", onData);
      input.off("end", onEnd);
      try {
        input.setRawMode(false);
        prompt("\n");
      } catch {
        // A terminal that hung up cannot be reset or written to; the answer (or error) stands.
      }
      if (error) reject(error);
      else resolve(answers);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\u0003") return finish(new CliError("INTERRUPTED", "Interrupted at the passphrase prompt", 130));
        if (char === "\r" || char === "\n" || (char === "\u0004" && current === "")) {
          answers.push(current);
          current = "";
          if (answers.length === questions.length) return finish();
          prompt(`\n${questions[answers.length]}`);
        } else if (char === "\u007f" || char === "\b") {
          current = [...current].slice(0, -1).join("");
        } else if (char >= " ") {
          current += char;
        }
      }
    };
    // The terminal went away (hang-up) before an answer: no passphrase rather than a wait forever.
    const onEnd = () => finish(new UsageError("The terminal closed before the passphrase was typed"));
    input.once("end", onEnd);
    input.setEncoding("utf8");
    input.setRawMode(true);
    input.on("data", onData);
    input.resume();
    prompt(questions[0] as string);
  });
}

function requiredError(source: PassphraseSource, flag: string): CliError {
  return new CliError(
    "PASSPHRASE_REQUIRED",
    `${source.purpose} needs a passphrase, and there is no terminal to ask on: give it with --${flag} FILE (its first line), or in the environment variable ${source.envName}, or run on a terminal to be prompted (never as a flag's value)`,
    ExitCode.usage,
  );
}

/**
 * The passphrase for `source`: from its file, else its environment variable, else a prompt on
 * the terminal (echo off; asked twice when `confirm`), else `PASSPHRASE_REQUIRED` (exit code 2)
 * naming the three ways. An empty passphrase is refused wherever it comes from (an empty
 * environment variable counts as unset).
 */
export async function readPassphrase(source: PassphraseSource): Promise<string> {
  const flag = source.flag ?? "passphrase-file";
  if (source.file !== undefined) return fromFile(source.file, flag);
  const fromEnv = process.env[source.envName];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const terminal = openTerminal();
  if (!terminal) throw requiredError(source, flag);
  const questions = [`Passphrase for ${source.purpose}: `];
  if (source.confirm) questions.push("The same passphrase again: ");
  let answers: string[];
  try {
    answers = await readHiddenLines(terminal, questions);
  } finally {
    terminal.close();
  }
  const [first, second] = answers;
  if (!first) throw new UsageError(`The passphrase for ${source.purpose} is empty`);
  if (source.confirm && first !== second) {
    throw new UsageError(`The two passphrases for ${source.purpose} differ; nothing was written`);
  }
  return first;
}

/**
 * {@link readPassphrase} with the file taken from the parsed flag `flag` (default
 * `passphrase-file`): what a command calls, e.g. `init --root-key` with
 * `{ flag: "root-passphrase-file", envName: "KUBEPKI_ROOT_PASSPHRASE" }`.
 */
export function passphraseFromArgs(
  args: ParsedArgs,
  source: Omit<PassphraseSource, "file" | "flag"> & { readonly flag?: string },
): Promise<string> {
  const flag = source.flag ?? "passphrase-file";
  const file = args.flags[flag];
  return readPassphrase({ ...source, flag, file: typeof file === "string" ? file : undefined });
}
