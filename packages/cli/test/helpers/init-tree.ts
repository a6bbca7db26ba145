import { expect } from "vitest";
import { kubepki } from "./run.js";

/** Two control-plane nodes and a worker, the cluster the renew, names and sign-csr tests share. */
export const NODES = [
  "--control-plane",
  "cp-1=10.0.0.11",
  "--control-plane",
  "cp-2=10.0.0.12",
  "--worker",
  "w-1=10.0.0.21",
];

/** `kubepki init` of {@link NODES} (ECDSA keys: fast) plus `extra` flags into `out`; returns its stdout. */
export async function initTree(out: string, ...extra: string[]): Promise<string> {
  const init = await kubepki(["init", "--out", out, "--key-algorithm", "ECDSA-P256", ...NODES, ...extra]);
  expect(init.code, init.stderr).toBe(0);
  return init.stdout;
}
