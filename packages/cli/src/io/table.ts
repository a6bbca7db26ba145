/** Left-aligned text columns, widths from the content (the layout kubeadm's tables use). */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd((widths[i] as number) + 3)))
      .join("")
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join("\n")}\n`;
}

/** A SAN list the way openssl prints it: `DNS:a, IP Address:b` shortened to `DNS:a, IP:b`. */
export function formatSans(sans: readonly { type: string; value: string }[]): string {
  return sans
    .map((san) => `${san.type === "ip" ? "IP" : san.type === "dns" ? "DNS" : san.type.toUpperCase()}:${san.value}`)
    .join(", ");
}
