import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePem, encodePem, KubepkiError, parseCertificate, parseCertificates, parseCsr } from "../src/index.js";
import {
  asciiString,
  bitString,
  constructedSet,
  explicit,
  oid,
  sequence,
  smallInteger,
  Tag,
  time,
  tlv,
  unsignedInteger,
} from "../src/lib/der.js";
import { opensslOk, tempDir } from "./helpers/openssl.js";

/**
 * Hostile input: every reader must either parse or throw a KubepkiError (INVALID_DER /
 * INVALID_PEM, or INVALID_ARGUMENT for a wrong input type), never another exception, and the
 * whole batch of cases must finish quickly (no pathological slowness on nesting or lengths).
 */

let certificateDer: Uint8Array;
let certificatePem: string;
let csrDer: Uint8Array;
let csrPem: string;
let cleanup: () => Promise<void>;

const ALLOWED = new Set(["INVALID_DER", "INVALID_PEM", "INVALID_ARGUMENT"]);

/** Runs `read`; a success is fine, a failure must be a KubepkiError with an input-error code. */
function parsesOrRefuses(read: () => unknown, label: string): "parsed" | "refused" {
  try {
    read();
    return "parsed";
  } catch (error) {
    if (!(error instanceof KubepkiError) || !ALLOWED.has(error.code)) {
      throw new Error(`${label}: threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    return "refused";
  }
}

const readers: [string, (input: Uint8Array) => unknown][] = [
  ["parseCertificate", (input) => parseCertificate(input)],
  ["parseCsr", (input) => parseCsr(input)],
  ["parseCertificates", (input) => parseCertificates(encodePem("CERTIFICATE", input))],
];

function allReaders(input: Uint8Array, label: string): void {
  for (const [name, read] of readers) parsesOrRefuses(() => read(input), `${name} ${label}`);
}

/** DER header for `length` bytes of a SEQUENCE. */
function sequenceHeader(length: number): number[] {
  if (length < 0x80) return [0x30, length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return [0x30, 0x80 | bytes.length, ...bytes];
}

/** `depth` SEQUENCEs nested in each other, with correct definite lengths (built in linear time). */
function nestedSequences(depth: number): Uint8Array {
  const headers: number[][] = [];
  let length = 2; // the innermost NULL
  for (let i = 0; i < depth; i++) {
    const header = sequenceHeader(length);
    headers.push(header);
    length += header.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (let i = headers.length - 1; i >= 0; i--) {
    out.set(headers[i] as number[], offset);
    offset += (headers[i] as number[]).length;
  }
  out.set([0x05, 0x00], offset);
  return out;
}

beforeAll(async () => {
  const dir = await tempDir();
  cleanup = dir.cleanup;
  await writeFile(
    join(dir.path, "req.cnf"),
    "[req]\ndistinguished_name=dn\nreq_extensions=ext\n[dn]\n[ext]\nsubjectAltName=DNS:kubernetes,IP:10.96.0.1,IP:fd00::1\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n",
  );
  await opensslOk(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "k.key"], {
    cwd: dir.path,
  });
  await opensslOk(
    [
      "req",
      "-new",
      "-key",
      "k.key",
      "-subj",
      "/O=system:nodes/CN=system:node:w1",
      "-config",
      "req.cnf",
      "-out",
      "k.csr",
    ],
    { cwd: dir.path },
  );
  await opensslOk(
    [
      "x509",
      "-req",
      "-in",
      "k.csr",
      "-signkey",
      "k.key",
      "-days",
      "30",
      "-copy_extensions",
      "copyall",
      "-out",
      "k.crt",
    ],
    { cwd: dir.path },
  );
  certificatePem = await readFile(join(dir.path, "k.crt"), "utf8");
  csrPem = await readFile(join(dir.path, "k.csr"), "utf8");
  certificateDer = parseCertificate(certificatePem).der;
  csrDer = parseCsr(csrPem).der;
}, 60_000);

afterAll(async () => {
  await cleanup?.();
});

describe("malformed input", () => {
  it("empty input is INVALID_PEM / INVALID_DER", () => {
    expect(() => parseCertificate("")).toThrowError(expect.objectContaining({ code: "INVALID_PEM" }));
    expect(() => parseCertificate(new Uint8Array())).toThrowError(expect.objectContaining({ code: "INVALID_DER" }));
    expect(() => parseCsr("")).toThrowError(expect.objectContaining({ code: "INVALID_PEM" }));
    expect(() => parseCsr(new Uint8Array())).toThrowError(expect.objectContaining({ code: "INVALID_DER" }));
    expect(() => parseCertificates("")).toThrowError(expect.objectContaining({ code: "INVALID_PEM" }));
    expect(() => decodePem("")).toThrowError(expect.objectContaining({ code: "INVALID_PEM" }));
    expect(() => parseCertificate(42 as never)).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("every truncation of a real certificate and CSR is INVALID_DER", () => {
    for (const [der, read] of [
      [certificateDer, parseCertificate],
      [csrDer, parseCsr],
    ] as const) {
      for (let length = 1; length < der.length; length++) {
        expect(parsesOrRefuses(() => read(der.subarray(0, length)), `truncated to ${length}`)).toBe("refused");
      }
    }
  });

  it("huge declared lengths, BER indefinite lengths and non-minimal lengths are INVALID_DER", () => {
    const cases = [
      [0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30, 0x00],
      [0x30, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00],
      [0x30, 0xff, 0x00],
      [0x30, 0x80, 0x30, 0x00, 0x00, 0x00],
      [0x30, 0x81, 0x02, 0x05, 0x00],
      [0x30, 0x82, 0x00, 0x02, 0x05, 0x00],
      [0x30, 0x03, 0x30, 0x84, 0x7f, 0xff, 0xff, 0xff],
      [0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00],
      [0x30],
      [0x00, 0x00],
    ];
    for (const bytes of cases) {
      for (const [name, read] of readers) {
        expect(parsesOrRefuses(() => read(Uint8Array.from(bytes)), `${name} ${bytes}`)).toBe("refused");
      }
    }
    // A real certificate whose outer length claims 4 GB.
    const lying = Uint8Array.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, ...certificateDer.subarray(4)]);
    expect(() => parseCertificate(lying)).toThrowError(/declares/);
  });

  it("a name value too long to spread into a call is read, not refused with the engine's RangeError", () => {
    // 300 000 characters: String.fromCharCode(...bytes) throws RangeError from about 120 000.
    const real = parseCertificate(certificateDer);
    const commonName = "A".repeat(300_000);
    const subject = sequence([
      constructedSet([sequence([oid("2.5.4.3"), asciiString(Tag.PRINTABLE_STRING, commonName)])]),
    ]);
    const tbs = sequence([
      explicit(0, smallInteger(2)),
      unsignedInteger(Uint8Array.of(1)),
      sequence([oid("1.2.840.10045.4.3.2")]),
      real.issuerDer,
      sequence([time(real.notBefore), time(real.notAfter)]),
      subject,
      real.publicKeyInfo,
      // basicConstraints CA:FALSE: the common shape, which kubepki's own reader takes.
      explicit(3, sequence([sequence([oid("2.5.29.19"), tlv(Tag.OCTET_STRING, sequence([]))])])),
    ]);
    const der = sequence([tbs, sequence([oid("1.2.840.10045.4.3.2")]), bitString(Uint8Array.of(0x30, 0))]);
    const parsed = parseCertificate(der);
    expect(parsed.subject.commonName).toBe(commonName);
    expect(parsed.version).toBe(3);
  });

  it("deeply nested SEQUENCEs are refused quickly, definite or indefinite", () => {
    for (const depth of [33, 1000, 100_000]) {
      expect(() => parseCertificate(nestedSequences(depth))).toThrowError(
        expect.objectContaining({ code: "INVALID_DER" }),
      );
    }
    const indefinite = new Uint8Array(400_000);
    for (let i = 0; i < indefinite.length; i += 2) indefinite.set([0x30, 0x80], i);
    allReaders(indefinite, "indefinite nesting");
    // Nesting inside an extension value (parsed in a second pass) is bounded too.
    allReaders(nestedSequences(20), "shallow nesting");
  });

  it("every single-bit flip of a certificate and CSR parses or is refused cleanly", () => {
    const outcomes = { parsed: 0, refused: 0 };
    for (const [der, read] of [
      [certificateDer, parseCertificate],
      [csrDer, parseCsr],
    ] as const) {
      // Every byte, one bit each, cycling through the 8 bit positions (tag, constructed and
      // length bits all get hit somewhere); asn1-schema takes ~2 ms per parse, so not 8 × n.
      for (let i = 0; i < der.length; i++) {
        const bit = 1 << (i % 8);
        const flipped = der.slice();
        flipped[i] = (flipped[i] as number) ^ bit;
        outcomes[parsesOrRefuses(() => read(flipped), `flip ${bit} at ${i}`)]++;
      }
    }
    // Both outcomes occur: many flips land in values (names, keys, signatures), many in structure.
    expect(outcomes.parsed).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it("random bytes, and random bytes inside a plausible envelope, parse or are refused", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        allReaders(bytes, "random");
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), (bytes) => {
        allReaders(Uint8Array.from([...sequenceHeader(bytes.length), ...bytes]), "random in SEQUENCE");
      }),
      { numRuns: 400 },
    );
    // Splice random bytes over a region of a real certificate: exercises asn1-schema deep inside.
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), fc.uint8Array({ minLength: 1, maxLength: 16 }), (position, patch) => {
        const mutated = certificateDer.slice();
        mutated.set(patch.subarray(0, mutated.length - (position % mutated.length)), position % mutated.length);
        allReaders(mutated, "patched");
      }),
      { numRuns: 1000 },
    );
  });

  it("wrong or broken PEM is INVALID_PEM", () => {
    const body = certificatePem.split("\n").slice(1, -2).join("\n");
    const broken = [
      certificatePem.replace(/CERTIFICATE/g, "TRUSTED CERTIFICATE"),
      certificatePem.replace(/CERTIFICATE/g, "X509 CRL"),
      certificatePem.replace("-----END CERTIFICATE-----", "-----END CERTIFICATE REQUEST-----"),
      `-----BEGIN CERTIFICATE-----\n${body.slice(0, -3)}\n-----END CERTIFICATE-----\n`,
      `-----BEGIN CERTIFICATE-----\n${body.replace(/A/, "*")}\n-----END CERTIFICATE-----\n`,
      `-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n\n${body}\n-----END CERTIFICATE-----\n`,
      "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
      `-----BEGIN CERTIFICATE-----\n${body}`,
      body,
    ];
    for (const text of broken) {
      expect(() => parseCertificate(text), text.slice(0, 40)).toThrowError(
        expect.objectContaining({ code: "INVALID_PEM" }),
      );
      expect(() => parseCertificates(text)).toThrowError(expect.objectContaining({ code: "INVALID_PEM" }));
    }
    expect(() => parseCsr(certificatePem)).toThrowError(/found CERTIFICATE/);
    expect(() => decodePem(csrPem, ["CERTIFICATE"])).toThrowError(/found CERTIFICATE REQUEST/);
    // Valid PEM around bytes that are not a certificate: INVALID_DER, not a crash.
    expect(() => parseCertificate(encodePem("CERTIFICATE", csrDer))).toThrowError(
      expect.objectContaining({ code: "INVALID_DER" }),
    );
  });

  it("random text with PEM markers parses or is refused", () => {
    const label = fc.constantFrom("CERTIFICATE", "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST", "PRIVATE KEY", "X");
    fc.assert(
      fc.property(
        label,
        label,
        fc.string({ maxLength: 300 }),
        fc.string({ maxLength: 30 }),
        (begin, end, body, around) => {
          const text = `${around}-----BEGIN ${begin}-----\n${body}\n-----END ${end}-----\n${around}`;
          for (const [name, read] of [
            ["parseCertificate", () => parseCertificate(text)],
            ["parseCertificates", () => parseCertificates(text)],
            ["parseCsr", () => parseCsr(text)],
            ["decodePem", () => decodePem(text)],
          ] as const) {
            parsesOrRefuses(read, `${name} ${JSON.stringify(text).slice(0, 60)}`);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("a bundle of all the above runs in well under the time bound", () => {
    // One batch, timed as a whole: truncations, flips and random inputs for every reader.
    const started = performance.now();
    let cases = 0;
    for (let length = 1; length < certificateDer.length; length++) {
      allReaders(certificateDer.subarray(0, length), "timed truncation");
      cases += readers.length;
    }
    for (let i = 0; i < certificateDer.length; i += 3) {
      const flipped = certificateDer.slice();
      flipped[i] = (flipped[i] as number) ^ 0x04;
      allReaders(flipped, "timed flip");
      cases += readers.length;
    }
    allReaders(nestedSequences(200_000), "timed nesting");
    cases += readers.length;
    const elapsed = performance.now() - started;
    expect(cases).toBeGreaterThan(1500);
    expect(elapsed, `${cases} cases took ${Math.round(elapsed)} ms`).toBeLessThan(5000);
  });
});
