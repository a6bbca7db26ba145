import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDurable } from "../src/io/durable.js";
import { tempDir } from "./helpers/run.js";

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

describe("makeDurable", () => {
  it("on Linux, one syncfs of the file system (sync -f) does it: the paths are not even listed", async () => {
    let listed = false;
    await makeDurable(dir.path, () => {
      listed = true;
      return [];
    });
    expect(listed).toBe(process.platform !== "linux");
  });

  it("without syncfs, every file and directory is fsynced (opened: a missing one fails)", async () => {
    await mkdir(join(dir.path, "d"));
    await writeFile(join(dir.path, "d", "f.key"), "k");
    const noSyncfs = async () => false;
    await makeDurable(dir.path, () => [join(dir.path, "d", "f.key"), join(dir.path, "d"), dir.path], noSyncfs);
    const error = await makeDurable(dir.path, () => [join(dir.path, "missing")], noSyncfs).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("ENOENT");
  });
});
