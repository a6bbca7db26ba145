import { getSystemErrorMap } from "node:util";
import { CliError } from "./cli-error.js";

/** An error from node:fs: a system error code (`ENOSPC`, …) and usually the path it concerns. */
export interface ErrnoError extends Error {
  readonly code: string;
  readonly errno?: number;
  readonly syscall?: string;
  readonly path?: string;
  readonly dest?: string;
}

/** True for the errors node:fs rejects with (a `code` like `ENOSPC` and a `syscall`). */
export function isErrnoError(error: unknown): error is ErrnoError {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === "string" &&
    /^E[A-Z0-9]+$/.test((error as unknown as { code: string }).code) &&
    typeof (error as { syscall?: unknown }).syscall === "string"
  );
}

/** libuv's words for an error code ("no space left on device" for ENOSPC), the same strerror text as `ls` or `cp`. */
function causeInWords(code: string): string {
  for (const [name, words] of getSystemErrorMap().values()) if (name === code) return words;
  return "system error";
}

/**
 * The one-line error the CLI prints for a failed file operation:
 * `cannot write PATH: no space left on device (ENOSPC)`, code `IO_ERROR`, exit 1. `path` is the
 * path the user knows (a file of the tree, not kubepki's staging copy of it).
 */
export function ioError(action: "read" | "write" | "remove", path: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (!isErrnoError(error)) throw error;
  return new CliError("IO_ERROR", `cannot ${action} ${path}: ${causeInWords(error.code)} (${error.code})`);
}

/** The operations that only read; any other failed syscall is reported as "cannot write". */
const READING = new Set(["open", "read", "readdir", "scandir", "stat", "lstat", "realpath", "readlink", "access"]);

/** A file error as the CLI's line: `cannot read|write PATH: cause in words (CODE)`, code `IO_ERROR`. */
export function describeErrnoError(error: ErrnoError): { code: string; message: string } {
  const action = error.syscall && READING.has(error.syscall) ? "read" : "write";
  const mapped = ioError(action, error.path ?? "a file", error);
  return { code: mapped.code, message: mapped.message };
}

/** Makes an errno error as node:fs would (for fault injection and for checks that find the cause themselves). */
export function errnoError(code: string, syscall: string, path: string): ErrnoError {
  const error = new Error(`${code}: ${causeInWords(code)}, ${syscall} '${path}'`) as Error & Record<string, unknown>;
  error.code = code;
  error.syscall = syscall;
  error.path = path;
  return error as unknown as ErrnoError;
}
