// archiveFiles: what GNU tar and Info-ZIP read back (names, modes, bytes), reproducible bytes
// whatever the time zone, and refusals of paths an extraction could misplace.
import { createHash } from "node:crypto";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isKubepkiError } from "@kubepki/core";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught } from "../../core/test/helpers/caught.js";
import { run, tempDir } from "../../core/test/helpers/run-command.js";
import { type ArchiveEntry, archiveFiles } from "../src/archive-entry.js";

const ENTRIES: ArchiveEntry[] = [
  {
    path: "etc/kubernetes/pki/ca.key",
    contents: "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n",
    mode: 0o600,
  },
  {
    path: "etc/kubernetes/pki/ca.crt",
    contents: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    mode: 0o644,
  },
  { path: "etc/kubernetes/pki", mode: 0o700 },
  { path: "etc/kubernetes", mode: 0o755 },
  { path: "etc/kubernetes/empty.txt", contents: "", mode: 0o644 },
  {
    path: "var/lib/kubelet/config.yaml",
    contents: new TextEncoder().encode("kind: KubeletConfiguration\n"),
    mode: 0o644,
  },
];

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir("kubepki-archive-");
});
afterAll(() => dir.cleanup());

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("archiveFiles", () => {
  it("tar.gz: tar lists every entry with its mode, owner root, and extracts the same bytes", async () => {
    const file = join(dir.path, "node.tar.gz");
    await writeFile(file, archiveFiles(ENTRIES, "tar.gz"));
    const listing = await run("tar", ["-tvzf", file]);
    expect(listing.code, listing.stderr).toBe(0);
    expect(listing.stderr).toBe("");
    const lines = listing.stdout.trim().split("\n");
    expect(lines.map((line) => line.split(/\s+/).at(-1))).toEqual([
      "etc/kubernetes/",
      "etc/kubernetes/empty.txt",
      "etc/kubernetes/pki/",
      "etc/kubernetes/pki/ca.crt",
      "etc/kubernetes/pki/ca.key",
      "var/lib/kubelet/config.yaml",
    ]);
    expect(lines.find((line) => line.endsWith("pki/ca.key"))).toMatch(/^-rw------- root\/root /);
    expect(lines.find((line) => line.endsWith("pki/ca.crt"))).toMatch(/^-rw-r--r-- root\/root /);
    expect(lines.find((line) => line.endsWith("pki/"))).toMatch(/^drwx------ /);
    const out = join(dir.path, "tar-out");
    await mkdir(out);
    expect((await run("tar", ["-xzf", file, "-C", out])).code).toBe(0);
    for (const entry of ENTRIES) {
      const info = await stat(join(out, entry.path));
      expect((info.mode & 0o7777).toString(8), entry.path).toBe(entry.mode.toString(8));
      if (entry.contents !== undefined) {
        const wanted = typeof entry.contents === "string" ? new TextEncoder().encode(entry.contents) : entry.contents;
        expect(sha256(await readFile(join(out, entry.path)))).toBe(sha256(wanted));
      }
    }
  });

  it("zip: zipinfo shows Unix modes, unzip restores them and the bytes", async () => {
    const file = join(dir.path, "node.zip");
    const zip = archiveFiles(ENTRIES, "zip");
    await writeFile(file, zip);
    const listing = await run("unzip", ["-Z", "-l", file]);
    expect(listing.code, listing.stderr).toBe(0);
    expect(listing.stdout).toMatch(/^-rw-------\s.*unx.*etc\/kubernetes\/pki\/ca\.key$/m);
    expect(listing.stdout).toMatch(/^-rw-r--r--\s.*unx.*etc\/kubernetes\/pki\/ca\.crt$/m);
    expect(listing.stdout).toMatch(/^drwx------\s.*etc\/kubernetes\/pki\/$/m);
    const out = join(dir.path, "zip-out");
    expect((await run("unzip", ["-q", file, "-d", out])).code).toBe(0);
    for (const entry of ENTRIES) {
      const info = await stat(join(out, entry.path));
      expect((info.mode & 0o7777).toString(8), entry.path).toBe(entry.mode.toString(8));
    }
    // An independent reader (fflate's own unzip) sees the same files.
    expect(Object.keys(unzipSync(zip)).filter((name) => !name.endsWith("/"))).toHaveLength(4);
  });

  it("the same entries, in any order and any time zone, give the same bytes", async () => {
    for (const format of ["tar.gz", "zip"] as const) {
      const first = archiveFiles(ENTRIES, format);
      expect(sha256(archiveFiles([...ENTRIES].reverse(), format))).toBe(sha256(first));
      // zip stores local calendar time: a process in another zone must still write the same bytes.
      const entry = fileURLToPath(new URL("../dist/node/archive-entry.js", import.meta.url));
      const script = `import { archiveFiles } from ${JSON.stringify(entry)};
        import { createHash } from "node:crypto";
        const entries = ${JSON.stringify(ENTRIES.map((e) => ({ ...e, contents: typeof e.contents === "string" || e.contents === undefined ? e.contents : new TextDecoder().decode(e.contents) })))};
        process.stdout.write(createHash("sha256").update(archiveFiles(entries, ${JSON.stringify(format)})).digest("hex"));`;
      for (const zone of ["Pacific/Kiritimati", "America/Los_Angeles"]) {
        const child = await run(process.execPath, ["--input-type=module", "-e", script], {
          env: { ...process.env, TZ: zone },
        });
        expect(child.stdout, child.stderr).toBe(sha256(first));
      }
    }
  });

  it("a tar whose entries fill its 10240-byte record exactly still ends with two zero blocks", async () => {
    // 10 files of 512 bytes: 10 × (header + one block) = 10240 bytes of entries.
    const entries = Array.from({ length: 10 }, (_, i) => ({ path: `f${i}`, contents: "x".repeat(512), mode: 0o644 }));
    const file = join(dir.path, "full.tar.gz");
    await writeFile(file, archiveFiles(entries, "tar.gz"));
    const listing = await run("tar", ["-tzf", file]);
    expect(listing.code).toBe(0);
    expect(listing.stderr).toBe(""); // GNU tar warns "A lone zero block" / "Unexpected EOF" otherwise
    expect(listing.stdout.trim().split("\n")).toHaveLength(10);
  });

  it.each([
    ["/etc/kubernetes/pki/ca.key", "absolute"],
    ["etc/../../root/.ssh/authorized_keys", "climbs out"],
    ["etc//kubernetes", "empty segment"],
    ["./etc", "dot segment"],
    ["", "empty"],
    ["etc\\kubernetes", "backslash"],
    [`${"d/".repeat(50)}x`, "over 100 bytes (tar.gz)"],
  ])("refuses %j (%s) before writing a byte", async (path) => {
    const error = await caught(() => archiveFiles([{ path, contents: "x", mode: 0o644 }], "tar.gz"));
    expect(isKubepkiError(error, "INVALID_ARCHIVE_ENTRY"), String(error)).toBe(true);
  });

  it("refuses a path listed twice, a bad mode and an unknown format", async () => {
    const twice = [ENTRIES[0] as ArchiveEntry, ENTRIES[0] as ArchiveEntry];
    expect(isKubepkiError(await caught(() => archiveFiles(twice, "zip")), "INVALID_ARCHIVE_ENTRY")).toBe(true);
    const badMode = [{ path: "a", contents: "", mode: 0o10000 }];
    expect(isKubepkiError(await caught(() => archiveFiles(badMode, "zip")), "INVALID_ARCHIVE_ENTRY")).toBe(true);
    expect(isKubepkiError(await caught(() => archiveFiles(ENTRIES, "rar" as never)), "INVALID_ARCHIVE_ENTRY")).toBe(
      true,
    );
  });
});
