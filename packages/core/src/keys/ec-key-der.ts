import { boundedMemo } from "../lib/memo.js";
import { fromBase64Url as decodeBase64Url } from "../vocabulary/base64.js";
import { publicKeyInfoFromJwk } from "./jwk.js";
import { sec1FromJwk } from "./private-key-der.js";

/**
 * Both DER files of an EC key pair — the SEC1 private key and the SubjectPublicKeyInfo — from
 * one private JWK, written into a per-curve template. For a given curve every length in these
 * structures is fixed (JWK's `d`, `x` and `y` are fixed-length, RFC 7518 §6.2), so the template
 * is the generic encoders' output for that curve and only the key's own bytes change: one copy
 * and three decodes per key instead of a dozen nested allocations. Whole-cluster generation
 * writes thousands of keys; {@link sec1FromJwk} and {@link publicKeyInfoFromJwk} stay the
 * definition (the templates are made by them, and a test compares the two ways byte for byte).
 */
interface EcTemplate {
  readonly size: number;
  readonly sec1: Uint8Array;
  /** Offset of the scalar in `sec1`. */
  readonly sec1D: number;
  /** Offset of the 0x04 that starts the uncompressed point in `sec1`. */
  readonly sec1Point: number;
  readonly spki: Uint8Array;
  readonly spkiPoint: number;
}

const COORDINATE_BYTES: Readonly<Record<string, number>> = { "P-256": 32, "P-384": 48, "P-521": 66 };
/** One template per curve, made on first use: constants of three curves (bounded, see lib/memo.ts). */
const templates = /* @__PURE__ */ boundedMemo<EcTemplate | undefined>(8);

function templateFor(curve: string): EcTemplate | undefined {
  return templates(curve, () => makeTemplate(curve));
}

function makeTemplate(curve: string): EcTemplate | undefined {
  const size = COORDINATE_BYTES[curve];
  if (size === undefined) return undefined;
  // A placeholder key of the curve's sizes; base64url of `size` zero bytes.
  const zeros = "A".repeat(Math.ceil((size * 4) / 3));
  const jwk: JsonWebKey = { kty: "EC", crv: curve, d: zeros, x: zeros, y: zeros };
  const sec1 = sec1FromJwk(jwk);
  const spki = publicKeyInfoFromJwk(jwk);
  if (!spki) return undefined;
  const pointBytes = 1 + 2 * size;
  // SEC1: SEQUENCE { INTEGER 1, OCTET STRING d, [0] curve, [1] BIT STRING point }: the scalar
  // follows the SEQUENCE header and "02 01 01 04 <size>", and the point ends the structure (as
  // it ends the SPKI).
  const sequenceHeader = (sec1[1] as number) < 0x80 ? 2 : 2 + ((sec1[1] as number) & 0x7f);
  const sec1D = sequenceHeader + 5;
  if (sec1[sequenceHeader + 3] !== 0x04 || sec1[sequenceHeader + 4] !== size) return undefined;
  return { size, sec1, sec1D, sec1Point: sec1.length - pointBytes, spki, spkiPoint: spki.length - pointBytes };
}

/**
 * SEC1 DER and SPKI DER of an EC private JWK, or undefined when the JWK is not a P-256/P-384/
 * P-521 key with members of the curve's fixed lengths (the caller then takes the generic way,
 * which names the problem).
 */
export function ecKeyDerFromJwk(jwk: JsonWebKey): { sec1: Uint8Array; publicKeyInfo: Uint8Array } | undefined {
  if (jwk.kty !== "EC" || typeof jwk.d !== "string" || typeof jwk.x !== "string" || typeof jwk.y !== "string") {
    return undefined;
  }
  const template = templateFor(jwk.crv ?? "");
  if (!template) return undefined;
  const { size } = template;
  const d = decodeBase64Url(jwk.d);
  const x = decodeBase64Url(jwk.x);
  const y = decodeBase64Url(jwk.y);
  if (d?.length !== size || x?.length !== size || y?.length !== size) return undefined;
  const sec1 = template.sec1.slice();
  sec1.set(d, template.sec1D);
  sec1.set(x, template.sec1Point + 1);
  sec1.set(y, template.sec1Point + 1 + size);
  const publicKeyInfo = template.spki.slice();
  publicKeyInfo.set(x, template.spkiPoint + 1);
  publicKeyInfo.set(y, template.spkiPoint + 1 + size);
  return { sec1, publicKeyInfo };
}
