import { goYamlKeyLess } from "./go-yaml-order.js";

// A reader for the one YAML shape kubeconfigs are written in — block mappings and sequences of
// plain words, the way kubectl, kubeadm and renderKubeconfig emit them — and nothing else.
//
// Why it exists: an audit of a 1000-node tree reads ~1000 kubeconfigs, and the `yaml` package
// spends ~0.8 ms on each (a general lexer, CST, document model with YAML 1.1 resolution); this
// reader takes a few microseconds. It is not a YAML parser: every construct it does not know for
// certain — comments, quotes with escapes, anchors, tags, flow collections other than {} and [],
// multi-line scalars, tabs, CRLF, duplicate keys, and any plain scalar YAML 1.1 could resolve to
// something other than a string (yes/on/~/numbers/dates…) — makes it answer NOT_PLAIN, and the
// caller parses the text with `yaml`. Whatever it does return equals what `yaml.parse(text,
// { version: "1.1", uniqueKeys: true })` returns (tested differentially, including on mutated
// files, in test/plain-block-yaml.test.ts).

/** Returned when the text is outside the subset; parse it with the `yaml` package instead. */
export const NOT_PLAIN: unique symbol = Symbol("not plain block YAML");

type Value = string | null | Value[] | { [key: string]: Value };

// A word YAML 1.1 can only read as a string: starts with a letter or '/', then letters, digits
// and . _ / + = : @ ~ -, not ending with ':' (that would be a mapping indicator). A leading
// letter or '/' rules out numbers, sexagesimals, dates, .inf/.nan, ~, and every indicator.
const WORD = /^[A-Za-z/][A-Za-z0-9._/+=:@~-]*$/;
// The YAML 1.1 booleans and nulls spelled with letters only.
const NOT_A_STRING = new Set(
  "y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF null Null NULL".split(" "),
);
// "e5", "E+10": a letter first, yet YAML 1.1 floats to `yaml` (no digits before the exponent).
const EXPONENT_ONLY = /^[eE][-+]?[0-9]+$/;
/** A word YAML 1.1 reads as something other than that string. */
const notAString = (word: string): boolean => NOT_A_STRING.has(word) || EXPONENT_ONLY.test(word);
// A key: a word without ':' (so that "key: value" splits at the first colon).
const KEY = /^[A-Za-z/][A-Za-z0-9._/+=@~-]*$/;
// Printable ASCII without the quote, for one-line quoted scalars.
const SINGLE_QUOTED = /^'((?:[\x20-\x26\x28-\x7e]|'')*)'$/;
const DOUBLE_QUOTED = /^"([\x20\x21\x23-\x5b\x5d-\x7e]*)"$/;

class NotPlain extends Error {}
const notPlain = (): never => {
  throw new NotPlain();
};

function scalar(text: string): Value {
  if (WORD.test(text) && !text.endsWith(":")) {
    if (notAString(text)) notPlain();
    return text;
  }
  if (text === "{}") return {};
  if (text === "[]") return [];
  const single = SINGLE_QUOTED.exec(text);
  if (single) return (single[1] as string).replaceAll("''", "'");
  const double = DOUBLE_QUOTED.exec(text);
  if (double) return double[1] as string;
  return notPlain();
}

interface Line {
  readonly indent: number;
  readonly content: string;
}

function splitLines(text: string): Line[] {
  const raw = text.split("\n");
  if (raw[raw.length - 1] === "") raw.pop();
  return raw.map((line) => {
    let indent = 0;
    while (line.charCodeAt(indent) === 0x20) indent++;
    const content = line.slice(indent);
    // Blank lines, tabs, CR, trailing spaces and non-ASCII are all left to the real parser.
    if (content === "" || !/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(content)) notPlain();
    return { indent, content };
  });
}

class Reader {
  private at = 0;
  constructor(private readonly lines: readonly Line[]) {}

  document(): Value {
    const first = this.lines[0];
    if (first === undefined || first.indent !== 0) return notPlain();
    const value = this.node(0);
    if (this.at !== this.lines.length) notPlain();
    return value;
  }

  private peek(): Line | undefined {
    return this.lines[this.at];
  }

  /** The block starting at the current line, whose entries sit at column `indent`. */
  private node(indent: number): Value {
    const line = this.peek() as Line;
    return line.content.startsWith("- ") ? this.sequence(indent) : this.mapping(indent, "");
  }

  private sequence(indent: number): Value[] {
    const items: Value[] = [];
    for (let line = this.peek(); line?.indent === indent && line.content.startsWith("- "); line = this.peek()) {
      const rest = line.content.slice(2);
      if (rest.startsWith(" ")) notPlain();
      if (entrySplit(rest)) items.push(this.mapping(indent + 2, rest));
      else {
        this.at++;
        items.push(scalar(rest));
      }
    }
    return items;
  }

  /**
   * A mapping at column `indent`. `first` is its first entry when that sits on a "- " line
   * (already consumed up to the entry); otherwise the entries start at the current line.
   */
  private mapping(indent: number, first: string): { [key: string]: Value } {
    const map: { [key: string]: Value } = {};
    let content: string | undefined = first;
    if (content === "") {
      const line = this.peek();
      content = line?.indent === indent ? line.content : undefined;
    }
    while (content !== undefined) {
      const split = entrySplit(content);
      if (split === undefined) return notPlain();
      const [key, value] = split;
      if (Object.hasOwn(map, key) || key === "__proto__") notPlain();
      this.at++;
      if (value !== "") map[key] = scalar(value);
      else {
        const next = this.peek();
        if (next !== undefined && next.indent > indent) map[key] = this.node(next.indent);
        else if (next?.indent === indent && next.content.startsWith("- ")) map[key] = this.sequence(indent);
        else map[key] = null;
      }
      const line = this.peek();
      // Deeper than the mapping after its value: a continued plain scalar, or an error.
      if (line !== undefined && line.indent > indent) notPlain();
      content = line?.indent === indent && !line.content.startsWith("- ") ? line.content : undefined;
      if (line?.indent === indent && line.content.startsWith("- ") && first !== "") notPlain();
    }
    return map;
  }
}

/** "key: value" → [key, value]; "key:" → [key, ""]; anything else → undefined. */
function entrySplit(content: string): [string, string] | undefined {
  const colon = content.indexOf(":");
  if (colon <= 0) return undefined;
  const key = content.slice(0, colon);
  if (!KEY.test(key) || notAString(key)) return undefined;
  if (colon === content.length - 1) return [key, ""];
  if (content[colon + 1] !== " " || content[colon + 2] === " ") return undefined;
  return [key, content.slice(colon + 2)];
}

/**
 * Reads `text` if it is plain block YAML (see the file comment), else returns {@link NOT_PLAIN}.
 * The result is what `yaml.parse(text, { version: "1.1", uniqueKeys: true })` returns.
 */
export function readPlainBlockYaml(text: string): Value | typeof NOT_PLAIN {
  try {
    return new Reader(splitLines(text)).document();
  } catch (error) {
    if (error instanceof NotPlain) return NOT_PLAIN;
    throw error;
  }
}

// The writer: the same subset, the other way. kubeadm's files (a kubeconfig with embedded PEMs, a
// KubeletConfiguration) are block mappings and sequences of plain words; `init` writes ~1000 of
// each at N = 1000, and `yaml`'s stringify (document model, tag resolution, string style choice)
// was the largest JavaScript cost of init after generation. For a value in the subset the writer
// gives the bytes `yaml.stringify(value, WRITE_OPTIONS)` gives (tested differentially in
// test/plain-block-yaml.test.ts); for anything else — a string that is not a plain word, null,
// a float, a nested sequence — it answers NOT_PLAIN and the caller asks `yaml`.

// Written plain: the reader's words, and also words that start with a digit (the IPv4 addresses
// of clusterDNS) unless YAML 1.1 reads them as a number or a date, which `yaml` quotes. The
// alternatives are the YAML 1.1 int, float, sexagesimal and timestamp forms of `yaml`'s schema
// for such a word (no sign: it starts with a digit).
const WORD_OUT = /^[A-Za-z0-9/][A-Za-z0-9._/+=:@~-]*$/;
const NUMBER_OR_DATE =
  /^(?:[0-9][0-9_]*|0b[01_]+|0x[0-9a-fA-F_]+|(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+|[0-9][0-9_]*\.[0-9_]*|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$/;

/** Key order of go-yaml v2, as the renderers' `sortMapEntries`. */
const byGoYamlOrder = (a: string, b: string): number => (a === b ? 0 : goYamlKeyLess(a, b) ? -1 : 1);

/** A scalar or empty collection as it stands after "key: " or "- "; undefined for a block. */
function inlineText(value: unknown): string | undefined {
  if (typeof value === "string") {
    if (!WORD_OUT.test(value) || value.endsWith(":") || notAString(value) || NUMBER_OR_DATE.test(value)) notPlain();
    return value;
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || Object.is(value, -0)) notPlain();
    return String(value);
  }
  if (Array.isArray(value)) return value.length === 0 ? "[]" : undefined;
  if (!isPlainObject(value)) return notPlain();
  return Object.keys(value).length === 0 ? "{}" : undefined;
}

function isPlainObject(value: unknown): value is { readonly [key: string]: unknown } {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A mapping whose entries sit at column `indent`; its first line starts with `firstPrefix`. */
function writeMapping(
  map: { readonly [key: string]: unknown },
  indent: number,
  firstPrefix: string,
  lines: string[],
): void {
  const keys = Object.keys(map).sort(byGoYamlOrder);
  const pad = " ".repeat(indent);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (!KEY.test(key) || notAString(key)) notPlain();
    const prefix = i === 0 ? firstPrefix : pad;
    const value = map[key];
    const text = inlineText(value);
    if (text !== undefined) lines.push(`${prefix}${key}: ${text}`);
    else {
      lines.push(`${prefix}${key}:`);
      // Sequences are not indented under their key (yaml's indentSeq: false, as kubectl writes).
      if (Array.isArray(value)) writeSequence(value, indent, lines);
      else writeMapping(value as { readonly [key: string]: unknown }, indent + 2, " ".repeat(indent + 2), lines);
    }
  }
}

function writeSequence(items: readonly unknown[], indent: number, lines: string[]): void {
  const dash = `${" ".repeat(indent)}- `;
  for (const item of items) {
    const text = inlineText(item);
    if (text !== undefined) lines.push(`${dash}${text}`);
    else if (Array.isArray(item)) notPlain();
    else writeMapping(item as { readonly [key: string]: unknown }, indent + 2, dash, lines);
  }
}

/**
 * Writes `value` (a mapping) as plain block YAML if everything in it is in the subset (see the
 * comment above), else returns {@link NOT_PLAIN}. The text is what `yaml.stringify(value,
 * { version: "1.1", sortMapEntries: compareGoYamlPairs, lineWidth: 0, indentSeq: false })` returns.
 */
export function writePlainBlockYaml(value: unknown): string | typeof NOT_PLAIN {
  if (!isPlainObject(value)) return NOT_PLAIN;
  try {
    if (Object.keys(value).length === 0) return "{}\n";
    const lines: string[] = [];
    writeMapping(value, 0, "", lines);
    return `${lines.join("\n")}\n`;
  } catch (error) {
    if (error instanceof NotPlain) return NOT_PLAIN;
    throw error;
  }
}
