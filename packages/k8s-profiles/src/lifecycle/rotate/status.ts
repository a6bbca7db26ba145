import { parseCertificate } from "@kubepki/core";
import { type ClusterFiles, normalizeFiles } from "../../files/read-files.js";
import {
  CA_LAYOUTS,
  type CaLayout,
  keyMatches,
  pemBlocks,
  publicKeyDer,
  ROTATION_TARGETS,
  SA_LAYOUT,
  SIGNING_CERT,
} from "./layout.js";
import type { RotationState, RotationTarget } from "./types.js";

/** The files of a tree as text (bytes decoded as UTF-8), path normalised. */
export function textFiles(files: ClusterFiles): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, contents] of normalizeFiles(files)) {
    out.set(path, typeof contents === "string" ? contents : new TextDecoder().decode(contents));
  }
  return out;
}

/**
 * Where a tree stands in the rotation of each target (`ca`, `etcd-ca`, `front-proxy-ca`, `sa`, in
 * that order), read from the layout only: a CA file of two certificates with its `-new.crt`
 * beside it is `begun`; two certificates whose first is the key file's, and no `-new.crt`, is
 * `reissued`; anything else `none`. The service-account pair likewise (`sa.pub` with two public
 * keys, `sa-new.key`). Synchronous, no WebCrypto.
 *
 * @throws KubepkiError `INVALID_ARGUMENT` when `files` is not a map or object of path → contents.
 *
 * @example
 * ```ts
 * import { rotationStatus } from "@kubepki/k8s-profiles";
 *
 * console.log(rotationStatus({}).map((state) => `${state.target}: ${state.phase}`).join(", "));
 * // "ca: none, etcd-ca: none, front-proxy-ca: none, sa: none"
 * ```
 */
export function rotationStatus(files: ClusterFiles): RotationState[] {
  return statesOf(textFiles(files));
}

/** {@link rotationStatus} of a tree already read as text. */
export function statesOf(texts: ReadonlyMap<string, string>): RotationState[] {
  return ROTATION_TARGETS.map((target) => stateOf(texts, target));
}

export function stateOf(texts: ReadonlyMap<string, string>, target: RotationTarget): RotationState {
  return target === "sa" ? saState(texts) : caState(texts, CA_LAYOUTS[target]);
}

function caState(texts: ReadonlyMap<string, string>, layout: CaLayout): RotationState {
  const blocks = pemBlocks(texts.get(layout.cert), "CERTIFICATE");
  const none: RotationState = { target: layout.target, phase: "none", files: [] };
  if (blocks.length !== 2) return none;
  const signing = layout.target === "ca" && texts.has(SIGNING_CERT) ? [SIGNING_CERT] : [];
  if (texts.has(layout.newCert)) {
    const newKey = texts.has(layout.newKey) ? [layout.newKey] : [];
    return { target: layout.target, phase: "begun", files: [layout.cert, layout.newCert, ...newKey, ...signing] };
  }
  let first: Uint8Array | undefined;
  try {
    first = parseCertificate(blocks[0] as string).publicKeyInfo;
  } catch {
    return none;
  }
  if (!keyMatches(texts.get(layout.key), first)) return none;
  return { target: layout.target, phase: "reissued", files: [layout.cert, ...signing] };
}

function saState(texts: ReadonlyMap<string, string>): RotationState {
  const blocks = pemBlocks(texts.get(SA_LAYOUT.pub), "PUBLIC KEY");
  const none: RotationState = { target: "sa", phase: "none", files: [] };
  if (blocks.length !== 2) return none;
  if (texts.has(SA_LAYOUT.newKey)) return { target: "sa", phase: "begun", files: [SA_LAYOUT.pub, SA_LAYOUT.newKey] };
  if (!keyMatches(texts.get(SA_LAYOUT.key), publicKeyDer(blocks[0] as string))) return none;
  return { target: "sa", phase: "reissued", files: [SA_LAYOUT.pub] };
}
