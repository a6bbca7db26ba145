/**
 * Bundle budgets, measured on the built dist/ as a user's bundler sees it (esbuild, minified,
 * ESM, platform browser, gzip; see measure.mjs): importing one thing costs only that thing. Over
 * budget fails; the message names the modules that dominate the bundle.
 */
import { beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain-JS script (no declarations), shared with `node benchmarks/size/measure.mjs`
import { ASN1_MODULE, BUDGETS, dominantPackages, measureAll, WEB_BUDGETS } from "./measure.mjs";

interface Input {
  path: string;
  bytes: number;
}
interface Measured {
  id: string;
  name?: string;
  what?: string;
  budget?: number;
  asn1?: boolean;
  code: string;
  minified: number;
  gzip: number;
  inputs: Input[];
}

interface MeasuredPage {
  id: string;
  what: string;
  budget: number;
  files: string[];
  minified: number;
  gzip: number;
}

let results: { budgets: Measured[]; bare: Measured[]; web: MeasuredPage[] };

beforeAll(async () => {
  results = await measureAll();
  for (const entry of results.budgets) {
    console.log(`[size] ${entry.id}: ${(entry.gzip / 1024).toFixed(1)} KB gz (budget ${entry.budget! / 1024} KB)`);
  }
  for (const page of results.web)
    console.log(`[size] ${page.id}: ${(page.gzip / 1024).toFixed(1)} KB gz (budget ${page.budget / 1024} KB)`);
});

const find = (id: string) => results.budgets.find((entry) => entry.id === id)!;
const breakdown = (entry: Measured) =>
  dominantPackages(entry.inputs)
    .map(([name, bytes]: [string, number]) => `${name}: ${bytes} B`)
    .join(", ");

describe("bundle budgets (min + gzip, built dist)", () => {
  for (const { id, what, budget } of BUDGETS as Measured[]) {
    it(`${what} ≤ ${budget! / 1024} KB`, () => {
      const entry = find(id);
      expect(entry.inputs.length, "the entry bundled nothing: is dist/ built?").toBeGreaterThan(0);
      expect(
        entry.gzip,
        `${id}: ${entry.gzip} B gz > ${budget} B; minified bytes by package: ${breakdown(entry)}`,
      ).toBeLessThanOrEqual(budget!);
    });
  }

  for (const { id, what } of (BUDGETS as Measured[]).filter((entry) => entry.asn1 === false)) {
    it(`${what} contains no ASN.1 code`, () => {
      const entry = find(id);
      expect(entry.inputs.filter((input) => ASN1_MODULE.test(input.path)).map((input) => input.path)).toEqual([]);
      expect(entry.code).not.toMatch(/asn1|AsnConvert|AsnParser/i);
    });
  }

  it("measures what users get: every kubepki module comes from a package's dist/, never src/", () => {
    for (const entry of results.budgets) {
      const own = entry.inputs.filter((input) => input.path.startsWith("packages/"));
      expect(own.length, entry.id).toBeGreaterThan(0);
      for (const input of own) expect(input.path, entry.id).toMatch(/^packages\/[^/]+\/dist\//);
    }
  });

  it("the renderers' main entry never loads Graphviz: only the svg subpath does", () => {
    const viz = (id: string) => find(id).inputs.filter((input) => input.path.startsWith("@viz-js/"));
    expect(viz("graph-text")).toEqual([]);
    expect(viz("render-kubeconfig")).toEqual([]);
    expect(viz("graph-svg").length).toBeGreaterThan(0);
  });

  it("the core bundles do contain the ASN.1 parser (the check above can see it)", () => {
    expect(find("core-parse").inputs.some((input) => ASN1_MODULE.test(input.path))).toBe(true);
  });
});

describe("the web app's page (Vite build, JS + CSS, gzip)", () => {
  for (const { id, what, budget } of WEB_BUDGETS as MeasuredPage[]) {
    it(`${what} ≤ ${budget / 1024} KB`, () => {
      const page = results.web.find((entry) => entry.id === id)!;
      // One script and one stylesheet: nothing is loaded later (vite.config.ts turns code splitting off).
      expect(page.files.filter((file) => file.endsWith(".js")).length, page.files.join(", ")).toBe(1);
      expect(page.gzip, `${id}: ${page.gzip} B gz > ${budget} B`).toBeLessThanOrEqual(budget);
    });
  }

  it("the layout engine is what the stub leaves out (the two measures differ)", () => {
    const [withViz, withoutViz] = results.web;
    expect(withViz!.gzip - withoutViz!.gzip).toBeGreaterThan(100 * 1024);
  });
});

describe("no module-level side effects", () => {
  it('`import "@kubepki/<package>"` with nothing used bundles to nothing, for every package', () => {
    expect(results.bare.map((entry) => entry.name)).toEqual(["core", "k8s-profiles", "renderers", "cli"]);
    for (const entry of results.bare) {
      expect(entry.code.trim(), `import "@kubepki/${entry.name}" kept: ${breakdown(entry)}`).toBe("");
    }
  });
});
