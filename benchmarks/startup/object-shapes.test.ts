/**
 * Certificates are made and read by the thousand (a 1000-node cluster has ~2000), so their
 * objects must stay in V8's fast mode: an object literal with a getter in it is created in
 * dictionary mode (slower property reads, several times the memory), which is why the lazy
 * fingerprint and PEM are added after the literal (packages/core/src/certificate/lazy-fields.ts).
 * V8's own check (%HasFastProperties) needs --allow-natives-syntax, so it runs in a child Node,
 * against the built dist/.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("object-shapes.mjs", import.meta.url));

it("created, parsed and generated certificates keep V8's fast properties, one shape for all", async () => {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ["--allow-natives-syntax", SCRIPT], { timeout: 60_000 }, (error, out, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(out),
    );
  });
  expect(JSON.parse(stdout)).toEqual({ created: true, parsed: true, generated: true, sameShape: true });
});
