/**
 * kubepki as a user gets it: `pnpm pack` each package, install the tarballs with npm into a
 * scratch project outside the workspace, lint the tarballs (publint, attw), and run the same
 * smoke script (`smoke.mjs`) as Node ESM `import`, Node CJS `require`, Deno, Bun and headless
 * Chromium (esbuild browser bundle). Every runtime must print the same lines, and those lines
 * must say what kubeadm's reference says. Needs `pnpm -r build` first (`pnpm test` does it),
 * the npm registry for the packages' own dependencies, and /usr/bin/chromium (.ci/setup).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain-JS runner (no declarations), also runnable as `node run-browser.mjs <dir>`
import { CHROMIUM, runBrowser } from "./run-browser.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const ROOT = join(HERE, "..", "..");
const BIN = (name: string) => join(ROOT, "node_modules", ".bin", name);
const PACKAGES = ["core", "k8s-profiles", "renderers", "cli"] as const;
/** Copied into the scratch project: the suite and its runners. */
const SMOKE_FILES = ["smoke.mjs", "run-esm.mjs", "run-cjs.cjs", "browser"];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, timeout = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, timeout, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) + (error && code === 1 ? error.message : "") });
      },
    );
  });
}

async function mustRun(command: string, args: string[], cwd: string, timeout?: number): Promise<string> {
  const result = await run(command, args, cwd, timeout);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.code}\n${result.stderr}`);
  return result.stdout;
}

const lines = (text: string) => text.trimEnd().split("\n");

let project: string;
const tarballs = new Map<(typeof PACKAGES)[number], string>();

beforeAll(async () => {
  for (const name of PACKAGES) {
    expect(existsSync(join(ROOT, "packages", name, "dist")), `packages/${name}/dist: run \`pnpm -r build\` first`).toBe(
      true,
    );
  }
  project = await mkdtemp(join(tmpdir(), "kubepki-packaging-"));
  const packDir = join(project, "tarballs");
  await mkdir(packDir);
  // pnpm rewrites workspace:* and catalog: to real versions in the packed package.json.
  for (const name of PACKAGES) {
    await mustRun("pnpm", ["pack", "--pack-destination", packDir], join(ROOT, "packages", name));
  }
  for (const file of await readdir(packDir)) {
    const name = PACKAGES.find((candidate) => file.startsWith(`kubepki-${candidate}-`));
    if (name) tarballs.set(name, join(packDir, file));
  }
  expect([...tarballs.keys()].sort()).toEqual([...PACKAGES].sort());

  // file: specs for the direct dependencies, and overrides so that the packages' dependencies on
  // each other (`"@kubepki/core": "0.1.0"`) are met by these tarballs, never by the registry.
  const local = Object.fromEntries(
    [...tarballs].map(([name, path]) => [`@kubepki/${name}`, `file:tarballs/${path.split("/").pop()}`]),
  );
  await writeFile(
    join(project, "package.json"),
    `${JSON.stringify({ name: "kubepki-smoke", private: true, dependencies: local, overrides: local }, null, 2)}\n`,
  );
  for (const file of SMOKE_FILES) await cp(join(HERE, file), join(project, file), { recursive: true });
  await mustRun(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
    project,
    150_000,
  );
}, 240_000);

afterAll(async () => {
  if (project && !process.env.KUBEPKI_KEEP_SCRATCH) await rm(project, { recursive: true, force: true });
  else if (project) console.log(`[packaging] scratch project kept at ${project}`);
});

describe("the packed tarballs", () => {
  it("were installed from the tarballs, not from the registry", async () => {
    const lock = JSON.parse(await readFile(join(project, "package-lock.json"), "utf8"));
    for (const name of PACKAGES) {
      expect(lock.packages[`node_modules/@kubepki/${name}`]?.resolved, name).toMatch(/^file:tarballs\//);
    }
    // One copy of each: a nested @kubepki/* or @peculiar/asn1-schema would mean two module instances.
    const nested = Object.keys(lock.packages).filter((path) =>
      /node_modules\/.+\/node_modules\/(@kubepki\/|@peculiar\/asn1-schema$)/.test(path),
    );
    expect(nested).toEqual([]);
  });

  for (const name of PACKAGES) {
    it(`@kubepki/${name}: metadata, files and no workspace specifiers`, async () => {
      const pkg = JSON.parse(await readFile(join(project, "node_modules", "@kubepki", name, "package.json"), "utf8"));
      expect(pkg.description, "description").toMatch(/\w{10}/);
      expect(pkg.keywords?.length, "keywords").toBeGreaterThan(2);
      expect(pkg.license).toBe("Apache-2.0");
      expect(pkg.repository).toMatchObject({ type: "git", directory: `packages/${name}` });
      expect(pkg.repository.url).toMatch(/^git\+https:\/\//);
      expect(pkg.engines).toEqual({ node: ">=20" });
      expect(pkg.files).toContain("dist");
      expect(pkg.types).toBe("./dist/index.d.ts");
      expect(pkg.sideEffects).toBe(false);
      // The libraries: Node gets the bundled build (dist/node/), bundlers the per-module one
      // (tsup.library.ts). The CLI is one bundle already.
      const library = name !== "cli";
      expect(pkg.exports["."]).toEqual({
        import: {
          types: "./dist/index.d.ts",
          ...(library ? { node: "./dist/node/index.js" } : {}),
          default: "./dist/index.js",
        },
        require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
      });
      const specifiers = JSON.stringify({ ...pkg.dependencies, ...pkg.peerDependencies });
      expect(specifiers).not.toMatch(/workspace:|catalog:|file:|link:/);

      const files = lines(await mustRun("tar", ["tzf", tarballs.get(name)!], project));
      for (const file of [
        "package.json",
        "CHANGELOG.md",
        "dist/index.js",
        ...(library ? ["dist/node/index.js"] : []),
        "dist/index.cjs",
        "dist/index.d.ts",
        "dist/index.d.cts",
      ]) {
        expect(files, file).toContain(`package/${file}`);
      }
      expect(files.filter((file) => /^package\/(src|test|node_modules)\/|tsup\.config|tsconfig/.test(file))).toEqual(
        [],
      );
    });

    it(`@kubepki/${name}: publint --strict reports nothing`, async () => {
      const tarball = await readFile(tarballs.get(name)!);
      const { messages, pkg } = await publint({
        pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
        strict: true,
        level: "suggestion",
      });
      expect(messages.map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false })}`)).toEqual(
        [],
      );
    });

    it(`@kubepki/${name}: arethetypeswrong reports nothing (node10, node16 CJS/ESM, bundler)`, async () => {
      const result = await run(
        BIN("attw"),
        [tarballs.get(name)!, "--no-definitely-typed", "--format", "json"],
        project,
      );
      const report = JSON.parse(result.stdout);
      expect(report.analysis.problems).toEqual([]);
      const resolutions = report.analysis.entrypoints["."].resolutions;
      for (const kind of ["node10", "node16-cjs", "node16-esm", "bundler"]) {
        expect(resolutions[kind]?.resolution?.fileName, kind).toMatch(/\.d\.c?ts$/);
      }
      expect(result.code, result.stderr).toBe(0);
    });
  }
});

describe("the same smoke script in every runtime, from the installed tarballs", () => {
  const outputs = new Map<string, string[]>();

  it("Node ESM (import)", async () => {
    outputs.set("node-esm", lines(await mustRun(process.execPath, ["run-esm.mjs"], project)));
    const reference = outputs.get("node-esm")!;
    // What kubeadm does (docs/reference/kubeadm-pki.md §1–§3), for the one-node cluster.
    for (const line of [
      "ca subject: /CN=kubernetes",
      "ca usages: digitalSignature,keyEncipherment,keyCertSign / - / CA:true",
      "apiserver:cp-1 subject: /CN=kube-apiserver",
      "apiserver:cp-1 issuer: /CN=kubernetes",
      "apiserver:cp-1 SANs: DNS:cp-1, DNS:k8s-api.example.com, DNS:kubernetes, DNS:kubernetes.default, " +
        "DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP:10.96.0.1, IP:192.168.10.10",
      "apiserver:cp-1 usages: digitalSignature,keyEncipherment / serverAuth / CA:false",
      "admin:cp-1 subject: /O=kubeadm:cluster-admins/CN=kubernetes-admin",
      "admin:cp-1 usages: digitalSignature,keyEncipherment / clientAuth / CA:false",
      "admin.conf: server https://k8s-api.example.com:6443, current-context kubernetes-admin@kubernetes",
      "audit: 3 certificates read, 0 findings besides missing files",
      "diff pki/apiserver.crt: change (SAN DNS:api.example.com added)",
      "diff admin.conf: keep",
    ]) {
      expect(reference).toContain(line);
    }
    expect(reference.find((line) => line.startsWith("audit missing: "))).toContain("pki/sa.key");
    // Delivery: a worker gets its own files only; archives are gzip and zip (their bytes, the same
    // in every runtime, are compared by the runs below).
    expect(reference).toContain(
      "node files w-1: w-1/etc/kubernetes/kubelet.conf, w-1/etc/kubernetes/pki/ca.crt, w-1/etc/kubernetes/pki/kubelet.crt, w-1/etc/kubernetes/pki/kubelet.key, w-1/var/lib/kubelet/config.yaml",
    );
    expect(reference.find((line) => line.startsWith("archive tar.gz: "))).toMatch(
      /^archive tar\.gz: 1f 8b …, sha256 [0-9a-f]{64}$/,
    );
    expect(reference.find((line) => line.startsWith("archive zip: "))).toMatch(
      /^archive zip: 50 4b …, sha256 [0-9a-f]{64}$/,
    );
  });

  const same = (runtime: string, output: string[]) => {
    const reference = outputs.get("node-esm");
    expect(reference, "the Node ESM run gives the reference lines").toBeDefined();
    outputs.set(runtime, output);
    expect(output).toEqual(reference);
  };

  it("Node CJS (require → dist/index.cjs)", async () => {
    same("node-cjs", lines(await mustRun(process.execPath, ["run-cjs.cjs"], project)));
  });

  it("Deno (node_modules of the scratch project, no permissions)", async () => {
    // The audit reads the kubeconfigs kubepki writes with the plain block reader, not yaml's
    // parser, so no env permission is needed (see the known-issue test below for other files).
    const args = ["run", "--no-prompt", "--node-modules-dir=manual", "--no-remote", "run-esm.mjs"];
    same("deno", lines(await mustRun(BIN("deno"), args, project)));
  });

  it("known issue: under Deno, yaml's parser needs env access (a kubeconfig with a comment)", async () => {
    // `yaml` resolves to its "node" export under Deno, whose parser reads process.env.LOG_TOKENS
    // and LOG_STREAM. Kubeconfigs in kubectl's plain style never reach it; one with a comment
    // does, and fails without --allow-env. When this test fails, the issue is fixed upstream:
    // delete it.
    const script = join(project, "known-issue.mjs");
    await writeFile(
      script,
      [
        'import { parseKubeconfig } from "@kubepki/renderers";',
        'const text = "# written by hand\\napiVersion: v1\\nkind: Config\\n";',
        'try { console.log("clusters: " + parseKubeconfig(text).clusters.length); } catch (error) { console.log(error.message); }',
      ].join("\n"),
    );
    const base = ["run", "--no-prompt", "--node-modules-dir=manual", "--no-remote"];
    const denied = await run(BIN("deno"), [...base, "known-issue.mjs"], project);
    expect(denied.stdout).toMatch(/Requires env access to "LOG_TOKENS"/);
    const allowed = await mustRun(
      BIN("deno"),
      [...base, "--allow-env=LOG_TOKENS,LOG_STREAM", "known-issue.mjs"],
      project,
    );
    expect(allowed.trim()).toBe("clusters: 0");
  });

  it("Bun (import)", async () => {
    same("bun", lines(await mustRun(BIN("bun"), ["run-esm.mjs"], project)));
  });

  it("Bun (require)", async () => {
    same("bun-cjs", lines(await mustRun(BIN("bun"), ["run-cjs.cjs"], project)));
  });

  it("headless Chromium (esbuild browser bundle on a loopback page, no polyfills)", async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: bash .ci/setup installs Debian chromium`).toBe(true);
    const { lines: output, status, errors, blocked } = await runBrowser(project);
    expect({ status, errors, blocked }).toEqual({ status: "done", errors: [], blocked: [] });
    same("chromium", output);
  });

  it("all runtimes printed the same lines", () => {
    expect([...outputs.keys()]).toEqual(["node-esm", "node-cjs", "deno", "bun", "bun-cjs", "chromium"]);
    const distinct = new Set([...outputs.values()].map((output) => output.join("\n")));
    expect(distinct.size).toBe(1);
  });
});

describe("the CLI from its tarball", () => {
  it("`kubepki --version` and `kubepki plan` run from node_modules/.bin", async () => {
    const kubepki = join(project, "node_modules", ".bin", "kubepki");
    const pkg = JSON.parse(await readFile(join(project, "node_modules", "@kubepki", "cli", "package.json"), "utf8"));
    expect((await mustRun(kubepki, ["--version"], project)).trim()).toBe(pkg.version);
    // `plan` is loaded on demand from a split chunk: this fails if a chunk is missing from the tarball.
    const plan = await mustRun(kubepki, ["plan", "--control-plane", "cp-1=192.168.10.10"], project);
    // The row, then its SANs under it (the plan's table fits 100 columns when not on a terminal).
    expect(plan).toMatch(/^apiserver\s+\/CN=kube-apiserver\s.*\n\s+sans: [\s\S]*?IP:192\.168\.10\.10/m);
  });
});
