import fs from 'node:fs';
import path from 'node:path';

export interface StorageHealth {
  ok: boolean;
  error?: string;
  /** Lines held in memory, waiting for the disk. */
  buffered: number;
  /** Lines given up because the memory buffer was full (oldest first). */
  dropped: number;
}

export interface AppendLogOptions {
  /** Bytes held in memory while writes fail; beyond it the oldest lines are dropped. */
  maxBufferedBytes: number;
  onHealth: () => void;
  /** A file was opened for appending (it may be new: listings of segments are stale). */
  onOpen?: (file: string) => void;
}

interface Pending {
  file: string;
  data: string;
  bytes: number;
}

/**
 * Appends whole lines to segment files, each with one write on a kept-open descriptor.
 * Never throws: a failed or short write is cut back (so no half line stays on disk), the
 * line is queued in memory (bounded), and the queue is flushed in order on the next append
 * that finds the disk writable again.
 */
export class AppendLog {
  private fd: number | null = null;
  private fdFile = '';
  private size = 0;
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private dropped = 0;
  private error: string | undefined;
  private held = false;

  constructor(private readonly opts: AppendLogOptions) {}

  get health(): StorageHealth {
    return {
      ok: this.error === undefined,
      error: this.error,
      buffered: this.queue.length,
      dropped: this.dropped,
    };
  }

  /** The file the descriptor is open on, if any (maintenance leaves it alone). */
  get openFile(): string | null {
    return this.fd === null ? null : this.fdFile;
  }

  append(file: string, data: string): void {
    const item: Pending = { file, data, bytes: Buffer.byteLength(data) };
    if (this.held) {
      this.enqueue(item);
      return;
    }
    if (this.queue.length === 0) {
      if (this.write(item)) return;
      this.enqueue(item);
      this.opts.onHealth();
      return;
    }
    this.enqueue(item);
    this.flush();
  }

  /** Queues appends without writing (while a rebuild replaces the files) until resume(). */
  hold(): void {
    this.held = true;
    this.release();
  }

  resume(): void {
    this.held = false;
    this.flush();
  }

  /** Writes what is queued, in order; stops at the first failure. */
  flush(): void {
    if (this.queue.length === 0 || this.held) return;
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (!this.write(head)) break;
      this.queue.shift();
      this.queuedBytes -= head.bytes;
    }
    if (this.queue.length === 0) this.error = undefined;
    this.opts.onHealth();
  }

  /** Takes the lines still waiting for the disk out of the queue (at close, to keep them elsewhere). */
  drain(): { file: string; data: string }[] {
    const out = this.queue.map(({ file, data }) => ({ file, data }));
    this.queue = [];
    this.queuedBytes = 0;
    return out;
  }

  /** Closes the descriptor; the next append reopens (e.g. after a segment was replaced). */
  release(): void {
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // Closing a descriptor whose disk failed can fail too; it is gone either way.
      }
    }
    this.fd = null;
  }

  private enqueue(item: Pending): void {
    this.queue.push(item);
    this.queuedBytes += item.bytes;
    while (this.queuedBytes > this.opts.maxBufferedBytes && this.queue.length > 1) {
      const old = this.queue.shift();
      if (!old) break;
      this.queuedBytes -= old.bytes;
      this.dropped++;
    }
  }

  private write(item: Pending): boolean {
    try {
      const fd = this.open(item.file);
      const n = fs.writeSync(fd, item.data);
      if (n !== item.bytes) {
        this.cutBack(fd);
        throw new Error(`short write to ${item.file} (${n} of ${item.bytes} bytes): disk full?`);
      }
      this.size += n;
      return true;
    } catch (err) {
      this.error = `cannot write ${item.file}: ${err instanceof Error ? err.message : String(err)}`;
      this.release();
      return false;
    }
  }

  private open(file: string): number {
    if (this.fd !== null && this.fdFile === file) return this.fd;
    this.release();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, 'a');
    this.fd = fd;
    this.fdFile = file;
    this.size = fs.fstatSync(fd).size;
    this.opts.onOpen?.(file);
    return fd;
  }

  private cutBack(fd: number): void {
    try {
      fs.ftruncateSync(fd, this.size);
    } catch {
      // A device that refused the write may refuse this too; the reader skips the torn line.
    }
  }
}

/** One health for several logs: not ok if any is, the first error, summed counts. */
export function combineHealth(list: StorageHealth[]): StorageHealth {
  const out: StorageHealth = { ok: true, buffered: 0, dropped: 0 };
  for (const h of list) {
    out.buffered += h.buffered;
    out.dropped += h.dropped;
    if (!h.ok) {
      out.ok = false;
      out.error ??= h.error;
    }
  }
  return out;
}
