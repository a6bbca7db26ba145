import type { CryptoOptions } from "@kubepki/core";
import type { ResolvedClusterConfig } from "../../config/resolve.js";
import type { KubeadmFile } from "../../files/kubeadm-files.js";
import type { Role } from "../../roles/profiles.js";
import type { Restart } from "../renew.js";

/**
 * Options of {@link diffCluster}.
 *
 * @example
 * ```ts
 * import type { DiffOptions } from "@kubepki/k8s-profiles";
 *
 * // Reissue whatever expires within 60 days, as seen on 1 March 2027.
 * const options: DiffOptions = { now: new Date("2027-03-01T00:00:00Z"), renewBeforeDays: 60 };
 * ```
 */
export interface DiffOptions {
  /** The clock (default `new Date()`). */
  readonly now?: Date;
  /**
   * A certificate expiring within this many days is reissued. Default: a third of the
   * certificate's own lifetime, at most 30 days (a 90-day leaf is reissued in its last 30, a
   * 30-day one in its last 10).
   */
  readonly renewBeforeDays?: number;
}

/**
 * What happens to one file of the tree: `add` (not in the tree), `change` (rewritten), `keep`
 * (left byte for byte) or `remove` (kubepki's layout had it, the wanted cluster does not).
 *
 * @example
 * ```ts
 * import type { FileChange } from "@kubepki/k8s-profiles";
 *
 * const symbol = (change: FileChange) => ({ add: "+", change: "~", keep: "=", remove: "-" })[change];
 * ```
 */
export type FileChange = "add" | "change" | "keep" | "remove";

/**
 * One file of the difference between the wanted cluster and a tree.
 *
 * @example
 * ```ts
 * import type { FileDiff } from "@kubepki/k8s-profiles";
 *
 * const line = (file: FileDiff) => `${file.path} (${file.reasons.join(", ")})`;
 * ```
 */
export interface FileDiff {
  /** Tree-relative, in the plan's layout. */
  readonly path: string;
  readonly change: FileChange;
  /**
   * Why (`new node`, `SAN DNS:api.example.com added`, `server changed (a → b)`, `client
   * certificate reissued`, `node removed`…); empty for `keep`.
   */
  readonly reasons: readonly string[];
  /** `certificateName` of the certificate the file holds or embeds, when it does. */
  readonly name?: string;
  /** The node whose file it is; undefined for the tree root's node and cluster-wide files. */
  readonly node?: string;
}

/**
 * What happens to one planned certificate: `add` (not in the tree), `reissue` (in the tree but no
 * longer fits) or `keep`.
 *
 * @example
 * ```ts
 * import type { CertificateDiff } from "@kubepki/k8s-profiles";
 *
 * const reissued = (list: readonly CertificateDiff[]) => list.filter((item) => item.change === "reissue").map((item) => item.name);
 * ```
 */
export interface CertificateDiff {
  /** `certificateName` (`apiserver`, `admin.conf`, `kubelet-serving:worker-1`). */
  readonly name: string;
  /** The plan's `CertSpec` id. */
  readonly id: string;
  readonly role: Role;
  /** The node it belongs to (undefined for cluster-wide certificates). */
  readonly node?: string;
  readonly change: "add" | "reissue" | "keep";
  readonly reasons: readonly string[];
}

/**
 * The files to copy to one node after an apply: tree path → path on the node.
 *
 * @example
 * ```ts
 * import type { NodeCopies } from "@kubepki/k8s-profiles";
 *
 * const commands = (copies: NodeCopies) =>
 *   copies.files.map((file) => `scp ${file.path} ${copies.node}:${file.onNode}`);
 * ```
 */
export interface NodeCopies {
  readonly node: string;
  readonly files: readonly { readonly path: string; readonly onNode: string }[];
}

/**
 * The difference between a wanted cluster and a tree (see {@link diffCluster}).
 *
 * @example
 * ```ts
 * import type { ClusterDiff } from "@kubepki/k8s-profiles";
 *
 * const summary = ({ counts }: ClusterDiff) => `+${counts.add} ~${counts.change} -${counts.remove} =${counts.keep}`;
 * ```
 */
export interface ClusterDiff {
  /** The wanted cluster, resolved. */
  readonly config: ResolvedClusterConfig;
  /** Every file kubepki manages in this tree and every file to remove, sorted by path. */
  readonly files: readonly FileDiff[];
  /** One per planned certificate, in plan order. */
  readonly certificates: readonly CertificateDiff[];
  /** Components to restart, per node, for what changes (the `restarts` column of `ROLE_PROFILES`). */
  readonly restarts: readonly Restart[];
  /** Per node, the added and changed files to install there. */
  readonly copies: readonly NodeCopies[];
  /** What the plan does not do, or does only in part (key algorithm, CA validity, extras not added…). */
  readonly notes: readonly string[];
  readonly counts: { readonly add: number; readonly change: number; readonly keep: number; readonly remove: number };
}

/**
 * A step of {@link applyCluster}: one certificate (or the service-account key) made.
 *
 * @example
 * ```ts
 * import type { ApplyProgress } from "@kubepki/k8s-profiles";
 *
 * const line = ({ done, total, name }: ApplyProgress) => `${done}/${total} ${name}`;
 * ```
 */
export interface ApplyProgress {
  readonly done: number;
  readonly total: number;
  readonly name: string;
}

/**
 * Options of {@link applyCluster}.
 *
 * @example
 * ```ts
 * import type { ApplyOptions } from "@kubepki/k8s-profiles";
 *
 * const made: string[] = [];
 * const options: ApplyOptions = { prune: true, validityDays: 90, onProgress: ({ name }) => made.push(name) };
 * ```
 */
export interface ApplyOptions extends DiffOptions, CryptoOptions {
  /** Reissue with the certificate's existing key when there is one (default: a new key). */
  readonly reuseKey?: boolean;
  /** Validity of reissued and added leaves (default: the config's `validity.leafDays`); ends with the CA at the latest. */
  readonly validityDays?: number;
  /** Return the diff's `remove` paths as `remove` (default: reported in `kept`, left in place). */
  readonly prune?: boolean;
  /** Called once per certificate made, synchronously. */
  readonly onProgress?: (progress: ApplyProgress) => void;
  /** Checked before each key: an aborted signal rejects with `ABORTED`. */
  readonly signal?: AbortSignal;
}

/**
 * What {@link applyCluster} made: only the files that change, and what to remove.
 *
 * @example
 * ```ts
 * import type { ApplyResult } from "@kubepki/k8s-profiles";
 *
 * const toWrite = (result: ApplyResult) => result.files.map((file) => file.path);
 * ```
 */
export interface ApplyResult {
  readonly diff: ClusterDiff;
  /** Exactly the diff's `add` and `change` files, new contents, modes as `toKubeadmFiles` writes them. */
  readonly files: readonly KubeadmFile[];
  /** The diff's `remove` paths with `prune`, else empty. */
  readonly remove: readonly string[];
  /** The diff's `remove` paths without `prune` (reported, left in place). */
  readonly kept: readonly string[];
  /** The diff's notes, plus what apply did besides (a validity cut short by its CA's). */
  readonly notes: readonly string[];
}
