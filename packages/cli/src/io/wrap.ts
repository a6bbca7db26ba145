/**
 * Text wrapping for the human output: every line the CLI prints fits the terminal. Lines break at
 * the places a reader expects — after a space or a comma (`DNS:a, DNS:b`), before the `/` of an
 * openssl-style name (`/O=system:nodes/CN=system:node:cp-1`) — and a word longer than the width
 * (a long path) is cut, since a line that overflows wraps anyway, mid-word, in the terminal.
 */

/**
 * The pieces a line may break between: each ends with its spaces or comma, or stops before the `/`
 * of a name attribute (`/CN=`); the `/` of a path does not break it.
 */
function pieces(text: string): string[] {
  return text.match(/\/?(?:[^\s,/]|\/(?![\w.]+=))+(?:,\s*|\s+)?|\/|,\s*|\s+/g) ?? [];
}

/** Cuts a piece longer than `width` into `width`-long parts. */
function cut(piece: string, width: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < piece.length; i += width) parts.push(piece.slice(i, i + width));
  return parts;
}

/**
 * Wraps one line of text to lines of at most `width` characters (the first line at most
 * `firstWidth`), trailing spaces dropped.
 *
 * `wrapText("DNS:a, DNS:bb, IP:10.0.0.1", 14)` → `["DNS:a, DNS:bb,", "IP:10.0.0.1"]`.
 */
export function wrapText(text: string, width: number, firstWidth = width): string[] {
  const lines: string[] = [];
  const limit = () => Math.max(1, lines.length === 0 ? firstWidth : width);
  let line = "";
  const push = () => {
    lines.push(line.trimEnd());
    line = "";
  };
  // A message with line breaks is one paragraph here: the breaks are re-made to fit.
  for (const piece of pieces(text.replace(/\s*\n\s*/g, " "))) {
    if ((line + piece).trimEnd().length <= limit()) {
      line += piece;
      continue;
    }
    if (line.trimEnd() !== "") push();
    if (piece.trimEnd().length <= limit()) {
      line = piece;
      continue;
    }
    for (const part of cut(piece, limit())) {
      if (line !== "" && (line + part).trimEnd().length > limit()) push();
      line += part;
    }
  }
  if (line.trimEnd() !== "" || lines.length === 0) push();
  return lines;
}

/** The longest piece of `text` that {@link wrapText} will not break (without cutting words). */
export function longestPiece(text: string): number {
  return Math.max(0, ...pieces(text).map((piece) => piece.trimEnd().length));
}

/**
 * Wraps `text` after a first-line prefix `first`, the next lines indented by `indent` spaces, so
 * that no line is wider than `width`: `Next: a b c` → `Next: a b` / `      c`.
 */
export function wrapHanging(first: string, text: string, width: number, indent = first.length): string[] {
  // On a very narrow terminal the prefix and indent give way to the text.
  const lead = Math.min(indent, Math.floor(width / 2));
  if (first.length > width - 10) {
    return [...wrapText(first.trimEnd(), width), ...wrapText(text, width - lead).map((l) => " ".repeat(lead) + l)];
  }
  const [line, ...rest] = wrapText(text, width - lead, width - first.length);
  return [`${first}${line ?? ""}`.trimEnd(), ...rest.map((part) => `${" ".repeat(lead)}${part}`)];
}

/** Every line of `text` wrapped to `width` (a catch-all for prose that may be long: paths, lists). */
export function fitLines(text: string, width: number): string {
  return text
    .split("\n")
    .flatMap((line) => {
      if (line.length <= width) return [line];
      const indent = /^\s*/.exec(line)?.[0] ?? "";
      return wrapHanging(indent, line.slice(indent.length), width, indent.length + 2);
    })
    .join("\n");
}
