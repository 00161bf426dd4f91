/** Column-aligned text for the terminal; the last column is not padded (it may be long). */
export function formatTable(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)];
}

export function printTable(head: string[], rows: string[][]): void {
  for (const l of formatTable(head, rows)) console.log(l);
}
