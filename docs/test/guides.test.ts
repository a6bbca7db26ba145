// The guides' inline code is the code CI runs: every fenced block marked `<!-- examples/… -->` is
// exactly that file's text (examples.test.ts runs the scripts and compares their .out), and every
// example file is shown by some guide. After changing an example or its output:
//   UPDATE_EXAMPLES=1 pnpm vitest run --project docs docs/test/examples.test.ts   (rewrites the .out)
//   UPDATE_EXAMPLES=1 pnpm vitest run --project docs docs/test/guides.test.ts     (copies them into the guides)
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleFiles, GUIDES, readGuides, shownFiles, syncGuide } from "./guides.js";

const guides = readGuides();
const update = process.env.UPDATE_EXAMPLES === "1";

describe("guides", () => {
  it("are the ten guides", () => {
    expect([...guides.keys()]).toEqual([
      "01-quick-start.md",
      "02-from-the-openssl-tutorial.md",
      "03-recipes.md",
      "04-checking-a-cluster.md",
      "05-using-the-pieces.md",
      "06-day-2.md",
      "07-rotating-a-ca.md",
      "08-offline-root-and-external-ca.md",
      "09-delivering-to-the-nodes.md",
      "10-in-the-browser.md",
    ]);
  });

  it.each([...guides.keys()])("%s shows its code inline, not through typedoc includes", (name) => {
    const text = guides.get(name) as string;
    expect(text).not.toMatch(/\{@include/);
    expect(shownFiles(text).length, `${name} shows no example`).toBeGreaterThan(0);
  });

  it.each([...guides.keys()])("%s: every marked block is exactly its example file", (name) => {
    const text = guides.get(name) as string;
    const synced = syncGuide(text);
    if (update && synced !== text) writeFileSync(join(GUIDES, name), synced);
    else expect(synced, `${name}: a block differs from its file (UPDATE_EXAMPLES=1 to copy the files in)`).toBe(text);
  });

  it("every example file, output and helper is shown in some guide", () => {
    const shown = new Set([...guides.values()].flatMap(shownFiles));
    expect(exampleFiles().filter((file) => !shown.has(file))).toEqual([]);
    expect([...shown].filter((file) => !exampleFiles().includes(file))).toEqual([]);
  });

  it("a block that drifts from its file fails, and so does a marker without a block", () => {
    const files: Record<string, string> = { "examples/a/x.mjs": 'console.log("x");\n' };
    const read = (path: string) => files[path] as string;
    const good = 'Text.\n\n<!-- examples/a/x.mjs -->\n```js\nconsole.log("x");\n```\n\nMore.';
    expect(syncGuide(good, read)).toBe(good);
    const drifted = good.replace('"x"', '"y"');
    expect(syncGuide(drifted, read)).toBe(good);
    expect(() => syncGuide("<!-- examples/a/x.mjs -->\n\nno block", read)).toThrow(
      /must be followed by a fenced block/,
    );
    expect(() => syncGuide("<!-- examples/a/x.mjs -->\n```js\nunclosed", read)).toThrow(/not closed/);
  });
});
