import { KubepkiError } from "../vocabulary/errors.js";

/**
 * The one place kubepki finds its WebCrypto implementation. Every public function that needs
 * crypto takes an optional `crypto` in its options and falls back to `globalThis.crypto`: there
 * is no mutable module-level provider (PeculiarVentures/x509#83 shows how a singleton ends up
 * ignored by some call paths).
 */
export function resolveCrypto(injected?: Crypto): Crypto {
  const candidate = injected ?? (globalThis as { crypto?: Crypto }).crypto;
  if (!candidate || typeof candidate.subtle !== "object" || typeof candidate.getRandomValues !== "function") {
    throw new KubepkiError(
      "CRYPTO_ERROR",
      "No WebCrypto implementation found: pass { crypto } explicitly or run on Node >= 20, Deno, Bun or a browser",
    );
  }
  return candidate;
}

/**
 * Options shared by every function that touches crypto.
 *
 * @example
 * ```ts
 * import { type CryptoOptions, generateKeyPair } from "@kubepki/core";
 *
 * // Any WebCrypto implementation: a polyfill, an HSM bridge, or a counting wrapper in tests.
 * const options: CryptoOptions = { crypto: globalThis.crypto };
 * const keys = await generateKeyPair("ECDSA-P256", options);
 * console.log(keys.algorithm); // "ECDSA-P256"
 * ```
 */
export interface CryptoOptions {
  /** A WebCrypto implementation to use instead of `globalThis.crypto`. */
  crypto?: Crypto;
}

/** Wraps a WebCrypto rejection in a KubepkiError that names the operation. */
export async function callCrypto<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    if (cause instanceof KubepkiError) throw cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new KubepkiError("CRYPTO_ERROR", `WebCrypto ${operation} failed: ${reason}`, { cause });
  }
}
