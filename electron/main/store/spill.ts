import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Samples that could not be written when the store closed (the disk full at shutdown) are
 * kept in a file outside the data directory, under the system temp dir, and written into
 * the store by the next open. Without it they would be lost with the process's memory.
 * Only raw samples are kept: the next open rebuilds the rollups from them.
 */
export function spillFile(dataDir: string): string {
  const id = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), 'opspulse-unsaved', `${id}.jsonl`);
}

/** Appends sample lines to the spill file; throws if that disk refuses them too. */
export function writeSpill(dataDir: string, lines: readonly string[]): string {
  const file = spillFile(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, lines.join(''));
  return file;
}

/**
 * Moves spilled samples into the store: each line is appended to the raw segment `fileOf`
 * names, then the spill file is removed. Returns how many were restored; a failure leaves
 * the spill file for the next open.
 */
export function restoreSpill(dataDir: string, fileOf: (t: number) => string): number {
  const file = spillFile(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const bySegment = new Map<string, string[]>();
  let n = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let t: unknown;
    try {
      t = (JSON.parse(line) as { t?: unknown }).t;
    } catch {
      continue; // A line torn while spilling: nothing to restore.
    }
    if (typeof t !== 'number') continue;
    const seg = fileOf(t);
    const list = bySegment.get(seg) ?? [];
    list.push(`${line}\n`);
    bySegment.set(seg, list);
    n++;
  }
  for (const [seg, lines] of bySegment) {
    fs.mkdirSync(path.dirname(seg), { recursive: true });
    fs.appendFileSync(seg, lines.join(''));
  }
  fs.rmSync(file, { force: true });
  return n;
}
