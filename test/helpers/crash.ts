import fs from 'node:fs/promises';

/**
 * A crash as the disk sees it: the file's last n lines never reached it, and with
 * tearNext the first of them is there only in part (a torn line).
 */
export async function dropLastLines(file: string, n: number, tearNext = false): Promise<void> {
  const lines = (await fs.readFile(file, 'utf8')).split('\n').filter(Boolean);
  const keep = lines.slice(0, Math.max(0, lines.length - n));
  let text = keep.map((l) => l + '\n').join('');
  if (tearNext && lines.length > keep.length) text += lines[keep.length].slice(0, 40);
  await fs.writeFile(file, text);
}
