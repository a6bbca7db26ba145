// The repository stands alone: nothing in it reads or cites a path outside it, its license is the
// one every package declares, and every "§2.1" / "§7 item 14" citation in the code, the tests, the
// guides and `kubepki audit`'s findings names a section (or tutorial mistake) that
// docs/reference/kubeadm-pki.md really has. fresh-clone.test.ts proves the first point by running
// the tests from a clone with nothing beside it.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./examples.js";

const REFERENCE = "docs/reference/kubeadm-pki.md";

/** Every file git would commit: tracked, plus untracked files that are not ignored. */
function repositoryFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return [...new Set(out.split("\0").filter(Boolean))].sort();
}

function textOf(path: string): string | undefined {
  const bytes = readFileSync(join(ROOT, path));
  return bytes.includes(0) ? undefined : bytes.toString("utf8");
}

// Spelled in pieces so this file does not match itself.
const OUTSIDE = new RegExp(["\\.\\./", "shared/|(?<![\\w.-])shared/(?:seed|reference|conventions)\\b"].join(""));

describe("the repository stands alone", () => {
  const files = repositoryFiles().filter((path) => path !== "pnpm-lock.yaml");

  it("no file cites or reads the shared/ directory that once sat beside the checkout", () => {
    const hits = files.flatMap((path) =>
      (textOf(path) ?? "")
        .split("\n")
        .map((line, index) => (OUTSIDE.test(line) ? `${path}:${index + 1}: ${line.trim()}` : undefined))
        .filter((hit) => hit !== undefined),
    );
    expect(hits).toEqual([]);
  });

  it("no module resolves a URL outside the repository (new URL(…, import.meta.url))", () => {
    const escapes: string[] = [];
    for (const path of files.filter((file) => /\.(ts|mts|mjs|js|cjs)$/.test(file))) {
      for (const match of (textOf(path) ?? "").matchAll(
        /new URL\(\s*["'`](\.{1,2}\/[^"'`]*)["'`]\s*,\s*import\.meta\.url/g,
      )) {
        const target = resolve(dirname(join(ROOT, path)), match[1] as string);
        if (relative(ROOT, target).startsWith(`..${sep}`) || relative(ROOT, target) === "..") {
          escapes.push(`${path}: ${match[1]}`);
        }
      }
    }
    expect(escapes).toEqual([]);
  });

  it("LICENSE is the Apache License 2.0 that every package declares", () => {
    const license = readFileSync(join(ROOT, "LICENSE"), "utf8");
    expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain("END OF TERMS AND CONDITIONS");
    const manifests = files.filter((path) => path.endsWith("package.json") && !path.includes("/fixtures/"));
    const declared = manifests.map((path) => {
      const manifest = JSON.parse(readFileSync(join(ROOT, path), "utf8")) as { license?: string; private?: boolean };
      return [path, manifest.private ? (manifest.license ?? "private") : manifest.license] as const;
    });
    const published = declared.filter(([, license]) => license !== "private");
    expect(published.length).toBeGreaterThanOrEqual(4);
    for (const [path, license] of published) expect(license, path).toBe("Apache-2.0");
  });

  it("README links the reference page, CONTRIBUTING.md and LICENSE", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    for (const link of [REFERENCE, "CONTRIBUTING.md", "LICENSE"]) expect(readme).toContain(`](${link})`);
  });
});

/** The sections (`2.1`) the reference page has, and the numbered items of each (§7's 39 mistakes). */
export function referenceAnchors(markdown: string): { sections: Set<string>; items: Map<string, Set<number>> } {
  const sections = new Set<string>();
  const items = new Map<string, Set<number>>();
  let section = "";
  for (const line of markdown.split("\n")) {
    const heading = /^#{2,3} (\d+(?:\.\d+)?)\.?\s/.exec(line);
    if (heading) {
      section = heading[1] as string;
      sections.add(section);
      items.set(section, new Set());
      continue;
    }
    const item = /^(\d+)\. /.exec(line);
    if (section && item) items.get(section)?.add(Number(item[1]));
  }
  return { sections, items };
}

/**
 * The reference citations on one line: `§1.1`, `§7 item 14`, `§7 items 13-14`, `§7 items 4, 7`.
 * A § right after a standard's name (`RFC 5280 §4.2.1.2`, `X.690 §8.3`) is that standard's, not ours.
 */
export function citations(line: string): { section: string; items: number[] }[] {
  const found: { section: string; items: number[] }[] = [];
  for (const match of line.matchAll(/§(\d+(?:\.\d+)*)(?:\s+items?\s+(\d+(?:\s*(?:,|and|[-–])\s*\d+(?!\.\d))*))?/g)) {
    const before = line.slice(0, match.index);
    if (/(?:RFC|X\.\d+|FIPS|PKCS|SEC|SP|ITU-T|draft)[\w .#-]*?,?\s*(?:§[\d.]+(?:,\s*)?)*$/.test(before)) continue;
    const items: number[] = [];
    for (const range of (match[2] ?? "").matchAll(/(\d+)(?:\s*[-–]\s*(\d+))?/g)) {
      const from = Number(range[1]);
      const to = Number(range[2] ?? range[1]);
      for (let n = from; n <= to; n++) items.push(n);
    }
    found.push({ section: match[1] as string, items });
  }
  return found;
}

describe("citations of the reference page", () => {
  const anchors = referenceAnchors(readFileSync(join(ROOT, REFERENCE), "utf8"));

  it("the page has every section the code cites and the 39 tutorial mistakes", () => {
    for (const section of [
      "0",
      "1.1",
      "1.2",
      "1.3",
      "1.4",
      "2.1",
      "2.2",
      "3",
      "4.1",
      "4.2",
      "4.3",
      "5.1",
      "5.4",
      "6",
    ]) {
      expect(anchors.sections.has(section), section).toBe(true);
    }
    for (const section of ["7", "8.1", "8.2", "8.3", "9"]) expect(anchors.sections.has(section), section).toBe(true);
    expect([...(anchors.items.get("7") ?? [])].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 39 }, (_, i) => i + 1),
    );
  });

  it("every citation in code, tests, guides and example outputs resolves", () => {
    const cited = repositoryFiles().filter(
      (path) =>
        /^(packages\/[^/]+\/(src|test)|docs\/guides|examples)\//.test(path) ||
        /^packages\/[^/]+\/README\.md$/.test(path),
    );
    const broken: string[] = [];
    let count = 0;
    for (const path of cited) {
      const lines = (textOf(path) ?? "").split("\n");
      lines.forEach((line, index) => {
        // Only lines that cite the reference: by name, by the audit's `reference` field, or as a tutorial item.
        if (!/reference|kubeadm-pki\.md|§7 items?|^\s*(?:error|warning|info) [A-Z_]+ /.test(line)) return;
        for (const { section, items } of citations(line)) {
          count++;
          if (!anchors.sections.has(section) && !anchors.sections.has(section.split(".")[0] as string)) {
            broken.push(`${path}:${index + 1}: §${section}`);
          }
          for (const item of items) {
            if (!anchors.items.get(section)?.has(item)) broken.push(`${path}:${index + 1}: §${section} item ${item}`);
          }
        }
      });
    }
    expect(broken).toEqual([]);
    expect(count).toBeGreaterThan(50);
  });

  it("reads citations as the code writes them", () => {
    expect(citations('reference: "§1.1, §7 items 20, 38"')).toEqual([
      { section: "1.1", items: [] },
      { section: "7", items: [20, 38] },
    ]);
    expect(citations("(§2.1, §7 items 13-14)")).toEqual([
      { section: "2.1", items: [] },
      { section: "7", items: [13, 14] },
    ]);
    expect(citations("RFC 5280 §4.2.1.3 says so (reference §1.2)")).toEqual([{ section: "1.2", items: [] }]);
    const { items } = referenceAnchors("## 7. Mistakes\n\n1. one\n2. two\n\n## 8. Next\n3. three");
    expect(items.get("7")).toEqual(new Set([1, 2]));
    expect(items.get("8")).toEqual(new Set([3]));
  });
});
