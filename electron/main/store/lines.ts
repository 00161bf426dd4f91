import fs from 'node:fs';
import { createGunzip } from 'node:zlib';

/** Counts what a reader skipped; one object may be shared across several reads. */
export interface ReadCounters {
  /** Complete lines that did not parse or did not look like a record of the tier. */
  corrupt: number;
  /** A trailing line without its newline: a torn tail or a write still in progress. */
  partial: number;
}

export function newCounters(): ReadCounters {
  return { corrupt: 0, partial: 0 };
}

const NL = 0x0a;

/**
 * Streams the newline-terminated lines of a segment (gzipped or not). A last line without
 * its newline is never yielded: a reader running while the writer appends sees whole lines
 * only. Blocks of lines are yielded together to keep per-line overhead low.
 */
export async function* readLineBlocks(
  file: string,
  gz: boolean,
  counters?: ReadCounters,
): AsyncGenerator<string[]> {
  const raw = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  const stream = gz ? raw.pipe(createGunzip()) : raw;
  if (gz) raw.on('error', (err) => stream.destroy(err));
  let rest: Buffer | null = null;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
      const last = buf.lastIndexOf(NL);
      if (last < 0) {
        rest = buf;
        continue;
      }
      rest = last + 1 < buf.length ? buf.subarray(last + 1) : null;
      const lines = buf.toString('utf8', 0, last).split('\n');
      yield lines;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  } finally {
    raw.destroy();
  }
  if (rest && rest.length > 0 && counters) counters.partial++;
}

/** One line at a time, for callers that do not care about blocks. */
export async function* readLines(
  file: string,
  gz: boolean,
  counters?: ReadCounters,
): AsyncGenerator<string> {
  for await (const block of readLineBlocks(file, gz, counters)) yield* block;
}
