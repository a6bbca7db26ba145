import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex } from "../src/lib/bytes.js";
import { sha256 } from "../src/lib/sha256.js";

const nodeSha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

describe("sha256 (pure JS, used for synchronous fingerprints)", () => {
  it("matches the FIPS 180-4 test vectors", () => {
    expect(toHex(sha256(new Uint8Array()))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(toHex(sha256(new TextEncoder().encode("abc")))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(toHex(sha256(new TextEncoder().encode("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  it("matches node:crypto at every length around the block and padding boundaries", () => {
    const data = new Uint8Array(300).map((_, i) => (i * 31 + 7) & 0xff);
    for (let length = 0; length <= data.length; length++) {
      const slice = data.subarray(0, length);
      expect(toHex(sha256(slice)), `length ${length}`).toBe(nodeSha256(slice));
    }
  });

  it("matches node:crypto on random inputs", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (data) => toHex(sha256(data)) === nodeSha256(data)),
      { numRuns: 300 },
    );
  });

  it("does not depend on the byteOffset of a subarray", () => {
    const backing = new Uint8Array(200).map((_, i) => i);
    const view = backing.subarray(13, 150);
    expect(toHex(sha256(view))).toBe(nodeSha256(view));
  });

  it("hashes a 1 MB input like node:crypto", () => {
    const big = new Uint8Array(1 << 20).map((_, i) => (i * 2654435761) >>> 24);
    expect(toHex(sha256(big))).toBe(nodeSha256(big));
  });
});
