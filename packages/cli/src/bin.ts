import { invocation } from "./io/invocation.js";
import { main } from "./main.js";

// `kubepki plan | head` closes the pipe early: that is the reader being done, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Started by the checkout's root script (`pnpm kubepki …`), pnpm runs in the repository root:
// relative paths are taken from where the user typed the command, as an installed bin would.
const { cwd } = invocation(process.env);
if (cwd !== undefined) process.chdir(cwd);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`kubepki: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
