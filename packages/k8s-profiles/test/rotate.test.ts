// rotateCas / rotationStatus (issue 19): each CA walked begin → reissue → finish on a
// 2-control-plane + 1-worker ECDSA tree, checked at every phase by openssl and Node's TLS, with
// the previous phase's certificates mixed in as during a rolling restart.
import type { AddressInfo } from "node:net";
import { connect, createServer } from "node:tls";
import { describePrivateKeyPem, parseCertificate, parseCertificates } from "@kubepki/core";
import { parseKubeconfig } from "@kubepki/renderers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  certSpec,
  type RotationResult,
  type RotationTarget,
  resolveClusterConfig,
  rotationStatus,
} from "../src/index.js";
import { buildKubepkiTree, KUBEPKI_CONFIG } from "./helpers/kubepki-tree.js";
import { leavesOf, opensslCertCount, opensslPublicKey, verifyFailures, walk } from "./helpers/rotation.js";
import { tempDir } from "./helpers/tree.js";

const MADE = new Date("2026-01-01T00:00:00Z");
const LATER = new Date("2026-06-01T00:00:00Z");

const CASES = [
  { target: "ca", cert: "pki/ca.crt", key: "pki/ca.key", cn: "kubernetes" },
  { target: "etcd-ca", cert: "pki/etcd/ca.crt", key: "pki/etcd/ca.key", cn: "etcd-ca" },
  { target: "front-proxy-ca", cert: "pki/front-proxy-ca.crt", key: "pki/front-proxy-ca.key", cn: "front-proxy-ca" },
] as const;

const PHASE_STATES = ["none", "begun", "reissued", "none"] as const;

function caDataOf(kubeconfig: string): string {
  const ca = parseKubeconfig(kubeconfig).clusters[0]?.certificateAuthority;
  if (!ca || !("pem" in ca)) throw new Error("no embedded CA");
  return ca.pem;
}

function fingerprints(pem: string): string[] {
  return parseCertificates(pem).map((cert) => cert.fingerprintSha256);
}

let original: Map<string, string>;
const scratch = tempDir("rotate");

beforeAll(async () => {
  original = await buildKubepkiTree(KUBEPKI_CONFIG, MADE);
});
afterAll(() => scratch.remove());

describe.each(CASES)("rotateCas $target: begin → reissue → finish", ({ target, cert, key, cn }) => {
  let trees: Map<string, string>[];
  let results: RotationResult[];
  beforeAll(async () => {
    ({ trees, results } = await walk(original, [target as RotationTarget], LATER));
  });
  const tree = (phase: number) => trees[phase] as Map<string, string>;
  const bundle = (phase: number) => tree(phase).get(cert) as string;

  it("rotationStatus says where each phase left the tree, and the other targets stay none", () => {
    PHASE_STATES.forEach((phase, index) => {
      const states = rotationStatus(tree(index));
      expect(states.map((state) => state.target)).toEqual(["ca", "etcd-ca", "front-proxy-ca", "sa"]);
      for (const state of states) expect(state.phase).toBe(state.target === target ? phase : "none");
      expect((results[index] ?? { states })?.states).toEqual(states);
    });
    expect(rotationStatus(tree(1)).find((state) => state.target === target)?.files).toContain(
      cert.replace(/\.crt$/, "-new.crt"),
    );
  });

  it("begin and reissue: the CA file and every copy of it parse (openssl) as two certificates, old first then new first", () => {
    const old = fingerprints(bundle(0));
    const fresh = fingerprints(tree(1).get(cert.replace(/\.crt$/, "-new.crt")) as string);
    expect(old).toHaveLength(1);
    expect(fresh).toHaveLength(1);
    expect(fingerprints(bundle(1))).toEqual([...old, ...fresh]);
    expect(fingerprints(bundle(2))).toEqual([...fresh, ...old]);
    expect(fingerprints(bundle(3))).toEqual(fresh);
    for (const phase of [1, 2]) {
      const copies = [...tree(phase)].filter(([path]) => path === cert || path.endsWith(`/${cert}`));
      expect(copies.length).toBeGreaterThan(0);
      for (const [path, text] of copies) {
        expect(text, path).toBe(bundle(phase));
        expect(opensslCertCount(scratch.dir, text), path).toBe(2);
      }
    }
    expect(opensslCertCount(scratch.dir, bundle(3))).toBe(1);
  });

  it("every leaf verifies (openssl -purpose) against the bundle of its phase and of the previous one; after finish an old leaf fails", () => {
    for (const phase of [1, 2, 3]) {
      const leaves = leavesOf(tree(phase), cn);
      expect(leaves.length).toBeGreaterThan(1);
      expect(verifyFailures(scratch.dir, bundle(phase), leaves), `phase ${phase}`).toEqual([]);
      expect(verifyFailures(scratch.dir, bundle(phase - 1), leaves), `phase ${phase - 1} bundle`).toEqual([]);
    }
    const oldLeaves = leavesOf(tree(0), cn);
    expect(verifyFailures(scratch.dir, bundle(3), oldLeaves)).toHaveLength(
      oldLeaves.reduce((count, leaf) => count + (parseCertificate(leaf.pem).extKeyUsages?.length ?? 0), 0),
    );
  });

  it("reissue signs every leaf of the CA with the new CA and a new key, same subject and SANs, and only those", () => {
    const fresh = parseCertificates(bundle(2))[0];
    const before = new Map(leavesOf(tree(1), cn).map((leaf) => [leaf.where, parseCertificate(leaf.pem)]));
    const after = leavesOf(tree(2), cn);
    expect(after.map((leaf) => leaf.where).sort()).toEqual([...before.keys()].sort());
    for (const leaf of after) {
      const now = parseCertificate(leaf.pem);
      const was = before.get(leaf.where);
      expect(now.authorityKeyIdentifier, leaf.where).toBe(fresh?.subjectKeyIdentifier);
      expect(now.subjectText).toBe(was?.subjectText);
      expect(now.subjectAltNames).toEqual(was?.subjectAltNames);
      expect(now.extKeyUsages).toEqual(was?.extKeyUsages);
      expect(Buffer.from(now.publicKeyInfo).equals(Buffer.from(was?.publicKeyInfo ?? []))).toBe(false);
    }
    // Leaves of the other CAs are untouched.
    const others = CASES.filter((other) => other.target !== target);
    for (const other of others) {
      for (const leaf of leavesOf(tree(2), other.cn)) {
        expect(
          leavesOf(tree(0), other.cn).some((old) => old.pem === leaf.pem),
          leaf.where,
        ).toBe(true);
      }
    }
  });

  it("every certificate of every phase goes with its key (files and kubeconfigs)", () => {
    for (const phase of [1, 2, 3]) {
      let pairs = 0;
      for (const [path, text] of tree(phase)) {
        if (path.endsWith(".crt") && tree(phase).has(path.replace(/\.crt$/, ".key"))) {
          const certificate = parseCertificates(text)[0] as ReturnType<typeof parseCertificate>;
          const keyInfo = describePrivateKeyPem(
            tree(phase).get(path.replace(/\.crt$/, ".key")) as string,
          ).publicKeyInfo;
          expect(Buffer.from(keyInfo ?? []).equals(Buffer.from(certificate.publicKeyInfo)), path).toBe(true);
          pairs++;
        } else if (path.endsWith(".conf")) {
          for (const user of parseKubeconfig(text).users) {
            const { clientCertificate, clientKey } = user;
            if (!clientCertificate || !("pem" in clientCertificate) || !clientKey || !("pem" in clientKey)) continue;
            const keyInfo = describePrivateKeyPem(clientKey.pem).publicKeyInfo;
            const certInfo = parseCertificate(clientCertificate.pem).publicKeyInfo;
            expect(Buffer.from(keyInfo ?? []).equals(Buffer.from(certInfo)), path).toBe(true);
            pairs++;
          }
        }
      }
      expect(pairs).toBeGreaterThan(30);
    }
  });

  it("the new CA is made as kubepki makes it (certSpec: subject, SANs, usages; the record's caDays); leaves get the record's leafDays", () => {
    const spec = certSpec(resolveClusterConfig(KUBEPKI_CONFIG), target === "ca" ? "ca" : target);
    const fresh = parseCertificates(bundle(3))[0] as ReturnType<typeof parseCertificate>;
    const old = parseCertificates(bundle(0))[0] as ReturnType<typeof parseCertificate>;
    expect(fresh.subjectText).toBe(old.subjectText);
    expect(fresh.subject.commonName).toBe(spec.subject.commonName);
    expect(fresh.subjectAltNames).toEqual(old.subjectAltNames);
    expect(fresh.keyUsages).toEqual(old.keyUsages);
    expect(fresh.keyAlgorithm).toBe("ECDSA-P256");
    const days = (cert: ReturnType<typeof parseCertificate>) =>
      Math.round((cert.notAfter.getTime() - cert.notBefore.getTime()) / 86_400_000);
    expect(days(fresh)).toBe(3650);
    expect(fresh.notBefore.getTime()).toBeGreaterThan(LATER.getTime() - 3_600_000);
    for (const leaf of leavesOf(tree(2), cn)) expect(days(parseCertificate(leaf.pem)), leaf.where).toBe(365);
  });

  it("the key file is the signing one: K matches the first certificate of C at every phase (openssl)", () => {
    for (const phase of [0, 1, 2, 3]) {
      const first = parseCertificates(bundle(phase))[0]?.pem as string;
      expect(opensslPublicKey(scratch.dir, tree(phase).get(key) as string, "key")).toBe(
        opensslPublicKey(scratch.dir, first, "cert"),
      );
    }
    expect(tree(2).has(cert.replace(/\.crt$/, "-new.crt"))).toBe(false);
    expect(results[2]?.remove).toEqual([cert.replace(/\.crt$/, "-new.crt"), cert.replace(/\.crt$/, "-new.key")].sort());
  });

  it("modes: keys and kubeconfigs 0600, certificates 0644", () => {
    for (const result of results.slice(1)) {
      for (const file of result?.files ?? []) {
        expect(file.mode, file.path).toBe(/\.(key|conf)$/.test(file.path) ? 0o600 : 0o644);
      }
    }
  });

  it("the cluster record and the trust of other CAs are not changed", () => {
    for (const phase of [1, 2, 3]) {
      expect(results[phase]?.files.some((file) => file.path === "kubepki.yaml")).toBe(false);
      for (const other of CASES.filter((item) => item.target !== target)) {
        expect(tree(phase).get(other.cert)).toBe(tree(0).get(other.cert));
      }
    }
  });
});

describe("rotateCas ca: the controller-manager's signing file, kubeconfigs and a TLS handshake per phase", () => {
  let trees: Map<string, string>[];
  let results: RotationResult[];
  beforeAll(async () => {
    ({ trees, results } = await walk(original, ["ca"], LATER));
  });
  const tree = (phase: number) => trees[phase] as Map<string, string>;
  const flags = (phase: number) => tree(phase).get("flags/kube-controller-manager.txt") as string;

  it("pki/ca-signing.crt holds exactly the certificate of K while C is a bundle, and the flag names it", () => {
    for (const phase of [1, 2]) {
      const signing = tree(phase).get("pki/ca-signing.crt") as string;
      expect(opensslCertCount(scratch.dir, signing)).toBe(1);
      expect(opensslPublicKey(scratch.dir, signing, "cert")).toBe(
        opensslPublicKey(scratch.dir, tree(phase).get("pki/ca.key") as string, "key"),
      );
      expect(flags(phase)).toContain("--cluster-signing-cert-file=/etc/kubernetes/pki/ca-signing.crt\n");
      expect(flags(phase)).toContain("--cluster-signing-key-file=/etc/kubernetes/pki/ca.key\n");
      expect(flags(phase)).toContain("--root-ca-file=/etc/kubernetes/pki/ca.crt\n");
    }
    expect(tree(3).has("pki/ca-signing.crt")).toBe(false);
    expect(results[3]?.remove).toEqual(["pki/ca-signing.crt"]);
    expect(flags(3)).toBe(flags(0));
    // Only the signing line moved.
    expect(flags(1).replace("ca-signing.crt", "ca.crt")).toBe(flags(0));
  });

  it("every kubeconfig's certificate-authority-data is the phase's bundle", () => {
    for (const phase of [1, 2, 3]) {
      const confs = [...tree(phase)].filter(([path]) => path.endsWith(".conf"));
      expect(confs.length).toBeGreaterThan(5);
      for (const [path, text] of confs)
        expect(caDataOf(text), `${path} at ${phase}`).toBe(tree(phase).get("pki/ca.crt"));
    }
  });

  it("restarts in order: controller-manager, then each apiserver, scheduler, then each node's kubelet", () => {
    const order = (phase: number) =>
      results[phase]?.restarts.map((step) => `${step.node ?? "root"}:${step.components.join("+")}`);
    expect(order(1)).toEqual([
      "cp-1:kube-controller-manager",
      "cp-2:kube-controller-manager",
      "cp-1:kube-apiserver",
      "cp-2:kube-apiserver",
      "cp-1:kube-scheduler",
      "cp-2:kube-scheduler",
      "cp-1:kubelet",
      "cp-2:kubelet",
      "worker-1:kubelet",
    ]);
    expect(order(2)?.slice(0, 2)).toEqual(["cp-1:kube-apiserver", "cp-2:kube-apiserver"]);
    expect(order(2)?.at(-1)).toBe("worker-1:kubelet");
  });

  /** A TLS server with phase `server`'s apiserver pair, trusting phase `server`'s C, requiring a client certificate. */
  async function handshake(server: number, client: number): Promise<string> {
    const listener = createServer({
      cert: tree(server).get("pki/apiserver.crt"),
      key: tree(server).get("pki/apiserver.key"),
      ca: tree(server).get("pki/ca.crt"),
      requestCert: true,
      rejectUnauthorized: true,
    });
    listener.on("secureConnection", (socket) => socket.end("ok"));
    listener.on("tlsClientError", () => {});
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    const { port } = listener.address() as AddressInfo;
    try {
      return await new Promise<string>((resolve) => {
        const socket = connect({
          host: "127.0.0.1",
          port,
          servername: "kubernetes",
          ca: caDataOf(tree(client).get("admin.conf") as string),
          cert: tree(client).get("users/admin.crt"),
          key: tree(client).get("users/admin.key"),
          timeout: 5_000,
        });
        let data = "";
        socket.on("data", (chunk) => {
          data += String(chunk);
        });
        socket.once("end", () => resolve(data === "ok" ? "ok" : `no data (${data})`));
        socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
        socket.once("timeout", () => {
          socket.destroy();
          resolve("timeout");
        });
      });
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  }

  it("Node TLS: the admin pair of phase k-1 and of phase k both reach the apiserver of phase k; after finish the old admin is refused", async () => {
    for (const phase of [1, 2, 3]) {
      expect(await handshake(phase, phase - 1), `client ${phase - 1} → server ${phase}`).toBe("ok");
      expect(await handshake(phase, phase), `client ${phase} → server ${phase}`).toBe("ok");
    }
    expect(await handshake(3, 0)).not.toBe("ok");
    expect(await handshake(0, 0)).toBe("ok");
  });
});
