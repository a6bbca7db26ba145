import { fromBase64, toBase64Lines } from "../vocabulary/base64.js";
import { KubepkiError } from "../vocabulary/errors.js";

/**
 * One PEM block: its label (`CERTIFICATE`, `RSA PRIVATE KEY`…) and the DER it carries.
 *
 * @example
 * ```ts
 * import { decodePemBlocks, type PemBlock } from "@kubepki/core";
 *
 * const [block]: PemBlock[] = decodePemBlocks("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n");
 * console.log(block?.label, block?.der); // "CERTIFICATE" Uint8Array [48, 0]
 * ```
 */
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
 * console.log(encodePem("CERTIFICATE", new Uint8Array([0x30, 0x00])));
 * // "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"
 * ```
 */
export function encodePem(label: string, der: Uint8Array): string {
  return `-----BEGIN ${label}-----\n${toBase64Lines(der, 64)}-----END ${label}-----\n`;
}

const BEGIN = "-----BEGIN ";
const END = "-----END ";
const DASHES = "-----";
/** RFC 7468 labels in practice: upper-case words (`CERTIFICATE`, `EC PRIVATE KEY`, `X509 CRL`). */
const LABEL = /^[A-Z0-9]+(?: [A-Z0-9]+)*$/;
const MAX_LABEL = 64;

/** The label that starts at `from` and ends at the next `-----`, or undefined when there is none. */
function readLabel(text: string, from: number): { label: string; next: number } | undefined {
  const close = text.indexOf(DASHES, from);
  if (close < 0 || close - from > MAX_LABEL) return undefined;
  const label = text.slice(from, close);
  return LABEL.test(label) ? { label, next: close + DASHES.length } : undefined;
}

/** Shortens a label for an error message (the text may be anything). */
const quote = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Every PEM block in `text`, in order (a CA bundle, a key followed by its certificate…). Text
 * around the blocks is ignored, as openssl does. Headers such as `Proc-Type` (encrypted keys) are
 * refused: kubepki does not read encrypted PEM. A block that is opened and never closed (a
 * truncated file) is an error rather than silently dropped, so a cut-off bundle is noticed.
 *
 * The scan is a single left-to-right pass with `indexOf` (no backtracking regular expression), so
 * hostile input costs time linear in its length.
 *
 * @example
 * ```ts
 * import { createSelfSignedCa, decodePemBlocks, exportPrivateKeyPem, generateKeyPair } from "@kubepki/core";
 *
 * const keyPair = await generateKeyPair("ECDSA-P256");
 * const ca = await createSelfSignedCa({ keyPair, subject: "/CN=kubernetes" });
 * // A certificate and its key in one file, as some tools write them.
 * const blocks = decodePemBlocks(ca.pem + (await exportPrivateKeyPem(keyPair)));
 * console.log(blocks.map((block) => block.label)); // ["CERTIFICATE", "EC PRIVATE KEY"]
 * ```
 */
export function decodePemBlocks(text: string): PemBlock[] {
  if (typeof text !== "string") throw new KubepkiError("INVALID_PEM", "PEM input must be a string");
  const blocks: PemBlock[] = [];
  let position = 0;
  for (;;) {
    const begin = text.indexOf(BEGIN, position);
    if (begin < 0) break;
    const opening = readLabel(text, begin + BEGIN.length);
    if (!opening) {
      const line = text.slice(begin, text.indexOf("\n", begin) < 0 ? undefined : text.indexOf("\n", begin));
      throw new KubepkiError(
        "INVALID_PEM",
        `Malformed PEM line ${quote(line.trim())}: expected "-----BEGIN <LABEL>-----" with an upper-case label`,
      );
    }
    const { label } = opening;
    const end = text.indexOf(END, opening.next);
    const body = text.slice(opening.next, end < 0 ? undefined : end);
    // A dash run inside the body means another BEGIN (or a broken END) came first: this block
    // was never closed.
    if (end < 0 || body.includes(DASHES)) {
      throw new KubepkiError(
        "INVALID_PEM",
        `PEM block ${label} has no "-----END ${label}-----" line: the file looks truncated or two blocks are interleaved`,
      );
    }
    const closing = readLabel(text, end + END.length);
    if (!closing || closing.label !== label) {
      const found = closing ? `"END ${closing.label}"` : "a malformed END line";
      throw new KubepkiError("INVALID_PEM", `PEM block "BEGIN ${label}" is closed by ${found}`);
    }
    if (body.includes(":")) {
      throw new KubepkiError(
        "INVALID_PEM",
        `PEM block ${label} has headers (an encrypted key?): decrypt it first, e.g. with "openssl pkey"`,
      );
    }
    const der = fromBase64(body);
    if (!der || der.length === 0) {
      throw new KubepkiError("INVALID_PEM", `PEM block ${label} does not contain valid base64`);
    }
    blocks.push({ label, der });
    position = closing.next;
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
 * const certificatePem = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
 * const { der } = decodePem(certificatePem, ["CERTIFICATE"]); // INVALID_PEM for any other label
 * console.log(der); // Uint8Array [48, 0]
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
