/**
 * A small bounded cache for encodings that repeat across a cluster: every leaf of a role has the
 * same keyUsage, extendedKeyUsage and basicConstraints bytes, every leaf of a CA the same
 * authorityKeyIdentifier, every certificate of a run the same validity. Encoding them once per
 * distinct value, not once per certificate, is a measurable share of whole-cluster generation.
 * Past `limit` entries nothing new is kept (values are still computed): callers with unbounded
 * variety cannot grow it.
 *
 * Cached values are shared: they are DER fragments that are only ever copied into larger
 * structures, never written to.
 */
export function boundedMemo<V>(limit: number): (key: string, compute: () => V) => V {
  const entries = new Map<string, V>();
  return (key, compute) => {
    const cached = entries.get(key);
    if (cached !== undefined) return cached;
    const value = compute();
    if (entries.size < limit) entries.set(key, value);
    return value;
  };
}
