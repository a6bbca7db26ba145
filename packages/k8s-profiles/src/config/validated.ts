/**
 * The mark of data that kubepki validated itself: a `ResolvedClusterConfig` from
 * `resolveClusterConfig`, a `ClusterPlan` from `planCluster`, a `ClusterPki` from
 * `generateCluster`. Validation runs once, where data enters; a layer below accepts marked data
 * as it is and checks only what is unmarked (a plan a caller assembled or edited).
 *
 * The mark is a non-enumerable property of the object itself: a spread copy (`{ ...plan }`), a
 * JSON round trip or `structuredClone` drops it, so an edited copy is checked again, and equality
 * tests and printed plans do not see it. The type carries it too, so code cannot type an object
 * literal as one of these without a cast.
 *
 * @internal Not re-exported from the index.
 */

/**
 * The mark's key. A symbol, so it cannot collide with a field a caller writes.
 *
 * @internal
 */
export const validatedBy: unique symbol = Symbol();

/**
 * Who validated it.
 *
 * @internal
 */
export type Validator = "resolveClusterConfig" | "planCluster" | "generateCluster";

/**
 * Marks `value` as validated by `by` and returns it, typed as the marked type.
 *
 * @internal
 */
export function markValidated<T extends { readonly [validatedBy]: Validator }>(
  value: Omit<T, typeof validatedBy>,
  by: T[typeof validatedBy],
): T {
  // defineProperty's default: not enumerable, not writable, not configurable.
  return Object.defineProperty(value, validatedBy, { value: by }) as T;
}

/**
 * True when `value` itself (not a copy of it) was marked by `by`.
 *
 * @internal
 */
export function isValidated(value: unknown, by: Validator): boolean {
  return (value as { [validatedBy]?: unknown } | null | undefined)?.[validatedBy] === by;
}
