// CAs are never replaced (issue 18): a CA in the tree is kept byte for byte, key included, whatever
// its subject or validity; one is added only where nothing in the tree depends on it yet. A
// change that would need another CA is refused: that is rotation, which swaps trust on every node.
import { KubepkiError } from "@kubepki/core/names";
import type { Tree } from "../../files/read-files.js";
import { identifyRole } from "../../files/read-files.js";
import type { ClusterPlan } from "../../plan/plan.js";
import type { CertSpec, Signer } from "../../roles/profiles.js";
import { issuedBy } from "./certificate-fit.js";
import type { Located } from "./locate.js";
import type { DiffRun } from "./options.js";

/** A planned CA: kept (as the tree has it) or added. */
export interface CaState {
  readonly spec: CertSpec;
  readonly change: "keep" | "add";
  /** The tree's CA, when kept; its `keyPem` is undefined in kubeadm's external CA mode. */
  readonly located?: Located;
}

/** The planned CAs by role. */
export type CaStates = ReadonlyMap<Exclude<Signer, "self">, CaState>;

const ROTATION_HINT =
  "a different CA must be rolled out to every node first: that is CA rotation (kubepki rotate, the next issue), not apply";

function refused(path: string, why: string): KubepkiError {
  return new KubepkiError("CA_REPLACEMENT_REFUSED", `${path} ${why}; ${ROTATION_HINT}`, { details: { path } });
}

/**
 * Refuses a tree without a cluster CA at all: nothing to change, a tree is made by init.
 *
 * @throws KubepkiError `NOT_A_TREE`.
 */
export function requireClusterCa(tree: Tree, caPath: string): void {
  if (tree.texts.has(caPath)) return;
  if (tree.certificates.some((entry) => identifyRole(entry, undefined)?.role === "ca")) return;
  throw new KubepkiError(
    "NOT_A_TREE",
    `no cluster CA in the tree (${caPath} is missing, ${tree.texts.size} file(s) read): make a tree with init first`,
    { details: { path: caPath } },
  );
}

/**
 * Keeps or adds each planned CA; refuses when the tree's CA cannot be kept as the issuer of the
 * wanted tree: the file is not a CA certificate, it has expired, or the tree's leaves were
 * signed by another CA (the CA file was swapped), or it is missing while leaves signed by it are
 * there.
 *
 * @throws KubepkiError `CA_REPLACEMENT_REFUSED` (`details.path`: the CA file).
 */
export function decideCas(
  plan: ClusterPlan,
  tree: Tree,
  located: ReadonlyMap<string, Located | undefined>,
  caEntry: (spec: CertSpec) => Located | undefined,
  run: DiffRun,
): CaStates {
  const states = new Map<Exclude<Signer, "self">, CaState>();
  for (const spec of plan.certificates) {
    if (!spec.isCa) continue;
    const leaves = plan.certificates.flatMap((leaf) => {
      const found = !leaf.isCa && leaf.signer === spec.role ? located.get(leaf.id) : undefined;
      return found ? [{ leaf, found }] : [];
    });
    const path = spec.certPath;
    if (!tree.texts.has(path)) {
      if (leaves.length > 0) {
        throw refused(
          path,
          `is missing, but ${leaves.length} certificate(s) of the tree depend on a ${spec.role} (${leaves
            .slice(0, 3)
            .map(({ found }) => found.entry.file)
            .join(", ")}${leaves.length > 3 ? ", …" : ""}): a new ${spec.role} would not have signed them`,
        );
      }
      states.set(spec.role, { spec, change: "add" });
      continue;
    }
    const found = caEntry(spec);
    if (!found) throw refused(path, "is not a readable certificate");
    const cert = found.entry.certificate;
    if (!cert.isCa) throw refused(path, `is not a CA certificate (${cert.subjectText}, basicConstraints CA:FALSE)`);
    if (cert.notAfter.getTime() <= run.now.getTime()) {
      throw refused(path, `expired on ${cert.notAfter.toISOString()}`);
    }
    if (leaves.length > 0 && !leaves.some(({ found: leaf }) => issuedBy(leaf.entry.certificate, cert))) {
      throw refused(
        path,
        `did not sign any of the ${leaves.length} certificate(s) of the tree it should have (${leaves[0]?.found.entry.file} is issued by ${leaves[0]?.found.entry.certificate.issuerText}): the CA file was replaced`,
      );
    }
    states.set(spec.role, { spec, change: "keep", located: found });
  }
  return states;
}
