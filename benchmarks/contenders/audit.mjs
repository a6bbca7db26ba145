// auditCluster over a tree on disk (the one `kubepki init` wrote): reads every file, then times
// auditCluster alone in-process. Fails when the audit reports an error: the tree is kubepki's own.
// Usage: node audit.mjs --dir DIR
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { performance } from "node:perf_hooks";
// What Node resolves for `import { auditCluster } from "@kubepki/k8s-profiles"` ("node" condition).
import { auditCluster } from "../../packages/k8s-profiles/dist/node/index.js";
import { childArgs } from "../lib/child.mjs";

const args = childArgs();
const files = new Map();
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.isFile()) files.set(relative(args.dir, path).split(sep).join("/"), readFileSync(path, "utf8"));
  }
};
walk(args.dir);
const start = performance.now();
const report = await auditCluster(files);
const inProcessMs = performance.now() - start;
const errors = report.findings.filter((finding) => finding.severity === "error");
if (errors.length > 0) {
  console.error(errors.slice(0, 5));
  process.exit(1);
}
process.stdout.write(
  `${JSON.stringify({ inProcessMs, maxRssKb: process.resourceUsage().maxRSS, files: files.size, certificates: report.certificates.length, findings: report.findings.length })}\n`,
);
