// The write floor of `kubepki init`: only writing the files of the tree `kubepki init` wrote in
// the same round (the same bytes and modes), the way init makes them durable and all-or-nothing —
// a staging directory beside the target, directories parents first with their modes, each file
// created with O_EXCL, one syncfs(2) (`sync -f`), one rename, an fsync of the parent — with
// synchronous calls and nothing else: no generation, no rendering, no lock, no checks. The files
// are read into memory before the clock starts; the in-process time is the writing alone.
// Usage: node write-io.mjs --dir INIT_TREE --out DIR
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { childArgs, report } from "../lib/child.mjs";

const args = childArgs();
const files = [];
const dirs = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mode = statSync(path).mode & 0o777;
    if (entry.isDirectory()) {
      dirs.push({ path: relative(args.dir, path), mode });
      walk(path);
    } else files.push({ path: relative(args.dir, path), mode, contents: readFileSync(path) });
  }
};
walk(args.dir);
dirs.sort((a, b) => a.path.length - b.path.length);

await report(async () => {
  const umask = process.umask();
  const staging = join(dirname(args.out), `.${basename(args.out)}.staging`);
  mkdirSync(staging, { mode: 0o700 });
  for (const dir of dirs) {
    mkdirSync(join(staging, dir.path), { mode: dir.mode });
    if ((dir.mode & umask) !== 0) chmodSync(join(staging, dir.path), dir.mode);
  }
  for (const file of files) {
    const fd = openSync(join(staging, file.path), "wx", file.mode);
    writeFileSync(fd, file.contents);
    closeSync(fd);
  }
  execFileSync("sync", ["-f", staging]);
  renameSync(staging, args.out);
  const parent = openSync(dirname(args.out), "r");
  fsyncSync(parent);
  closeSync(parent);
  return { files: files.length, dirs: dirs.length };
});
