// The API reports are checked in and must match what the packages publish (`.d.ts` in dist/,
// built by `pnpm test`): a change to any package's surface fails here until
// `UPDATE_API=1 pnpm vitest run --project docs docs/test/api-report.test.ts` rewrites the report,
// so the change is reviewed as a diff of packages/<name>/api-report.md.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiReport, entryTypes } from "./api-report.js";
import { ROOT } from "./examples.js";

const PACKAGES = ["core", "renderers", "k8s-profiles", "cli"] as const;
const update = process.env.UPDATE_API === "1";

describe("API reports", () => {
  for (const dir of PACKAGES) {
    it(`packages/${dir}/api-report.md is the published surface of @kubepki/${dir}`, () => {
      const packageDir = join(ROOT, "packages", dir);
      const report = apiReport(packageDir, `@kubepki/${dir}`);
      const file = join(packageDir, "api-report.md");
      if (update) writeFileSync(file, report);
      const checkedIn = readFileSync(file, "utf8");
      expect(checkedIn, `${file} differs from the build: UPDATE_API=1 to rewrite it, and review the diff`).toBe(report);
    });
  }

  it("every entry of every package is in its report, with its exports", () => {
    for (const dir of PACKAGES) {
      const packageDir = join(ROOT, "packages", dir);
      const report = readFileSync(join(packageDir, "api-report.md"), "utf8");
      for (const { subpath } of entryTypes(packageDir)) {
        const specifier = subpath === "." ? `@kubepki/${dir}` : `@kubepki/${dir}/${subpath.slice(2)}`;
        expect(report).toContain(`## \`${specifier}\``);
      }
    }
    // The report names real declarations, not an empty list.
    expect(readFileSync(join(ROOT, "packages/core/api-report.md"), "utf8")).toMatch(/function issueCertificate\(/);
  });
});
