// renewCertificates keeps the validity the cluster chose (issue 18): the recorded leafDays, else
// each certificate's own lifetime, else (a kubeadm leaf renewed after its CA) kubeadm's 365 days;
// the validityDays option overrides all of it, and the CA's NotAfter still caps it.
import { importPrivateKeyPem, issueCertificate, parseCertificate, prepareIssuer } from "@kubepki/core";
import { parseKubeconfig } from "@kubepki/renderers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLUSTER_RECORD_PATH,
  type ClusterConfig,
  generateCluster,
  type RenewResult,
  renewCertificates,
  toKubeadmFiles,
} from "../src/index.js";
import { openssl, tempDir, writeTree } from "./helpers/tree.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

const CONFIG: ClusterConfig = {
  nodes: [{ name: "cp-1", role: "control-plane", addresses: ["192.168.10.10"] }],
  keyAlgorithm: "ECDSA-P256",
  validity: { leafDays: 90 },
};

/** A 90-day tree made `ageDays` ago (real clock, so openssl can verify the renewed files as of now). */
async function treeMadeAgo(config: ClusterConfig, ageDays: number): Promise<Map<string, string>> {
  const pki = await generateCluster(config, { now: new Date(Date.now() - ageDays * DAY_MS) });
  return new Map(toKubeadmFiles(pki).map((file) => [file.path, file.contents]));
}

function withoutRecord(files: Map<string, string>): Map<string, string> {
  const copy = new Map(files);
  expect(copy.delete(CLUSTER_RECORD_PATH)).toBe(true);
  return copy;
}

function apply(files: Map<string, string>, result: RenewResult): Map<string, string> {
  const out = new Map(files);
  for (const file of result.files) out.set(file.path, file.contents);
  return out;
}

function embeddedCert(kubeconfig: string) {
  const data = parseKubeconfig(kubeconfig).users[0]?.clientCertificate;
  if (!data || !("pem" in data)) throw new Error("no embedded certificate");
  return parseCertificate(data.pem);
}

/** Renews with the real clock and returns the clock window the renewal ran in. */
async function renewNow(files: Map<string, string>, options: Parameters<typeof renewCertificates>[1] = {}) {
  const before = Date.now();
  const result = await renewCertificates(files, options);
  return { result, before, after: Date.now(), renewed: apply(files, result) };
}

/** Every renewed certificate (files, embedded ones, and the result's list) ends `days` after the renewal. */
function expectDays(run: Awaited<ReturnType<typeof renewNow>>, days: number): void {
  const { result, before, after, renewed } = run;
  const inWindow = (notAfter: Date) => {
    expect(notAfter.getTime()).toBeGreaterThanOrEqual(before + days * DAY_MS - MINUTE_MS);
    expect(notAfter.getTime()).toBeLessThanOrEqual(after + days * DAY_MS + MINUTE_MS);
  };
  expect(result.certificates.map((cert) => cert.name)).toEqual(result.renewed);
  expect(result.renewed.length).toBeGreaterThanOrEqual(10);
  for (const cert of result.certificates) {
    expect(cert.validityDays, cert.name).toBe(days);
    inWindow(cert.notAfter);
  }
  for (const file of result.files) {
    if (file.path.endsWith(".crt")) inWindow(parseCertificate(file.contents).notAfter);
    else if (file.path.endsWith(".conf")) inWindow(embeddedCert(file.contents).notAfter);
  }
  inWindow(parseCertificate(renewed.get("pki/apiserver.crt") as string).notAfter);
  inWindow(embeddedCert(renewed.get("admin.conf") as string).notAfter);
}

describe("renew keeps the validity the cluster chose", () => {
  let files: Map<string, string>;
  const dirs: (() => void)[] = [];
  beforeAll(async () => {
    files = await treeMadeAgo(CONFIG, 30);
  }, 60_000);
  afterAll(() => {
    for (const remove of dirs) remove();
  });

  it("uses the recorded leafDays (90), and openssl accepts the renewed certificates", async () => {
    const run = await renewNow(files);
    expectDays(run, 90);
    expect(new Set(run.result.certificates.map((cert) => cert.validityFrom))).toEqual(new Set(["record"]));
    expect(run.result.notes).toEqual([]);
    expect(run.result.warnings).toEqual([]);
    const { dir, remove } = tempDir("renew-validity");
    dirs.push(remove);
    writeTree(
      dir,
      [...run.renewed].map(([path, contents]) => ({ path, contents, mode: 0o600 })),
    );
    const server = openssl(["verify", "-CAfile", "pki/ca.crt", "-purpose", "sslserver", "pki/apiserver.crt"], dir);
    expect(server.stdout + server.stderr).toContain("pki/apiserver.crt: OK");
    const client = openssl(["verify", "-CAfile", "pki/ca.crt", "-purpose", "sslclient", "users/admin.crt"], dir);
    expect(client.stdout + client.stderr).toContain("users/admin.crt: OK");
  }, 60_000);

  it("without kubepki.yaml, uses each certificate's own lifetime (90 days, not 365)", async () => {
    const run = await renewNow(withoutRecord(files));
    expectDays(run, 90);
    expect(new Set(run.result.certificates.map((cert) => cert.validityFrom))).toEqual(new Set(["lifetime"]));
    expect(run.result.notes).toEqual([]);
  }, 60_000);

  it("validityDays overrides the record and the lifetime", async () => {
    expectDays(await renewNow(files, { validityDays: 30 }), 30);
    const run = await renewNow(withoutRecord(files), { validityDays: 30, names: ["apiserver"] });
    expect(run.result.certificates).toEqual([
      expect.objectContaining({ validityDays: 30, validityFrom: "validityDays" }),
    ]);
  }, 60_000);

  it("validityDays is read even when the record is damaged; a damaged leafDays without it is an error", async () => {
    const damaged = new Map(files).set(CLUSTER_RECORD_PATH, "validity:\n  leafDays: ninety\n");
    const ok = await renewCertificates(damaged, { validityDays: 30, names: ["apiserver"] });
    expect(ok.certificates[0]?.validityDays).toBe(30);
    await expect(renewCertificates(damaged, { names: ["apiserver"] })).rejects.toMatchObject({
      code: "INVALID_CONFIG",
      details: { field: "validity.leafDays" },
    });
    await expect(renewCertificates(files, { validityDays: 0 })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      details: { field: "validityDays" },
    });
  }, 60_000);

  it("a kubeadm leaf (NotBefore = its CA's, renewed long after the CA) gets kubeadm's 365 days and a note", async () => {
    // As kubeadm's NewSignedCert signs: NotBefore copied from the CA, NotAfter = the signing time + 365 days.
    const bare = withoutRecord(files);
    const ca = parseCertificate(bare.get("pki/ca.crt") as string);
    const caKey = await importPrivateKeyPem(bare.get("pki/ca.key") as string);
    const old = parseCertificate(bare.get("pki/apiserver.crt") as string);
    const signedAt = new Date(ca.notBefore.getTime() + 20 * DAY_MS + 3 * 60 * MINUTE_MS + 17 * MINUTE_MS);
    const key = await importPrivateKeyPem(bare.get("pki/apiserver.key") as string);
    const kubeadmLeaf = await issueCertificate({
      issuer: await prepareIssuer({ certificate: ca, privateKey: caKey.privateKey }),
      publicKey: key.publicKey,
      subject: old.subject,
      sans: old.subjectAltNames,
      keyUsages: ["digitalSignature", "keyEncipherment"],
      extKeyUsages: ["serverAuth"],
      validity: { notBefore: ca.notBefore, notAfter: new Date(signedAt.getTime() + 365 * DAY_MS) },
      now: ca.notBefore,
    });
    expect(kubeadmLeaf.notBefore.getTime()).toBe(ca.notBefore.getTime());
    bare.set("pki/apiserver.crt", kubeadmLeaf.pem);

    const run = await renewNow(bare, { names: ["apiserver", "admin.conf"] });
    const [apiserver, admin] = run.result.certificates;
    // Its own lifetime (385 days and some hours) would be the CA's age plus a year: not a choice.
    expect(apiserver).toMatchObject({ name: "apiserver", validityDays: 365, validityFrom: "kubeadm-default" });
    expect(admin).toMatchObject({ name: "admin.conf", validityDays: 90, validityFrom: "lifetime" });
    expect(run.result.notes).toEqual([expect.stringMatching(/^apiserver: its NotBefore is its CA's .*365 days/)]);
    expect(run.result.warnings).toEqual([]);
  }, 60_000);

  it("never past the CA: 60 days left on the CA, leafDays 90 → the CA's NotAfter, a note and a warning", async () => {
    const short = await treeMadeAgo({ ...CONFIG, validity: { caDays: 100, leafDays: 90 } }, 40);
    const ca = parseCertificate(short.get("pki/ca.crt") as string);
    const run = await renewNow(short, { names: ["apiserver", "etcd-server"] });
    const [apiserver, etcd] = run.result.certificates;
    expect(apiserver).toMatchObject({ validityDays: 90, validityFrom: "record", endsWithCa: true });
    expect(apiserver?.notAfter.getTime()).toBe(ca.notAfter.getTime());
    expect(parseCertificate(run.renewed.get("pki/apiserver.crt") as string).notAfter.getTime()).toBe(
      ca.notAfter.getTime(),
    );
    expect(etcd?.endsWithCa).toBe(true);
    expect(run.result.warnings).toEqual([
      expect.stringMatching(/^apiserver: validity ends with its CA pki\/ca\.crt on .*; renew the CA$/),
      expect.stringMatching(/^etcd-server: validity ends with its CA pki\/etcd\/ca\.crt on /),
    ]);
    expect(run.result.notes).toEqual(run.result.warnings);
  }, 60_000);
});
