/**
 * Validate once, explicit state: an issuer prepared once signs many certificates with one key
 * check and no module-level cache; the plan path (issuePlannedCertificate) trusts fields that were
 * validated where they entered and parses nothing again.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { resolveValidity } from "../src/certificate/build.js";
import * as extensions from "../src/certificate/extensions.js";
import { createSelfSignedCa, issueCertificate, issuePlannedCertificate } from "../src/certificate/issue.js";
import { PreparedIssuer, prepareIssuer } from "../src/certificate/prepare-issuer.js";
import { exportKeyPair } from "../src/keys/export.js";
import { generateKeyPair } from "../src/keys/generate.js";
import { normalizeSubjectAltNames } from "../src/names/san.js";
import * as subject from "../src/names/subject.js";
import type { KubepkiError } from "../src/vocabulary/errors.js";
import * as ip from "../src/vocabulary/ip.js";

// Counting wrappers around the validators, seen by every src module that imports them.
vi.mock("../src/vocabulary/ip.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/vocabulary/ip.js")>();
  return { ...real, canonicalIp: vi.fn(real.canonicalIp), isIp: vi.fn(real.isIp), ipToBytes: vi.fn(real.ipToBytes) };
});
vi.mock("../src/names/subject.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/names/subject.js")>();
  return { ...real, normalizeName: vi.fn(real.normalizeName) };
});
vi.mock("../src/certificate/extensions.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/certificate/extensions.js")>();
  return { ...real, checkKeyUsages: vi.fn(real.checkKeyUsages), checkExtKeyUsages: vi.fn(real.checkExtKeyUsages) };
});

const now = new Date("2026-11-28T12:00:00Z");

/** globalThis.crypto, counting subtle.verify calls (the issuer-key check is one verify). */
function countingVerify() {
  const stats = { verify: 0 };
  const subtle = new Proxy(crypto.subtle, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (property === "verify") {
        return (...args: Parameters<SubtleCrypto["verify"]>) => {
          stats.verify++;
          return target.verify(...args);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const counted = { subtle, getRandomValues: crypto.getRandomValues.bind(crypto) } as unknown as Crypto;
  return { crypto: counted, stats };
}

async function caWithKeys() {
  const keyPair = await generateKeyPair("ECDSA-P256");
  const certificate = await createSelfSignedCa({ keyPair, subject: "/CN=kubernetes", now });
  return { keyPair, certificate };
}

describe("prepareIssuer: the issuer's state lives in the object, not in the module", () => {
  it("one prepared issuer signs many certificates with one key check; a plain issuer is checked at every call", async () => {
    const ca = await caWithKeys();
    const leafKeys = await generateKeyPair("ECDSA-P256");
    const prepared = prepareIssuer({ certificate: ca.certificate, privateKey: ca.keyPair.privateKey });
    expect(prepared).toBeInstanceOf(PreparedIssuer);
    expect(prepareIssuer(prepared)).toBe(prepared);

    const { crypto: counted, stats } = countingVerify();
    const issue = (issuer: Parameters<typeof issueCertificate>[0]["issuer"], i: number) =>
      issueCertificate({ issuer, publicKey: leafKeys.publicKey, subject: `/CN=leaf-${i}`, now, crypto: counted });
    const leaves = await Promise.all(Array.from({ length: 20 }, (_, i) => issue(prepared, i)));
    expect(leaves.map((leaf) => leaf.issuerText)).toEqual(Array(20).fill("/CN=kubernetes"));
    expect(stats.verify).toBe(1);

    stats.verify = 0;
    const plain = { certificate: ca.certificate, privateKey: ca.keyPair.privateKey };
    await Promise.all(Array.from({ length: 3 }, (_, i) => issue(plain, i)));
    expect(stats.verify).toBe(3);
  });

  it("a prepared issuer with the wrong key fails every issue, concurrent or later; a second issuer is independent", async () => {
    const ca = await caWithKeys();
    const wrong = await generateKeyPair("ECDSA-P256");
    const leafKeys = await generateKeyPair("ECDSA-P256");
    const bad = prepareIssuer({ certificate: ca.certificate, privateKey: wrong.privateKey });
    for (let round = 0; round < 2; round++) {
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () =>
          issueCertificate({ issuer: bad, publicKey: leafKeys.publicKey, subject: "/CN=x", now }),
        ),
      );
      for (const result of results) {
        expect(((result as PromiseRejectedResult).reason as KubepkiError).code).toBe("KEY_MISMATCH");
      }
    }
    const good = prepareIssuer({ certificate: ca.certificate, privateKey: ca.keyPair.privateKey });
    const leaf = await issueCertificate({ issuer: good, publicKey: leafKeys.publicKey, subject: "/CN=x", now });
    expect(leaf.authorityKeyIdentifier).toBe(ca.certificate.subjectKeyIdentifier);
  });

  it("checks the issuer when prepared: a PEM string or a leaf is refused up front", async () => {
    const ca = await caWithKeys();
    const leaf = await issueCertificate({
      issuer: { certificate: ca.certificate, privateKey: ca.keyPair.privateKey },
      publicKey: (await generateKeyPair("ECDSA-P256")).publicKey,
      subject: "/CN=leaf",
      now,
    });
    const codeOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as KubepkiError).code;
      }
      return undefined;
    };
    expect(
      codeOf(() => prepareIssuer({ certificate: ca.certificate.pem as never, privateKey: ca.keyPair.privateKey })),
    ).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => prepareIssuer({ certificate: leaf, privateKey: ca.keyPair.privateKey }))).toBe("NOT_A_CA");
  });
});

describe("issuePlannedCertificate: fields validated where they entered are not validated again", () => {
  it("parses no IP, checks no usage or subject again, and writes what issueCertificate writes", async () => {
    const ca = await caWithKeys();
    const issuer = prepareIssuer({ certificate: ca.certificate, privateKey: ca.keyPair.privateKey });
    const keyPair = await generateKeyPair("ECDSA-P256");
    const { publicKeyInfo } = await exportKeyPair(keyPair);
    // What a plan holds: normalised once, when it was made.
    const sans = normalizeSubjectAltNames(["kubernetes.default.svc", "10.96.0.1", "192.168.10.11", "fd00::1"]);
    const fields = {
      subject: { commonName: "kube-apiserver" },
      sans,
      keyUsages: ["digitalSignature", "keyEncipherment"] as const,
      extKeyUsages: ["serverAuth"] as const,
      validity: resolveValidity({ days: 365 }, now),
      random: (length: number) => new Uint8Array(length).fill(0x5a),
    };
    vi.clearAllMocks();
    const planned = await issuePlannedCertificate({ ...fields, issuer, keyPair, publicKeyInfo, isCa: false });
    expect(ip.canonicalIp).not.toHaveBeenCalled();
    expect(ip.isIp).not.toHaveBeenCalled();
    // Each IP is turned into its bytes once: the encoding itself.
    expect(ip.ipToBytes).toHaveBeenCalledTimes(3);
    expect(subject.normalizeName).not.toHaveBeenCalled();
    expect(extensions.checkKeyUsages).not.toHaveBeenCalled();
    expect(extensions.checkExtKeyUsages).not.toHaveBeenCalled();

    // The validating path checks all of it (from user input), and writes the same certificate.
    vi.clearAllMocks();
    const validated = await issueCertificate({
      issuer,
      publicKey: publicKeyInfo,
      subject: fields.subject,
      sans: ["kubernetes.default.svc", "10.96.0.1", "192.168.10.11", "fd00::1"],
      keyUsages: [...fields.keyUsages],
      extKeyUsages: [...fields.extKeyUsages],
      now,
      random: fields.random,
    });
    expect(vi.mocked(ip.canonicalIp).mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(subject.normalizeName).toHaveBeenCalled();
    expect(extensions.checkKeyUsages).toHaveBeenCalled();
    expect(Buffer.from(planned.tbsDer).toString("hex")).toBe(Buffer.from(validated.tbsDer).toString("hex"));
  });

  it('makes a root CA with issuer "self" exactly as createSelfSignedCa does', async () => {
    const keyPair = await generateKeyPair("ECDSA-P256");
    const { publicKeyInfo } = await exportKeyPair(keyPair);
    const random = (length: number) => new Uint8Array(length).fill(0x11);
    const keyUsages = ["digitalSignature", "keyEncipherment", "keyCertSign"] as const;
    const planned = await issuePlannedCertificate({
      issuer: "self",
      keyPair,
      publicKeyInfo,
      subject: { commonName: "etcd-ca" },
      sans: [{ type: "dns", value: "etcd-ca" }],
      keyUsages,
      extKeyUsages: [],
      isCa: true,
      validity: resolveValidity({ days: 3650 }, now),
      random,
    });
    const made = await createSelfSignedCa({
      keyPair,
      subject: { commonName: "etcd-ca" },
      sans: ["etcd-ca"],
      keyUsages: [...keyUsages],
      now,
      random,
    });
    expect(Buffer.from(planned.tbsDer).toString("hex")).toBe(Buffer.from(made.tbsDer).toString("hex"));
  });
});

describe("no hidden state on the issue path", () => {
  // The modules a certificate is made by. A cache kept at module level outlives every caller and
  // is shared by all of them (a key proven for one issuer object was trusted for any other that
  // reused the key); state belongs to an object the caller holds (PreparedIssuer).
  const src = fileURLToPath(new URL("../src", import.meta.url));
  const ISSUE_PATH = ["certificate", "keys", "names", "lib", "csr", "pem"];
  // Not caches of the issue path: a certificate's own lazily computed fields (stored beside the
  // object so V8 keeps its shape) and the verifier's imported issuer keys (verify, not issue).
  const ALLOWED = new Set(["certificate/lazy-fields.ts", "certificate/verify.ts"]);

  it("no module-level new Map / new WeakMap cache in its sources (bounded memos of pure encodings only)", async () => {
    const offences: string[] = [];
    for (const dir of ISSUE_PATH) {
      for (const entry of await readdir(join(src, dir))) {
        const file = `${dir}/${entry}`;
        if (!entry.endsWith(".ts") || ALLOWED.has(file)) continue;
        const code = (await readFile(join(src, file), "utf8")).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
        for (const line of code.split("\n")) {
          // Top-level declarations only: a Map made inside a function is that call's own. (Tables of
          // constants built on first use, `let table: Map | undefined`, hold no caller's data.)
          if (/^(export\s+)?(const|let|var)\b.*\bnew\s+(Weak)?Map\b/.test(line))
            offences.push(`${file}: ${line.trim()}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });
});
