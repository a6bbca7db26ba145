import { expect } from "vitest";
import { kubepki } from "./run.js";

/** `kubepki init` of a small ECDSA cluster (cp-1 and the worker w-1) into `out`, checked to succeed. */
export async function initSmallTree(out: string): Promise<void> {
  const init = await kubepki([
    "init",
    "--out",
    out,
    "--control-plane",
    "cp-1=10.0.0.11",
    "--worker",
    "w-1=10.0.0.21",
    "--key-algorithm",
    "ECDSA-P256",
  ]);
  expect(init.code, init.stderr).toBe(0);
}
