// rotateCas for the service-account key, and "all" targets together: JWTs signed with WebCrypto
// verify with the phase's sa.pub as the apiserver checks them (any of its public keys).
import { decodePemBlocks, importPrivateKeyPem, parseCertificates } from "@kubepki/core";
import { beforeAll, describe, expect, it } from "vitest";
import { type RotationResult, rotationStatus } from "../src/index.js";
import { buildKubepkiTree, KUBEPKI_CONFIG } from "./helpers/kubepki-tree.js";
import { leavesOf, verifyFailures, walk } from "./helpers/rotation.js";
import { tempDir } from "./helpers/tree.js";

const MADE = new Date("2026-01-01T00:00:00Z");
const LATER = new Date("2026-06-01T00:00:00Z");

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

function signatureAlgorithm(name: string): EcdsaParams | AlgorithmIdentifier {
  return name.startsWith("ECDSA") ? { name: "ECDSA", hash: "SHA-256" } : { name: "RSASSA-PKCS1-v1_5" };
}

/** A JWT (ES256/RS256) signed with the private key PEM, as the apiserver signs service-account tokens. */
async function jwt(keyPem: string): Promise<string> {
  const keyPair = await importPrivateKeyPem(keyPem);
  const alg = keyPair.algorithm.startsWith("ECDSA") ? "ES256" : "RS256";
  const header = base64url(new TextEncoder().encode(JSON.stringify({ alg, typ: "JWT" })));
  const payload = base64url(new TextEncoder().encode(JSON.stringify({ sub: "system:serviceaccount:default:x" })));
  const signature = await crypto.subtle.sign(
    signatureAlgorithm(keyPair.algorithm),
    keyPair.privateKey,
    new TextEncoder().encode(`${header}.${payload}`),
  );
  return `${header}.${payload}.${base64url(new Uint8Array(signature))}`;
}

/** Whether one of the PUBLIC KEY blocks of `pub` verifies the token (the apiserver tries each). */
async function verifies(token: string, pub: string): Promise<boolean> {
  const [header, payload, signature] = token.split(".") as [string, string, string];
  const { alg } = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg: string };
  const keys = decodePemBlocks(pub).filter((block) => block.label === "PUBLIC KEY");
  expect(keys.length).toBeGreaterThan(0);
  for (const block of keys) {
    const params =
      alg === "ES256" ? { name: "ECDSA", namedCurve: "P-256" } : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    const key = await crypto.subtle
      .importKey("spki", new Uint8Array(block.der), params, false, ["verify"])
      .catch(() => undefined);
    if (!key) continue;
    const ok = await crypto.subtle.verify(
      alg === "ES256" ? { name: "ECDSA", hash: "SHA-256" } : { name: "RSASSA-PKCS1-v1_5" },
      key,
      Buffer.from(signature, "base64url"),
      new TextEncoder().encode(`${header}.${payload}`),
    );
    if (ok) return true;
  }
  return false;
}

describe("rotateCas sa: begin → reissue → finish", () => {
  let trees: Map<string, string>[];
  let results: RotationResult[];
  beforeAll(async () => {
    ({ trees, results } = await walk(await buildKubepkiTree(KUBEPKI_CONFIG, MADE), ["sa"], LATER));
  });
  const tree = (phase: number) => trees[phase] as Map<string, string>;
  const pub = (phase: number) => tree(phase).get("pki/sa.pub") as string;

  it("sa.pub holds old + new public keys during the rotation (new first after reissue), the new key only after finish", () => {
    const count = (text: string) => decodePemBlocks(text).filter((block) => block.label === "PUBLIC KEY").length;
    expect([0, 1, 2, 3].map((phase) => count(pub(phase)))).toEqual([1, 2, 2, 1]);
    expect(tree(1).has("pki/sa-new.key")).toBe(true);
    expect(tree(2).has("pki/sa-new.key")).toBe(false);
    expect(tree(2).get("pki/sa.key")).toBe(tree(1).get("pki/sa-new.key"));
    expect(results[2]?.remove).toEqual(["pki/sa-new.key"]);
    expect(
      [0, 1, 2, 3].map((phase) => rotationStatus(tree(phase)).find((state) => state.target === "sa")?.phase),
    ).toEqual(["none", "begun", "reissued", "none"]);
  });

  it("a token of the old key verifies until finish; one of the new key from begin on", async () => {
    const old = await jwt(tree(0).get("pki/sa.key") as string);
    const fresh = await jwt(tree(1).get("pki/sa-new.key") as string);
    expect(await verifies(old, pub(0))).toBe(true);
    expect(await verifies(fresh, pub(0))).toBe(false);
    for (const phase of [1, 2]) {
      expect(await verifies(old, pub(phase)), `old at ${phase}`).toBe(true);
      expect(await verifies(fresh, pub(phase)), `new at ${phase}`).toBe(true);
    }
    expect(await verifies(old, pub(3))).toBe(false);
    expect(await verifies(fresh, pub(3))).toBe(true);
    // The signing key after reissue is the new one.
    expect(await verifies(await jwt(tree(2).get("pki/sa.key") as string), pub(3))).toBe(true);
  });

  it("restarts the apiservers (and the controller-manager when signing moves); notes the token lifetime before finish", () => {
    const order = (phase: number) =>
      results[phase]?.restarts.map((step) => `${step.node}:${step.components.join("+")}`);
    expect(order(1)).toEqual(["cp-1:kube-apiserver", "cp-2:kube-apiserver"]);
    expect(order(2)).toEqual([
      "cp-1:kube-apiserver",
      "cp-2:kube-apiserver",
      "cp-1:kube-controller-manager",
      "cp-2:kube-controller-manager",
    ]);
    expect(results[2]?.notes.join("\n")).toMatch(
      /still verify until finish: run finish only after the longest token lifetime/,
    );
    expect(results[3]?.notes.join("\n")).toMatch(/old key no longer verify/);
    expect(results[1]?.notes.join("\n")).not.toContain("--service-account-max-token-expiration");
  });
});

describe('rotateCas "all": the four targets move together', () => {
  let trees: Map<string, string>[];
  let results: RotationResult[];
  const scratch = tempDir("rotate-all");
  beforeAll(async () => {
    ({ trees, results } = await walk(await buildKubepkiTree(KUBEPKI_CONFIG, MADE), "all", LATER));
  });
  const tree = (phase: number) => trees[phase] as Map<string, string>;

  it("every target is at the same phase after each call", () => {
    expect([0, 1, 2, 3].map((phase) => [...new Set(rotationStatus(tree(phase)).map((state) => state.phase))])).toEqual([
      ["none"],
      ["begun"],
      ["reissued"],
      ["none"],
    ]);
  });

  it("every leaf of each CA verifies against its CA file at each phase and the previous one (openssl)", () => {
    try {
      for (const [cert, cn] of [
        ["pki/ca.crt", "kubernetes"],
        ["pki/etcd/ca.crt", "etcd-ca"],
        ["pki/front-proxy-ca.crt", "front-proxy-ca"],
      ] as const) {
        for (const phase of [1, 2, 3]) {
          const leaves = leavesOf(tree(phase), cn);
          expect(verifyFailures(scratch.dir, tree(phase).get(cert) as string, leaves)).toEqual([]);
          expect(verifyFailures(scratch.dir, tree(phase - 1).get(cert) as string, leaves)).toEqual([]);
        }
        expect(parseCertificates(tree(3).get(cert) as string)).toHaveLength(1);
      }
    } finally {
      scratch.remove();
    }
  });

  it("etcd members restart one by one before the apiservers", () => {
    const order = results[2]?.restarts.map((step) => `${step.node}:${step.components.join("+")}`) ?? [];
    expect(order.slice(0, 4)).toEqual(["cp-1:etcd", "cp-2:etcd", "cp-1:kube-apiserver", "cp-2:kube-apiserver"]);
    expect(order.at(-1)).toBe("worker-1:kubelet");
  });
});
