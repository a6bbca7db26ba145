/**
 * Where the CLI talks to: stdout for results, stderr for progress and errors. In `--json` mode only
 * the result goes out; on a TTY progress is a bar redrawn in place, otherwise plain lines.
 */
export interface Terminal {
  readonly json: boolean;
  /** Columns the human output may use: no line printed is wider. */
  readonly width: number;
  out(text: string): void;
  err(text: string): void;
  /** Reports progress of a long run: `done` of `total`, with the item just finished. */
  progress(done: number, total: number, label: string): void;
  /** Ends a progress display. */
  endProgress(): void;
}

/** Width when stdout is not a terminal and COLUMNS is not set: logs and CI stay readable. */
export const DEFAULT_WIDTH = 100;

/**
 * The width of the human output: `COLUMNS` when set (the shell's, or a caller's choice), else the
 * terminal's, else {@link DEFAULT_WIDTH}. A pty may report 0 columns: that counts as unknown.
 */
export function outputWidth(env: NodeJS.ProcessEnv, stdout: { isTTY?: boolean; columns?: number }): number {
  const columns = Number(env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return columns;
  if (stdout.isTTY === true && stdout.columns && stdout.columns > 0) return stdout.columns;
  return DEFAULT_WIDTH;
}

/** A terminal over the real process streams. */
export function processTerminal(options: { json: boolean }): Terminal {
  const tty = process.stderr.isTTY === true && !options.json;
  let lastPlain = -1;
  let barShown = false;
  return {
    json: options.json,
    width: outputWidth(process.env, process.stdout),
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    progress(done, total, label) {
      if (options.json) return;
      if (tty) {
        const width = 30;
        const filled = Math.round((done / Math.max(total, 1)) * width);
        const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
        // Keep the line shorter than the terminal so it never wraps (a pty may report 0 columns).
        const columns = process.stderr.columns || 100;
        process.stderr.write(`\r\x1b[2K${`${bar} ${done}/${total} ${label}`.slice(0, Math.max(40, columns - 1))}`);
        barShown = true;
      } else {
        // Plain lines, at most one per ~10% (and the last), so logs stay readable.
        const step = Math.max(1, Math.floor(total / 10));
        if (lastPlain < 0 || done === total || done - lastPlain >= step) {
          lastPlain = done;
          process.stderr.write(`[${done}/${total}] ${label}\n`);
        }
      }
    },
    endProgress() {
      if (barShown) process.stderr.write("\r\x1b[2K");
      barShown = false;
    },
  };
}
