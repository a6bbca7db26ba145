import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromGoBase64 as decodeBase64, toBase64 as encodeBase64 } from "../src/vocabulary/base64.js";

describe("base64 of kubeconfig *-data (Go's StdEncoding rules)", () => {
  it("decodes what Buffer encodes, with CR/LF anywhere, and encodes like Buffer", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 1, max: 90 }), (bytes, width) => {
        const text = Buffer.from(bytes).toString("base64");
        expect(encodeBase64(bytes)).toBe(text);
        expect(decodeBase64(text)).toEqual(bytes);
        expect(decodeBase64(text.replace(new RegExp(`(.{${width}})`, "g"), "$1\r\n"))).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it("names the byte Go's decoder stops at", () => {
    expect(decodeBase64("QUJD!")).toEqual({ badByte: 4 }); // a character outside the alphabet
    expect(decodeBase64("QQ=A")).toEqual({ badByte: 3 }); // data after padding
    expect(decodeBase64("QUJ")).toEqual({ badByte: 2 }); // short final group without padding
    expect(decodeBase64("QUJDR===")).toEqual({ badByte: 5 }); // too much padding: the first '='
    expect(decodeBase64("QQ-_")).toEqual({ badByte: 2 }); // base64url is not StdEncoding
    expect(decodeBase64("QUJDé")).toEqual({ badByte: 4 });
    expect(decodeBase64("")).toEqual(new Uint8Array(0));
  });
});
