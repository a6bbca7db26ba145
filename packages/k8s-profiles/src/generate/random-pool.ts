/**
 * Serial numbers for a whole cluster from a few large `getRandomValues` calls instead of one per
 * certificate: each call costs tens of microseconds on Node whatever its size, and a cluster of
 * 1000 workers needs 2000 serials. The bytes are the same CSPRNG output, handed out once each.
 *
 * @internal Not re-exported from the index.
 */

/** The most one `getRandomValues` call may fill (WebCrypto's QuotaExceededError limit). */
const POOL_BYTES = 65536;

/**
 * A `random(length)` function for issueCertificate's `random` option that serves fresh
 * bytes from a pool refilled with `crypto.getRandomValues`. Every returned array is a copy: no
 * byte is ever handed out twice.
 *
 * @internal
 */
export function pooledRandom(crypto: Crypto): (length: number) => Uint8Array {
  let pool = new Uint8Array(0);
  let offset = 0;
  return (length) => {
    if (length > POOL_BYTES) {
      const out = new Uint8Array(length);
      for (let at = 0; at < length; at += POOL_BYTES) crypto.getRandomValues(out.subarray(at, at + POOL_BYTES));
      return out;
    }
    if (offset + length > pool.length) {
      pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
      offset = 0;
    }
    offset += length;
    return pool.slice(offset - length, offset);
  };
}
