import fs from 'node:fs';
import path from 'node:path';
import type { AlertEvent } from '../../../shared/events';

export interface EventFilter {
  since: number;
  target?: string;
  /** Exclusive upper bound, Unix ms. */
  until?: number;
}

/** A batch the disk refused part of: the events of the segments not written. */
export class PartialAppendError extends Error {
  constructor(
    readonly remaining: AlertEvent[],
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'PartialAppendError';
  }
}

/** `2026-11` for a Unix ms time (UTC), the name of the segment that holds it. */
function monthOf(t: number): string {
  return new Date(t).toISOString().slice(0, 7);
}

function isEvent(x: unknown): x is AlertEvent {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return (
    typeof e.t === 'number' &&
    typeof e.rule === 'string' &&
    typeof e.from === 'string' &&
    typeof e.to === 'string' &&
    typeof e.message === 'string'
  );
}

/**
 * The incident log: every transition as one JSON line in a monthly segment
 * (`events/2026-11.jsonl`), so a `--since 24h` read touches one or two small files.
 */
export class EventLog {
  constructor(readonly dir: string) {}

  static forDataDir(dataDir: string): EventLog {
    return new EventLog(path.join(dataDir, 'events'));
  }

  /**
   * Appends a batch with one write call per segment, so a crash leaves at most one torn
   * line, which readers skip. When the disk refuses a segment, throws PartialAppendError
   * with the events not written: a batch spanning two months is never written twice.
   */
  append(events: readonly AlertEvent[]): void {
    if (events.length === 0) return;
    const bySegment = new Map<string, AlertEvent[]>();
    for (const e of events) {
      const seg = monthOf(e.t);
      const list = bySegment.get(seg);
      if (list) list.push(e);
      else bySegment.set(seg, [e]);
    }
    const segments = [...bySegment];
    for (let i = 0; i < segments.length; i++) {
      const [seg, list] = segments[i];
      const file = path.join(this.dir, `${seg}.jsonl`);
      const text = list.map((e) => `${JSON.stringify(e)}\n`).join('');
      try {
        fs.mkdirSync(this.dir, { recursive: true });
        fs.appendFileSync(file, this.needsNewline(file) ? `\n${text}` : text);
      } catch (err) {
        throw new PartialAppendError(
          segments.slice(i).flatMap(([, rest]) => rest),
          err,
        );
      }
    }
  }

  /**
   * Removes monthly segments that ended before `before` (Unix ms): the incident log is kept
   * as long as the coarsest history, not forever. Returns the files removed.
   */
  async prune(before: number): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const removed: string[] = [];
    for (const name of names) {
      const m = /^(\d{4})-(\d{2})\.jsonl$/.exec(name);
      if (!m) continue;
      const monthEnd = Date.UTC(Number(m[1]), Number(m[2]), 1);
      if (monthEnd > before) continue;
      await fs.promises.rm(path.join(this.dir, name), { force: true });
      removed.push(name);
    }
    return removed;
  }

  /** Events at or after `since` (and before `until`), oldest first; bad lines are skipped. */
  async read(filter: EventFilter): Promise<AlertEvent[]> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw err;
    }
    const first = monthOf(filter.since);
    const segments = names
      .filter((n) => /^\d{4}-\d{2}\.jsonl$/.test(n) && n.slice(0, 7) >= first)
      .sort();
    const out: AlertEvent[] = [];
    for (const name of segments) {
      const text = await fs.promises.readFile(path.join(this.dir, name), 'utf8');
      for (const line of text.split('\n')) {
        if (line.length === 0) continue;
        let e: unknown;
        try {
          e = JSON.parse(line);
        } catch {
          continue;
        }
        if (!isEvent(e) || e.t < filter.since) continue;
        if (filter.until !== undefined && e.t >= filter.until) continue;
        if (filter.target !== undefined && e.target !== filter.target) continue;
        out.push(e);
      }
    }
    return out.sort((a, b) => a.t - b.t);
  }

  /** A torn last line (crash mid-write) must not swallow the next event. */
  private needsNewline(file: string): boolean {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return false;
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size === 0) return false;
      const buf = Buffer.alloc(1);
      fs.readSync(fd, buf, 0, 1, size - 1);
      return buf[0] !== 0x0a;
    } finally {
      fs.closeSync(fd);
    }
  }
}
