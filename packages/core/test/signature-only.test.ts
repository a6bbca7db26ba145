import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubepkiError, parseCertificate, verifyCertificate, verifyCertificateSignature } from "../src/index.js";
import { opensslOk, tempDir } from "./helpers/openssl.js";
import { selfSignedRsaArgs } from "./helpers/openssl-args.js";

let dir: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

describe("verifyCertificateSignature: who signed what, whatever the signer is", () => {
  it("tells the tutorial's v1 CA signed its leaf (which verifyCertificate refuses to trust), and another key did not", async () => {
    const cwd = dir.path;
    const sh = (...args: string[]) => opensslOk(args, { cwd });
    await sh("genrsa", "-out", "ca.key", "2048");
    await sh("req", "-new", "-key", "ca.key", "-subj", "/CN=KUBERNETES-CA", "-out", "ca.csr");
    await sh("x509", "-req", "-in", "ca.csr", "-signkey", "ca.key", "-out", "ca.crt"); // v1, no extensions
    await sh("genrsa", "-out", "admin.key", "2048");
    await sh("req", "-new", "-key", "admin.key", "-subj", "/CN=kube-admin", "-out", "admin.csr");
    await sh("x509", "-req", "-in", "admin.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-out", "admin.crt");
    await sh(...selfSignedRsaArgs("other", "/CN=KUBERNETES-CA"));
    const ca = parseCertificate(await readFile(join(cwd, "ca.crt"), "utf8"));
    const other = parseCertificate(await readFile(join(cwd, "other.crt"), "utf8"));
    const admin = parseCertificate(await readFile(join(cwd, "admin.crt"), "utf8"));
    expect(ca.version).toBe(1);
    expect(await verifyCertificateSignature(admin, ca)).toBe(true);
    expect(await verifyCertificateSignature(admin, other)).toBe(false);
    const refused = await verifyCertificate(admin, ca).catch((error: unknown) => error);
    expect((refused as KubepkiError).code).toBe("NOT_A_CA");
  });

  it("throws UNSUPPORTED_ALGORITHM for a SHA-1 signature rather than answering", async () => {
    const cwd = dir.path;
    await opensslOk(
      [
        "req",
        "-x509",
        "-sha1",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "sha1.key",
        "-subj",
        "/CN=old",
        "-out",
        "sha1.crt",
      ],
      { cwd },
    );
    const old = parseCertificate(await readFile(join(cwd, "sha1.crt"), "utf8"));
    const error = await verifyCertificateSignature(old, old).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubepkiError);
    expect((error as KubepkiError).code).toBe("UNSUPPORTED_ALGORITHM");
  });
});
