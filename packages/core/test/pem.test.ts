import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodePem, decodePemBlocks, encodePem } from "../src/pem/pem.js";
import { fromBase64, fromBase64Url, toBase64, toBase64Lines, toBase64Url } from "../src/vocabulary/base64.js";
import { KubepkiError } from "../src/vocabulary/errors.js";
import { opensslOk, tempDir } from "./helpers/openssl.js";

/** The code of the KubepkiError `run` throws (fails the test for any other outcome). */
function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(KubepkiError);
    return (error as KubepkiError).code;
  }
  throw new Error("expected a KubepkiError");
}

const LABEL = fc.constantFrom(
  "CERTIFICATE",
  "PRIVATE KEY",
  "RSA PRIVATE KEY",
  "EC PRIVATE KEY",
  "PUBLIC KEY",
  "CERTIFICATE REQUEST",
  "X509 CRL",
);
const DER = fc.uint8Array({ minLength: 1, maxLength: 600 });

describe("base64 (what PEM bodies are made of)", () => {
  it("encodes like Buffer for any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString("base64"));
      }),
      { numRuns: 500 },
    );
  });

  it("writes lines of any width like Buffer's base64 cut into lines, each ending in a newline", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 80 }), (bytes, width) => {
        const text = Buffer.from(bytes).toString("base64");
        const lines = text.match(new RegExp(`.{1,${width}}`, "g")) ?? [];
        expect(toBase64Lines(bytes, width)).toBe(lines.map((line) => `${line}\n`).join(""));
      }),
      { numRuns: 500 },
    );
  });

  it("base64url (JWK members): both ways like Buffer, refusing padding, '+', '/' and non-canonical tails", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = Buffer.from(bytes).toString("base64url");
        expect(toBase64Url(bytes)).toBe(text);
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
    expect(fromBase64Url("-_8")).toEqual(Uint8Array.of(0xfb, 0xff));
    for (const bad of ["-_8=", "+/8", "A", "AB=C", "-_9", "AAA\n", "AB", "AAAAAé", "AAA\u0100"]) {
      expect(fromBase64Url(bad)).toBeUndefined();
    }
  });

  it("decodes Buffer's base64 back to the bytes, with any line breaks", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 80 }), (bytes, width) => {
        const text = Buffer.from(bytes).toString("base64");
        const wrapped = text.replace(new RegExp(`(.{${width}})`, "g"), "$1\r\n");
        expect(fromBase64(text)).toEqual(bytes);
        expect(fromBase64(wrapped)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses what is not base64", () => {
    for (const bad of ["A", "AB", "ABC", "AB=C", "A===", "AB*=", "QUJD\u00e9", "=AAA", "AAAA=", "AA=A"]) {
      expect(fromBase64(bad), bad).toBeUndefined();
    }
  });
});

describe("encodePem", () => {
  it("writes 64-character lines and a trailing newline, like openssl", async () => {
    const der = new Uint8Array(200).map((_, i) => i);
    const pem = encodePem("CERTIFICATE", der);
    const lines = pem.split("\n");
    expect(lines[0]).toBe("-----BEGIN CERTIFICATE-----");
    expect(lines.slice(1, -2).every((line, i, all) => line.length === 64 || i === all.length - 1)).toBe(true);
    expect(pem.endsWith("-----END CERTIFICATE-----\n")).toBe(true);
    // openssl's own base64 wrapping is the same 64 columns.
    const body = await opensslOk(["base64", "-e"], { input: der });
    expect(pem).toBe(`-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`);
  });

  it("round-trips through decodePem for any DER and label", () => {
    fc.assert(
      fc.property(LABEL, DER, (label, der) => {
        const block = decodePem(encodePem(label, der));
        expect(block.label).toBe(label);
        expect(block.der).toEqual(der);
        expect(decodePem(encodePem(label, der), [label]).der).toEqual(der);
      }),
      { numRuns: 300 },
    );
  });
});

describe("decodePemBlocks", () => {
  it("reads a bundle in order, with text around and between the blocks, and CRLF line ends", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(LABEL, DER), { minLength: 1, maxLength: 6 }),
        fc.array(fc.constantFrom("", "\n", "subject=CN = x\n", "Bag Attributes\n", "# comment\r\n"), {
          minLength: 7,
          maxLength: 7,
        }),
        fc.boolean(),
        (entries, junk, crlf) => {
          let text = junk[0] as string;
          entries.forEach(([label, der], i) => {
            text += encodePem(label, der) + (junk[i + 1] as string);
          });
          if (crlf) text = text.replace(/\n/g, "\r\n");
          const blocks = decodePemBlocks(text);
          expect(blocks.map((block) => block.label)).toEqual(entries.map(([label]) => label));
          blocks.forEach((block, i) => {
            expect(block.der).toEqual(entries[i]?.[1]);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("returns no blocks for text without PEM", () => {
    expect(decodePemBlocks("")).toEqual([]);
    expect(decodePemBlocks("hello\nworld\n")).toEqual([]);
  });

  it("decodes what openssl writes (a certificate and its key in one file)", async () => {
    const dir = await tempDir("kubepki-pem-");
    try {
      const keyFile = join(dir.path, "key.pem");
      await opensslOk(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", keyFile]);
      const key = await readFile(keyFile, "utf8");
      const certificate = await opensslOk(["req", "-new", "-x509", "-key", keyFile, "-subj", "/CN=x", "-days", "1"]);
      const blocks = decodePemBlocks(`${certificate}${key}`);
      expect(blocks.map((block) => block.label)).toEqual(["CERTIFICATE", "PRIVATE KEY"]);
      // Re-encoding the decoded DER gives openssl's text back byte for byte.
      expect(encodePem("CERTIFICATE", blocks[0]?.der as Uint8Array)).toBe(certificate);
      expect(encodePem("PRIVATE KEY", blocks[1]?.der as Uint8Array)).toBe(key);
    } finally {
      await dir.cleanup();
    }
  });
});

describe("malformed PEM is INVALID_PEM", () => {
  const good = encodePem("CERTIFICATE", Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01));

  it.each([
    ["a mismatched END label", good.replace("END CERTIFICATE", "END PRIVATE KEY")],
    ["a missing END line", good.replace("-----END CERTIFICATE-----\n", "")],
    ["a block interrupted by another", good.replace("-----END CERTIFICATE-----\n", "") + good],
    ["a truncated second block", good + good.slice(0, 40)],
    ["bad base64", good.replace("MAMCAQE=", "MAMC*QE=")],
    ["bad padding", good.replace("MAMCAQE=", "MAMCAQE")],
    ["an empty body", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"],
    [
      "headers (a legacy encrypted key)",
      "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMAMCAQE=\n-----END RSA PRIVATE KEY-----\n",
    ],
    ["a lower-case label", "-----BEGIN certificate-----\nMAMCAQE=\n-----END certificate-----\n"],
    ["a BEGIN line that never closes", "-----BEGIN CERTIFICATE\nMAMCAQE=\n"],
  ])("%s", (_name, text) => {
    expect(codeOf(() => decodePemBlocks(text))).toBe("INVALID_PEM");
    expect(codeOf(() => decodePem(text))).toBe("INVALID_PEM");
  });

  it("non-string input", () => {
    for (const value of [undefined, null, 42, {}, Uint8Array.of(1)]) {
      expect(codeOf(() => decodePemBlocks(value as unknown as string))).toBe("INVALID_PEM");
    }
  });

  it("decodePem: empty input and wrong labels say what was expected and found", () => {
    expect(codeOf(() => decodePem(""))).toBe("INVALID_PEM");
    try {
      decodePem(good, ["PRIVATE KEY", "RSA PRIVATE KEY"]);
      expect.unreachable();
    } catch (error) {
      expect((error as KubepkiError).code).toBe("INVALID_PEM");
      expect((error as KubepkiError).message).toContain("PRIVATE KEY or RSA PRIVATE KEY");
      expect((error as KubepkiError).message).toContain("found CERTIFICATE");
    }
  });

  it("decodePem picks the first block with a wanted label", () => {
    const key = encodePem("PRIVATE KEY", Uint8Array.of(0x30, 0x00));
    expect(decodePem(good + key, ["PRIVATE KEY"]).label).toBe("PRIVATE KEY");
    expect(decodePem(good + key).label).toBe("CERTIFICATE");
  });

  it("any text gives blocks or INVALID_PEM, never another error", () => {
    const pieces = fc.constantFrom(
      "-----BEGIN CERTIFICATE-----",
      "-----END CERTIFICATE-----",
      "-----BEGIN ",
      "-----END ",
      "-----",
      "MAMCAQE=",
      "Zm9v",
      "\n",
      "\r\n",
      ":",
      "=",
      " ",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 8 })), { maxLength: 30 }), (parts) => {
        try {
          decodePemBlocks(parts.join(""));
        } catch (error) {
          expect(error).toBeInstanceOf(KubepkiError);
          expect((error as KubepkiError).code).toBe("INVALID_PEM");
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("hostile input is handled in linear time", () => {
    const cases = [
      "-----BEGIN CERTIFICATE-----\n".repeat(50_000),
      `-----BEGIN CERTIFICATE-----\n${"A".repeat(2_000_000)}`,
      "-----BEGIN ".repeat(100_000),
      `${"-".repeat(1_000_000)}BEGIN X`,
      `${good}`.repeat(20_000),
    ];
    for (const text of cases) {
      const started = performance.now();
      try {
        decodePemBlocks(text);
      } catch (error) {
        expect((error as KubepkiError).code).toBe("INVALID_PEM");
      }
      expect(performance.now() - started).toBeLessThan(2_000);
    }
    expect(decodePemBlocks(good.repeat(20_000))).toHaveLength(20_000);
  });
});
