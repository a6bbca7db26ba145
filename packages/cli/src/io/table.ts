import { longestPiece, wrapHanging, wrapText } from "./wrap.js";

/** A table column: its header, and whether its cells may go on their own line under the row. */
export interface Column {
  readonly header: string;
  /** A long, optional cell (SANs): when the row is too wide it is printed under the row instead. */
  readonly under?: boolean;
}

const GAP = 3;
/** A column narrower than this is unreadable: below it the table becomes one block per row. */
const MIN_COLUMN = 8;

const totalWidth = (widths: readonly number[]) =>
  widths.reduce((sum, width) => sum + width, 0) + GAP * Math.max(0, widths.length - 1);

/** Lines of one row whose cells are already cut to their column widths (last column not padded). */
function rowLines(cells: readonly (readonly string[])[], widths: readonly number[]): string[] {
  const height = Math.max(1, ...cells.map((lines) => lines.length));
  return Array.from({ length: height }, (_, line) =>
    cells
      .map((lines, i) => (lines[line] ?? "").padEnd(i === cells.length - 1 ? 0 : (widths[i] as number) + GAP))
      .join("")
      .trimEnd(),
  );
}

/**
 * Column widths that fit `width`, from the natural ones, narrowing one column a character at a
 * time: the one where the fewest cells (the header counts) would wrap, the widest on a tie — so a
 * long header such as EXTERNALLY MANAGED folds before every date of a column does. No column goes
 * below the longest word of its cells (only spaces, commas and `/` break). Undefined if impossible.
 */
function fitWidths(
  texts: readonly (readonly string[])[],
  natural: readonly number[],
  minimum: readonly number[],
  width: number,
): number[] | undefined {
  if (totalWidth(minimum) > width) return undefined;
  const widths = [...natural];
  const wrapped = (i: number, w: number) => (texts[i] as readonly string[]).filter((text) => text.length > w).length;
  while (totalWidth(widths) > width) {
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    widths.forEach((w, i) => {
      if (w <= (minimum[i] as number)) return;
      const cost = wrapped(i, w - 1);
      if (cost < bestCost || (cost === bestCost && w > (widths[best] as number))) {
        best = i;
        bestCost = cost;
      }
    });
    if (best < 0) return undefined;
    widths[best] = (widths[best] as number) - 1;
  }
  return widths;
}

/** One block per row: the first cell as a title, then `header: value` lines (the narrowest layout). */
function blocks(columns: readonly Column[], rows: readonly (readonly string[])[], width: number): string[] {
  const label = Math.max(...columns.slice(1).map((column) => column.header.length)) + 2;
  return rows.flatMap((row, r) => [
    ...(r > 0 ? [""] : []),
    ...wrapText(row[0] ?? "", width),
    ...columns
      .slice(1)
      .flatMap((column, i) =>
        row[i + 1]
          ? wrapHanging(`  ${`${column.header.toLowerCase()}:`.padEnd(label)} `, row[i + 1] as string, width)
          : [],
      ),
  ]);
}

/**
 * Left-aligned text columns, widths from the content (the layout kubeadm's tables use), no line
 * wider than `width`: when the rows are too wide, `under` columns move to their own line below
 * the row, then the widest columns wrap; on a terminal too narrow for any table, each row becomes
 * a block of `header: value` lines.
 */
export function formatTable(
  columns: readonly (Column | string)[],
  rows: readonly (readonly string[])[],
  width = Number.POSITIVE_INFINITY,
): string {
  const all = columns.map((column) => (typeof column === "string" ? { header: column } : column));
  const natural = all.map((column, i) => Math.max(column.header.length, ...rows.map((row) => (row[i] ?? "").length)));
  if (totalWidth(natural) <= width) {
    const lines = [all.map((column) => column.header), ...rows].map(
      (cells) =>
        rowLines(
          all.map((_, i) => [cells[i] ?? ""]),
          natural,
        )[0],
    );
    return `${lines.join("\n")}\n`;
  }
  const inline = all.flatMap((column, i) => (column.under ? [] : [i]));
  const under = all.flatMap((column, i) => (column.under ? [i] : []));
  const minimum = inline.map((i) =>
    Math.max(
      Math.min(MIN_COLUMN, natural[i] as number),
      longestPiece(all[i]?.header ?? ""),
      ...rows.map((row) => longestPiece(row[i] ?? "")),
    ),
  );
  const widths = fitWidths(
    inline.map((i) => [all[i]?.header ?? "", ...rows.map((row) => row[i] ?? "")]),
    inline.map((i) => natural[i] as number),
    minimum,
    width,
  );
  if (!widths) return `${blocks(all, rows, width).join("\n")}\n`;
  const cut = (cells: readonly string[]) =>
    rowLines(
      inline.map((i, c) => wrapText(cells[i] ?? "", widths[c] as number)),
      widths,
    );
  const lines = [
    ...cut(all.map((column) => column.header)),
    ...rows.flatMap((row) => [
      ...cut(row),
      ...under.flatMap((i) =>
        row[i] ? wrapHanging(`    ${all[i]?.header.toLowerCase()}: `, row[i] as string, width) : [],
      ),
    ]),
  ];
  return `${lines.join("\n")}\n`;
}

/** A SAN list the way openssl prints it: `DNS:a, IP Address:b` shortened to `DNS:a, IP:b`. */
export function formatSans(sans: readonly { type: string; value: string }[]): string {
  return sans
    .map((san) => `${san.type === "ip" ? "IP" : san.type === "dns" ? "DNS" : san.type.toUpperCase()}:${san.value}`)
    .join(", ");
}
