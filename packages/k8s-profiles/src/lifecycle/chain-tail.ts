// What a tree's leaves of one CA carry after the leaf (kubeadm's intermediate-CA layout,
// kubernetes/kubernetes PR #97266): a leaf reissued on day 2 gets the same tail.
import type { Certificate } from "@kubepki/core";
import type { Tree } from "../files/read-files.js";
import { isSelfIssued } from "../generate/chain.js";

/**
 * The certificates written after a leaf of `ca` in this tree: nothing for a self-signed CA (the
 * layout of today's trees, unchanged), else the tail of a leaf file whose chain starts with `ca`
 * (the CA and its issuers up to, without, the root), else nothing: a tree whose leaves of an
 * intermediate carry no chain (a single CA certificate brought with --ca-cert) keeps its layout.
 */
export function chainTail(tree: Tree, ca: Certificate): readonly Certificate[] {
  if (isSelfIssued(ca)) return [];
  for (const entry of tree.certificates) {
    if (entry.chain[0]?.fingerprintSha256 === ca.fingerprintSha256 && !entry.certificate.isCa) return entry.chain;
  }
  return [];
}
