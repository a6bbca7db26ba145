import type { CryptoOptions } from "@kubepki/core";
import type { KubeadmFile } from "../../files/kubeadm-files.js";
import type { Component } from "../../roles/profiles.js";

/**
 * What {@link rotateCas} rotates: the cluster CA (`pki/ca.*`), the etcd CA (`pki/etcd/ca.*`), the
 * front-proxy CA (`pki/front-proxy-ca.*`) or the service-account key pair (`pki/sa.*`).
 *
 * @example
 * ```ts
 * import type { RotationTarget } from "@kubepki/k8s-profiles";
 *
 * const target: RotationTarget = "etcd-ca";
 * ```
 */
export type RotationTarget = "ca" | "etcd-ca" | "front-proxy-ca" | "sa";

/**
 * One step of a rotation: `begin` (trust old + new, signing stays old), `reissue` (every leaf
 * signed by the new CA, signing moves to it), `finish` (the old CA leaves every bundle).
 *
 * @example
 * ```ts
 * import type { RotationPhase } from "@kubepki/k8s-profiles";
 *
 * const next: RotationPhase = "reissue";
 * ```
 */
export type RotationPhase = "begin" | "reissue" | "finish";

/**
 * Where a tree stands for one target, read from its files only (see {@link rotationStatus}):
 * `none` (no rotation), `begun` (bundle of old + new, the new pair beside it), `reissued` (bundle
 * of new + old, signing with the new key); `files` are the files that show it.
 *
 * @example
 * ```ts
 * import type { RotationState } from "@kubepki/k8s-profiles";
 *
 * const state: RotationState = { target: "ca", phase: "begun", files: ["pki/ca.crt", "pki/ca-new.crt", "pki/ca-new.key"] };
 * ```
 */
export interface RotationState {
  readonly target: RotationTarget;
  readonly phase: "none" | "begun" | "reissued";
  readonly files: readonly string[];
}

/**
 * Options of {@link rotateCas}.
 *
 * @example
 * ```ts
 * import type { RotateOptions } from "@kubepki/k8s-profiles";
 *
 * const options: RotateOptions = { targets: ["ca", "sa"], phase: "begin" };
 * ```
 */
export interface RotateOptions extends CryptoOptions {
  /** The targets that move together (each must stand at the same phase), or `"all"`: the four. */
  targets: readonly RotationTarget[] | "all";
  phase: RotationPhase;
  /** The clock (default `new Date()`). */
  now?: Date;
  /**
   * `begin` of one CA target only: use this CA instead of making one. Its subject must be the
   * current CA's and the key must be its certificate's.
   */
  newCa?: { certificatePem: string; privateKeyPem: string };
  /**
   * Validity of the reissued leaves in whole days. Default as renewal: the tree's recorded
   * `validity.leafDays`, else each leaf's own lifetime.
   */
  validityDays?: number;
}

/**
 * What one phase of {@link rotateCas} changes: new and changed files (`mode` as `toKubeadmFiles`:
 * keys and kubeconfigs 0600), files that leave the tree (`remove`), the restarts of this phase in
 * order, notes, and the states after it.
 *
 * @example
 * ```ts
 * import type { RotationResult } from "@kubepki/k8s-profiles";
 *
 * const steps = (result: RotationResult) =>
 *   result.restarts.map((step) => `${step.node ?? "(root)"}: ${step.components.join(", ")}`);
 * ```
 */
export interface RotationResult {
  readonly files: readonly KubeadmFile[];
  readonly remove: readonly string[];
  readonly restarts: readonly { readonly node?: string; readonly components: readonly Component[] }[];
  readonly notes: readonly string[];
  readonly states: readonly RotationState[];
}
