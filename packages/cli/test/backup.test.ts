/**
 * Issue 18: backups of a change to a running tree. The old bytes and modes of each replaced or
 * removed file, kept under `tmp/kubepki-backup-<UTC time>/` inside the tree, written in the change's
 * own transaction; and reading a tree (audit, check-expiration, renew, apply) leaves them out.
 */
import "reflect-metadata";
import { createHash } from "node:crypto";
import { chmod, mkdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSelfSignedCa, exportPrivateKeyPem, generateKeyPair } from "@kubepki/core";
import { X509Certificate } from "@peculiar/x509";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught } from "../../core/test/helpers/caught.js";
import { BACKUP_PREFIX, backupFiles, backupFolder, isBackupPath } from "../src/io/backup.js";
import type { CliError } from "../src/io/cli-error.js";
import { readTree } from "../src/io/read-tree.js";
import { listFiles, writeTree } from "../src/io/write-tree.js";
import { initTree } from "./helpers/init-tree.js";
import { kubepki, modeOf, run, tempDir } from "./helpers/run.js";
import { copyTree } from "./helpers/tree-tools.js";

const sha = async (path: string) =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
const BINARY = Uint8Array.from({ length: 256 }, (_, i) => i); // every byte value: not UTF-8

let dir: { path: string; cleanup: () => Promise<void> };
let pristine: string;

beforeAll(async () => {
  dir = await tempDir();
  pristine = join(dir.path, "pristine");
  await initTree(pristine);
  await writeFile(join(pristine, "pki/extra.bin"), BINARY);
  await chmod(join(pristine, "pki/extra.bin"), 0o640);
}, 120_000);
afterAll(() => dir.cleanup());

describe("backupFolder", () => {
  it("tmp/kubepki-backup-<YYYYMMDDTHHMMSSZ> in UTC, then -2, -3 when the name is taken", async () => {
    const tree = join(dir.path, "names");
    await mkdir(tree);
    const now = new Date("2026-12-07T18:41:23.987+01:00");
    const first = backupFolder(tree, now);
    expect(first).toBe("tmp/kubepki-backup-20261207T174123Z");
    await mkdir(join(tree, first), { recursive: true });
    const second = backupFolder(tree, now);
    expect(second).toBe(`${first}-2`);
    await writeFile(join(tree, second), "a file of that name counts too\n");
    expect(backupFolder(tree, now)).toBe(`${first}-3`);
    expect(backupFolder(tree, new Date("2026-12-07T17:41:24Z"))).toBe("tmp/kubepki-backup-20261207T174124Z");
    expect(isBackupPath(first) && isBackupPath(`${second}/pki/ca.key`)).toBe(true);
    expect(isBackupPath("pki/tmp/kubepki-backup-20261207T174123Z") || isBackupPath("tmp/other")).toBe(false);
    const error = await caught(() => backupFolder(tree, new Date("not a date")));
    expect((error as CliError).code).toBe("INVALID_ARGUMENT");
  });
});

describe("backupFiles", () => {
  it("the old bytes and modes, written in the change's transaction: keys stay 0600, binary files exact", async () => {
    const tree = join(dir.path, "backed-up");
    await copyTree(pristine, tree);
    const replaced = ["pki/apiserver.crt", "pki/apiserver.key", "pki/ca.crt", "pki/extra.bin", "admin.conf"];
    const hashes = Object.fromEntries(await Promise.all(replaced.map(async (p) => [p, await sha(join(tree, p))])));
    const modes = Object.fromEntries(await Promise.all(replaced.map(async (p) => [p, await modeOf(join(tree, p))])));
    expect(modes).toMatchObject({ "pki/apiserver.key": 0o600, "pki/extra.bin": 0o640, "pki/ca.crt": 0o644 });
    const folder = backupFolder(tree, new Date("2026-12-07T18:00:00Z"));
    const backups = await backupFiles(tree, replaced, folder);
    expect(backups.map((file) => file.path)).toEqual(replaced.map((p) => `${folder}/${p}`));
    expect(Buffer.from(backups[3]?.contents as Uint8Array)).toEqual(Buffer.from(BINARY));
    // The change replaces extra.bin and admin.conf; the backups are new files of the same write.
    await writeTree(
      tree,
      [
        { path: "pki/extra.bin", contents: "new\n", mode: 0o644 },
        { path: "admin.conf", contents: "new\n", mode: 0o600 },
        ...backups,
      ],
      { force: true },
    );
    for (const path of replaced) {
      expect(await sha(join(tree, folder, path)), path).toBe(hashes[path]);
      expect(await modeOf(join(tree, folder, path)), path).toBe(modes[path]);
    }
    expect(await modeOf(join(tree, folder))).toBe(0o700); // it holds keys
    expect(await readFile(join(tree, "pki/extra.bin"), "utf8")).toBe("new\n");
    // The backed-up certificates are still the certificates: openssl and @peculiar/x509 read them as before.
    const verify = await run("openssl", [
      "verify",
      "-CAfile",
      join(tree, folder, "pki/ca.crt"),
      "-purpose",
      "sslserver",
      join(tree, folder, "pki/apiserver.crt"),
    ]);
    expect(verify.code, verify.stderr).toBe(0);
    const copy = new X509Certificate(await readFile(join(tree, folder, "pki/apiserver.crt"), "utf8"));
    const original = new X509Certificate(await readFile(join(tree, "pki/apiserver.crt"), "utf8"));
    expect(copy.serialNumber).toBe(original.serialNumber);
  });

  it("refuses a path outside the tree, a link, a missing file, a directory, a folder that is not a backup folder", async () => {
    const tree = join(dir.path, "refusals");
    await copyTree(pristine, tree);
    await symlink(join(tree, "pki/ca.key"), join(tree, "pki/link.key"));
    const folder = backupFolder(tree, new Date());
    const code = async (paths: string[], to = folder) =>
      ((await caught(() => backupFiles(tree, paths, to))) as CliError).code;
    expect(await code(["../pristine/pki/ca.key"])).toBe("INVALID_PATH");
    expect(await code([`${folder}/pki/ca.key`])).toBe("INVALID_PATH");
    expect(await code(["pki/link.key"])).toBe("SYMLINK_ESCAPE");
    expect(await code(["pki/nothing.key"])).toBe("IO_ERROR");
    expect(await code(["pki"])).toBe("IO_ERROR");
    expect(await code(["pki/ca.key"], "pki")).toBe("INVALID_PATH");
    expect(await code(["pki/ca.key"], `${folder}/nested`)).toBe("INVALID_PATH");
  });
});

describe("reading a tree leaves backups out; listFiles counts them", () => {
  let tree: string;
  let expired: { crt: string; key: string };
  beforeAll(async () => {
    tree = join(dir.path, "with-backup");
    await copyTree(pristine, tree);
    // An old cluster's CA, expired: in a backup it is history; in the tree it would be a finding.
    const keyPair = await generateKeyPair("ECDSA-P256");
    const validity = { notBefore: new Date("2024-01-01T00:00:00Z"), notAfter: new Date("2025-01-01T00:00:00Z") };
    const ca = await createSelfSignedCa({ keyPair, subject: "/CN=kubernetes", validity });
    expired = { crt: ca.pem, key: await exportPrivateKeyPem(keyPair) };
    const folder = "tmp/kubepki-backup-20250101T000000Z";
    await writeTree(tree, [
      { path: `${folder}/pki/ca.crt`, contents: expired.crt, mode: 0o644 },
      { path: `${folder}/pki/ca.key`, contents: expired.key, mode: 0o600 },
    ]);
  }, 60_000);

  it("readTree does not return them", async () => {
    const files = await readTree(tree);
    expect([...files.keys()].filter((path) => path.startsWith("tmp/"))).toEqual([]);
    expect(files.has("pki/ca.crt")).toBe(true);
  });

  it("the built CLI's audit and check-expiration find the tree clean", async () => {
    const audit = await kubepki(["audit", tree, "--json"]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    expect(JSON.parse(audit.stdout).findings).toEqual([]);
    const expiration = await kubepki(["check-expiration", tree]);
    expect(expiration.code, expiration.stderr).toBe(0);
    expect(expiration.stdout).not.toContain("2025");
  });

  it("the same files outside the reserved name are read, and audit reports them (the test can fail)", async () => {
    const control = join(dir.path, "not-a-backup");
    await copyTree(pristine, control);
    await writeTree(control, [
      { path: "tmp/old-backup/pki/ca.crt", contents: expired.crt, mode: 0o644 },
      { path: "tmp/old-backup/pki/ca.key", contents: expired.key, mode: 0o600 },
    ]);
    expect((await readTree(control)).has("tmp/old-backup/pki/ca.crt")).toBe(true);
    const audit = await kubepki(["audit", control, "--json"]);
    expect(audit.code).not.toBe(0);
    expect(audit.stdout).toContain("tmp/old-backup/pki/ca.crt");
  });

  it("a directory holding only backups is not empty for init (listFiles counts them)", async () => {
    const only = join(dir.path, "only-backups");
    await mkdir(join(only, "tmp", `${BACKUP_PREFIX}20250101T000000Z`), { recursive: true });
    await writeFile(join(only, "tmp", `${BACKUP_PREFIX}20250101T000000Z`, "ca.key"), expired.key, { mode: 0o600 });
    expect(await listFiles(only)).toEqual([`tmp/${BACKUP_PREFIX}20250101T000000Z/ca.key`]);
    const init = await kubepki(["init", "--out", only, "--control-plane", "cp-1=10.0.0.1"]);
    expect(init.code).toBe(1);
    expect(init.stderr).toContain("Refusing to overwrite");
    expect((await stat(join(only, "tmp"))).isDirectory()).toBe(true);
  });
});
