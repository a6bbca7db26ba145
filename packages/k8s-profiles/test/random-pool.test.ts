import { describe, expect, it } from "vitest";
import { pooledRandom } from "../src/generate/random-pool.js";

describe("pooledRandom (serial numbers for a whole cluster)", () => {
  it("hands out each byte of the CSPRNG output once, in few getRandomValues calls", () => {
    let calls = 0;
    let next = 0;
    // A counting source: byte values are their position in the stream (mod 256).
    const source = {
      getRandomValues<T extends ArrayBufferView>(array: T): T {
        calls++;
        const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
        for (let i = 0; i < bytes.length; i++) bytes[i] = next++ & 0xff;
        return array;
      },
    } as Crypto;
    const random = pooledRandom(source);
    const served: number[] = [];
    for (let i = 0; i < 10_000; i++) served.push(...random(16));
    expect(served.length).toBe(160_000);
    // Consecutive, never repeated: the stream itself (whole pools are used before a refill).
    expect(served.every((byte, i) => byte === (i & 0xff))).toBe(true);
    expect(calls).toBe(Math.ceil(160_000 / 65_536));
    // Returned arrays are copies: changing one changes nothing served later.
    const first = random(4);
    first.fill(0);
    expect([...random(4)]).toEqual([4, 5, 6, 7].map((offset) => (160_000 + offset) & 0xff));
  });

  it("serves requests larger than the pool directly", () => {
    const random = pooledRandom(globalThis.crypto);
    expect(random(100_000).length).toBe(100_000);
    expect(random(16).length).toBe(16);
  });
});
