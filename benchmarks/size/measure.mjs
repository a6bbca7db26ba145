/**
 * Bundle sizes of kubepki as a user's bundler sees it: each file in `entries/` imports one thing,
 * esbuild bundles it (`bundle`, `minify`, ESM, platform browser) resolving `@kubepki/*` through
 * each package's `exports` to its built `dist/` — so run `pnpm -r build` first — and the result
 * is gzipped. `size.test.ts` checks the budgets below; this script prints the table.
 *
 * The web app (packages/web) is a Vite build, not an esbuild entry: `measureWebPage` builds it
 * with its own vite.config.ts (in memory) and gzips its script and stylesheet, once as shipped and
 * once with the trust graph's layout engine (`@viz-js/viz`, Graphviz as WebAssembly inlined in
 * its JS) replaced by a stub, so both sizes are on record.
 *
 *   node benchmarks/size/measure.mjs            print the sizes and what dominates each bundle
 *   node benchmarks/size/measure.mjs --write    also rewrite the table in benchmarks/README.md
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const ROOT = join(HERE, "..", "..");
export const PACKAGES = ["core", "k8s-profiles", "renderers", "cli"];

/** Modules that are ASN.1 code: the @peculiar schemas and their runtime (asn1js, pvtsutils, pvutils). */
export const ASN1_MODULE = /@peculiar[/+]|[/+]asn1js[@/]|[/+]pvtsutils[@/]|[/+]pvutils[@/]/;

/**
 * The budgets (gzipped bytes). `asn1: false` also requires that no ASN.1 module contributes a
 * byte and that the output does not mention asn1 (what ARCHITECTURE.md promises for renderers and
 * for the presets/plan).
 */
export const BUDGETS = [
  { id: "render-kubeconfig", what: "`renderKubeconfig` (@kubepki/renderers)", budget: 20 * 1024, asn1: false },
  {
    id: "profiles-plan",
    what: "role table + `planCluster` (@kubepki/k8s-profiles, no generation)",
    // 8 KB until 2026-11-28; measured 7.98 KB since: generateCluster loads the certificate reader
    // with a dynamic import (for a caller's CA only, so the generate entry stays lean in Node),
    // and esbuild without code splitting then wraps every core module of the bundle in a lazy
    // initialiser (+0.1 KB here), even though generateCluster itself is shaken out.
    // 8.5 KB until 2026-12-05; measured 8.55 KB since: the role table gained two columns the
    // audit and renew read (`verifiedBy`: which CA file each consumer trusts, with its name;
    // `restarts`), and config validation suggests a field for an unknown one (unknown-field.ts).
    // Measured 8.7 KB since 2026-12-07: core's one error class (its brand test) and CIDR reader
    // replaced k8s-profiles' own (issue 17).
    // Issue 17 keeps the budget: the validated mark and node index (config/validated.ts, +0.05 KB)
    // were paid for by keeping audit and renew texts out of the table (its `identityInCn` and
    // `notRenewable` columns say who checks, the audit and renew say it in words): 8.9 KB.
    budget: 9 * 1024,
    asn1: false,
  },
  {
    id: "core-issue",
    what: "`generateKeyPair` + `createSelfSignedCa` + `issueCertificate` (@kubepki/core)",
    budget: 40 * 1024,
    asn1: true,
  },
  { id: "core-parse", what: "`parseCertificate` (@kubepki/core)", budget: 38 * 1024, asn1: true },
  {
    id: "core-vocabulary",
    // The words every package shares (errors, IP/CIDR, DNS names, key usages, base64): what the
    // renderers and the CLI's start import from core. All of it, with no ASN.1 and no crypto.
    what: "all of `@kubepki/core/vocabulary`",
    budget: 4 * 1024,
    asn1: false,
  },
  {
    id: "profiles-archive",
    // Issue 21: nanotar (ustar) and fflate's gzip and zip writers, nothing of kubepki but the error
    // class. A subpath of its own, so no other entry pays for them. Measured 6.1 KB on 2026-12-07.
    what: "`archiveFiles` (@kubepki/k8s-profiles/archive: tar.gz and zip)",
    budget: 7 * 1024,
    asn1: false,
  },
  {
    id: "graph-text",
    // Issue 23: the trust graph and its Mermaid/DOT text, from the main entry: no Graphviz (the
    // size test checks no @viz-js module is in it). Measured 3.1 KB on 2026-12-08.
    what: "`planGraph` + `markFindings` + `graphToMermaid` + `graphToDot` (@kubepki/renderers)",
    budget: 4 * 1024,
    asn1: false,
  },
  {
    id: "graph-svg",
    // Issue 23: `graphToSvg` is Graphviz compiled to WebAssembly (@viz-js/viz, its WASM inlined in
    // the JS as base64): big, and why it is a subpath of its own. Measured 480 KB on 2026-12-08;
    // the budget is that plus a little, to notice a viz upgrade that grows it.
    what: "`graphToSvg` (@kubepki/renderers/svg: Graphviz as WebAssembly)",
    budget: 500 * 1024,
    asn1: false,
  },
  {
    id: "render-secrets",
    // Issue 21: the CA Secrets and ConfigMaps through `yaml`'s stringify (measured 18.1 KB on
    // 2026-12-07), under the kubeconfig renderer's budget.
    what: "`renderCaSecrets` (@kubepki/renderers)",
    budget: 20 * 1024,
    asn1: false,
  },
];

/**
 * The web page's budgets (gzip of its built JS + CSS, the page's one script and stylesheet). The
 * layout engine is most of it; the rest is core, k8s-profiles, renderers, yaml and fflate.
 * Measured on 2026-12-08: 618 KB with the engine, 144 KB without.
 */
export const WEB_BUDGETS = [
  {
    id: "web-page",
    what: "the web app (packages/web: JS + CSS, with the graph's Graphviz WASM)",
    budget: 700 * 1024,
    viz: true,
  },
  {
    id: "web-page-no-viz",
    what: "the web app without the layout engine (`@viz-js/viz` stubbed)",
    budget: 160 * 1024,
    viz: false,
  },
];

const WEB = join(ROOT, "packages", "web");
const VIZ_STUB = "\0kubepki-size-no-viz";

/** One in-memory Vite build of the page; its JS and CSS, minified and gzipped. */
async function buildWebPage(withViz) {
  const { build } = await import("vite");
  const noViz = {
    name: "kubepki-size-no-viz",
    enforce: "pre",
    resolveId: (id) => (id === "@viz-js/viz" ? VIZ_STUB : null),
    load: (id) =>
      id === VIZ_STUB ? "export async function instance() { throw new Error('left out of this measure'); }" : null,
  };
  const result = await build({
    root: WEB,
    configFile: join(WEB, "vite.config.ts"),
    logLevel: "silent",
    build: { write: false },
    plugins: withViz ? [] : [noViz],
  });
  const files = (Array.isArray(result) ? result : [result])
    .flatMap((output) => output.output)
    .filter((file) => /\.(js|css)$/.test(file.fileName));
  const texts = files.map((file) => (file.type === "chunk" ? file.code : String(file.source)));
  return {
    files: files.map((file) => file.fileName),
    minified: texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0),
    gzip: texts.reduce((sum, text) => sum + gzipSync(text).length, 0),
  };
}

/** The web page's sizes, with and without the layout engine. Needs the packages' dist/ (pnpm -r build). */
export async function measureWebPage() {
  const measured = [];
  for (const entry of WEB_BUDGETS) measured.push({ ...entry, ...(await buildWebPage(entry.viz)) });
  return measured;
}

/** `import "@kubepki/<name>"` with nothing used must bundle to nothing (no module-level side effects). */
export const BARE_IMPORTS = PACKAGES.map((name) => ({ id: `bare-${name}`, name }));

/**
 * Runs `fn(nodePath)` with a temporary `node_modules/@kubepki/*` that links to the workspace
 * packages, so entries resolve `@kubepki/x` exactly as an installed package: through its
 * package.json `exports` to `dist/`.
 */
export async function withWorkspacePackages(fn) {
  for (const name of PACKAGES) {
    if (!existsSync(join(ROOT, "packages", name, "dist"))) {
      throw new Error(`packages/${name}/dist is missing: run \`pnpm -r build\` first (pnpm test does)`);
    }
  }
  const dir = await mkdtemp(join(tmpdir(), "kubepki-size-"));
  try {
    const scope = join(dir, "node_modules", "@kubepki");
    await mkdir(scope, { recursive: true });
    for (const name of PACKAGES) await symlink(join(ROOT, "packages", name), join(scope, name), "dir");
    return await fn(join(dir, "node_modules"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Bundles one entry file. Returns the minified and gzipped sizes, the minified code and the
 * modules that contribute bytes (largest first; the metafile also lists tree-shaken ones at 0).
 */
export async function measureEntry(id, nodePath, { platform = "browser" } = {}) {
  const result = await build({
    entryPoints: [join(HERE, "entries", `${id}.mjs`)],
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    target: "es2022",
    write: false,
    metafile: true,
    nodePaths: [nodePath],
    // The repo's tsconfig maps @kubepki/* to src/ for tests; a user's bundler sees only the package.
    tsconfigRaw: {},
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output.inputs)
    .filter(([, info]) => info.bytesInOutput > 0)
    .map(([path, info]) => ({ path: shortPath(path), bytes: info.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
  return { id, code, minified: Buffer.byteLength(code), gzip: gzipSync(code).length, inputs };
}

/** `node_modules/.pnpm/asn1js@3.0.6/node_modules/asn1js/build/index.es.js` → `asn1js/build/index.es.js`. */
function shortPath(path) {
  const parts = path.split("node_modules/");
  const last = parts[parts.length - 1];
  return parts.length > 1 ? last : path.replace(/^(\.\.\/)+/, "");
}

/** Every budget and bare import, measured. */
export async function measureAll() {
  return withWorkspacePackages(async (nodePath) => {
    const budgets = [];
    for (const entry of BUDGETS) budgets.push({ ...entry, ...(await measureEntry(entry.id, nodePath)) });
    const bare = [];
    for (const entry of BARE_IMPORTS) {
      // The CLI is the Node edge (node:fs, process): bundle it for Node; the libraries for the browser.
      const platform = entry.name === "cli" ? "node" : "browser";
      bare.push({ ...entry, ...(await measureEntry(entry.id, nodePath, { platform })) });
    }
    return { budgets, bare, web: await measureWebPage() };
  });
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** Where the bytes go: packages (kubepki's own dist, asn1, yaml…) with their share of the minified code. */
export function dominantPackages(inputs) {
  const byPackage = new Map();
  for (const { path, bytes } of inputs) {
    const name = path.startsWith("@")
      ? path.split("/").slice(0, 2).join("/")
      : path.startsWith("packages/")
        ? `@kubepki/${path.split("/")[1]}`
        : path.split("/")[0];
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytes);
  }
  return [...byPackage].sort((a, b) => b[1] - a[1]);
}

/** The markdown table written to benchmarks/README.md. */
export function sizeTable({ budgets, bare, web = [] }) {
  const rows = budgets.map((entry) => {
    const total = entry.inputs.reduce((sum, input) => sum + input.bytes, 0) || 1;
    const top = dominantPackages(entry.inputs)
      .slice(0, 3)
      .map(([name, bytes]) => `${name} ${Math.round((bytes / total) * 100)}%`)
      .join(", ");
    return `| ${entry.what} | ${kb(entry.minified)} | **${kb(entry.gzip)}** | ${kb(entry.budget)} | ${top} |`;
  });
  for (const page of web) {
    rows.push(
      `| ${page.what} | ${kb(page.minified)} | **${kb(page.gzip)}** | ${kb(page.budget)} | Vite build, ${page.files.length} files |`,
    );
  }
  const bareLine = bare.map((entry) => `\`import "@kubepki/${entry.name}"\` → ${entry.minified} bytes`).join("; ");
  return [
    "| entry (imports only this) | minified | min + gzip | budget (gzip) | minified bytes by package |",
    "|---|---:|---:|---:|---|",
    ...rows,
    "",
    `Side-effect-free imports (must be 0 bytes): ${bareLine}.`,
  ].join("\n");
}

const README = join(ROOT, "benchmarks", "README.md");
const START = "<!-- sizes:start (node benchmarks/size/measure.mjs --write) -->";
const END = "<!-- sizes:end -->";

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const results = await measureAll();
  const table = sizeTable(results);
  console.log(table);
  console.log("\nLargest modules per entry (minified bytes):");
  for (const entry of results.budgets) {
    console.log(`  ${entry.id}: ${kb(entry.gzip)} gzip (${entry.gzip} B), budget ${kb(entry.budget)}`);
    for (const input of entry.inputs.slice(0, 6)) console.log(`    ${String(input.bytes).padStart(7)}  ${input.path}`);
  }
  if (process.argv.includes("--write")) {
    const text = await readFile(README, "utf8");
    const start = text.indexOf(START);
    const end = text.indexOf(END);
    if (start < 0 || end < start) throw new Error(`${README} has no ${START} … ${END} block`);
    await writeFile(README, `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`);
    console.log(`\nwrote ${README}`);
  }
  for (const page of results.web)
    console.log(`  ${page.id}: ${kb(page.gzip)} gzip (${page.gzip} B), budget ${kb(page.budget)}`);
  const over = [...results.budgets, ...results.web].filter((entry) => entry.gzip > entry.budget);
  if (over.length > 0) {
    console.error(`over budget: ${over.map((entry) => entry.id).join(", ")}`);
    process.exitCode = 1;
  }
}
