/**
 * The promises core makes about its sources, checked statically: no Node built-ins, no Buffer or
 * process, no @peculiar/x509 (the test oracle) and no global polyfill in src/ — what makes it run
 * unchanged in Deno, Bun and browsers.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../src", import.meta.url));

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

describe("core's sources", () => {
  it("import nothing from Node, @peculiar/x509 or reflect-metadata, and use no Buffer/process/require", async () => {
    const files = await sources(src);
    expect(files.length).toBeGreaterThan(20);
    const offences: string[] = [];
    for (const file of files) {
      const code = (await readFile(file, "utf8")).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      for (const [pattern, what] of [
        [/from\s+["'](node:|fs|path|crypto|os|buffer|util)["'/]/, "a Node built-in"],
        [/from\s+["']@peculiar\/x509["']/, "@peculiar/x509"],
        [/reflect-metadata/, "reflect-metadata"],
        [/\bBuffer\./, "Buffer"],
        [/\bprocess\./, "process"],
        [/\brequire\(/, "require"],
      ] as const) {
        if (pattern.test(code)) offences.push(`${file.slice(src.length + 1)} uses ${what}`);
      }
    }
    expect(offences).toEqual([]);
  });
});
