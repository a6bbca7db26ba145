/**
 * How the user started the CLI, so the commands it suggests ("Next: kubepki audit ./pki") are
 * spelled the way that works where it runs. Installed (`npm i -g @kubepki/cli`, `npx`), the bin is
 * `kubepki`. In the kubepki checkout there is no `kubepki` on PATH: the root package.json's
 * `kubepki` and `demo` scripts run the built bin, and the spelling that works is `pnpm kubepki`.
 * pnpm/npm tell a script which one it is through `npm_lifecycle_event` and `npm_package_name`.
 */

/** The checkout's root package (package.json `name`) and its scripts that run the CLI. */
const CHECKOUT_PACKAGE = "kubepki-monorepo";
const CHECKOUT_SCRIPTS: readonly string[] = ["kubepki", "demo"];

/** How this process was started: the command to suggest, and the directory the user typed paths in. */
export interface Invocation {
  /** `pnpm kubepki` through the checkout's root scripts, else `kubepki`. */
  readonly command: string;
  /**
   * pnpm runs root scripts in the root directory; `INIT_CWD` is where the user typed the command,
   * so relative paths (`--out ./pki`) mean what they meant there.
   */
  readonly cwd: string | undefined;
}

/** Reads {@link Invocation} from the environment (`process.env`). */
export function invocation(env: NodeJS.ProcessEnv): Invocation {
  const checkout =
    env.npm_package_name === CHECKOUT_PACKAGE && CHECKOUT_SCRIPTS.includes(env.npm_lifecycle_event ?? "");
  return { command: checkout ? "pnpm kubepki" : "kubepki", cwd: checkout ? env.INIT_CWD || undefined : undefined };
}
