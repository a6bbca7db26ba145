// Test helpers for the rotation tests: walk the phases of rotateCas over a file map, and ask
// openssl about the files of one phase (written to a temp dir).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCertificate, parseCertificates } from "@kubepki/core";
import { parseKubeconfig } from "@kubepki/renderers";
import { type RotationPhase, type RotationResult, type RotationTarget, rotateCas } from "../../src/index.js";
import { openssl } from "./tree.js";

export const PHASES: readonly RotationPhase[] = ["begin", "reissue", "finish"];

/** The map after a phase: its files written, its removals deleted. */
export function applied(files: ReadonlyMap<string, string>, result: RotationResult): Map<string, string> {
  const out = new Map(files);
  for (const file of result.files) out.set(file.path, file.contents);
  for (const path of result.remove) out.delete(path);
  return out;
}

/** The tree before begin and after each phase (index 0..3), with each phase's result (index 1..3). */
export async function walk(
  tree: ReadonlyMap<string, string>,
  targets: readonly RotationTarget[] | "all",
  now: Date,
): Promise<{ trees: Map<string, string>[]; results: RotationResult[] }> {
  const trees = [new Map(tree)];
  const results: RotationResult[] = [];
  for (const phase of PHASES) {
    const result = await rotateCas(trees[trees.length - 1] as Map<string, string>, { targets, phase, now });
    results[trees.length] = result;
    trees.push(applied(trees[trees.length - 1] as Map<string, string>, result));
  }
  return { trees, results };
}

/** Every leaf of a tree whose issuer is `caCn`: certificate files and kubeconfig client certificates, as PEM by where it lives. */
export function leavesOf(tree: ReadonlyMap<string, string>, caCn: string): { where: string; pem: string }[] {
  const out: { where: string; pem: string }[] = [];
  for (const [path, text] of tree) {
    if (path.endsWith(".crt")) {
      const cert = parseCertificates(text)[0];
      if (cert && !cert.isCa && cert.issuer.commonName === caCn) out.push({ where: path, pem: cert.pem });
    } else if (path.endsWith(".conf")) {
      for (const user of parseKubeconfig(text).users) {
        const data = user.clientCertificate;
        if (data && "pem" in data && parseCertificate(data.pem).issuer.commonName === caCn) {
          out.push({ where: `${path}#${user.name}`, pem: data.pem });
        }
      }
    }
  }
  return out;
}

/** `openssl verify -purpose` of a leaf against a CA file, for each purpose its EKU has; the failures. */
export function verifyFailures(
  dir: string,
  bundle: string,
  leaves: readonly { where: string; pem: string }[],
): string[] {
  const caFile = join(dir, "bundle.pem");
  writeFileSync(caFile, bundle);
  const failures: string[] = [];
  leaves.forEach((leaf, index) => {
    const leafFile = join(dir, `leaf-${index}.pem`);
    writeFileSync(leafFile, leaf.pem);
    const usages = parseCertificate(leaf.pem).extKeyUsages ?? [];
    const purposes = [
      ...(usages.includes("serverAuth") ? ["sslserver"] : []),
      ...(usages.includes("clientAuth") ? ["sslclient"] : []),
    ];
    for (const purpose of purposes) {
      const result = openssl(["verify", "-CAfile", caFile, "-purpose", purpose, leafFile]);
      if (result.status !== 0) failures.push(`${leaf.where} (${purpose}): ${result.stdout}${result.stderr}`.trim());
    }
  });
  return failures;
}

/** How many certificates openssl reads from a file. */
export function opensslCertCount(dir: string, pem: string): number {
  const file = join(dir, "count.pem");
  writeFileSync(file, pem);
  const result = openssl(["storeutl", "-noout", "-certs", file]);
  const match = /Total found: (\d+)/.exec(result.stdout + result.stderr);
  return match ? Number(match[1]) : -1;
}

/** The public key (SPKI PEM) openssl reads from a certificate or a private key. */
export function opensslPublicKey(dir: string, pem: string, kind: "cert" | "key"): string {
  const file = join(dir, `pub-${kind}.pem`);
  writeFileSync(file, pem);
  const result =
    kind === "cert" ? openssl(["x509", "-noout", "-pubkey", "-in", file]) : openssl(["pkey", "-pubout", "-in", file]);
  return result.stdout;
}
