import { open, stat } from 'node:fs/promises';
import type { FileTarget } from '../../../shared/config-schema';
import type { ProbeResult } from '../../../shared/sample';
import { checkConditions, extractMetrics, topLevelNumbers } from './conditions';
import { Deadline } from './deadline';
import { jsonErrorWhere } from './errors';

/** Past this a "status file" is not one; reading it whole would cost more than a probe should. */
const MAX_JSON_BYTES = 16 * 1024 * 1024;
/** How far back from the end a JSONL file is searched for its last complete line. */
const MAX_TAIL_BYTES = 4 * 1024 * 1024;
const FIRST_TAIL_BYTES = 64 * 1024;

export function fileFormat(target: Pick<FileTarget, 'path' | 'format'>): 'json' | 'jsonl' {
  return target.format ?? (/\.(jsonl|ndjson)$/i.test(target.path) ? 'jsonl' : 'json');
}

/**
 * Reads still running after their probe gave up, by path. A read on a hung mount cannot be
 * cancelled and keeps a libuv threadpool thread; starting another each tick would soon
 * hold all four and stall every fs call and dns.lookup in the process. So a path gets at
 * most one read at a time, and the target is reported down "read hung" meanwhile.
 */
const hung = new Map<string, number>();

/**
 * Reads a JSON file (or the last line of a JSONL file) that another program writes: its
 * numbers become metrics, and the file is down when it is missing, unreadable, or stale.
 */
export async function probeFile(
  target: FileTarget,
  deadlineMs: number,
  signal?: AbortSignal,
  now: () => number = Date.now,
): Promise<ProbeResult> {
  const since = hung.get(target.path);
  if (since !== undefined)
    return {
      up: false,
      error: `read hung: the read started ${Math.round((Date.now() - since) / 1000)} s ago has not returned (${target.path})`,
    };
  const deadline = new Deadline(deadlineMs, signal);
  const startedAt = Date.now();
  const work = readAndJudge(target, now);
  const aborted = new Promise<ProbeResult>((resolve) => {
    const onAbort = (): void => {
      const timedOut = deadline.message() !== 'cancelled';
      if (timedOut) {
        hung.set(target.path, startedAt);
        const clear = (): void => void hung.delete(target.path);
        work.then(clear, clear);
      }
      resolve({
        up: false,
        error: timedOut
          ? `read hung: no answer within ${deadline.ms} ms (${target.path})`
          : `cancelled (${target.path})`,
      });
    };
    if (deadline.signal.aborted) onAbort();
    else deadline.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    deadline.dispose();
  }
}

async function readAndJudge(target: FileTarget, now: () => number): Promise<ProbeResult> {
  let size: number;
  let mtimeMs: number;
  try {
    const st = await stat(target.path);
    if (!st.isFile()) return { up: false, error: `not a regular file: ${target.path}` };
    size = st.size;
    mtimeMs = st.mtimeMs;
  } catch (err) {
    return { up: false, error: fsError(err, target.path) };
  }
  if (target.staleAfterSec !== undefined) {
    const ageSec = (now() - mtimeMs) / 1000;
    if (ageSec > target.staleAfterSec)
      return {
        up: false,
        error: `stale: not changed for ${Math.round(ageSec)} s (limit ${target.staleAfterSec} s)`,
      };
  }
  if (size === 0) return { up: false, error: `file is empty: ${target.path}` };
  let parsed: { doc: unknown } | { error: string };
  try {
    parsed =
      fileFormat(target) === 'jsonl'
        ? await readLastJsonLine(target.path, size)
        : await readJsonFile(target.path, size);
  } catch (err) {
    return { up: false, error: fsError(err, target.path) };
  }
  if ('error' in parsed) return { up: false, error: parsed.error };
  const doc = parsed.doc;
  const metrics =
    Object.keys(target.metrics).length > 0
      ? extractMetrics(doc, target.metrics)
      : topLevelNumbers(doc);
  const result: ProbeResult = { up: true };
  if (Object.keys(metrics).length > 0) result.metrics = metrics;
  const failed = checkConditions(doc, target.conditions);
  if (failed) {
    result.up = false;
    result.error = failed;
  }
  return result;
}

async function readJsonFile(
  path: string,
  size: number,
): Promise<{ doc: unknown } | { error: string }> {
  if (size > MAX_JSON_BYTES)
    return {
      error: `file over ${MAX_JSON_BYTES} bytes; use a JSONL file or a smaller status file`,
    };
  const text = (await readRange(path, 0, size)).toString('utf8');
  try {
    return { doc: JSON.parse(text) };
  } catch (err) {
    // A writer that truncates then writes can be caught in between; the next tick will tell.
    return { error: `not valid JSON: ${jsonErrorWhere(err)} (${path})` };
  }
}

/**
 * The last complete line, read from the end. A last line without its newline may be a write
 * in progress: when it does not parse, the line before it is the latest complete record.
 */
async function readLastJsonLine(
  path: string,
  size: number,
): Promise<{ doc: unknown } | { error: string }> {
  for (let window = Math.min(size, FIRST_TAIL_BYTES); ; window = Math.min(size, window * 4)) {
    const text = (await readRange(path, size - window, window)).toString('utf8');
    const lines = text.split('\n');
    // Unless the window starts at the beginning of the file, its first piece is a partial line.
    if (window < size) lines.shift();
    const endsComplete = text.endsWith('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i].trim();
      if (line === '') continue;
      try {
        return { doc: JSON.parse(line) };
      } catch (err) {
        const torn = i === lines.length - 1 && !endsComplete;
        if (!torn)
          return { error: `last line is not valid JSON: ${jsonErrorWhere(err)} (${path})` };
      }
    }
    if (window >= size) return { error: `no complete JSON line in ${path}` };
    if (window >= MAX_TAIL_BYTES)
      return { error: `no complete line in the last ${MAX_TAIL_BYTES} bytes of ${path}` };
  }
}

async function readRange(path: string, position: number, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await fh.read(buf, filled, length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buf.subarray(0, filled);
  } finally {
    await fh.close();
  }
}

function fsError(err: unknown, path: string): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOENT') return `file not found: ${path}`;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied: ${path}`;
  if (code === 'EISDIR') return `not a regular file: ${path}`;
  return `cannot read ${path}: ${(err as Error).message}`;
}
