// Issue 19: audit accepts every phase of a CA rotation (trust bundles of old + new, the incoming
// pair, the controller-manager's ca-signing.crt, sa.pub with two keys) and says where it stands;
// inconsistent mixes are errors. The phase trees are made by hand (helpers/rotation-tree.ts) from
// a 2-control-plane + 1-worker ECDSA tree; openssl verify shows they are real.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Certificate, createSelfSignedCa, generateKeyPair, parseCertificates } from "@kubepki/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditReport, auditCluster, type Finding, type FindingCode } from "../src/index.js";
import { buildKubepkiTree, KUBEPKI_CONFIG } from "./helpers/kubepki-tree.js";
import {
  CA_FILES,
  type CaPair,
  incomingCa,
  incomingSaKey,
  keyPath,
  newPath,
  type RotatedCa,
  type RotationPhase,
  rotationTree,
  SIGNING_FILE,
  saRotationTree,
} from "./helpers/rotation-tree.js";
import { openssl, tempDir } from "./helpers/tree.js";

const CAS: readonly RotatedCa[] = ["ca", "etcd-ca", "front-proxy-ca"];
const PHASES: readonly RotationPhase[] = ["begun", "reissued", "finished"];
const NEXT = { begun: "reissue", reissued: "finish" } as const;

/** Leaves of each CA, with the purpose openssl checks them for. */
const LEAVES: Readonly<Record<RotatedCa, readonly [string, "sslserver" | "sslclient"][]>> = {
  ca: [
    ["pki/apiserver.crt", "sslserver"],
    ["nodes/cp-2/pki/apiserver.crt", "sslserver"],
    ["pki/apiserver-kubelet-client.crt", "sslclient"],
    ["users/admin.crt", "sslclient"],
    ["nodes/worker-1/pki/kubelet.crt", "sslserver"],
    ["nodes/worker-1/users/kubelet.crt", "sslclient"],
  ],
  "etcd-ca": [
    ["pki/etcd/server.crt", "sslserver"],
    ["pki/etcd/peer.crt", "sslclient"],
    ["nodes/cp-2/pki/etcd/peer.crt", "sslserver"],
    ["pki/apiserver-etcd-client.crt", "sslclient"],
    ["pki/etcd/healthcheck-client.crt", "sslclient"],
  ],
  "front-proxy-ca": [
    ["pki/front-proxy-client.crt", "sslclient"],
    ["nodes/cp-2/pki/front-proxy-client.crt", "sslclient"],
  ],
};

const scratch = tempDir("audit-rotation");
afterAll(() => scratch.remove());

let base: Map<string, string>;
const incoming = new Map<RotatedCa, CaPair>();
const trees = new Map<string, Map<string, string>>();
let sa: { keyPem: string; publicPem: string };

const first = (pem: string): Certificate => parseCertificates(pem)[0] as Certificate;
const tree = (ca: RotatedCa | "sa", phase: RotationPhase) =>
  new Map(trees.get(`${ca} ${phase}`) as Map<string, string>);

beforeAll(async () => {
  base = await buildKubepkiTree();
  for (const ca of CAS) {
    const pair = await incomingCa(first(base.get(CA_FILES[ca]) as string));
    incoming.set(ca, pair);
    for (const phase of PHASES) trees.set(`${ca} ${phase}`, await rotationTree(base, ca, phase, pair));
  }
  sa = await incomingSaKey();
  for (const phase of PHASES) trees.set(`sa ${phase}`, saRotationTree(base, phase, sa));
}, 60_000);

const audit = (files: Map<string, string>) => auditCluster(files, { config: KUBEPKI_CONFIG });
const withCode = (report: AuditReport, code: FindingCode): Finding[] =>
  report.findings.filter((finding) => finding.code === code);
const filesWith = async (files: Map<string, string>, code: FindingCode): Promise<string[]> =>
  withCode(await audit(files), code).map((finding) => finding.file);
const problems = (report: AuditReport) =>
  report.findings.filter((finding) => finding.severity !== "info").map((f) => `${f.code} ${f.file}: ${f.message}`);

/** `openssl verify -CAfile <bundle> -purpose <purpose> <leaf>` on files of a tree. */
function verify(files: Map<string, string>, caFile: string, leaf: string, purpose: string) {
  const write = (name: string) => {
    const path = join(scratch.dir, `${Math.random().toString(36).slice(2)}-${name.replace(/\//g, "_")}`);
    writeFileSync(path, files.get(name) as string);
    return path;
  };
  const result = openssl(["verify", "-CAfile", write(caFile), "-purpose", purpose, write(leaf)]);
  return { ok: result.status === 0, out: result.stdout + result.stderr };
}

describe("the hand-made phase trees are real (openssl verify against the phase's bundle)", () => {
  it.each(CAS.flatMap((ca) => PHASES.map((phase) => [ca, phase] as const)))("%s %s", (ca, phase) => {
    const files = tree(ca, phase);
    const bundle = parseCertificates(files.get(CA_FILES[ca]) as string);
    expect(bundle).toHaveLength(phase === "finished" ? 1 : 2);
    const signer = phase === "begun" ? first(base.get(CA_FILES[ca]) as string) : incoming.get(ca)?.certificate;
    for (const [leaf, purpose] of LEAVES[ca]) {
      const result = verify(files, CA_FILES[ca], leaf, purpose);
      expect(result.ok, `${leaf}: ${result.out}`).toBe(true);
      expect(first(files.get(leaf) as string).issuerText).toBe(signer?.subjectText);
    }
    // The old CA alone no longer verifies reissued leaves: the fixture really moved them.
    if (phase !== "begun") {
      const oldOnly = new Map(files).set("old.crt", base.get(CA_FILES[ca]) as string);
      expect(verify(oldOnly, "old.crt", (LEAVES[ca][0] as [string, string])[0], "any").ok).toBe(false);
    }
  });
});

describe("audit of each phase: no error, no warning, the rotation's info finding", () => {
  it("the starting tree has no finding at all", async () => {
    expect((await audit(base)).findings).toEqual([]);
  });

  it.each(CAS.flatMap((ca) => PHASES.map((phase) => [ca, phase] as const)))("%s %s", async (ca, phase) => {
    const report = await audit(tree(ca, phase));
    expect(problems(report)).toEqual([]);
    const infos = report.findings.filter((finding) => finding.severity === "info");
    if (phase === "finished") {
      expect(infos).toEqual([]);
      return;
    }
    expect(infos.map((finding) => [finding.code, finding.file, finding.role])).toEqual([
      ["ROTATION_IN_PROGRESS", CA_FILES[ca], ca],
    ]);
    const message = infos[0]?.message ?? "";
    expect(message).toContain(`rotation of ${ca}: phase ${phase}; next: kubepki rotate DIR --ca ${ca} ${NEXT[phase]}`);
    if (phase === "begun") expect(message).toContain(newPath(CA_FILES[ca]));
    if (ca === "ca") expect(message).toContain(SIGNING_FILE);
  });

  it.each(PHASES)("sa %s", async (phase) => {
    const report = await audit(tree("sa", phase));
    expect(problems(report)).toEqual([]);
    const infos = report.findings.filter((finding) => finding.severity === "info");
    if (phase === "finished") {
      expect(infos).toEqual([]);
      return;
    }
    expect(infos.map((finding) => [finding.code, finding.file])).toEqual([["ROTATION_IN_PROGRESS", "pki/sa.pub"]]);
    expect(infos[0]?.message).toContain(
      `rotation of sa: phase ${phase}; next: kubepki rotate DIR --ca sa ${NEXT[phase]}`,
    );
  });

  it("every CA and the sa key at once: one info finding each", async () => {
    let files = tree("sa", "begun");
    for (const ca of CAS) files = await rotationTree(files, ca, "begun", incoming.get(ca) as CaPair);
    const report = await audit(files);
    expect(problems(report)).toEqual([]);
    expect(withCode(report, "ROTATION_IN_PROGRESS").map((finding) => finding.file)).toEqual([
      "pki/ca.crt",
      "pki/etcd/ca.crt",
      "pki/front-proxy-ca.crt",
      "pki/sa.pub",
    ]);
  });

  it.each(["begun", "reissued"] as const)(
    "a worker's own directory, %s: the rotation is seen, its phase is not",
    async (phase) => {
      const prefix = "nodes/worker-1/";
      const worker = new Map(
        [...tree("ca", phase)]
          .filter(([path]) => path.startsWith(prefix))
          .map(([path, text]) => [path.slice(prefix.length), text] as const),
      );
      expect(parseCertificates(worker.get("pki/ca.crt") as string)).toHaveLength(2);
      const report = await auditCluster(worker);
      expect(report.scope).toBe("node");
      expect(problems(report)).toEqual([]);
      const infos = withCode(report, "ROTATION_IN_PROGRESS");
      expect(infos.map((finding) => finding.file)).toEqual(["pki/ca.crt"]);
      expect(infos[0]?.message).toContain("rotation of ca: in progress (no key here tells the phase)");
    },
  );

  it("begun, rolling: a leaf already signed by the new CA is fine", async () => {
    const files = tree("ca", "begun");
    const reissued = tree("ca", "reissued");
    files.set("pki/apiserver.crt", reissued.get("pki/apiserver.crt") as string);
    expect(verify(files, "pki/ca.crt", "pki/apiserver.crt", "sslserver").ok).toBe(true);
    expect(problems(await audit(files))).toEqual([]);
  });

  it("reissued: a leaf still signed by the outgoing CA is found signed by the bundle's second certificate, a SIGNED_BY_OUTGOING_CA warning", async () => {
    const files = tree("ca", "reissued");
    files.set("pki/apiserver.crt", base.get("pki/apiserver.crt") as string);
    const report = await audit(files);
    expect(problems(report)).toEqual([
      expect.stringMatching(/^SIGNED_BY_OUTGOING_CA pki\/apiserver.crt: still signed by the outgoing ca/),
    ]);
    expect(report.certificates.find((cert) => cert.file === "pki/apiserver.crt")?.issuerFile).toBe("pki/ca.crt");
  });
});

/** openssl refuses `leaf` against the bundle `caFile`, and the audit says NOT_TRUSTED for it alone. */
async function expectRefused(files: Map<string, string>, caFile: string, leaf: string): Promise<void> {
  expect(verify(files, caFile, leaf, "sslserver").ok).toBe(false);
  expect(await filesWith(files, "NOT_TRUSTED")).toEqual([leaf]);
}

describe("inconsistent mixes are errors", () => {
  it("after finish, a leaf of the old CA: NOT_TRUSTED", async () => {
    const files = tree("etcd-ca", "finished");
    files.set("pki/etcd/server.crt", base.get("pki/etcd/server.crt") as string);
    files.set("pki/etcd/server.key", base.get("pki/etcd/server.key") as string);
    await expectRefused(files, "pki/etcd/ca.crt", "pki/etcd/server.crt");
  });

  it("a bundle with an unrelated CA: CA_BUNDLE_UNRELATED", async () => {
    const files = tree("front-proxy-ca", "reissued");
    const keyPair = await generateKeyPair("ECDSA-P256");
    const stranger = await createSelfSignedCa({ keyPair, subject: "/CN=somebody-else" });
    files.set("pki/front-proxy-ca.crt", `${files.get("pki/front-proxy-ca.crt")}${stranger.pem}`);
    const report = await audit(files);
    const found = withCode(report, "CA_BUNDLE_UNRELATED");
    expect(found.map((finding) => [finding.severity, finding.file])).toEqual([["error", "pki/front-proxy-ca.crt"]]);
    expect(found[0]?.message).toContain("certificate 3");
  });

  it("ca-signing.crt as a bundle: SIGNING_BUNDLE; the wrong single certificate: SIGNING_CA_MISMATCH", async () => {
    const files = tree("ca", "begun");
    files.set(SIGNING_FILE, files.get("pki/ca.crt") as string);
    const report = await audit(files);
    expect(withCode(report, "SIGNING_BUNDLE").map((finding) => [finding.severity, finding.file])).toEqual([
      ["error", SIGNING_FILE],
    ]);
    files.set(SIGNING_FILE, incoming.get("ca")?.certificate.pem as string);
    const mismatch = await audit(files);
    expect(withCode(mismatch, "SIGNING_CA_MISMATCH").map((finding) => finding.file)).toEqual([SIGNING_FILE]);
    expect(withCode(mismatch, "SIGNING_BUNDLE")).toEqual([]);
  });

  it("the controller-manager's flags naming the bundle pki/ca.crt as signing certificate: SIGNING_BUNDLE", async () => {
    const files = tree("ca", "begun");
    const flags = "flags/kube-controller-manager.txt";
    expect(files.get(flags)).toContain("--cluster-signing-cert-file=/etc/kubernetes/pki/ca-signing.crt");
    files.set(flags, base.get(flags) as string);
    const report = await audit(files);
    expect(withCode(report, "SIGNING_BUNDLE").map((finding) => [finding.severity, finding.file])).toEqual([
      ["error", flags],
    ]);
  });

  it("a rotation of the cluster CA without ca-signing.crt: a SIGNING_BUNDLE warning", async () => {
    const files = tree("ca", "reissued");
    files.delete(SIGNING_FILE);
    const report = await audit(files);
    expect(withCode(report, "SIGNING_BUNDLE").map((finding) => finding.severity)).toEqual(["warning"]);
  });

  it("K does not match C's first certificate (new first while the key is still the old): KEY_MISMATCH", async () => {
    const files = tree("ca", "begun");
    const [old, fresh] = parseCertificates(files.get("pki/ca.crt") as string) as [Certificate, Certificate];
    files.set("pki/ca.crt", fresh.pem + old.pem);
    const report = await audit(files);
    expect(withCode(report, "KEY_MISMATCH").map((finding) => [finding.file, finding.message])).toEqual([
      [
        "pki/ca.crt",
        expect.stringContaining("pki/ca.key is the key of certificate 2 of this bundle, not of the first"),
      ],
    ]);
  });

  it("the incoming CA missing from the bundle: ROTATION_INCONSISTENT", async () => {
    const files = tree("etcd-ca", "begun");
    files.set("pki/etcd/ca.crt", base.get("pki/etcd/ca.crt") as string);
    expect(await filesWith(files, "ROTATION_INCONSISTENT")).toEqual(["pki/etcd/ca-new.crt"]);
  });

  it("the incoming pair with another key: KEY_MISMATCH; not named like the CA: ROTATION_INCONSISTENT", async () => {
    const files = tree("etcd-ca", "begun");
    const other = await incomingCa(first(base.get("pki/etcd/ca.crt") as string));
    files.set("pki/etcd/ca-new.key", other.keyPem);
    expect(await filesWith(files, "KEY_MISMATCH")).toEqual(["pki/etcd/ca-new.crt"]);
    const stranger = await createSelfSignedCa({
      keyPair: await generateKeyPair("ECDSA-P256"),
      subject: "/CN=etcd-ca-2",
    });
    const renamed = tree("etcd-ca", "begun");
    renamed.set("pki/etcd/ca-new.crt", stranger.pem);
    const report = await audit(renamed);
    expect(withCode(report, "ROTATION_INCONSISTENT").map((finding) => [finding.file, finding.message])).toEqual([
      ["pki/etcd/ca-new.crt", expect.stringContaining("is not a CA named like pki/etcd/ca.crt")],
    ]);
  });

  it("the incoming CA without its key: ROTATION_INCONSISTENT", async () => {
    const files = tree("front-proxy-ca", "begun");
    files.delete(keyPath(newPath(CA_FILES["front-proxy-ca"])));
    expect(await filesWith(files, "ROTATION_INCONSISTENT")).toEqual(["pki/front-proxy-ca-new.crt"]);
  });

  it("a leaf signed by a third CA of the same name: NOT_TRUSTED", async () => {
    const files = tree("ca", "begun");
    const third = await incomingCa(first(base.get("pki/ca.crt") as string));
    const rogue = await rotationTree(base, "ca", "finished", third);
    files.set("pki/apiserver.crt", rogue.get("pki/apiserver.crt") as string);
    await expectRefused(files, "pki/ca.crt", "pki/apiserver.crt");
  });

  it("a kubeconfig holding only the old CA while pki/ca.crt is the bundle: KUBECONFIG_CA_MISMATCH", async () => {
    const files = tree("ca", "begun");
    files.set("admin.conf", base.get("admin.conf") as string);
    expect(await filesWith(files, "KUBECONFIG_CA_MISMATCH")).toEqual(["admin.conf"]);
  });

  it("a node's copy of the cluster CA left with the old CA alone: ROTATION_INCONSISTENT", async () => {
    const files = tree("ca", "reissued");
    files.set("nodes/worker-1/pki/ca.crt", base.get("pki/ca.crt") as string);
    expect(await filesWith(files, "ROTATION_INCONSISTENT")).toEqual(["nodes/worker-1/pki/ca.crt"]);
  });

  it("sa.pub with a stray key: STRAY_SA_KEY", async () => {
    const stray = await incomingSaKey();
    const files = tree("sa", "begun");
    files.set("pki/sa.pub", `${files.get("pki/sa.pub")}${stray.publicPem}`);
    const report = await audit(files);
    expect(withCode(report, "STRAY_SA_KEY").map((finding) => [finding.severity, finding.message])).toEqual([
      ["error", expect.stringContaining("public key 3 of pki/sa.pub")],
    ]);
    // The stray key in place of the new one: the new one is missing too.
    files.set("pki/sa.pub", `${base.get("pki/sa.pub")}${stray.publicPem}`);
    const swapped = await audit(files);
    expect(withCode(swapped, "STRAY_SA_KEY")).toHaveLength(1);
    expect(withCode(swapped, "ROTATION_INCONSISTENT").map((finding) => finding.file)).toEqual(["pki/sa.pub"]);
    // Reissued with a third key: the outgoing (second) key is expected, the third is not.
    const reissued = tree("sa", "reissued");
    reissued.set("pki/sa.pub", `${reissued.get("pki/sa.pub")}${stray.publicPem}`);
    expect(withCode(await audit(reissued), "STRAY_SA_KEY")).toHaveLength(1);
  });

  it("sa.key not the first key of sa.pub: KEY_MISMATCH", async () => {
    const files = tree("sa", "begun");
    files.set("pki/sa.pub", sa.publicPem + (base.get("pki/sa.pub") as string));
    expect(await filesWith(files, "KEY_MISMATCH")).toEqual(["pki/sa.pub"]);
  });
});
