import { KubepkiError } from "../errors.js";
import { fromBase64, toBase64 } from "../lib/bytes.js";

/** One PEM block: its label (`CERTIFICATE`, `RSA PRIVATE KEY`…) and the DER it carries. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

/**
 * Encodes DER as PEM with 64-character lines (RFC 7468 §2, what openssl and Go write) and a
 * trailing newline.
 *
 * @example
 * ```ts
 * import { encodePem } from "@kubepki/core";
 *
 * const pem = encodePem("CERTIFICATE", new Uint8Array([0x30, 0x00]));
 * // "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"
 * ```
 */
export function encodePem(label: string, der: Uint8Array): string {
  const body = toBase64(der);
  let lines = "";
  for (let i = 0; i < body.length; i += 64) lines += `${body.slice(i, i + 64)}\n`;
  return `-----BEGIN ${label}-----\n${lines}-----END ${label}-----\n`;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]{1,64})-----([\s\S]*?)-----END ([A-Z0-9 ]{1,64})-----/g;

/**
 * Every PEM block in `text`, in order (a CA bundle, a key followed by its certificate…). Text
 * around the blocks is ignored, as openssl does. Headers such as `Proc-Type` (encrypted keys) are
 * refused: kubepki does not read encrypted PEM.
 *
 * @example
 * ```ts
 * import { decodePemBlocks } from "@kubepki/core";
 *
 * const blocks = decodePemBlocks(caBundleText);
 * console.log(blocks.map((block) => block.label)); // ["CERTIFICATE", "CERTIFICATE"]
 * ```
 */
export function decodePemBlocks(text: string): PemBlock[] {
  if (typeof text !== "string") throw new KubepkiError("INVALID_PEM", "PEM input must be a string");
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const [, begin, body = "", end] = match;
    if (begin !== end) {
      throw new KubepkiError("INVALID_PEM", `PEM block "BEGIN ${begin}" is closed by "END ${end}"`);
    }
    if (body.includes(":")) {
      throw new KubepkiError(
        "INVALID_PEM",
        `PEM block ${begin} has headers (an encrypted key?): decrypt it first, e.g. with "openssl pkey"`,
      );
    }
    const der = fromBase64(body);
    if (!der || der.length === 0) {
      throw new KubepkiError("INVALID_PEM", `PEM block ${begin} does not contain valid base64`);
    }
    blocks.push({ label: begin as string, der });
  }
  return blocks;
}

/**
 * The first PEM block of `text` whose label is one of `labels` (any label when omitted).
 * Throws `INVALID_PEM` naming what was expected and what was found.
 *
 * @example
 * ```ts
 * import { decodePem } from "@kubepki/core";
 *
 * const { der } = decodePem(certificatePem, ["CERTIFICATE"]);
 * ```
 */
export function decodePem(text: string, labels?: readonly string[]): PemBlock {
  const blocks = decodePemBlocks(text);
  if (blocks.length === 0) {
    throw new KubepkiError(
      "INVALID_PEM",
      `No PEM block found${labels ? `: expected "-----BEGIN ${labels.join('-----" or "-----BEGIN ')}-----"` : ""}`,
    );
  }
  if (!labels) return blocks[0] as PemBlock;
  const found = blocks.find((block) => labels.includes(block.label));
  if (!found) {
    throw new KubepkiError(
      "INVALID_PEM",
      `Expected a PEM block labelled ${labels.join(" or ")}, found ${blocks.map((b) => b.label).join(", ")}`,
    );
  }
  return found;
}
